#pragma once
// The kernel's iomem resource tree rules (kernel/resource.c): which resources are busy, and where a
// memory hot-add's request for a new "System RAM" resource would land or what it would collide with.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/address.hpp"
#include "model/kernel_profile.hpp"
#include "model/iomem.hpp"

namespace bootmap {

// Whether a resource has IORESOURCE_BUSY set. A dump shows only names, so this is inferred from the
// name and position; names of arbitrary device drivers stay `unknown`.
enum class Busy { yes, no, unknown };

Busy resource_busy(const IomemTree& tree, std::size_t index);

// True for "System RAM" and its driver-managed variants ("System RAM (kmem)", "(driver managed)").
bool is_system_ram_name(std::string_view name);

struct HotplugRequestOutcome {
    bool placed = false;
    std::optional<std::size_t> parent;    // where it lands; nullopt = top level
    std::optional<std::size_t> conflict;  // the resource it collides with when not placed
    Busy conflict_busy = Busy::unknown;
};

// Replays mm/memory_hotplug.c register_memory_resource() for `range` on `tree` as if the subtree at
// `ignore` (the resource being judged) were not there: since 5.1 through __request_region(), which
// descends into overlapping resources that are not busy; before, request_resource() at top level only.
HotplugRequestOutcome simulate_hotplug_request(const IomemTree& tree, AddrRange range, const KernelProfile& profile,
                                               std::optional<std::size_t> ignore);

}  // namespace bootmap
