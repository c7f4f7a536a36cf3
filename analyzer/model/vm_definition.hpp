#pragma once
// A virtual machine as its definition describes it (a libvirt domain XML): RAM, NUMA cells, memory
// devices, vCPU topology and the kernel command line, each with where it was written. What QEMU
// makes of it (the e820 map, the SRAT, device addresses) is vm/qemu_q35.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/source_location.hpp"

namespace bootmap {

struct VmNumaCell {
    std::uint32_t id = 0;
    std::uint64_t memory = 0;         // bytes
    std::vector<std::uint32_t> cpus;  // vCPU indices
    SourceLocation where;
};

enum class VmMemoryModel { dimm, nvdimm, virtio_pmem, virtio_mem, other };

struct VmMemoryDevice {
    VmMemoryModel model = VmMemoryModel::dimm;
    std::string model_name;               // as written ("nvdimm")
    std::uint64_t size = 0;               // <target><size>: the whole backend, label included
    std::uint64_t label_size = 0;         // nvdimm <target><label><size>
    std::optional<std::uint32_t> node;    // <target><node>
    std::uint64_t align = 0;              // <source><alignsize>; 0: not given
    std::string alias;                    // <alias name=...>, or "memoryN" by position
    SourceLocation where;
};

struct VmTopology {
    std::uint32_t sockets = 0;  // 0: not given (QEMU then puts every vCPU in its own socket)
    std::uint32_t dies = 1;
    std::uint32_t cores = 1;
    std::uint32_t threads = 1;
};

struct VmDefinition {
    std::string source;
    std::string name;
    std::string arch;     // <os><type arch=...>, e.g. "x86_64"
    std::string machine;  // <os><type machine=...>, e.g. "pc-q35-7.2"
    SourceLocation machine_where;
    std::uint64_t memory = 0;                // <memory>, bytes (0: absent)
    std::optional<std::uint64_t> max_memory;  // <maxMemory>
    std::uint32_t slots = 0;                  // <maxMemory slots=...>
    SourceLocation memory_where;
    std::uint32_t vcpus = 1;
    VmTopology topology;
    std::string cpu_mode;    // <cpu mode=...>
    std::string cpu_model;   // <cpu><model>
    std::string cpu_vendor;  // <cpu><vendor>
    std::vector<VmNumaCell> cells;
    std::vector<VmMemoryDevice> memory_devices;
    std::optional<std::string> cmdline;  // <os><cmdline>, entities decoded
    SourceLocation cmdline_where;        // the first character of the command line's text
    bool cmdline_verbatim = false;       // the text has no entity: its characters are the file's, one for one

    // The boot RAM: the NUMA cells' sum when there are cells, else <memory> less the memory devices.
    [[nodiscard]] std::uint64_t boot_ram() const {
        if (!cells.empty()) {
            std::uint64_t sum = 0;
            for (const auto& c : cells) sum += c.memory;
            return sum;
        }
        std::uint64_t devices = 0;
        for (const auto& d : memory_devices) devices += d.size;
        return memory > devices ? memory - devices : 0;
    }
};

}  // namespace bootmap
