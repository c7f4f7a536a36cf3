#pragma once
// Kernel command lines from the places they are configured: /etc/default/grub, grub.cfg,
// extlinux/syslinux, systemd-boot entries, U-Boot environments, or a plain saved command line.
// Each command line is given as the kernel will receive it, after every quoting layer, with the
// file position of each of its characters.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
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

// `imported`: what a boot script's `env import` brings in (the variables of an environment file
// given beside it); nullptr for none.
Result<BootloaderCmdlines> read_bootloader_cmdlines(std::string_view source_name, std::string_view text,
                                                    const std::map<std::string, std::string>* imported = nullptr);

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
