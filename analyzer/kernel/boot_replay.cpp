#include "kernel/boot_replay.hpp"

#include "grammars/kernel_cmdline.hpp"
#include "kernel/e820.hpp"

namespace bootmap {

namespace {

// Where a pmem entry of the booted map comes from: the memmap=nn!ss that added it, else its firmware line.
SourceLocation pmem_origin(const Machine& machine, const X86E820Setup& setup, const E820Entry& entry) {
    if (machine.cmdline)
        for (const auto& effect : setup.effects)
            if (!effect.is_mem && effect.item.indicator == '!' && effect.item.start.value <= entry.addr.value() &&
                entry.addr.value() < effect.item.start.value + effect.item.size.value && effect.param_index < machine.cmdline->params.size())
                return machine.cmdline->locate(machine.cmdline->params[effect.param_index].offset);
    return entry.where;
}

std::vector<PmemRegion> booted_pmem(const Machine& machine, const X86E820Setup& setup) {
    std::vector<PmemRegion> out;
    for (const auto& e : setup.final_map.entries)
        if (e.type == e820_type::pram || e.type == e820_type::pmem)
            if (auto r = AddrRange::from_size(e.addr, e.size)) out.push_back({"", *r, 0, pmem_origin(machine, setup, e)});
    return out;
}

// The command line as the kernel has it: a longer one is cut to COMMAND_LINE_SIZE - 1 bytes.
std::optional<Machine> with_kernel_cmdline(const Machine& machine) {
    const std::size_t kept = machine.profile.command_line_size() - 1;
    if (!machine.cmdline || machine.cmdline->text.size() <= kept) return std::nullopt;
    Machine cut = machine;
    cut.cmdline->text.resize(kept);
    cut.cmdline->params = grammars::tokenize_cmdline(cut.cmdline->text).params;
    return cut;
}

}  // namespace

BootReplay replay_boot(const Machine& given, const MemoryBlockFacts& blocks) {
    const auto cut = with_kernel_cmdline(given);
    const Machine& machine = cut ? *cut : given;
    BootReplay replay;
    replay.cmdline = machine.cmdline;
    if (machine.firmware_e820 && machine.profile.arch == Arch::x86_64) {
        replay.x86 = replay_x86_boot(machine);
        if (blocks.given)
            replay.memory_block_size = blocks.given;
        else if (machine.boot_log && machine.boot_log->memory_block_size)
            replay.memory_block_size = *machine.boot_log->memory_block_size;
        else
            replay.memory_block_size =
                memory_block_size(machine.profile, MemoryBlockInputs{e820_end_of_ram(replay.x86->e820.final_map), blocks.hypervisor});
        // The kmem driver came with 5.1: an older kernel leaves the namespaces as they are.
        if (machine.dax_kmem && machine.profile.has(Gate::hotplug_ram_nests) && !replay.x86->e820.invalid_user_map) {
            replay.dax_kmem_regions = booted_pmem(machine, replay.x86->e820);
            std::vector<AddrRange> ranges;
            for (const auto& r : replay.dax_kmem_regions) ranges.push_back(r.range);
            const KmemGeometry geometry{*replay.memory_block_size, std::uint64_t{1} << machine.profile.page_shift, machine.profile.physmem_end()};
            replay.dax_kmem = bind_dax_kmem(ranges, *machine.dax_kmem, geometry);
        }
    }
    if (machine.device_tree) {
        replay.arm64 = replay_arm64_boot(machine.device_tree, machine.cmdline ? &*machine.cmdline : nullptr, machine.profile, machine.placement);
        // arm64: one section per block unless told otherwise (memory_block_size_bytes()'s default).
        if (!replay.memory_block_size)
            replay.memory_block_size = blocks.given                                                     ? blocks.given
                                       : machine.boot_log && machine.boot_log->memory_block_size ? *machine.boot_log->memory_block_size
                                                                                                  : machine.profile.section_size();
    }
    return replay;
}

}  // namespace bootmap
