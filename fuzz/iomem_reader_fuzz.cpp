// libFuzzer target: the /proc/iomem reader, then everything that runs on what it accepts (checks,
// totals, and the printer, whose output must read back to the same tree).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "analysis/iomem_checks.hpp"
#include "analysis/iomem_totals.hpp"
#include "readers/iomem_reader.hpp"
#include "report/iomem_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto tree = bootmap::read_iomem("fuzz", text);
    if (!tree) return 0;
    (void)bootmap::check_iomem(tree.value(), bootmap::KernelProfile{});
    const auto totals = bootmap::iomem_totals(tree.value());
    std::uint64_t sum = 0;
    for (const auto& b : totals.bytes) sum += b.bytes();
    if (sum != totals.span.size().bytes()) std::abort();  // totals must reconcile on any accepted input
    const std::string printed = bootmap::format_iomem(tree.value());
    auto again = bootmap::read_iomem("fuzz", printed);
    if (!again || again.value().entries.size() != tree.value().entries.size()) std::abort();
    return 0;
}
