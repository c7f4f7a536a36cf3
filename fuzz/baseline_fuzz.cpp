// libFuzzer target: the baseline reader (--baseline FILE) on any bytes, then the split of a fixed
// set of findings by what it accepted: every finding lands on exactly one side.

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "analysis/baseline.hpp"

namespace {

std::vector<bootmap::Diagnostic> findings() {
    std::vector<bootmap::Diagnostic> out;
    for (const char* rule : {"iomem-overlap", "dt-rmem-overlap", "cmdline-memmap-over-ram", "iomem-overlap"}) {
        bootmap::Diagnostic d;
        d.rule_id = rule;
        d.message = "a finding";
        d.where = bootmap::SourceLocation{"machine/iomem", 3, 1, std::nullopt};
        d.range = bootmap::AddrRange::from_bounds(bootmap::PhysAddr{0x1000}, bootmap::PhysAddr{0x1fff});
        out.push_back(d);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto baseline = bootmap::read_baseline("fuzz.json", text);
    if (!baseline) {
        // Every refusal names the file and says what was expected.
        if (baseline.error().where.file != "fuzz.json" || baseline.error().message.empty()) std::abort();
        return 0;
    }
    const auto all = findings();
    const auto split = bootmap::split_by_baseline(all, baseline.value());
    if (split.fresh.size() + split.baselined.size() != all.size()) std::abort();
    return 0;
}
