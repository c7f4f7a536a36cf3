#include "predict/artifact.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analysis/kmem_audit.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/arm64_resources.hpp"
#include "kernel/e820.hpp"
#include "kernel/kmem.hpp"
#include "kernel/memory_blocks.hpp"
#include "kernel/numa.hpp"
#include "kernel/zones.hpp"
#include "report/zones_format.hpp"
#include "kernel/x86_boot.hpp"
#include "kernel/x86_e820_setup.hpp"
#include "report/memblock_format.hpp"
#include "report/e820_format.hpp"
#include "report/iomem_format.hpp"

namespace bootmap {
namespace {

constexpr std::array<ArtifactInfo, 10> kArtifacts{{
    {Artifact::iomem, "iomem", "/proc/iomem (its RAM entries, from a firmware map or a device tree)", "--iomem, or --e820/--dmesg/--libvirt with --cmdline, or --dtb/--dts"},
    {Artifact::e820, "e820", "the 'user: [mem ...]' lines of the user-defined physical RAM map (empty without mem=/memmap=)", "--e820, --dmesg or --libvirt, and --cmdline"},
    {Artifact::numa, "numa", "the 'SRAT: PXM ...', 'ACPI: SRAT: Node ...' and 'NUMA: ...' lines (NODE_DATA lines left out)", "--srat with --e820 or --dmesg, or --libvirt (x86), or --dtb/--dts (arm64)"},
    {Artifact::zones, "zones", "the 'Zone ranges:' ... 'Initmem setup node' block", "--e820, --dmesg or --libvirt, optionally --srat (x86), or --dtb/--dts (arm64)"},
    {Artifact::memblock_memory, "memblock-memory", "/sys/kernel/debug/memblock/memory (x86: from the firmware map and command line)", "--e820, --dmesg or --libvirt (x86), or --dtb"},
    {Artifact::memblock_reserved, "memblock-reserved", "/sys/kernel/debug/memblock/reserved (the reservations the inputs decide)", "--dtb or --dts"},
    {Artifact::rmem, "rmem", "the reserved-memory log lines (OF: fdt:, OF: reserved mem:, Reserved memory:)", "--dtb or --dts"},
    {Artifact::dmem, "dmem", "the dmem log lines (with --kconfig DMEM=y: dmem was never merged)", "--cmdline with dmem=, --e820, --dmesg or --libvirt, and --srat for NUMA"},
    {Artifact::kmem, "kmem", "the kmem driver's lines for the dax devices (empty when every device has whole memory blocks)",
     "--iomem, or --e820/--dmesg/--libvirt with memmap=nn!ss and --dax-kmem"},
    {Artifact::memory_blocks, "memory-blocks",
     "the memory block devices as 'memoryN PHYS_INDEX STATE' lines (/sys/devices/system/memory), with --dax-kmem the hot-added ones",
     "--e820, --dmesg or --libvirt (x86), or --dtb/--dts (arm64)"},
}};

std::vector<grammars::CmdlineParam> params_of(const BootReplay& replay) {
    return replay.cmdline ? replay.cmdline->params : std::vector<grammars::CmdlineParam>{};
}

InputError invalid_map_error(const SourceLocation& where) {
    return InputError{where, "the kernel would not get this far: the user-defined e820 map is invalid and it panics with 'Invalid user supplied memory map'",
                      "run bootmap analyze on the same inputs to see which memmap= item causes it"};
}


// A device-tree machine (arm64): the artifacts its boot replay decides.
std::optional<Result<std::string>> predict_from_device_tree(const Machine& machine, const BootReplay& replay, Artifact artifact,
                                                           const SourceLocation& where) {
    const Arm64Boot& boot = *replay.arm64;
    // A tree without memory (a UEFI firmware's, or the stub's empty one of an ACPI boot) does not
    // decide any artifact: the kernel takes memory from the EFI map.
    if (boot.memblock.memory().regions.empty())
        return Result<std::string>{InputError{where,
                                              fmt::format("cannot predict {}: the device tree {} describes no memory", kArtifacts[static_cast<std::size_t>(artifact)].what,
                                                          machine.device_tree->source),
                                              boot.fdt.chosen.uefi ? "the firmware passed this tree through UEFI: give --boot DIR with a capture of the machine "
                                                                     "(bootmap capture), whose /proc/iomem holds the EFI memory map"
                                                                   : "add a /memory node, or give --boot DIR with a capture of the machine"}};
    std::string out;
    switch (artifact) {
        case Artifact::rmem:
            for (const auto& line : boot.rmem.log) out += line + "\n";
            return out;
        case Artifact::memblock_memory:
            return format_memblock_debugfs(boot.memblock.memory(), machine.profile);
        case Artifact::memblock_reserved:
            return format_memblock_debugfs(arm64_lasting_reservations(boot, machine.profile), machine.profile, &boot.memblock.memory());
        case Artifact::iomem:
            return format_iomem(arm64_configured_iomem(boot, machine.profile));
        case Artifact::numa:
            for (const auto& line : boot.numa_log) out += line + "\n";
            return out;
        case Artifact::zones:
            return format_zones(arm64_zone_layout(boot.memblock.memory(), boot.dma_phys_limit, replay.cmdline ? &*replay.cmdline : nullptr, machine.profile));
        case Artifact::memory_blocks: {
            // Every section with memory at boot has its block — no-map memory included, its sections
            // being present too.
            const std::uint64_t block = replay.memory_block_size.value_or(machine.profile.section_size());
            for (const auto& b : memory_blocks(boot.memblock.memory(), block, machine.profile.section_size(), {}, false, machine.profile.physmem_end()))
                out += fmt::format("memory{} {:08x} {}\n", b.id, b.phys_index, b.online ? "online" : "offline");
            return out;
        }
        default:
            return std::nullopt;
    }
}

// The resources the bindings add below their "Persistent Memory" entries. The hot-added RAM is
// named by add_memory_driver_managed() from 5.8; before, it was plain "System RAM".
std::vector<IomemChild> dax_kmem_resources(const std::vector<DaxKmemBinding>& bindings, const KernelProfile& profile) {
    const char* ram = profile.has(Gate::kmem_driver_managed_name) ? "System RAM (kmem)" : "System RAM";
    std::vector<IomemChild> out;
    for (const auto& b : bindings) {
        if (b.reserve && b.reserve->size().bytes()) out.push_back({b.reserve->begin().value(), b.reserve->last().value(), b.namespace_name, 1});
        if (b.hot_added()) {
            out.push_back({b.plan.hotplug->begin().value(), b.plan.hotplug->last().value(), b.dax_name, 1});
            out.push_back({b.plan.hotplug->begin().value(), b.plan.hotplug->last().value(), ram, 2});
        }
    }
    return out;
}

}  // namespace

std::span<const ArtifactInfo> artifact_catalogue() { return kArtifacts; }

std::optional<Artifact> parse_artifact(std::string_view name) {
    for (const auto& info : kArtifacts)
        if (info.name == name) return info.artifact;
    return std::nullopt;
}

std::vector<std::string> prediction_assumptions(const Machine& machine, const BootReplay& boot) {
    std::vector<std::string> out = machine.assumptions;
    std::vector<std::string> replay;
    if (boot.arm64 && !machine.iomem)
        replay = boot.arm64->assumptions;
    else if (boot.x86)
        replay = boot.x86->assumptions;
    // The EFI stub allocates setup_data around the kernel image: another kernel moves it (Debian's
    // 6.1 and 6.12 put it 3.4 MiB apart on the same machine).
    if (machine.boot_log && !machine.boot_log->setup_data.empty() && machine.boot_log->kernel_release)
        if (const auto logged = parse_kernel_version(*machine.boot_log->kernel_release); logged && *logged != machine.profile.version)
            out.push_back(fmt::format("setup_data at the place the {} boot's EFI stub chose; the stub of kernel {} may choose another",
                                      *machine.boot_log->kernel_release, format_kernel_version(machine.profile.version)));
    out.insert(out.end(), replay.begin(), replay.end());
    if (boot.x86 && !machine.iomem && !machine.booted_iomem)
        if (!e820_ram_buffers(boot.x86->e820.resource_map, {}).empty())
            out.push_back("the PCI windows are not known: the RAM buffers after RAM are placed as if none began inside them, and no "
                          "Reserved entry is expanded to a window it meets; a capture's /proc/iomem (--boot) gives them");
    return out;
}

Result<std::string> predict_artifact(const Machine& machine, Artifact artifact) { return predict_artifact(machine, replay_boot(machine), artifact); }

namespace {

InputError needs_error(const ArtifactInfo& info, const SourceLocation& where) {
    return InputError{where, fmt::format("cannot predict {}: it needs {}", info.what, info.needs), {}};
}

// From an iomem dump the prediction is the dump itself; from a firmware map it is the e820 part of
// the tree the kernel builds after the command line's edits, with what it nests below.
Result<std::string> predict_iomem(const Machine& machine, const BootReplay& replay, const ArtifactInfo& info, const SourceLocation& where) {
    if (machine.iomem) return format_iomem(*machine.iomem);
    if (!replay.x86) return needs_error(info, where);
    const X86Boot& boot = *replay.x86;
    std::vector<IomemChild> children = dax_kmem_resources(replay.dax_kmem, machine.profile);
    if (boot.crashkernel && boot.crashkernel->reserved) {
        const auto& ck = *boot.crashkernel;
        children.push_back({ck.base, ck.base + ck.size - 1, "Crash kernel"});
        if (ck.low) children.push_back({ck.low->first, ck.low->first + ck.low->second - 1, "Crash kernel"});
    }
    // The machine's PCI host windows (from a capture's /proc/iomem): a window below another is a
    // bridge's, already inside its parent's.
    std::vector<AddrRange> windows;
    if (machine.booted_iomem) {
        const auto& tree = *machine.booted_iomem;
        for (const auto& e : tree.entries)
            if (e.name.starts_with("PCI Bus") && !(e.parent && tree.entries[*e.parent].name.starts_with("PCI Bus")))
                if (auto r = e.range()) windows.push_back(*r);
    }
    const E820Table table = e820_expand_reserved_to_windows(boot.e820.resource_map, windows);
    // The RAM buffers go where no top-level resource is: the e820 entries, and the PCI windows and
    // other top-level entries the machine's current /proc/iomem shows when a capture gives it.
    std::vector<AddrRange> occupied = windows;
    for (const auto& e : table.entries)
        if (auto r = AddrRange::from_size(e.addr, e.size)) occupied.push_back(*r);
    if (machine.booted_iomem)
        for (const std::size_t root : machine.booted_iomem->roots)
            if (auto r = machine.booted_iomem->entries[root].range(); r && machine.booted_iomem->entries[root].name != "RAM buffer") occupied.push_back(*r);
    std::vector<IomemChild> buffers;
    for (const auto& b : e820_ram_buffers(boot.e820.resource_map, occupied)) buffers.push_back({b.begin().value(), b.last().value(), "RAM buffer", 0});
    return format_e820_iomem(table, children, buffers);
}

// Parsing comes first (each dmem= on the command line), placement later in setup_arch().
Result<std::string> predict_dmem(const Machine& machine, const KernelCommandLine& cmdline, const X86Boot& boot) {
    std::string out;
    for (const auto& p : cmdline.params) {
        if (!grammars::param_name_equals(p.name, "dmem")) continue;
        if (!p.value) {
            out += "Malformed early option 'dmem'\n";  // parse_dmem() refuses a missing value
            continue;
        }
        const auto d = grammars::parse_dmem(*p.value, machine.profile.section_size());
        for (const auto& line : d.verdict.messages) out += line + "\n";
        if (d.verdict.malformed_early) out += "Malformed early option 'dmem'\n";
    }
    for (const auto& line : boot.dmem->log) out += line + "\n";
    return out;
}

// The driver prints only when a range is too small or a device is rejected.
std::string predict_kmem_lines(const Machine& machine, const BootReplay& replay) {
    std::string out;
    if (!machine.iomem) {
        for (const auto& b : replay.dax_kmem)
            if (b.dax)
                for (const auto& line : kmem_binding_messages(b, machine.profile.physmem_end())) out += line + "\n";
        return out;
    }
    for (const auto& a : audit_kmem_iomem(*machine.iomem, machine.profile, KmemAuditOptions{}))
        for (const auto& line : a.kernel_lines) out += line + "\n";
    return out;
}

std::string predict_memory_blocks(const Machine& machine, const BootReplay& replay) {
    std::vector<AddrRange> added;
    for (const auto& b : replay.dax_kmem)
        if (b.hot_added()) added.push_back(*b.plan.hotplug);
    const auto blocks = memory_blocks(replay.x86->memblock.memory(), *replay.memory_block_size, machine.profile.section_size(), added,
                                      hotplug_onlines(params_of(replay)), machine.profile.physmem_end());
    std::string out;
    for (const auto& b : blocks) out += fmt::format("memory{} {:08x} {}\n", b.id, b.phys_index, b.online ? "online" : "offline");
    return out;
}

std::string lines_of(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

}  // namespace

Result<std::string> predict_artifact(const Machine& machine, const BootReplay& replay, Artifact artifact) {
    const ArtifactInfo& info = kArtifacts[static_cast<std::size_t>(artifact)];
    const SourceLocation where{"--emit " + std::string(info.name)};
    if (replay.arm64 && !machine.iomem)
        if (auto text = predict_from_device_tree(machine, replay, artifact, where)) return std::move(*text);
    if (artifact == Artifact::iomem && machine.iomem) return predict_iomem(machine, replay, info, where);
    if (artifact == Artifact::dmem && !machine.profile.has_dmem())
        return InputError{where, "cannot predict the dmem lines: dmem= comes from an RFC that was never merged, so this kernel profile ignores it",
                          "give --kconfig DMEM=y to model a kernel that carries the dmem= RFC patches"};
    if (artifact == Artifact::kmem && machine.dax_kmem && !machine.profile.has(Gate::hotplug_ram_nests))
        return InputError{where, fmt::format("kernel {} has no dax kmem driver: it came with 5.1", format_kernel_version(machine.profile.version)),
                          "give --kernel 5.1 or later, or leave out --dax-kmem"};
    if (artifact == Artifact::kmem && machine.iomem) return predict_kmem_lines(machine, replay);
    if (!replay.x86) {
        if (artifact == Artifact::numa)
            return InputError{where, fmt::format("cannot predict {}: it needs the firmware map (--e820 or --dmesg), which decides "
                                                 "what the kernel keeps of each SRAT block, and --srat for a NUMA machine", info.what), {}};
        if (artifact == Artifact::iomem || artifact == Artifact::e820) return needs_error(info, where);
        if (artifact == Artifact::dmem) return needs_error(info, where);
        return InputError{where, fmt::format("cannot predict {}: it needs {}, and this version of bootmap does not model it yet", info.what, info.needs), {}};
    }
    const X86Boot& boot = *replay.x86;
    if (boot.e820.invalid_user_map) return invalid_map_error(where);
    switch (artifact) {
        case Artifact::iomem: return predict_iomem(machine, replay, info, where);
        // Without mem= or memmap= the kernel prints no user-defined map: the prediction is empty.
        case Artifact::e820: return boot.e820.user_map ? format_e820_table(*boot.e820.user_map, "user") : std::string();
        case Artifact::zones:
            return format_zones(x86_zone_layout(boot.memblock.memory(), e820_end_of_ram(boot.e820.final_map) >> 12,
                                                replay.cmdline ? &*replay.cmdline : nullptr, machine.profile));
        // Without an SRAT the kernel fakes one node; either way the firmware map decides the lines.
        case Artifact::numa: return lines_of(boot.numa_log);
        case Artifact::dmem:
            if (!replay.cmdline) return needs_error(info, where);
            return predict_dmem(machine, *replay.cmdline, boot);
        case Artifact::kmem:
            if (!machine.dax_kmem) break;
            return predict_kmem_lines(machine, replay);
        case Artifact::memory_blocks: return predict_memory_blocks(machine, replay);
        case Artifact::memblock_memory: return format_memblock_debugfs(boot.memblock.memory(), machine.profile);
        default: break;
    }
    return InputError{where, fmt::format("cannot predict {}: it needs {}, and this version of bootmap does not model it yet", info.what, info.needs), {}};
}

}  // namespace bootmap
