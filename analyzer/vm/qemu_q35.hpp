#pragma once
// What QEMU's q35 machine (7.2, with its SeaBIOS) hands the guest kernel for a VM definition: the
// firmware e820 map, the ACPI SRAT, and where memory devices (DIMMs, NVDIMMs) sit in the
// hot-pluggable device-memory area. Checked against oracle boots of the same machines
// (fixtures/kernel/x86-*: 1G to 6G, NUMA with CPUs, memory-less nodes, hotplug slots, an NVDIMM).

#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/input_error.hpp"
#include "model/e820.hpp"
#include "model/srat.hpp"
#include "model/vm_definition.hpp"

namespace bootmap {

struct PlacedMemoryDevice {
    std::size_t index = 0;  // into VmDefinition::memory_devices
    AddrRange range;        // the whole backend in guest-physical space
    // NVDIMM: the persistent-memory range the NFIT describes (the backend less its label area,
    // which QEMU keeps at the end); empty for other devices.
    std::optional<AddrRange> pmem;
    std::uint32_t node = 0;
};

struct QemuLayout {
    E820Table e820;
    std::optional<SratTable> srat;             // QEMU builds one with NUMA cells or hotplug slots
    std::optional<AddrRange> device_memory;     // the hot-pluggable area (maxMemory with slots)
    std::vector<PlacedMemoryDevice> devices;
    std::vector<std::string> assumptions;       // what the layout took for granted
};

// Refuses (naming the element) what QEMU would refuse or what is not the q35 machine.
Result<QemuLayout> qemu_q35_layout(const VmDefinition& vm);

}  // namespace bootmap
