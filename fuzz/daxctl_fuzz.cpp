// libFuzzer target: the daxctl listing reader and the kmem audit of what it accepts.

#include <cstdint>
#include <string_view>

#include "analysis/kmem_audit.hpp"
#include "readers/daxctl_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto listing = bootmap::read_daxctl_list("fuzz.json", text);
    if (!listing) return 0;
    auto audits = bootmap::audit_kmem_listing(listing.value(), bootmap::KmemGeometry{128ull << 20}, bootmap::BlockSizeBasis::assumed);
    (void)bootmap::check_kmem(audits, bootmap::KmemAuditOptions{});
    return 0;
}
