#include "analysis/check_coverage.hpp"

#include <set>

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "grammars/kernel_cmdline.hpp"

namespace bootmap {
namespace {

// Parameters whose effect depends on where the machine's memory is: the kernel places, reserves or
// removes memory by them.
constexpr std::array<std::string_view, 12> kPlacingParameters{"crashkernel", "cma",         "memmap",      "mem",
                                                              "kernelcore",  "movablecore", "hugepages",   "hugetlb_cma",
                                                              "dmem",        "efi_fake_mem", "numa",       "swiotlb"};

bool memory_is_known(const Machine& m) {
    return m.iomem || m.firmware_e820 || m.device_tree || !m.placement.firmware_memory.empty() || (m.boot_log && m.boot_log->efi_firmware);
}

}  // namespace

std::vector<std::string> unchecked_for_lack_of_inputs(const Machine& machine) {
    std::vector<std::string> out = machine.not_checked;
    if (memory_is_known(machine)) return out;
    // The kernel sets aside SRAT blocks without RAM before it looks for overlaps and gaps.
    if (machine.srat)
        out.push_back(fmt::format("NUMA ({} memory affinity entries of {}): not replayed, the machine's RAM is not known (give the whole boot log, "
                                  "--e820 or --boot)",
                                  machine.srat->memory.size(), machine.srat->source));
    std::vector<const KernelCommandLine*> lines;
    if (machine.cmdline) lines.push_back(&*machine.cmdline);
    for (const auto& other : machine.other_cmdlines) lines.push_back(&other);
    std::string names;
    std::set<std::string> seen;  // each placing parameter once, however often the lines repeat it
    for (const auto* line : lines)
        for (const auto& p : line->params)
            for (const auto placing : kPlacingParameters)
                if (p.value && grammars::param_name_equals(p.name, placing)) {
                    std::string given = fmt::format("{}={}", p.name, *p.value);
                    if (seen.insert(given).second) names += (names.empty() ? "" : ", ") + given;
                }
    if (!names.empty())
        out.push_back(fmt::format("{}: not checked against the machine's memory, which no input describes (give --dmesg, --e820, --iomem, "
                                  "--boot or a device tree)",
                                  names));
    return out;
}

}  // namespace bootmap
