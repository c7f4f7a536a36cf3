// libFuzzer target: the libvirt domain reader, QEMU q35's layout for what it accepts, and the whole
// x86 analysis (boot replay with the SRAT, NVDIMMs through devdax and kmem, the memory map) on it.

#include <cstdint>
#include <string_view>

#include "analysis/memory_map.hpp"
#include "analysis/pipeline.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/libvirt_reader.hpp"
#include "report/memory_map_svg.hpp"
#include "vm/qemu_q35.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    auto vm = bootmap::read_libvirt_domain("fuzz.xml", xml);
    if (!vm) return 0;
    auto layout = bootmap::qemu_q35_layout(vm.value());
    if (!layout) return 0;
    bootmap::Machine machine;
    machine.firmware_e820 = layout.value().e820;
    machine.srat = layout.value().srat;
    for (const auto& placed : layout.value().devices)
        if (placed.pmem) machine.pmem.push_back({"nv", *placed.pmem, placed.node, {}});
    if (vm.value().cmdline)
        if (auto c = bootmap::read_cmdline("fuzz.xml", *vm.value().cmdline)) machine.cmdline = std::move(c).value();
    const auto report = bootmap::analyze_machine(std::move(machine));
    (void)bootmap::render_map_svg(bootmap::build_memory_map(report), bootmap::MapScale::log);
    return 0;
}
