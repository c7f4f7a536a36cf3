#include "readers/boot_capture.hpp"

#include <filesystem>

#include <fmt/format.h>

namespace bootmap {

Result<BootCaptureFiles> find_boot_capture(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return InputError{SourceLocation{dir}, "expected a directory holding a boot's state (what `bootmap capture DIR` writes)", {}};
    BootCaptureFiles files;
    files.dir = dir;
    bool any = false;
    const auto present = [&](const char* name) -> std::optional<std::string> {
        const fs::path p = fs::path(dir) / name;
        std::error_code e;
        if (!fs::is_regular_file(p, e) || fs::file_size(p, e) == 0 || e) return std::nullopt;
        any = true;
        return p.string();
    };
    files.dmesg = present("dmesg.txt");
    files.firmware_memmap = present("firmware-memmap.txt");
    files.cmdline = present("cmdline.txt");
    files.srat = present("srat-b64.txt");
    files.dtb = present("machine.dtb");
    files.iomem = present("iomem.txt");
    files.kernel_release = present("kernel-release.txt");
    files.block_size = present("block-size.txt");
    files.memblock_reserved = present("memblock-reserved.txt");
    if (!any)
        return InputError{SourceLocation{dir},
                          "expected a boot's state in this directory (dmesg.txt, cmdline.txt, iomem.txt, firmware-memmap.txt, machine.dtb, ...), found none of its files",
                          "write one with `bootmap capture DIR` on the machine"};
    return files;
}

}  // namespace bootmap
