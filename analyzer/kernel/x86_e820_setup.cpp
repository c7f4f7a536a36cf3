#include "kernel/x86_e820_setup.hpp"

#include <algorithm>

namespace bootmap {

namespace {

// __e820__mapped_all(): the range is covered, without gaps, by entries of `type` (table sorted).
bool covered_by_type(const E820Table& table, AddrRange range, std::uint32_t type) {
    std::uint64_t start = range.begin().value();
    for (const auto& e : table.entries) {
        if (e.type != type) continue;
        const std::uint64_t s = e.addr.value(), end = s + e.size.bytes();
        if (s >= range.end().value() || end <= start) continue;
        if (s <= start) start = end;
        if (start >= range.end().value()) return true;
    }
    return false;
}

void apply_memmap_item(E820Model& model, const grammars::MemmapItem& item, E820ParamEffect& effect, bool& userdef) {
    using Kind = grammars::MemmapItem::Kind;
    if (item.kind == Kind::invalid) return;
    userdef = true;
    const PhysAddr start{item.start.value};
    const ByteSize size{item.size.value};
    switch (item.kind) {
        case Kind::exactmap: model.clear(); break;
        case Kind::limit:
            effect.edits.push_back(model.range_remove(PhysAddr{item.size.value}, ByteSize{UINT64_MAX - item.size.value}, e820_type::ram, true));
            break;
        case Kind::add: effect.edits.push_back(model.range_add(start, size, static_cast<std::uint32_t>(item.new_type))); break;
        case Kind::update:
            effect.edits.push_back(model.range_update(start, size, static_cast<std::uint32_t>(item.old_type), static_cast<std::uint32_t>(item.new_type)));
            break;
        case Kind::remove:
            effect.edits.push_back(model.range_remove(start, size, static_cast<std::uint32_t>(item.old_type), item.old_type != 0));
            break;
        case Kind::rejected:
        case Kind::invalid: break;
    }
}

}  // namespace

X86E820Setup replay_x86_e820(const E820Table& firmware, const std::vector<grammars::CmdlineParam>& params, const KernelProfile& profile,
                             const X86EfiBoot* efi) {
    X86E820Setup setup;
    E820Model model(firmware, profile);
    // parse_early_param() calls each handler once per occurrence, in command-line order.
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        if (!p.value) continue;  // "mem" or "memmap" without '=': -EINVAL, nothing else
        if (grammars::param_name_equals(p.name, "mem")) {
            E820ParamEffect effect;
            effect.param_index = i;
            effect.is_mem = true;
            effect.mem = grammars::parse_mem_param(*p.value);
            if (!effect.mem.nopentium) {
                setup.userdef = true;  // set before the value is checked
                if (effect.mem.valid)
                    effect.edits.push_back(
                        model.range_remove(PhysAddr{effect.mem.size.value}, ByteSize{UINT64_MAX - effect.mem.size.value}, e820_type::ram, true));
            }
            setup.effects.push_back(std::move(effect));
        } else if (grammars::param_name_equals(p.name, "memmap")) {
            for (const auto& item : grammars::parse_memmap_param(*p.value)) {
                E820ParamEffect effect;
                effect.param_index = i;
                effect.item = item;
                apply_memmap_item(model, item, effect, setup.userdef);
                setup.effects.push_back(std::move(effect));
            }
        }
    }
    if (efi) e820_reserve_setup_data(model, efi->setup_data);
    if (setup.userdef) {
        if (model.update_table()) {
            setup.user_map = model.table();
        } else {
            setup.invalid_user_map = true;
            setup.final_map = model.table();
            setup.resource_map = setup.final_map;
            return setup;
        }
    }
    if (efi) efi_remove_e820_mmio(model, *efi, profile);
    const bool nokaslr = std::any_of(params.begin(), params.end(),
                                     [](const grammars::CmdlineParam& p) { return !p.value && grammars::param_name_equals(p.name, "nokaslr"); });
    if (nokaslr) {
        const auto image = profile.image_without_kaslr();
        const auto range = *AddrRange::from_bounds(PhysAddr{image.text}, PhysAddr{image.end});
        if (!covered_by_type(model.table(), range, e820_type::ram)) {
            model.range_remove(range.begin(), range.size(), 0, false);
            model.range_add(range.begin(), range.size(), e820_type::ram);
            setup.kernel_range_restored = range;
        }
    }
    model.trim_bios_range();
    setup.final_map = model.table();
    if (efi) efi_arch_mem_reserve(model, efi->reserved);
    setup.resource_map = model.table();
    return setup;
}

}  // namespace bootmap
