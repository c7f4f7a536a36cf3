#include "readers/boot_log_reader.hpp"

#include <algorithm>

#include <re2/re2.h>

#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

std::optional<std::uint64_t> hex64(const std::string& digits) {
    if (digits.empty() || digits.size() > 16) return std::nullopt;
    return std::stoull(digits, nullptr, 16);
}

// "[mem 0x...-0x...]" with an inclusive end, as the kernel prints ranges.
std::optional<AddrRange> inclusive_range(const std::string& first, const std::string& last) {
    const auto a = hex64(first), b = hex64(last);
    if (!a || !b || *b < *a) return std::nullopt;
    return AddrRange::from_inclusive(PhysAddr{*a}, PhysAddr{*b});
}

void add_once(std::vector<AddrRange>& ranges, AddrRange r) {
    if (std::find(ranges.begin(), ranges.end(), r) == ranges.end()) ranges.push_back(r);
}

SourceLocation at(std::string_view source, const TextLine& line, std::size_t column) {
    return SourceLocation{std::string(source), line.number, static_cast<std::uint32_t>(column + 1), std::nullopt};
}

}  // namespace

BootLog read_boot_log(std::string_view source_name, std::string_view text) {
    static const RE2 version(R"re(Linux version (\S+))re");
    static const RE2 debian_release(R"re( Debian ([0-9]+\.[0-9]+\.[0-9]+)[-~ ])re");
    static const RE2 cmdline(R"re(\] (?:Kernel )?[Cc]ommand line: (.*)$)re");
    static const RE2 bare_cmdline(R"re(^(?:Kernel )?[Cc]ommand line: (.*)$)re");
    static const RE2 update(R"re(e820: update \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (.+) ==> (.+)$)re");
    static const RE2 remove(R"re(e820: remove \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
    static const RE2 efi_version(R"re(efi: (EFI v[0-9.]+ by .*)$)re");
    static const RE2 mmio_removed(R"re(efi: Remove mem[0-9]+: MMIO range=\[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
    static const RE2 efi_mem(R"re(efi: mem[0-9]+: \[([^|\]]*)\|([^|\]]*)\|[^\]]*\] range=\[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
    static const RE2 model(R"re(Machine model: (.*)$)re");
    static const RE2 block_size(R"re(Memory block size: ([0-9]+)MB)re");
    static const RE2 initrd_freed(R"re(Freeing initrd memory: ([0-9]+)K)re");

    BootLog log;
    log.source = std::string(source_name);
    bool setup_data_done = false, bios_trimmed = false, runtime_map = false;
    TextLines lines(text);
    while (auto line = lines.next()) {
        const re2::StringPiece input(line->text.data(), line->text.size());
        std::string a, b, from, to;
        if (RE2::PartialMatch(input, version, &a)) {
            if (log.kernel_release) break;  // the next boot in the same log
            log.kernel_release = a;
            log.release_where = at(source_name, *line, line->text.find("Linux version") + 14);
            if (std::string upstream; RE2::PartialMatch(input, debian_release, &upstream)) log.upstream_release = upstream;
            continue;
        }
        if (!log.command_line && (RE2::PartialMatch(input, cmdline, &a) || RE2::PartialMatch(input, bare_cmdline, &a))) {
            log.command_line = a;
            log.command_line_where = at(source_name, *line, line->text.find("ommand line: ") + 13);
            continue;
        }
        if (!log.x86_firmware_map && line->text.find("BIOS-e820: ") != std::string_view::npos) log.x86_firmware_map = true;
        if (line->text.find("reserve setup_data: ") != std::string_view::npos || line->text.find("extended physical RAM map:") != std::string_view::npos)
            setup_data_done = true;
        if (RE2::PartialMatch(input, update, &a, &b, &from, &to)) {
            const auto r = inclusive_range(a, b);
            if (!r) continue;
            if (!setup_data_done && from == "usable" && to == "usable") add_once(log.setup_data, *r);
            // trim_bios_range() retypes page 0 and then removes the BIOS area; EFI reservations
            // come after it, in a boot that went through UEFI.
            else if (bios_trimmed && log.efi_firmware && from == "usable" && to == "reserved") add_once(log.efi_reserved, *r);
            continue;
        }
        if (RE2::PartialMatch(input, remove, &a, &b)) {
            if (a == "000a0000" && b == "000fffff") bios_trimmed = true;
            continue;
        }
        if (RE2::PartialMatch(input, mmio_removed, &a, &b)) {
            if (const auto r = inclusive_range(a, b)) add_once(log.efi_mmio_removed, *r);
            continue;
        }
        if (!log.efi_firmware && RE2::PartialMatch(input, efi_version, &a)) {
            log.efi_firmware = a;
            continue;
        }
        if (line->text.find("EFI runtime memory map:") != std::string_view::npos) runtime_map = true;
        if (!runtime_map && RE2::PartialMatch(input, efi_mem, &from, &to, &a, &b)) {
            const auto r = inclusive_range(a, b);
            if (!r) continue;
            const auto trim = [](std::string s) {
                while (!s.empty() && s.back() == ' ') s.pop_back();
                return s;
            };
            log.efi_memmap.push_back({trim(from), trim(to) == "RUN", *r, at(source_name, *line, line->text.find("efi: mem"))});
            continue;
        }
        if (!log.machine_model && RE2::PartialMatch(input, model, &a)) {
            log.machine_model = a;
            continue;
        }
        std::uint64_t kib = 0;
        if (!log.initrd_freed && RE2::PartialMatch(input, initrd_freed, &kib) && kib < (1ull << 40)) {
            log.initrd_freed = kib << 10;
            continue;
        }
        std::uint64_t mb = 0;
        if (!log.memory_block_size && RE2::PartialMatch(input, block_size, &mb) && mb > 0 && mb <= (1ull << 30)) log.memory_block_size = mb << 20;
    }
    return log;
}

}  // namespace bootmap
