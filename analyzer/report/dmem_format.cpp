#include "report/dmem_format.hpp"

#include "report/json_range.hpp"

#include <fmt/format.h>

#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::uint64_t carved_on(const DmemOutcome& d, int nid) { return d.carved.count(nid) ? d.carved.at(nid) : 0; }

}  // namespace

std::string format_dmem_table(const DmemOutcome& d) {
    std::string out = fmt::format("dmem: size {} align {}{}{}\n", human_size(ByteSize{d.param.size}), human_size(ByteSize{d.param.align}),
                                  d.param.resv_kernel ? ", '!' (SIZE is the kernel's share)" : "",
                                  d.param.base ? fmt::format(", window at {:#x}", d.param.base) : std::string());
    fmt::format_to(std::back_inserter(out), "  {:>4} {:>12} {:>12} {:>12} {:>12} {:>12}  {}\n", "node", "free", "requested", "carved", "shortfall",
                   "kernel keeps", "ranges");
    for (const auto& [nid, free] : d.free) {
        const std::uint64_t carved = carved_on(d, nid);
        std::string ranges;
        for (const auto& r : d.regions)
            if (r.nid == nid) ranges += fmt::format("{}[{:#x}-{:#x})", ranges.empty() ? "" : " ", r.start, r.end);
        fmt::format_to(std::back_inserter(out), "  {:>4} {:>12} {:>12} {:>12} {:>12} {:>12}  {}\n", nid, human_size(ByteSize{free}),
                       human_size(ByteSize{d.requested.count(nid) ? d.requested.at(nid) : 0}), human_size(ByteSize{carved}),
                       human_size(ByteSize{d.missing.count(nid) ? d.missing.at(nid) : 0}), human_size(ByteSize{free - carved}),
                       ranges.empty() ? "-" : ranges);
    }
    if (d.param.base) {
        for (const auto& r : d.regions) fmt::format_to(std::back_inserter(out), "  node {} [{:#x}-{:#x})\n", r.nid, r.start, r.end);
        if (d.missing_fixed) fmt::format_to(std::back_inserter(out), "  shortfall {}\n", human_size(ByteSize{d.missing_fixed}));
    }
    return out;
}

nlohmann::json dmem_json(const DmemOutcome& d) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& [nid, free] : d.free) {
        nlohmann::json ranges = nlohmann::json::array();
        for (const auto& r : d.regions)
            if (r.nid == nid) ranges.push_back(range_json_sized(r.start, r.end - r.start));
        const std::uint64_t carved = carved_on(d, nid);
        nodes.push_back({{"node", nid},
                         {"free", free},
                         {"requested", d.requested.count(nid) ? d.requested.at(nid) : 0},
                         {"carved", carved},
                         {"shortfall", d.missing.count(nid) ? d.missing.at(nid) : 0},
                         {"kernel_keeps", free - carved},
                         {"ranges", std::move(ranges)}});
    }
    nlohmann::json regions = nlohmann::json::array();
    for (const auto& r : d.regions) {
        auto j = range_json_sized(r.start, r.end - r.start);
        j["node"] = r.nid;
        regions.push_back(std::move(j));
    }
    return {{"size", d.param.size},       {"base", fmt::format("{:#x}", d.param.base)},       {"align", d.param.align},      {"resv_kernel", d.param.resv_kernel},
            {"nodes", std::move(nodes)},  {"regions", std::move(regions)}, {"window_shortfall", d.missing_fixed}, {"table_full", d.table_full},
            {"kernel_lines", d.log}};
}

}  // namespace bootmap
