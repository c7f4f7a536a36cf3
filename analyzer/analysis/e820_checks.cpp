#include "analysis/e820_checks.hpp"

#include "analysis/cmdline_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "core/range_map.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 19> kRules{{
    {rules::cmdline_memparse_surprise, Severity::warning,
     "a size or address the kernel's memparse() reads differently from what it looks like (octal, wrapped, bare suffix, fraction)"},
    {rules::cmdline_mem_invalid, Severity::warning,
     "mem= with a value the kernel refuses ('Malformed early option'): no limit is applied"},
    {rules::cmdline_memmap_invalid_item, Severity::warning,
     "a memmap= item the kernel cannot parse and silently ignores"},
    {rules::cmdline_memmap_trailing_text, Severity::warning,
     "a memmap= item with text after it that the kernel ignores or that voids the item"},
    {rules::cmdline_memmap_missing_address, Severity::warning,
     "memmap=nn@, #, $ or ! without an address: the kernel uses address 0"},
    {rules::cmdline_memmap_ram_over_hole, Severity::error,
     "memmap=nn@ss declares RAM where the firmware map has none: the kernel will use memory that may not exist",
     "the kernel hangs or crashes once it uses memory nothing answers for (the 6.1 oracle boot with memmap=1G@4G on 2 GiB printed no line: "
     "fixtures/kernel-failed/x86-memmap-ram-over-hole)"},
    {rules::cmdline_size_without_unit, Severity::warning,
     "a memory size written without a unit (crashkernel=256): memparse() reads bytes, so the parameter asks for almost nothing"},
    {rules::cmdline_memmap_reserve_no_ram, Severity::warning,
     "memmap=nn$ss or nn#ss over no RAM (a hole, firmware ranges, or above the mem= limit): it keeps nothing from the kernel"},
    {rules::cmdline_ram_removed, Severity::note,
     "the command line leaves the kernel less RAM than the firmware reports (mem=, memmap= limits, exactmap, reservations): how much, in numbers"},
    {rules::cmdline_memmap_overridden, Severity::warning,
     "a memmap= entry over a firmware entry of a higher e820 type, which wins: the entry has no effect there"},
    {rules::cmdline_memmap_ram_over_firmware, Severity::error,
     "after memmap=exactmap, memmap=nn@ss declares RAM over a range the firmware reserves (ACPI tables, NVS, its own data): the kernel "
     "allocates there and overwrites it"},
    {rules::cmdline_memmap_pmem_over_non_ram, Severity::error,
     "memmap=nn!ss over what the firmware map does not call RAM (holes, PCI windows, firmware and ACPI ranges): the legacy pmem driver "
     "exposes it as a disk"},
    {rules::cmdline_memmap_items_conflict, Severity::warning,
     "two memmap= items of different types over the same range: the kernel keeps the higher e820 type, the other has no effect there"},
    {rules::cmdline_memmap_removes_all_ram, Severity::error,
     "memmap= with a limit of 0 removes all RAM", "the kernel has no memory to run in"},
    {rules::cmdline_memmap_over_kernel_image, Severity::warning,
     "a memmap= entry over the kernel image (nokaslr): the kernel turns the image back into RAM, so less is reserved than asked"},
    {rules::cmdline_mem_below_kernel_image, Severity::error,
     "a mem=/memmap= limit below the end of the kernel image: the kernel keeps its image and has almost no memory left",
     "the kernel runs out of memory before init starts (the 6.1 oracle boot with mem=48M: fixtures/kernel-failed/x86-mem-48M)"},
    {rules::e820_user_map_invalid, Severity::error,
     "the user-defined e820 map is invalid: the kernel panics with 'Invalid user supplied memory map'",
     "the kernel panics with 'Invalid user supplied memory map' before it sets up memory"},
    {rules::e820_pram_unaligned, Severity::warning,
     "a memmap=nn!ss legacy pmem region not aligned to the memory section size: memory is stranded when it is used as RAM"},
    {rules::e820_ram_beyond_addressing, Severity::warning,
     "a firmware map RAM entry past the end of physical addressing (x86_64 4-level paging: 64 TiB): a corrupt map, which the kernel cannot use"},
}};

}  // namespace

std::span<const RuleInfo> e820_rules() { return kRules; }
namespace {

class Checker {
public:
    Checker(const Machine& machine, const X86E820Setup& setup) : machine_(machine), setup_(setup), firmware_known_(machine.firmware_e820.has_value()) {
        if (firmware_known_)
            for (const auto& e : machine.firmware_e820->entries)
                if (auto r = AddrRange::from_size(e.addr, e.size)) firmware_.assign(*r, e.type);
    }

    std::vector<Diagnostic> run() {
        bool exactmap_seen = false;
        for (const auto& effect : setup_.effects) {
            if (effect.is_mem) {
                check_mem(effect);
                continue;
            }
            check_item(effect, exactmap_seen);
            if (effect.item.kind == grammars::MemmapItem::Kind::exactmap) {
                exactmap_seen = true;
                earlier_items_.clear();  // exactmap empties the table: what came before is gone
            }
        }
        if (setup_.invalid_user_map && firmware_known_) report_invalid_map();
        if (!setup_.invalid_user_map && firmware_known_ && setup_.user_map) report_ram_removed();
        return std::move(out_);
    }

private:
    const grammars::CmdlineParam& param(const E820ParamEffect& e) const { return machine_.cmdline->params[e.param_index]; }

    // The command line's location of byte `offset` of the command line text.
    SourceLocation at(std::size_t offset) const { return machine_.cmdline->locate(offset); }

    void add(std::string_view rule, SourceLocation where, std::string message, std::optional<AddrRange> range = std::nullopt) {
        out_.push_back(make_finding(rule, std::move(where), std::move(message), range));
    }

    void check_number(const grammars::MemparseResult& n, std::string_view text, std::size_t offset, std::string_view what) {
        const std::string shown(text.substr(0, std::max<std::size_t>(n.consumed, 1)));
        if (n.octal) {
            add(rules::cmdline_memparse_surprise, at(offset),
                fmt::format("{} '{}' starts with 0, so the kernel reads it as octal: {} ({:#x})", what, shown, human_size(ByteSize{n.value}), n.value));
            out_.back().fix = octal_fix(text, at(offset));
        }
        if (what == "size" || what == "mem=")
            if (auto found = size_without_unit(text, n, what == "mem=" ? "mem=" : "memmap size", at(offset), machine_.cmdline->locate(offset + std::max<std::size_t>(n.consumed, 1) - 1)))
                out_.push_back(std::move(*found));
        if (n.wrapped)
            add(rules::cmdline_memparse_surprise, at(offset),
                fmt::format("{} '{}' does not fit 64 bits; the kernel silently wraps it to {:#x}", what, shown, n.value));
        if (n.bare_suffix)
            add(rules::cmdline_memparse_surprise, at(offset), fmt::format("{} '{}' is a unit without a number: the kernel reads 0", what, shown));
        if (n.consumed < text.size() && text[n.consumed] == '.')
            add(rules::cmdline_memparse_surprise, at(offset),
                fmt::format("{} '{}' has a fraction; the kernel stops at the '.' and reads {:#x}", what, text, n.value));
    }

    void check_mem(const E820ParamEffect& e) {
        const auto& p = param(e);
        if (e.mem.nopentium) {
            add(rules::cmdline_mem_invalid, at(p.offset), "mem=nopentium is ignored on x86_64 ('mem=nopentium ignored! (only supported on x86_32)')");
            return;
        }
        check_number(e.mem.size, *p.value, p.value_offset, "mem=");
        if (e.mem.valid) check_limit_below_image(e.mem.size.value, fmt::format("mem={}", *p.value), p.offset);
        if (!e.mem.valid)
            add(rules::cmdline_mem_invalid, at(p.offset),
                fmt::format("mem={} is 0 to the kernel: it prints \"Malformed early option 'mem'\" and applies no limit, but still prints a "
                            "user-defined map",
                            *p.value));
    }

    void check_item(const E820ParamEffect& e, bool exactmap_seen) {
        using Kind = grammars::MemmapItem::Kind;
        const auto& p = param(e);
        const auto& item = e.item;
        const std::string_view text = std::string_view(*p.value).substr(item.offset, item.length);
        const std::size_t base = p.value_offset + item.offset;
        if (item.kind == Kind::invalid) {
            add(rules::cmdline_memmap_invalid_item, at(base),
                fmt::format("memmap item '{}' does not start with a size; the kernel ignores it without a message", text));
            return;
        }
        if (item.kind == Kind::exactmap) return;
        check_number(item.size, text, base, "size");
        if (item.indicator) {
            const std::size_t addr_offset = item.size.consumed + 1;
            check_number(item.start, text.substr(addr_offset), base + addr_offset, "address");
            if (item.start.consumed == 0 && item.indicator != '%')
                add(rules::cmdline_memmap_missing_address, at(base + addr_offset - 1),
                    fmt::format("memmap item '{}' has no address after '{}': the kernel places it at 0", text, item.indicator));
        }
        if (item.parsed < item.length) {
            const std::string_view rest = text.substr(item.parsed);
            add(rules::cmdline_memmap_trailing_text, at(base + item.parsed),
                item.kind == Kind::rejected ? fmt::format("memmap item '{}': the kernel rejects the whole item because of '{}'", text, rest)
                : item.kind == Kind::limit
                    ? fmt::format("memmap item '{}' is read as the limit memmap={}: RAM at and above {} is removed, and '{}' is ignored", text,
                                  text.substr(0, item.parsed), human_size(ByteSize{item.size.value}), rest)
                    : fmt::format("memmap item '{}': the kernel applies it but ignores '{}'", text, rest));
        }
        if (item.kind == Kind::limit && item.size.value != 0) check_limit_below_image(item.size.value, fmt::format("memmap={}", text), base);
        if (item.kind == Kind::limit && item.size.value == 0)
            add(rules::cmdline_memmap_removes_all_ram, at(base), fmt::format("memmap item '{}' is a limit of 0: every byte of RAM is removed", text));
        if (item.kind != Kind::add) return;
        auto range = AddrRange::from_size(PhysAddr{item.start.value}, ByteSize{item.size.value});
        if (!range || range->empty()) return;
        if (firmware_known_ && item.new_type == e820_type::ram) check_ram_over_hole(*range, text, base);
        if (firmware_known_ && exactmap_seen && item.new_type == e820_type::ram) check_ram_over_firmware(*range, text, base);
        if (firmware_known_ && !exactmap_seen && item.new_type == e820_type::pram) check_pmem_over_non_ram(*range, text, base);
        if (firmware_known_ && !exactmap_seen && (item.new_type == e820_type::reserved || item.new_type == e820_type::acpi))
            check_reserve_over_no_ram(*range, text, base);
        check_conflicts(*range, static_cast<std::uint32_t>(item.new_type), text, base);
        if (firmware_known_ && !exactmap_seen) check_overridden(*range, static_cast<std::uint32_t>(item.new_type), text, base);
        if (item.new_type == e820_type::pram) check_pram_alignment(*range, text, base);
        if (item.new_type != e820_type::ram && setup_.kernel_range_restored && range->overlaps(*setup_.kernel_range_restored))
            report_over_kernel(*range, text, base);
    }

    void check_ram_over_hole(AddrRange range, std::string_view text, std::size_t offset) {
        for (const auto& gap : firmware_.gaps(range))
            add(rules::cmdline_memmap_ram_over_hole, at(offset),
                fmt::format("memmap item '{}' declares RAM over {} ({}), where the firmware map has nothing: the kernel will put data "
                            "there and the machine may not boot",
                            text, mem_range(gap), human_size(gap.size())),
                gap);
    }

    // exactmap threw the firmware's map away: RAM declared over what it reserved is handed to memblock,
    // which allocates from the top of low memory first, where SeaBIOS and UEFI keep the ACPI tables.
    void check_ram_over_firmware(AddrRange range, std::string_view text, std::size_t offset) {
        // The first MiB stays reserved whatever the map says (setup_arch() reserves it, with the EBDA).
        constexpr std::uint64_t kFirstMiB = 1 << 20;
        if (range.end().value() <= kFirstMiB) return;
        if (range.begin().value() < kFirstMiB) range = *AddrRange::from_bounds(PhysAddr{kFirstMiB}, range.end());
        for (const auto& span : firmware_.spans()) {
            const auto overlap = span.range.intersect(range);
            if (!overlap || span.label == e820_type::ram) continue;
            std::string tables;
            if (machine_.boot_log)
                for (const auto& t : machine_.boot_log->acpi_tables)
                    if (t.range.overlaps(*overlap)) tables += fmt::format("{}{} at {:#x}", tables.empty() ? "" : ", ", t.signature, t.range.begin().value());
            add(rules::cmdline_memmap_ram_over_firmware, at(offset),
                fmt::format("after memmap=exactmap, memmap item '{}' declares RAM over {} ({}), which the firmware map marks {}{}: the kernel "
                            "allocates there and overwrites it{}",
                            text, mem_range(*overlap), human_size(overlap->size()), e820_type_word(span.label),
                            tables.empty() ? std::string(" (firmware keeps ACPI tables and its own data in such ranges)")
                                           : fmt::format(" and holds the ACPI tables {} in this machine's log", tables),
                            tables.empty() ? std::string() : " (Debian's 6.1 then fails with 'ACPI Error: AE_NO_ACPI_TABLES' and cannot power off)"),
                overlap);
        }
    }

    // memmap=nn!ss makes the range persistent memory whatever was there: e820's higher type wins, and
    // 12 (PRAM) is higher than every firmware type. Over a hole or a firmware range the pmem driver
    // then offers device or firmware address space as a disk.
    void check_pmem_over_non_ram(AddrRange range, std::string_view text, std::size_t offset) {
        std::vector<std::pair<AddrRange, std::string>> parts;
        for (const auto& gap : firmware_.gaps(range)) parts.emplace_back(gap, "no entry: a hole, where PCI and chipset devices decode");
        for (const auto& span : firmware_.spans()) {
            const auto overlap = span.range.intersect(range);
            if (!overlap || span.label == e820_type::ram || span.label == e820_type::pram || span.label == e820_type::pmem) continue;
            parts.emplace_back(*overlap, e820_type_word(span.label));
        }
        std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first.begin() < b.first.begin(); });
        constexpr std::size_t kListed = 4;
        std::string what;
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (i < kListed) what += fmt::format("{}{} ({}, {})", i ? ", " : "", mem_range(parts[i].first), parts[i].second, human_size(parts[i].first.size()));
            total += parts[i].first.size().bytes();
        }
        if (parts.empty()) return;
        if (parts.size() > kListed) what += fmt::format(" and {} more", parts.size() - kListed);
        const AddrRange first = parts.front().first;
        const ByteSize total_size{total};
        add(rules::cmdline_memmap_pmem_over_non_ram, at(offset),
            fmt::format("memmap item '{}' makes {} that the firmware map does not call RAM persistent memory: {}; the kernel's e820 "
                        "gives the pmem type precedence, so the legacy pmem driver offers that address space as /dev/pmem, and what "
                        "is written there goes to devices or firmware data (choose a range of usable RAM)",
                        text, human_size(total_size), what),
            first);
    }

    std::uint64_t firmware_ram_in(AddrRange range) const {
        std::uint64_t ram = 0;
        for (const auto& span : firmware_.spans())
            if (span.label == e820_type::ram)
                if (const auto overlap = span.range.intersect(range)) ram += overlap->size().bytes();
        return ram;
    }

    // The last mem= the kernel applies, when there is one: its limit and its text.
    std::optional<std::pair<std::uint64_t, std::string>> mem_limit() const {
        std::optional<std::pair<std::uint64_t, std::string>> limit;
        for (const auto& e : setup_.effects)
            if (e.is_mem && e.mem.valid && !e.mem.nopentium) limit = std::pair{e.mem.size.value, param(e).value.value_or("")};
        return limit;
    }

    // memmap=nn$ss / nn#ss exist to keep RAM from the kernel: over no RAM they keep nothing, and the
    // user's intent (a buffer for a device, memory for another OS) is silently unmet.
    void check_reserve_over_no_ram(AddrRange range, std::string_view text, std::size_t offset) {
        if (firmware_ram_in(range) == 0) {
            add(rules::cmdline_memmap_reserve_no_ram, at(offset),
                fmt::format("memmap item '{}' reserves {} where the firmware map has no RAM: there is nothing there for it to keep from "
                            "the kernel (a hole or a firmware range); check the address",
                            text, mem_range(range)),
                range);
            return;
        }
        if (const auto limit = mem_limit(); limit && range.begin().value() >= limit->first)
            add(rules::cmdline_memmap_reserve_no_ram, at(offset),
                fmt::format("memmap item '{}' reserves {}, above the mem={} limit, where the kernel removes RAM anyway: it keeps nothing "
                            "that mem= did not already take",
                            text, mem_range(range), limit->second),
                range);
    }

    // What the edits cost, as a note: the firmware's RAM against the RAM the kernel is left with.
    void report_ram_removed() {
        const auto ram_of = [](const E820Table& t) {
            std::uint64_t ram = 0;
            for (const auto& e : t.entries)
                if (e.type == e820_type::ram) ram += e.size.bytes();
            return ram;
        };
        const std::uint64_t before = ram_of(*machine_.firmware_e820), after = ram_of(setup_.final_map);
        constexpr std::uint64_t kWorthSaying = 1ull << 20;
        if (before <= after || before - after < kWorthSaying || setup_.effects.empty()) return;
        std::string by;
        std::size_t first_offset = SIZE_MAX;
        for (const auto& e : setup_.effects) {
            const auto& p = param(e);
            const std::string shown = fmt::format("{}={}", p.name, p.value.value_or(""));
            if (by.find(shown) == std::string::npos) by += (by.empty() ? "" : ", ") + shown;
            first_offset = std::min(first_offset, p.offset);
        }
        add(rules::cmdline_ram_removed, at(first_offset),
            fmt::format("the command line leaves the kernel {} of the {} of RAM the firmware reports: {} removed ({:.0f}%) by {}", human_size(ByteSize{after}),
                        human_size(ByteSize{before}), human_size(ByteSize{before - after}),
                        100.0 * static_cast<double>(before - after) / static_cast<double>(before), by));
    }

    // Items of different types over one range: the sanitizer keeps the higher type.
    void check_conflicts(AddrRange range, std::uint32_t type, std::string_view text, std::size_t offset) {
        for (const auto& earlier : earlier_items_) {
            const auto overlap = earlier.range.intersect(range);
            if (!overlap || earlier.type == type) continue;
            const bool later_wins = type > earlier.type;
            auto d = make_finding(rules::cmdline_memmap_items_conflict, at(offset),
                                  fmt::format("memmap items '{}' ({}) and '{}' ({}) both cover {}: the kernel keeps the higher e820 type, "
                                              "{}, so '{}' has no effect there",
                                              earlier.text, e820_type_word(earlier.type), text, e820_type_word(type), mem_range(*overlap),
                                              e820_type_word(std::max(type, earlier.type)), later_wins ? earlier.text : std::string(text)),
                                  overlap);
            d.related.push_back({at(earlier.offset), "the other item", earlier.range});
            out_.push_back(std::move(d));
        }
        earlier_items_.push_back({range, type, std::string(text), offset});
    }

    void check_overridden(AddrRange range, std::uint32_t type, std::string_view text, std::size_t offset) {
        for (const auto& span : firmware_.spans()) {
            auto overlap = span.range.intersect(range);
            if (!overlap || span.label <= type) continue;
            add(rules::cmdline_memmap_overridden, at(offset),
                fmt::format("memmap item '{}' asks for {} over {}, which the firmware marks {}; the higher e820 type wins, so it stays {}",
                            text, e820_type_word(type), mem_range(*overlap), e820_type_word(span.label), e820_type_word(span.label)),
                overlap);
        }
    }

    void check_pram_alignment(AddrRange range, std::string_view text, std::size_t offset) {
        const std::uint64_t section = machine_.profile.section_size();
        const std::uint64_t b = range.begin().value(), e = range.end().value();
        if (b % section == 0 && e % section == 0) return;
        const std::uint64_t usable_begin = (b + section - 1) / section * section;
        const std::uint64_t usable_end = e / section * section;
        const std::uint64_t usable = usable_end > usable_begin ? usable_end - usable_begin : 0;
        add(rules::e820_pram_unaligned, at(offset),
            fmt::format("memmap item '{}': {} is not aligned to the {} memory section; used as RAM through DAX kmem only {} of {} can be "
                        "onlined",
                        text, mem_range(range), human_size(ByteSize{section}), human_size(ByteSize{usable}), human_size(range.size())),
            range);
    }

    void check_limit_below_image(std::uint64_t limit, const std::string& what, std::size_t offset) {
        const auto image = machine_.profile.image_without_kaslr();
        if (limit >= image.end) return;
        add(rules::cmdline_mem_below_kernel_image, at(offset),
            fmt::format("{} cuts RAM at {}, below the end of the kernel image ({} without KASLR): the kernel keeps its own image as RAM and "
                        "is left with almost nothing else (booted with mem=48M, Debian's 6.1 ran out of memory before init)",
                        what, human_size(ByteSize{limit}), human_size(ByteSize{image.end})));
    }

    void report_over_kernel(AddrRange range, std::string_view text, std::size_t offset) {
        const AddrRange image = *setup_.kernel_range_restored;
        std::string left = "nothing";
        if (range.end() > image.end()) left = mem_range(*AddrRange::from_bounds(image.end(), range.end()));
        if (range.begin() < image.begin()) left = mem_range(*AddrRange::from_bounds(range.begin(), image.begin())) + (left == "nothing" ? "" : " and " + left);
        add(rules::cmdline_memmap_over_kernel_image, at(offset),
            fmt::format("memmap item '{}' covers the kernel image {} (it sits there with nokaslr): the kernel warns '.text .data .bss are not "
                        "marked as E820_TYPE_RAM!' and makes it RAM again, so only {} stays as asked",
                        text, mem_range(image), left),
            range);
    }

    void report_invalid_map() {
        // Point at the last memmap=/mem= parameter: it completed the map the kernel refuses.
        std::size_t offset = 0;
        if (!setup_.effects.empty()) offset = param(setup_.effects.back()).offset;
        const std::size_t entries = setup_.final_map.entries.size();
        add(rules::e820_user_map_invalid, at(offset),
            entries < 2 ? fmt::format("the user-defined e820 map has {} entr{}; the kernel needs at least 2 and panics with 'Invalid user "
                                      "supplied memory map'",
                                      entries, entries == 1 ? "y" : "ies")
                        : std::string("an entry of the user-defined e820 map wraps past the top of memory; the kernel panics with 'Invalid user "
                                      "supplied memory map'"));
    }

    struct EarlierItem {
        AddrRange range;
        std::uint32_t type;
        std::string text;
        std::size_t offset;
    };

    const Machine& machine_;
    const X86E820Setup& setup_;
    bool firmware_known_;
    std::vector<EarlierItem> earlier_items_;
    RangeMap<std::uint32_t> firmware_;
    std::vector<Diagnostic> out_;
};


// The firmware's own entries: RAM the kernel cannot map (MAX_PHYSMEM_BITS; max_pfn is capped at
// max_arch_pfn) is a corrupt or hostile map, and memblock, which allocates top-down, would place
// its first allocations there.
std::vector<Diagnostic> check_firmware_addressing(const Machine& machine) {
    std::vector<Diagnostic> out;
    if (!machine.firmware_e820) return out;
    const std::uint64_t limit = machine.profile.physmem_end();
    for (const auto& e : machine.firmware_e820->entries) {
        if (e.type != e820_type::ram || e.size.bytes() == 0) continue;
        const std::uint64_t last = e.addr.value() + std::min(e.size.bytes() - 1, UINT64_MAX - e.addr.value());
        if (last < limit) continue;
        out.push_back(make_finding(rules::e820_ram_beyond_addressing, e.where,
                                   fmt::format("the firmware map declares RAM [mem {:#018x}-{:#018x}] ({}), past {:#x} ({}), the end of what an "
                                               "x86_64 kernel with 4-level paging can map: the map is corrupt (or the machine needs 5-level "
                                               "paging); the kernel cannot use RAM there, and memblock allocates from the top down",
                                               e.addr.value(), last, human_size(ByteSize{last - e.addr.value() + (last - e.addr.value() < UINT64_MAX ? 1 : 0)}),
                                               limit, human_size(ByteSize{limit})),
                                   AddrRange::from_inclusive(PhysAddr{std::max(e.addr.value(), limit)}, PhysAddr{last})));
    }
    return out;
}

}  // namespace

std::vector<Diagnostic> check_e820_setup(const Machine& machine, const X86E820Setup& setup) {
    auto out = check_firmware_addressing(machine);
    if (!machine.cmdline) return out;
    auto edits = Checker(machine, setup).run();
    out.insert(out.end(), std::make_move_iterator(edits.begin()), std::make_move_iterator(edits.end()));
    return out;
}

}  // namespace bootmap
