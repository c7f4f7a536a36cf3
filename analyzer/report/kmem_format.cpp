#include "report/kmem_format.hpp"

#include "report/json_range.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/human_size.hpp"

namespace bootmap {

std::string format_kmem_table(const std::vector<KmemDeviceAudit>& audits) {
    std::string out;
    if (audits.empty()) return out;
    fmt::format_to(std::back_inserter(out), "\nDAX kmem (memory block size {}, {}):\n", human_size(ByteSize{audits.front().block_size}),
                   block_size_basis_text(audits.front().basis));
    std::size_t width = 10;
    for (const auto& a : audits) width = std::max(width, a.name.size());
    fmt::format_to(std::back_inserter(out), "  {:<{}} {:<36} {:>11} {:>11} {:>11} {:>11}  {}\n", "device", width, "range", "as RAM", "stranded",
                   "(relaxed)", "onlined", "suggestion");
    for (const auto& a : audits) {
        fmt::format_to(std::back_inserter(out), "  {:<{}} {:<36} {:>11} {:>11} {:>11} {:>11}  {}\n", a.name, width, mem_range(a.range),
                       human_size(a.usable()), human_size(a.stranded()), human_size(a.relaxed.stranded()),
                       a.onlined.empty() ? std::string("-") : human_size(a.onlined_bytes), a.suggestion);
    }
    return out;
}

nlohmann::json kmem_device_json(const KmemDeviceAudit& a) {
    nlohmann::json j = range_json(a.range);
    j.update({{"name", a.name},
                     {"block_size", a.block_size},
                     {"block_size_assumed", a.block_size_assumed()},
                     {"block_size_basis", std::string(block_size_basis_text(a.basis))},
                     {"end_known", a.end_known},
                     {"stranded_head", a.plan.stranded_head.bytes()},
                     {"stranded_tail", a.plan.stranded_tail.bytes()},
                     {"stranded_bytes", a.stranded().bytes()},
                     {"relaxed_stranded_bytes", a.relaxed.stranded().bytes()},
                     {"zone", a.zone},
                     {"add_failed", a.add_failed},
                     {"suggestion", a.suggestion}});
    j["hotplug"] = a.plan.hotplug ? range_json(*a.plan.hotplug) : nlohmann::json(nullptr);
    nlohmann::json onlined = nlohmann::json::array();
    for (const auto& r : a.onlined) onlined.push_back(range_json(r));
    j["onlined"] = std::move(onlined);
    j["kernel_lines"] = a.kernel_lines;
    nlohmann::json alternatives = nlohmann::json::array();
    for (const auto& alt : a.alternatives)
        alternatives.push_back({{"change", alt.change},
                                {"usable_bytes", alt.usable.bytes()},
                                {"stranded_bytes", alt.stranded.bytes()},
                                {"page_map_in_ram_bytes", alt.page_map_in_ram.bytes()},
                                {"namespace", range_json(alt.namespace_range)},
                                {"map", alt.options.map == DevdaxMap::mem ? "mem" : "dev"},
                                {"align", alt.options.align}});
    j["alternatives"] = std::move(alternatives);
    if (a.namespace_range) j["namespace"] = range_json(*a.namespace_range);
    return j;
}

}  // namespace bootmap
