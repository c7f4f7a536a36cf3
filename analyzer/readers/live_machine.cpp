#include "readers/live_machine.hpp"

#include <memory>

#include "readers/cmdline_reader.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "readers/text_file.hpp"

namespace bootmap {

Result<Machine> read_live_machine(const LivePaths& paths, KernelProfile profile) {
    Machine machine;
    machine.profile = profile;
    auto iomem_file = load_text_file(paths.iomem);
    if (!iomem_file) return iomem_file.error();
    if (iomem_file.value().contents.empty())
        return InputError{SourceLocation{paths.iomem}, "is empty: this kernel exposes no resource tree here (a container or sandbox hides it)",
                          "run bootmap on the host itself, or pass a dump saved there with --iomem FILE"};
    auto tree = read_iomem(iomem_file.value().name, iomem_file.value().contents);
    if (!tree) return tree.error();
    machine.iomem = std::make_shared<const IomemTree>(std::move(tree).value());

    if (auto cmdline_file = load_text_file(paths.cmdline)) {
        if (auto cmdline = read_cmdline(cmdline_file.value().name, cmdline_file.value().contents)) machine.cmdline = std::move(cmdline).value();
    }
    if (auto fdt_file = load_binary_file(paths.fdt)) {
        if (auto blob = read_dtb(fdt_file.value().name, fdt_file.value().contents)) {
            machine.device_tree = std::make_shared<const DeviceTree>(std::move(blob).value());
            // Only device-tree architectures expose the blob.
            if (machine.profile.arch == Arch::x86_64) machine.profile.arch = Arch::arm64;
        }
    }
    return machine;
}

}  // namespace bootmap
