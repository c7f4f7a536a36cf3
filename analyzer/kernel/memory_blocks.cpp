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
                                       const std::vector<AddrRange>& hotplugged, bool online_hotplugged) {
    std::map<std::uint64_t, MemoryBlock> blocks;
    const std::uint64_t sections_per_block = block_size / section_size;
    // A block exists when any of its sections has memory at boot; sections are present per page of
    // memblock.memory.
    for (const auto& r : boot.regions) {
        if (r.size == 0) continue;
        for (std::uint64_t id = r.base / block_size; id <= (r.base + r.size - 1) / block_size; ++id)
            blocks.emplace(id, MemoryBlock{id, id * sections_per_block, true, false});
    }
    for (const auto& range : hotplugged) {
        if (range.size().bytes() == 0) continue;
        for (std::uint64_t id = range.begin().value() / block_size; id <= (range.end().value() - 1) / block_size; ++id)
            blocks.emplace(id, MemoryBlock{id, id * sections_per_block, online_hotplugged, true});
    }
    std::vector<MemoryBlock> out;
    out.reserve(blocks.size());
    for (auto& [id, b] : blocks) out.push_back(b);
    return out;
}

}  // namespace bootmap
