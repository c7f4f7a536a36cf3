#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// What holds memory before the reserved-memory scan: the kernel image, the initrd, the tree itself.
// Empty when only a placement no input gave (the kernel image's default place) explains the refusal:
// the real loader may put the image elsewhere, so nothing is claimed.
std::string holder_of(const Arm64Boot& boot, std::uint64_t base, std::uint64_t size) {
    const auto meets = [&](const std::optional<std::pair<std::uint64_t, std::uint64_t>>& r) {
        return r && r->second && r->first < base + size && base < r->first + r->second;
    };
    if (meets(std::pair{boot.kernel_image.first, boot.kernel_image.second})) return boot.kernel_image_assumed ? "" : "the kernel image";
    if (meets(boot.fdt_blob)) return "the device tree blob";
    if (meets(boot.initrd)) return "the initrd";
    for (const auto& m : boot.fdt.memreserve)
        if (meets(std::pair{m.address, m.size})) return fmt::format("the /memreserve/ entry {}", span(m.address, m.size));
    return "memory reserved before it (another region)";
}

// early_init_dt_reserve_memory() refuses a no-map range that memory already reserved overlaps
// (-EBUSY): the kernel says "failed to reserve memory for node" and leaves the range neither
// reserved nor unmapped, so the page allocator hands it out while its owner still uses it.
void nomap_refused(const DtRuleContext& c, const ReservedRegion& r, Findings& out) {
    if (r.dynamic || !r.no_map || c.static_only) return;
    for (const auto& e : r.entries) {
        if (e.reserved || e.size == 0) continue;
        const std::string holder = holder_of(c.boot, e.base, e.size);
        if (holder.empty()) continue;
        out.push_back(make_finding(rules::dt_rmem_nomap_refused, where_of(r),
                                   fmt::format("no-map region '{}' {} meets {}: the kernel says 'Reserved memory: failed to reserve memory for "
                                               "node' and neither reserves nor unmaps it, so the page allocator hands out memory its owner "
                                               "still uses",
                                               r.name, span(e.base, e.size), holder),
                                   range_of(e.base, e.size)));
    }
}

}  // namespace

const DtRule& dt_rmem_nomap_refused_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_nomap_refused, Severity::error,
                                  "a no-map region over memory already reserved (kernel image, DTB, initrd): the kernel refuses it and the page "
                                  "allocator may use it"},
                                 .on_region = nomap_refused};
    return rule;
}

}  // namespace bootmap
