#include "vm/qemu_q35.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <map>

#include <fmt/format.h>

#include "util/human_size.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20, kGiB = 1ull << 30;
constexpr std::uint64_t k4G = 4 * kGiB;
// q35 keeps RAM below the PCI hole: all of it when it is less than 2.75 GiB, else 2 GiB.
constexpr std::uint64_t kQ35SmallLowmem = 0xb0000000, kQ35Lowmem = 0x80000000;
constexpr std::uint64_t kHole640kStart = 0xa0000, kHole640kEnd = 0x100000;
constexpr std::uint64_t kEbda = 0x9fc00;
// AMD's HyperTransport window below 1 TiB, which QEMU reserves for AMD guest CPUs (7.1 and later).
constexpr std::uint64_t kAmdHtStart = 0xfd00000000, kAmdHtEnd = 0x10000000000;
// SRAT memory affinity flags.
constexpr std::uint32_t kEnabled = 1, kHotplug = 2, kNonVolatile = 4;

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }

E820Entry entry(std::uint64_t start, std::uint64_t end, std::uint32_t type, const SourceLocation& where = {}) {
    return E820Entry{PhysAddr{start}, ByteSize{end - start}, type, where};
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return s.starts_with(p); });
}

// Whether the guest CPU is AMD's, as far as the definition says; nullopt when it is the host's.
std::optional<bool> amd_guest(const VmDefinition& vm) {
    if (vm.cpu_vendor == "AMD") return true;
    if (vm.cpu_vendor == "Intel") return false;
    if (vm.cpu_mode == "host-passthrough" || vm.cpu_mode == "host-model" || vm.cpu_mode == "maximum") return std::nullopt;
    if (vm.cpu_model.empty()) return true;  // QEMU's default model, qemu64, says AuthenticAMD
    if (starts_with_any(vm.cpu_model, {"EPYC", "Opteron", "phenom", "athlon", "qemu64", "qemu32", "Dhyana"})) return true;
    return false;  // the named x86 models are Intel's (Skylake, Icelake, Haswell, kvm64, ...)
}

// The APIC ID QEMU gives vCPU `index`: thread, core, die and socket numbers packed into fields
// wide enough for each count.
std::uint32_t apic_id(const VmDefinition& vm, std::uint32_t index) {
    const VmTopology& t = vm.topology;
    const auto bits = [](std::uint32_t n) { return n <= 1 ? 0u : static_cast<std::uint32_t>(std::bit_width(n - 1)); };
    const std::uint32_t thread_bits = bits(t.threads), core_bits = bits(t.cores), die_bits = bits(t.dies);
    const std::uint32_t thread = index % t.threads;
    const std::uint32_t core = (index / t.threads) % t.cores;
    const std::uint32_t die = (index / (t.threads * t.cores)) % t.dies;
    const std::uint32_t socket = index / (t.threads * t.cores * t.dies);
    return (socket << (die_bits + core_bits + thread_bits)) | (die << (core_bits + thread_bits)) | (core << thread_bits) | thread;
}

class Builder {
public:
    explicit Builder(const VmDefinition& vm) : vm_(vm) {}

    Result<QemuLayout> build() {
        if (!vm_.arch.empty() && vm_.arch != "x86_64")
            return refuse(vm_.machine_where, fmt::format("this version models QEMU's q35 machine for x86_64 guests; found arch '{}'", vm_.arch));
        if (vm_.machine.find("q35") == std::string::npos)
            return refuse(vm_.machine_where, fmt::format("this version models QEMU's q35 machine; found machine '{}'", vm_.machine.empty() ? "(none)" : vm_.machine),
                          "give the guest's boot log (--dmesg) for other machine types");
        ram_ = vm_.boot_ram();
        if (ram_ < 16 * kMiB)
            return refuse(vm_.memory_where, fmt::format("expected the guest's memory (<memory> or NUMA cells) of at least 16 MiB, found {}", human_size(ByteSize{ram_})));
        if (ram_ % 4096 != 0) return refuse(vm_.memory_where, fmt::format("expected a memory size in whole 4 KiB pages, found {} bytes", ram_));
        if (!vm_.cells.empty()) {
            std::uint64_t devices = 0;
            for (const auto& d : vm_.memory_devices) devices += d.size;
            if (vm_.memory && vm_.memory != ram_ + devices)
                out_.assumptions.push_back(fmt::format("boot memory is the NUMA cells' sum, {} (<memory> says {})", human_size(ByteSize{ram_}),
                                                       human_size(ByteSize{vm_.memory})));
            for (std::size_t i = 0; i < vm_.cells.size(); ++i)
                if (vm_.cells[i].id != i)
                    return refuse(vm_.cells[i].where, fmt::format("expected NUMA cell ids 0, 1, 2, ... in order; cell {} has id {}", i, vm_.cells[i].id));
        }
        low_ = std::min(ram_, ram_ >= kQ35SmallLowmem ? kQ35Lowmem : kQ35SmallLowmem);
        high_ = ram_ - low_;
        high_start_ = k4G;
        const bool nvdimm = std::any_of(vm_.memory_devices.begin(), vm_.memory_devices.end(),
                                        [](const VmMemoryDevice& d) { return d.model == VmMemoryModel::nvdimm; });
        if (auto r = place_devices(); r) return *r;
        firmware_map(nvdimm);
        if (!vm_.cells.empty() || vm_.slots > 0) build_srat();
        return std::move(out_);
    }

private:
    const VmDefinition& vm_;
    QemuLayout out_;
    std::uint64_t ram_ = 0, low_ = 0, high_ = 0, high_start_ = k4G;

    static InputError refuse(const SourceLocation& where, std::string message, std::string hint = {}) {
        return InputError{where, std::move(message), std::move(hint)};
    }

    // The hot-pluggable area follows the RAM above 4 GiB at the next GiB, sized for maxMemory plus
    // 1 GiB of alignment slack per slot; devices go in it first-fit, in definition order.
    std::optional<InputError> place_devices() {
        const auto* located = vm_.memory_devices.empty() ? nullptr : &vm_.memory_devices.front();
        if (!vm_.max_memory || vm_.slots == 0) {
            if (located) return refuse(located->where, "memory devices need <maxMemory slots='N'> (the hot-pluggable area they live in)");
            return std::nullopt;
        }
        if (*vm_.max_memory < std::max(ram_, vm_.memory))
            return refuse(vm_.memory_where, fmt::format("<maxMemory> ({}) is below <memory> ({})", human_size(ByteSize{*vm_.max_memory}),
                                                        human_size(ByteSize{std::max(ram_, vm_.memory)})));
        if (vm_.memory_devices.size() > vm_.slots)
            return refuse(vm_.memory_devices[vm_.slots].where, fmt::format("{} memory devices for {} slots", vm_.memory_devices.size(), vm_.slots));
        std::uint64_t base = align_up(high_start_ + high_, kGiB);
        const std::uint64_t size = *vm_.max_memory - ram_ + vm_.slots * kGiB;
        // With an AMD CPU, QEMU moves the RAM above 4 GiB to 1 TiB when the HyperTransport window would cut it.
        if (amd_guest(vm_).value_or(true) && base + size > kAmdHtStart) {
            high_start_ = kAmdHtEnd;
            base = align_up(high_start_ + high_, kGiB);
            out_.assumptions.push_back("RAM above 4 GiB starts at 1 TiB: QEMU moves it past AMD's HyperTransport window");
        }
        out_.device_memory = AddrRange::from_size(PhysAddr{base}, ByteSize{size});
        std::uint64_t cursor = base;
        bool assumed_align = false;
        for (std::size_t i = 0; i < vm_.memory_devices.size(); ++i) {
            const VmMemoryDevice& d = vm_.memory_devices[i];
            if (d.model != VmMemoryModel::dimm && d.model != VmMemoryModel::nvdimm)
                return refuse(d.where, fmt::format("memory device model '{}' is not modelled (dimm and nvdimm are)", d.model_name));
            if (d.size == 0 || d.size % (2 * kMiB) != 0)
                return refuse(d.where, fmt::format("expected a memory device size in whole 2 MiB, found {} bytes", d.size));
            const std::uint64_t align = d.align ? d.align : 2 * kMiB;
            assumed_align = assumed_align || !d.align;
            cursor = align_up(cursor, align);
            if (cursor + d.size > base + size)
                return refuse(d.where, fmt::format("'{}' ({}) does not fit in the hot-pluggable area [{:#x}-{:#x}] left by <maxMemory>", d.alias,
                                                   human_size(ByteSize{d.size}), base, base + size - 1));
            PlacedMemoryDevice placed;
            placed.index = i;
            placed.range = *AddrRange::from_size(PhysAddr{cursor}, ByteSize{d.size});
            if (d.model == VmMemoryModel::nvdimm) placed.pmem = AddrRange::from_size(PhysAddr{cursor}, ByteSize{d.size - d.label_size});
            placed.node = d.node.value_or(0);
            out_.devices.push_back(placed);
            cursor += d.size;
        }
        if (assumed_align) out_.assumptions.push_back("memory devices without <alignsize> are placed on 2 MiB boundaries");
        return std::nullopt;
    }

    void firmware_map(bool nvdimm) {
        auto& e = out_.e820.entries;
        out_.e820.source = vm_.source;
        // SeaBIOS keeps its tables at the top of low RAM: 132 KiB, 136 KiB with an NVDIMM's NFIT
        // (what QEMU 7.2's SeaBIOS reserved in every oracle boot).
        const std::uint64_t bios_tables = nvdimm ? 0x22000 : 0x21000;
        e.push_back(entry(0, kEbda, e820_type::ram, vm_.memory_where));
        e.push_back(entry(kEbda, kHole640kStart, e820_type::reserved));
        e.push_back(entry(0xf0000, kHole640kEnd, e820_type::reserved));
        e.push_back(entry(kHole640kEnd, low_ - bios_tables, e820_type::ram, vm_.memory_where));
        e.push_back(entry(low_ - bios_tables, low_, e820_type::reserved));
        e.push_back(entry(0xb0000000, 0xc0000000, e820_type::reserved));  // PCIe MMCONFIG
        e.push_back(entry(0xfed1c000, 0xfed20000, e820_type::reserved));  // ICH9 root complex registers
        e.push_back(entry(0xfffc0000, k4G, e820_type::reserved));         // the BIOS
        if (high_) e.push_back(entry(high_start_, high_start_ + high_, e820_type::ram, vm_.memory_where));
        const auto amd = amd_guest(vm_);
        if (!amd) out_.assumptions.push_back("the host CPU is AMD's, so QEMU reserves the HyperTransport window below 1 TiB (cpu mode '" + vm_.cpu_mode + "')");
        if (amd.value_or(true)) e.push_back(entry(kAmdHtStart, kAmdHtEnd, e820_type::reserved));
        std::stable_sort(e.begin(), e.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
    }

    // QEMU's SRAT: a processor entry per vCPU, then each node's share of RAM in order (RAM counted
    // from 0 with the 640 KiB hole cut out and what lies above low RAM moved to 4 GiB), the NVDIMMs
    // (non-volatile), padding, and the hot-pluggable area on the last node.
    void build_srat() {
        SratTable srat;
        srat.source = vm_.source + " (the SRAT QEMU builds)";
        srat.revision = 1;
        std::uint64_t offset = 48;  // ACPI header and SRAT reserved fields
        std::map<std::uint32_t, std::uint32_t> node_of_cpu;
        for (const auto& cell : vm_.cells)
            for (const auto cpu : cell.cpus) node_of_cpu.emplace(cpu, cell.id);
        for (std::uint32_t i = 0; i < vm_.vcpus; ++i) {
            SratCpu cpu;
            cpu.apic_id = apic_id(vm_, i);
            cpu.type = cpu.apic_id < 255 ? 0 : 2;
            const auto it = node_of_cpu.find(i);
            cpu.pxm = it == node_of_cpu.end() ? 0 : it->second;
            cpu.enabled = true;
            cpu.offset = offset;
            offset += cpu.type == 0 ? 16 : 24;
            srat.cpus.push_back(cpu);
        }
        const auto add_memory = [&](std::uint64_t base, std::uint64_t length, std::uint32_t node, std::uint32_t flags) {
            if (length == 0) return;
            srat.memory.push_back(SratMemory{node, base, length, flags, offset});
            offset += 40;
        };
        std::vector<std::pair<std::uint32_t, std::uint64_t>> nodes;
        if (vm_.cells.empty()) nodes.emplace_back(0, ram_);
        for (const auto& cell : vm_.cells) nodes.emplace_back(cell.id, cell.memory);
        std::uint64_t next = 0;  // in RAM order: [0, low_) then [low_, ram_) at 4 GiB
        for (const auto& share : nodes) {
            const std::uint32_t node = share.first;
            const std::uint64_t from = next, to = next + share.second;
            next = to;
            const auto piece = [&](std::uint64_t lo, std::uint64_t hi, std::uint64_t shift) {
                const std::uint64_t a = std::max(from, lo), b = std::min(to, hi);
                if (a < b) add_memory(a + shift, b - a, node, kEnabled);
            };
            piece(0, kHole640kStart, 0);
            piece(kHole640kEnd, low_, 0);
            piece(low_, ram_, high_start_ - low_);
        }
        for (const auto& placed : out_.devices)
            if (placed.pmem) add_memory(placed.pmem->begin().value(), placed.pmem->size().bytes(), placed.node, kEnabled | kNonVolatile);
        // QEMU fills up to two entries more than there are nodes with empty, disabled ones (the NVDIMMs'
        // count; every oracle SRAT agrees).
        while (srat.memory.size() < nodes.size() + 2) {
            srat.memory.push_back(SratMemory{0, 0, 0, 0, offset});
            offset += 40;
        }
        if (out_.device_memory)
            add_memory(out_.device_memory->begin().value(), out_.device_memory->size().bytes(), nodes.back().first, kEnabled | kHotplug);
        if (vm_.cells.empty()) out_.assumptions.push_back("QEMU makes NUMA node 0 itself for memory hotplug: the SRAT has one node");
        out_.srat = std::move(srat);
    }
};

}  // namespace

Result<QemuLayout> qemu_q35_layout(const VmDefinition& vm) { return Builder(vm).build(); }

}  // namespace bootmap
