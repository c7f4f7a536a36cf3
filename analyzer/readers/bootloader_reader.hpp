#pragma once
// Kernel command lines from the places they are configured: /etc/default/grub, grub.cfg,
// extlinux/syslinux, systemd-boot entries, U-Boot environments, or a plain saved command line.
// Each command line is given as the kernel will receive it, after every quoting layer, with the
// file position of each of its characters.

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "readers/text_file.hpp"
#include "model/machine.hpp"

namespace bootmap {

enum class BootloaderFormat { plain, grub_defaults, grub_cfg, extlinux, systemd_boot, systemd_boot_loader, uboot_env, uboot_script };

std::string_view bootloader_format_name(BootloaderFormat format);
BootloaderFormat detect_bootloader_format(std::string_view text);

// What a bootloader file says of the machine's architecture: the kernel image it loads (Image:
// arm64, zImage: arm), U-Boot's cpu and arch, a device tree it hands over (not x86).
struct ArchHint {
    Arch arch = Arch::arm64;
    std::string evidence;  // "KERNEL /boot/Image", "cpu=armv7"
    SourceLocation where;
    bool only_a_device_tree = false;  // all it says is "not x86" (a device tree handed over, U-Boot's bootm)
};

struct BootloaderCmdlines {
    BootloaderFormat format = BootloaderFormat::plain;
    std::vector<KernelCommandLine> cmdlines;  // one per boot entry, the default first when known
    std::optional<ArchHint> arch;
    std::vector<std::string> assumptions;  // what reading it took for granted (a boot script's replay)
};

// A file another includes (extlinux/syslinux `INCLUDE`, `MENU INCLUDE`), found by the name written
// there: its text and the path it was read from; nullopt when there is no such file; an error (a FIFO,
// too large, unreadable) refuses the run.
using IncludeLoader = std::function<Result<std::optional<TextFile>>(std::string_view including_source, std::string_view name)>;

// What reading a bootloader file may draw on besides its own text.
struct BootloaderContext {
    // What a boot script's `env import` brings in (the variables of an environment file given beside it).
    const std::map<std::string, std::string>* imported = nullptr;
    // How to read the files it includes; without one, includes are reported as not read.
    IncludeLoader includes;
};

// Every file an extlinux/syslinux file may include, nested at most this deep and this many in all.
inline constexpr int kMaxIncludeDepth = 16;
inline constexpr int kMaxIncludedFiles = 256;

Result<BootloaderCmdlines> read_bootloader_cmdlines(std::string_view source_name, std::string_view text, const BootloaderContext& context = {});

// systemd-boot's loader.conf: the `default` entry pattern (a glob over entry file names, such as
// "arch.conf" or "arch-*"), with its place; nullopt when it names none.
struct LoaderDefault {
    std::string pattern;
    SourceLocation where;
};
std::optional<LoaderDefault> systemd_boot_default(std::string_view source_name, std::string_view text);

// The NAME=value lines of a U-Boot environment file (uEnv.txt, armbianEnv.txt, fw_printenv).
std::map<std::string, std::string> uboot_env_variables(std::string_view text);

struct NamedText {
    std::string_view source;
    std::string_view text;
};
// /etc/default/grub and its drop-ins (/etc/default/grub.d/*.cfg, in the order given) sourced into
// one shell as update-grub does: a drop-in's "$GRUB_CMDLINE_LINUX_DEFAULT more" extends what the
// earlier files set; each character keeps the file and line it was written on.
Result<BootloaderCmdlines> read_grub_defaults_files(std::span<const NamedText> files);

}  // namespace bootmap
