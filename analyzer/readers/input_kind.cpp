#include "readers/input_kind.hpp"

#include <algorithm>
#include <cstdint>

#include <re2/re2.h>

#include "grammars/input_kind_patterns.hpp"
#include "readers/bootloader_reader.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {

std::string_view input_kind_name(InputKind kind) {
    switch (kind) {
        case InputKind::unknown: return "unknown";
        case InputKind::iomem: return "iomem";
        case InputKind::kernel_cmdline: return "cmdline";
        case InputKind::dmesg: return "dmesg";
        case InputKind::e820_memmap: return "e820";
        case InputKind::srat_binary: return "srat";
        case InputKind::srat_iasl: return "srat-iasl";
        case InputKind::dtb: return "dtb";
        case InputKind::dts: return "dts";
        case InputKind::libvirt_xml: return "libvirt";
        case InputKind::daxctl_json: return "daxctl";
    }
    return "unknown";
}

namespace {

InputKind from_line_kind(grammars::LineKind kind) {
    switch (kind) {
        case grammars::LineKind::iomem: return InputKind::iomem;
        case grammars::LineKind::dmesg: return InputKind::dmesg;
        case grammars::LineKind::e820_memmap: return InputKind::e820_memmap;
        case grammars::LineKind::srat_iasl: return InputKind::srat_iasl;
        case grammars::LineKind::dts: return InputKind::dts;
        case grammars::LineKind::kernel_cmdline: return InputKind::kernel_cmdline;
        case grammars::LineKind::unknown: return InputKind::unknown;
    }
    return InputKind::unknown;
}

}  // namespace

InputKind detect_input_kind(std::string_view contents) {
    if (contents.size() >= 4 && contents.substr(0, 4) == "\xd0\x0d\xfe\xed") return InputKind::dtb;
    // Android dt_table images (dtb.img, dtbo.img) wrap DTBs.
    if (contents.size() >= 4 && contents.substr(0, 4) == "\xd7\xb7\xab\x1e") return InputKind::dtb;
    if (contents.size() >= 4 && contents.substr(0, 4) == "SRAT") return InputKind::srat_binary;
    // iasl -d text opens with a banner comment longer than the lines examined below; it names the table.
    if (contents.substr(0, 4096).find("ACPI Data Table [SRAT]") != std::string_view::npos) return InputKind::srat_iasl;
    // `daxctl list` output: JSON naming a device-DAX character device near its start.
    if (const auto first = contents.find_first_not_of(" \t\r\n"); first != std::string_view::npos && (contents[first] == '[' || contents[first] == '{') &&
                                                                   contents.substr(0, 4096).find("\"chardev\"") != std::string_view::npos)
        return InputKind::daxctl_json;
    // A libvirt domain: the first element is <domain>, after any XML declaration or comment.
    {
        std::size_t at = 0;
        while (true) {
            at = contents.find_first_not_of(" \t\r\n", at);
            if (at == std::string_view::npos) break;
            std::string_view end;
            if (contents.substr(at, 5) == "<?xml") end = "?>";
            else if (contents.substr(at, 4) == "<!--") end = "-->";
            else break;
            at = contents.find(end, at);
            if (at == std::string_view::npos) break;
            at += end.size();
        }
        if (at != std::string_view::npos && contents.substr(at, 7) == "<domain" && contents.size() > at + 7 &&
            (contents[at + 7] == ' ' || contents[at + 7] == '>' || contents[at + 7] == '\n' || contents[at + 7] == '\t' || contents[at + 7] == '\r'))
            return InputKind::libvirt_xml;
    }
    // The first few non-blank lines decide: a comment or banner line is skipped, the first line that
    // matches a known shape wins.
    TextLines lines(contents);
    int examined = 0;
    for (auto next = lines.next(); next && examined < 8; next = lines.next()) {
        const std::string_view line = next->text;
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        ++examined;
        if (auto kind = from_line_kind(grammars::classify_line(line)); kind != InputKind::unknown) return kind;
    }
    // A bootloader file whose command line comes after comments, menus and labels (an extlinux.conf
    // with an indented APPEND, a grub.cfg, a systemd-boot entry): its format's keywords say so.
    if (detect_bootloader_format(contents.substr(0, 1u << 20)) != BootloaderFormat::plain) return InputKind::kernel_cmdline;
    return InputKind::unknown;
}

std::optional<std::string> other_acpi_table(std::string_view contents) {
    const auto is_signature = [](std::string_view sig) {
        return sig.size() == 4 && std::all_of(sig.begin(), sig.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
    };
    // The binary header: a signature, then the table's length (little endian, at least the 36-byte header).
    constexpr std::size_t kHeaderBytes = 36;
    // Real tables are far below 16 MiB, so the length's top byte is NUL, which no text has.
    if (contents.size() >= 8 && is_signature(contents.substr(0, 4)) && contents.substr(0, 4) != "SRAT" && contents[7] == '\0') {
        std::uint32_t length = 0;
        for (int i = 3; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(contents[4 + static_cast<std::size_t>(i)]);
        if (length >= kHeaderBytes) return std::string(contents.substr(0, 4));
    }
    // iasl's disassembly names the table in its banner: " * ACPI Data Table [HMAT]".
    constexpr std::string_view kBanner = "ACPI Data Table [";
    if (const auto at = contents.substr(0, 4096).find(kBanner); at != std::string_view::npos) {
        const auto sig = contents.substr(at + kBanner.size(), 4);
        if (is_signature(sig) && sig != "SRAT" && contents.substr(at + kBanner.size() + 4, 1) == "]") return std::string(sig);
    }
    return std::nullopt;
}

bool looks_like_dt_fragment(std::string_view contents) {
    static const RE2 fragment_line(R"re(^\s*(?:/\s*\{|&[A-Za-z_][A-Za-z0-9_]*\s*\{|/memreserve/|/include/\s*"|[A-Za-z_][A-Za-z0-9_]*:\s*[A-Za-z][A-Za-z0-9,._+-]*(?:@[0-9a-fA-F]+)?\s*\{))re");
    TextLines lines(contents.substr(0, 1u << 16));
    for (auto line = lines.next(); line; line = lines.next())
        if (RE2::PartialMatch(re2::StringPiece(line->text.data(), line->text.size()), fragment_line)) return true;
    return false;
}

}  // namespace bootmap
