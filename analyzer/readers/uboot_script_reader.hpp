#pragma once
// A U-Boot boot script's source (boot.cmd, Armbian's boot-*.cmd, an ODROID boot.ini): the hush
// commands U-Boot runs before it boots, replayed far enough to know the command line. `setenv` and
// plain assignments set variables, `if`/`elif`/`else`, `&&`/`||` and `test` are evaluated, `for`
// loops run over their words; the script stops at the boot command (booti, bootz, bootm, bootefi)
// and its `bootargs` then is the command line. What cannot be known from the script is assumed and
// said: a file test (`test -e`) and every other command (load, fdt, part, setexpr…) succeed, and
// `env import` brings in nothing unless the environment it reads is given.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "model/kernel_profile.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct UbootScriptRun {
    KernelCommandLine cmdline;             // bootargs when the script boots (or ends)
    std::optional<Arch> boot_arch;         // booti: arm64, bootz: arm; bootm, bootefi: not x86 (modelled as arm64)
    bool boot_arch_family_only = false;    // bootm/bootefi: only "an arm-family or RISC-V board"
    std::string boot_command;              // "booti ${kernel_addr_r} …" as written, or empty
    SourceLocation boot_at;
    std::vector<std::string> assumptions;  // what the replay took for granted, in words
};

// Whether the text is a boot script's source: a line whose first word is setenv.
bool looks_like_uboot_script(std::string_view text);

// `imported`: the variables `env import` brings in (an armbianEnv.txt, a uEnv.txt given beside
// the script), nullptr when none was given.
Result<UbootScriptRun> run_uboot_script(std::string_view source, std::string_view text, const std::map<std::string, std::string>* imported = nullptr);

}  // namespace bootmap
