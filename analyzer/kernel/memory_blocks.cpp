#include "kernel/memory_blocks.hpp"

#include <algorithm>
#include <map>

namespace bootmap {

bool hotplug_onlines(const std::vector<grammars::CmdlineParam>& params, bool build_default_online) {
    bool online = build_default_online;
    // The last one counts; "online", "online_kernel" and "online_movable" all online the blocks.
    for (const auto& p : params)
        if (grammars::param_name_equals(p.name, "memhp_default_state") && p.value) {
            if (*p.value == "offline") online = false;
            else if (*p.value == "online" || *p.value == "online_kernel" || *p.value == "online_movable") online = true;
        }
    return online;
}

std::vector<MemoryBlock> memory_blocks(const MemblockType& boot, std::uint64_t block_size, std::uint64_t section_size,
                                       const std::vector<AddrRange>& hotplugged, bool online_hotplugged, std::uint64_t physmem_end) {
    std::map<std::uint64_t, MemoryBlock> blocks;
    const std::uint64_t sections_per_block = block_size / section_size;
    // A block exists when any of its sections has memory at boot; sections are present per page of
    // memblock.memory.
    for (const auto& r : boot.regions) {
        // Sections exist only below the end of physical memory (mminit_validate_memmodel_limits()).
        if (r.size == 0 || r.base >= physmem_end) continue;
        const std::uint64_t last = std::min(r.base + r.size, physmem_end) - 1;
        for (std::uint64_t id = r.base / block_size; id <= last / block_size; ++id)
            blocks.emplace(id, MemoryBlock{id, id * sections_per_block, true, false});
    }
    for (const auto& range : hotplugged) {
        if (range.size().bytes() == 0 || range.end().value() > physmem_end) continue;  // refused by mhp_range_allowed()
        for (std::uint64_t id = range.begin().value() / block_size; id <= (range.end().value() - 1) / block_size; ++id)
            blocks.emplace(id, MemoryBlock{id, id * sections_per_block, online_hotplugged, true});
    }
    std::vector<MemoryBlock> out;
    out.reserve(blocks.size());
    for (auto& [id, b] : blocks) out.push_back(b);
    return out;
}

}  // namespace bootmap
