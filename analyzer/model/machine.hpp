#pragma once
// The one machine model every reader fills and every analysis reads. Each part is optional: a run
// analyses what its inputs describe and says what is missing for the rest.

#include <optional>
#include <string>
#include <vector>

#include "grammars/kernel_cmdline.hpp"
#include "kernel/kernel_profile.hpp"
#include "model/e820.hpp"
#include "model/iomem.hpp"

namespace bootmap {

struct KernelCommandLine {
    std::string source;  // file (or "/proc/cmdline", or "--cmdline")
    std::string text;    // exactly as given, without the trailing newline
    std::vector<grammars::CmdlineParam> params;  // as the kernel splits it
    std::uint32_t line = 1;                       // line of `text` in `source` (bootloader files)
    std::uint32_t column_offset = 0;              // column of text[0] minus one, in `source`
};

struct Machine {
    KernelProfile profile;
    std::optional<IomemTree> iomem;
    std::optional<E820Table> firmware_e820;  // the map the firmware handed over, before any edits
    std::optional<KernelCommandLine> cmdline;
};

}  // namespace bootmap
