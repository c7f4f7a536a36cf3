#pragma once
// Device memory in a resource tree, and what becomes of it: pmem, soft-reserved (EFI specific
// purpose) and CXL memory that a driver maps with memremap_pages() gets struct pages in ZONE_DEVICE
// (never given to the page allocator, never counted in MemTotal, never moving max_pfn); what DAX
// kmem onlines instead becomes ordinary memory blocks. Seed 003, and part B section 5 of the spec.

#include <string>
#include <vector>

#include "core/address.hpp"
#include "model/iomem.hpp"

namespace bootmap {

struct DeviceMemoryRange {
    std::string name;       // the outermost device-memory resource ("Persistent Memory", "dax0.0", ...)
    std::uint32_t line = 0;  // of that resource in the dump
    AddrRange range;
    ByteSize onlined;       // System RAM (kmem) below it: ordinary memory blocks
    ByteSize device;        // the rest: ZONE_DEVICE once a driver maps it
    std::string owner;      // what claims the rest: "device-dax", "pmem namespace", "hmem", "no driver"
};

std::vector<DeviceMemoryRange> device_memory(const IomemTree& tree);

}  // namespace bootmap
