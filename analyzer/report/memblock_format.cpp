#include "report/memblock_format.hpp"

#include <fmt/format.h>

namespace bootmap {
namespace {

std::string flag_names(std::uint32_t flags) {
    static constexpr const char* kNames[] = {"HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT"};
    if (flags == 0) return "NONE";
    std::string out;
    for (unsigned bit = 0; flags; ++bit, flags >>= 1) {
        if (!(flags & 1)) continue;
        if (!out.empty()) out += '|';
        out += bit < std::size(kNames) ? kNames[bit] : "UNKNOWN";
    }
    return out;
}

}  // namespace

std::string format_memblock_debugfs(const MemblockType& type, const KernelProfile& profile, const MemblockType* nodes_of) {
    const bool with_node_and_flags = profile.has(Gate::memblock_debugfs_node_flags);
    std::string out;
    if (type.regions.empty()) return "   0: 0x0000000000000000..0xffffffffffffffff\n";  // the zero dummy entry: end = 0 - 1
    for (std::size_t i = 0; i < type.regions.size(); ++i) {
        const auto& r = type.regions[i];
        fmt::format_to(std::back_inserter(out), "{:4}: {:#018x}..{:#018x}", i, r.base, r.end() - 1);
        if (!with_node_and_flags) {
            out += '\n';
            continue;
        }
        int nid = r.nid;
        if (nodes_of && (nid < 0 || nid >= max_numnodes(profile)))
            for (const auto& m : nodes_of->regions)
                if (m.base <= r.base && r.base < m.end()) nid = m.nid;
        const bool valid = nid >= 0 && nid < max_numnodes(profile);
        out += valid ? fmt::format(" {:4} ", nid) : fmt::format(" {:>4} ", 'x');
        out += flag_names(r.flags) + "\n";
    }
    return out;
}

}  // namespace bootmap
