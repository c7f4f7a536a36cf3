#pragma once
// A directory holding one boot's state, as `bootmap capture` writes it (and as the oracle captures
// under fixtures/kernel*/ are laid out): which of its files are present and worth reading.

#include <optional>
#include <string>

#include "core/input_error.hpp"

namespace bootmap {

struct BootCaptureFiles {
    std::string dir;
    std::optional<std::string> dmesg;            // dmesg.txt: the boot's kernel log
    std::optional<std::string> firmware_memmap;  // firmware-memmap.txt: /sys/firmware/memmap (x86)
    std::optional<std::string> cmdline;          // cmdline.txt: /proc/cmdline
    std::optional<std::string> srat;             // srat-b64.txt: the ACPI SRAT, base64
    std::optional<std::string> dtb;              // machine.dtb: /sys/firmware/fdt, the tree the kernel saw
    std::optional<std::string> iomem;            // iomem.txt: /proc/iomem read as root
    std::optional<std::string> kernel_release;   // kernel-release.txt: uname -r
    std::optional<std::string> block_size;       // block-size.txt: /sys/devices/system/memory/block_size_bytes (hex)
    std::optional<std::string> memblock_reserved;  // memblock-reserved.txt: /sys/kernel/debug/memblock/reserved (arm64)
};

// The files of DIR that exist and are not empty (a capture writes empty files for what it could not
// read). Refused when DIR is not a directory or holds none of them.
Result<BootCaptureFiles> find_boot_capture(const std::string& dir);

}  // namespace bootmap
