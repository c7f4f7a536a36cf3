#pragma once
// A planned device-DAX namespace: how the user asks ndctl to lay one over a pmem region. A fact of the
// machine to be (the --dax-kmem plan), which the kernel's kmem model then replays.

#include <cstdint>

namespace bootmap {

// Where the page map of a devdax namespace lives (ndctl --map): on the media or in RAM.
enum class DevdaxMap { dev, mem };

// How a pmem region is made a device-DAX namespace (ndctl create-namespace --mode=devdax --map=...
// --align=...): where the page map lives and the namespace's alignment.
struct DaxNamespaceOptions {
    DevdaxMap map = DevdaxMap::dev;
    std::uint64_t align = 2ull << 20;
};

}  // namespace bootmap
