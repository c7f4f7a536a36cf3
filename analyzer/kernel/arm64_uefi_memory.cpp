#include "kernel/arm64_uefi_memory.hpp"

#include "kernel/arm64_boot.hpp"

namespace bootmap {
namespace {

// `piece` leaves the NOMAP range that contains it: it was the tree's, not the firmware's.
std::vector<FirmwareMemoryRange> without_nomap(const std::vector<FirmwareMemoryRange>& memory, AddrRange piece) {
    std::vector<FirmwareMemoryRange> out;
    for (const auto& r : memory) {
        if (!r.nomap || !r.range.contains(piece)) {
            out.push_back(r);
            continue;
        }
        if (r.range.begin() < piece.begin()) out.push_back({*AddrRange::from_bounds(r.range.begin(), piece.begin()), true});
        out.push_back({piece, false});
        if (piece.end() < r.range.end()) out.push_back({*AddrRange::from_bounds(piece.end(), r.range.end()), true});
    }
    return out;
}

}  // namespace

std::vector<FirmwareMemoryRange> uefi_firmware_memory(std::vector<FirmwareMemoryRange> memory, const std::shared_ptr<const DeviceTree>& tree,
                                                      const KernelCommandLine* cmdline, const KernelProfile& profile, BootPlacement placement) {
    if (!tree) return memory;
    placement.firmware_memory = memory;
    const auto boot = replay_arm64_boot(tree, cmdline, profile, placement);
    // Static no-map regions: where their reg says.
    for (const auto& region : boot.rmem.regions) {
        if (region.dynamic || !region.no_map) continue;
        for (const auto& e : region.entries)
            if (const auto r = AddrRange::from_size(PhysAddr{e.base}, ByteSize{e.size})) memory = without_nomap(memory, *r);
    }
    // Dynamic ones: a hypothesis per NOMAP range, top-down as memblock allocates, kept when the
    // replay places the region exactly on it.
    for (std::size_t i = 0; i < boot.rmem.regions.size(); ++i) {
        const auto& region = boot.rmem.regions[i];
        if (!region.dynamic || !region.no_map || region.requested_size == 0) continue;
        bool found = false;
        for (auto it = memory.rbegin(); it != memory.rend() && !found; ++it) {
            if (!it->nomap || it->range.size().bytes() <= region.requested_size) continue;
            for (const bool at_bottom : {true, false}) {
                const PhysAddr start = at_bottom ? it->range.begin() : PhysAddr{it->range.end().value() - region.requested_size};
                const auto piece = AddrRange::from_size(start, ByteSize{region.requested_size});
                if (!piece) continue;
                auto candidate = without_nomap(memory, *piece);
                placement.firmware_memory = candidate;
                const auto trial = replay_arm64_boot(tree, cmdline, profile, placement);
                if (i < trial.rmem.regions.size() && trial.rmem.regions[i].placed && trial.rmem.regions[i].base == start.value()) {
                    memory = std::move(candidate);
                    found = true;
                    break;
                }
            }
        }
    }
    return memory;
}

}  // namespace bootmap
