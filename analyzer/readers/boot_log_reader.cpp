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

namespace {

// One pass over a boot log; each scan_* takes the lines of one kind and says whether it took this one.
class BootLogScanner {
public:
    explicit BootLogScanner(std::string_view source) : source_(source) { log_.source = std::string(source); }

    // false at the start of the next boot in the same log.
    bool take(const TextLine& line) {
        const re2::StringPiece input(line.text.data(), line.text.size());
        if (std::string release; RE2::PartialMatch(input, version_re(), &release)) {
            if (log_.kernel_release) return false;
            scan_architecture(line, input, 2);
            log_.kernel_release = release;
            log_.release_where = at(source_, line, line.text.find("Linux version") + 14);
            if (std::string upstream; RE2::PartialMatch(input, debian_release_re(), &upstream)) log_.upstream_release = upstream;
            return true;
        }
        if (!log_.arch || log_.arch->strength < 3) scan_architecture(line, input, 3);
        if (scan_command_line(line, input) || scan_e820_edits(line, input) || scan_efi(line, input)) return true;
        scan_facts(line, input);
        return true;
    }

    BootLog finish() { return std::move(log_); }

private:
    static const RE2& version_re() {
        static const RE2 re(R"re(Linux version (\S+))re");
        return re;
    }
    static const RE2& debian_release_re() {
        static const RE2 re(R"re( Debian ([0-9]+\.[0-9]+\.[0-9]+)[-~ ])re");
        return re;
    }

    bool scan_command_line(const TextLine& line, const re2::StringPiece& input) {
        static const RE2 cmdline(R"re(\] (?:Kernel )?[Cc]ommand line: (.*)$)re");
        static const RE2 bare_cmdline(R"re(^(?:Kernel )?[Cc]ommand line: (.*)$)re");
        std::string text;
        if (log_.command_line || !(RE2::PartialMatch(input, cmdline, &text) || RE2::PartialMatch(input, bare_cmdline, &text))) return false;
        log_.command_line = text;
        log_.command_line_where = at(source_, line, line.text.find("ommand line: ") + 13);
        return true;
    }

    // The firmware map's edits: setup_data (before the map is printed again), the BIOS-area trim, and
    // UEFI's reservations after it.
    bool scan_e820_edits(const TextLine& line, const re2::StringPiece& input) {
        static const RE2 update(R"re(e820: update \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (.+) ==> (.+)$)re");
        static const RE2 remove(R"re(e820: remove \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
        if (!log_.x86_firmware_map && line.text.find("BIOS-e820: ") != std::string_view::npos) log_.x86_firmware_map = true;
        if (line.text.find("reserve setup_data: ") != std::string_view::npos || line.text.find("extended physical RAM map:") != std::string_view::npos)
            setup_data_done_ = true;
        std::string a, b, from, to;
        if (RE2::PartialMatch(input, update, &a, &b, &from, &to)) {
            const auto r = inclusive_range(a, b);
            if (!r) return true;
            if (!setup_data_done_ && from == "usable" && to == "usable") add_once(log_.setup_data, *r);
            // trim_bios_range() retypes page 0 and then removes the BIOS area; EFI reservations
            // come after it, in a boot that went through UEFI.
            else if (bios_trimmed_ && log_.efi_firmware && from == "usable" && to == "reserved") add_once(log_.efi_reserved, *r);
            return true;
        }
        if (RE2::PartialMatch(input, remove, &a, &b)) {
            if (a == "000a0000" && b == "000fffff") bios_trimmed_ = true;
            return true;
        }
        return false;
    }

    // The EFI lines: the firmware, MMIO the stub dropped, and the boot-time memory map (not the runtime one).
    bool scan_efi(const TextLine& line, const re2::StringPiece& input) {
        static const RE2 efi_version(R"re(efi: (EFI v[0-9.]+ by .*)$)re");
        static const RE2 mmio_removed(R"re(efi: Remove mem[0-9]+: MMIO range=\[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
        static const RE2 efi_mem(R"re(efi: mem[0-9]+: \[([^|\]]*)\|([^|\]]*)\|[^\]]*\] range=\[0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])re");
        std::string a, b, type, attribute;
        if (RE2::PartialMatch(input, mmio_removed, &a, &b)) {
            if (const auto r = inclusive_range(a, b)) add_once(log_.efi_mmio_removed, *r);
            return true;
        }
        if (!log_.efi_firmware && RE2::PartialMatch(input, efi_version, &a)) {
            log_.efi_firmware = a;
            return true;
        }
        if (line.text.find("EFI runtime memory map:") != std::string_view::npos) runtime_map_ = true;
        if (runtime_map_ || !RE2::PartialMatch(input, efi_mem, &type, &attribute, &a, &b)) return false;
        const auto r = inclusive_range(a, b);
        if (!r) return true;
        const auto trim = [](std::string s) {
            while (!s.empty() && s.back() == ' ') s.pop_back();
            return s;
        };
        log_.efi_memmap.push_back({trim(type), trim(attribute) == "RUN", *r, at(source_, line, line.text.find("efi: mem"))});
        return true;
    }

    // The architecture, from lines only one architecture prints (strength 3) or from the Linux
    // version line's release and compiler (strength 2).
    void scan_architecture(const TextLine& line, const re2::StringPiece& input, int strength) {
        static const RE2 arch_line(
            R"re((BIOS-e820: |Xen: \[mem 0x)|(CPU: ARMv[4-7]|\(ARMv[67]\))|(Booting Linux on physical CPU 0x[0-9a-fA-F]+ \[0x|CPU features: detected|)re"
            R"re(AArch64 Processor|-> MPIDR 0x)|(SBI specification v|riscv: (?:base )?ISA|-> HARTID 0x)|(LoongArch|Loongson-[0-9]))re");
        static const RE2 version_line(
            R"re((x86_64|-amd64\b|\.amd64\b|i[3-6]86)|(armv7|-armmp|armhf|arm-linux-gnueabi)|(aarch64|-arm64\b|\.arm64\b)|(riscv64)|(loongarch64|-loong64\b))re");
        static constexpr Arch kArch[] = {Arch::x86_64, Arch::arm, Arch::arm64, Arch::riscv64, Arch::loongarch64};
        std::string said[5];
        const bool found = strength == 3 ? RE2::PartialMatch(input, arch_line, &said[0], &said[1], &said[2], &said[3], &said[4])
                                         : RE2::PartialMatch(input, version_line, &said[0], &said[1], &said[2], &said[3], &said[4]);
        if (!found || (log_.arch && log_.arch->strength >= strength)) return;
        for (std::size_t i = 0; i < std::size(said); ++i)
            if (!said[i].empty()) {
                log_.arch = LoggedArch{kArch[i], said[i], at(source_, line, line.text.find(said[i])), strength};
                return;
            }
    }

    // Facts of the machine the log states once: its model, the initrd freed, the memory block size.
    void scan_facts(const TextLine& line, const re2::StringPiece& input) {
        static const RE2 model(R"re(Machine model: (.*)$)re");
        static const RE2 block_size(R"re(Memory block size: ([0-9]+)MB)re");
        static const RE2 initrd_freed(R"re(Freeing initrd memory: ([0-9]+)K)re");
        if (std::string name; !log_.machine_model && RE2::PartialMatch(input, model, &name)) {
            log_.machine_model = name;
            // Any device-tree board: arm, arm64 or RISC-V; the weakest word on the architecture.
            if (!log_.arch) log_.arch = LoggedArch{Arch::arm64, "Machine model: " + name, at(source_, line, line.text.find("Machine model")), 1};
            return;
        }
        if (std::uint64_t kib = 0; !log_.initrd_freed && RE2::PartialMatch(input, initrd_freed, &kib) && kib < (1ull << 40)) {
            log_.initrd_freed = kib << 10;
            return;
        }
        if (std::uint64_t mb = 0; !log_.memory_block_size && RE2::PartialMatch(input, block_size, &mb) && mb > 0 && mb <= (1ull << 30)) {
            log_.memory_block_size = mb << 20;
            return;
        }
        static const RE2 memory_line(
            R"re(Memory: [0-9]+K/[0-9]+K available \(([0-9]+)K kernel code, ([0-9]+)K rwdata, ([0-9]+)K rodata, ([0-9]+)K init, ([0-9]+)K bss)re");
        if (std::array<std::uint64_t, 5> k{}; !log_.kernel_image_sizes && RE2::PartialMatch(input, memory_line, &k[0], &k[1], &k[2], &k[3], &k[4])) {
            if (std::all_of(k.begin(), k.end(), [](std::uint64_t v) { return v < (1ull << 40); })) {
                for (auto& v : k) v <<= 10;
                log_.kernel_image_sizes = k;
            }
            return;
        }
        static const RE2 acpi_table(R"re(ACPI: ([A-Z0-9]{4}) 0x([0-9A-Fa-f]{1,16}) ([0-9A-Fa-f]{1,8}) )re");
        constexpr std::size_t kMaxTables = 1024;  // a real machine lists a few dozen
        if (std::string sig, addr, len; log_.acpi_tables.size() < kMaxTables && RE2::PartialMatch(input, acpi_table, &sig, &addr, &len)) {
            const auto base = hex64(addr), size = hex64(len);
            if (base && size && *size > 0)
                if (const auto r = AddrRange::from_size(PhysAddr{*base}, ByteSize{*size})) log_.acpi_tables.push_back({sig, *r});
        }
    }

    std::string_view source_;
    BootLog log_;
    bool setup_data_done_ = false;
    bool bios_trimmed_ = false;
    bool runtime_map_ = false;
};

}  // namespace

BootLog read_boot_log(std::string_view source_name, std::string_view text) {
    BootLogScanner scanner(source_name);
    TextLines lines(text);
    while (auto line = lines.next())
        if (!scanner.take(*line)) break;
    return scanner.finish();
}

}  // namespace bootmap
