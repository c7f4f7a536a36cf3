#include "readers/bootloader_reader.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>

#include <fmt/format.h>

#include "grammars/shell_quoting.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/uboot_script_reader.hpp"
#include "readers/text_file.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

struct Line {
    std::string_view text;
    std::uint32_t number;
    std::uint32_t offset;  // of the line's first byte in the file (in the sequence, for files read as one)
    std::string_view source{};  // the file, where lines of several files are located together
};

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    TextLines cursor(text);
    while (auto next = cursor.next()) lines.push_back({next->text, next->number, static_cast<std::uint32_t>(next->offset)});
    return lines;
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

bool starts_with_word(std::string_view line, std::string_view word, bool ignore_case) {
    line = trim_left(line);
    if (line.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const char a = ignore_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))) : line[i];
        if (a != word[i]) return false;
    }
    return line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t' || line[word.size()] == '=';
}

// Maps file offsets to line/column, once per file.
class Locator {
public:
    Locator(std::string_view source, const std::vector<Line>& lines) : source_(source), lines_(lines) {}
    [[nodiscard]] SourceLocation at(std::uint32_t offset) const {
        auto it = std::upper_bound(lines_.begin(), lines_.end(), offset, [](std::uint32_t o, const Line& l) { return o < l.offset; });
        if (it == lines_.begin()) return SourceLocation{std::string(source_), 1, offset + 1, std::nullopt};
        --it;
        return SourceLocation{std::string(it->source.empty() ? source_ : it->source), it->number, offset - it->offset + 1, std::nullopt};
    }

private:
    std::string_view source_;
    const std::vector<Line>& lines_;
};

KernelCommandLine make_cmdline(std::string_view source, std::string text, std::vector<SourceLocation> positions, std::string entry) {
    KernelCommandLine c;
    c.source = std::string(source);
    c.text = std::move(text);
    c.params = grammars::tokenize_cmdline(c.text).params;
    c.positions = std::move(positions);
    c.entry = std::move(entry);
    return c;
}

InputError unterminated(const Locator& where, std::uint32_t offset) {
    return InputError{where.at(offset), "expected a closing quote for the quote that starts here, found the end of the value", {}};
}

InputError unterminated_brace(const Locator& where, std::uint32_t offset) {
    return InputError{where.at(offset), "expected a '}' closing the '${' that starts here, found the end of the value (sh stops with 'Bad substitution')",
                      "close the brace, or escape the '$' as '\\$' if it belongs to the kernel parameter"};
}

void add_expansions(KernelCommandLine& c, const grammars::Unquoted& u, const Locator& where, std::string_view layer,
                    const std::vector<std::uint32_t>* outer_origin) {
    for (const auto& e : u.expansions) {
        const std::uint32_t offset = outer_origin && e.offset < outer_origin->size() ? (*outer_origin)[e.offset] : e.offset;
        c.expansions.push_back(BootloaderExpansion{where.at(offset), e.name, e.value, std::string(layer)});
    }
}

}  // namespace

// /etc/default/grub: sh assignments; the default entry's command line is GRUB_CMDLINE_LINUX followed
// by GRUB_CMDLINE_LINUX_DEFAULT (10_linux), and grub-mkconfig writes it into grub.cfg where GRUB's
// own parser reads it once more.
Result<BootloaderCmdlines> read_grub_defaults_files(std::span<const NamedText> files) {
    if (files.empty()) return InputError{SourceLocation{"/etc/default/grub"}, "expected a GRUB defaults file, found none", {}};
    // The files as one text, as update-grub sources them into one shell: offsets run on across them.
    std::vector<Line> lines;
    std::uint32_t base = 0;
    for (const auto& f : files) {
        for (auto line : split_lines(f.text)) {
            line.offset += base;
            line.source = f.source;
            lines.push_back(line);
        }
        base += static_cast<std::uint32_t>(f.text.size()) + 1;
    }
    const std::string_view source = files.back().source;
    const Locator where(source, lines);
    std::map<std::string, grammars::Unquoted, std::less<>> vars;
    for (const auto& line : lines) {
        std::string_view l = trim_left(line.text);
        if (l.substr(0, 7) == "export ") l = trim_left(l.substr(7));
        if (l.empty() || l.front() == '#') continue;
        const auto eq = l.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        const std::string_view name = l.substr(0, eq);
        if (!std::all_of(name.begin(), name.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; })) continue;
        const auto value_offset = static_cast<std::uint32_t>(line.offset + (l.data() - line.text.data()) + eq + 1);
        const grammars::VariableLookup lookup = [&vars](std::string_view n) -> std::optional<std::string> {
            auto it = vars.find(n);
            if (it == vars.end()) return std::nullopt;
            return it->second.text;
        };
        const std::string_view rhs = l.substr(eq + 1);
        const auto own = name.rfind("GRUB_", 0) == 0 ? vars.find(name) : vars.end();
        if (const auto rest = own != vars.end() ? grammars::quoted_self_reference_end(rhs, name) : std::nullopt) {
            // A GRUB_ variable appending to itself (whose own expansion is never reported): appended
            // in place, so a file that does it line after line stays linear; what it held keeps the
            // places it was written at.
            const std::string quoted = "\"" + std::string(rhs.substr(*rest));
            auto more = grammars::unquote_shell_value(quoted, value_offset + static_cast<std::uint32_t>(*rest) - 1, lookup);
            if (more.unterminated_quote) return unterminated(where, *more.unterminated_quote);
            if (more.unterminated_brace) return unterminated_brace(where, *more.unterminated_brace);
            auto& held = own->second;
            held.text += more.text;
            held.origin.insert(held.origin.end(), more.origin.begin(), more.origin.end());
            held.expansions.insert(held.expansions.end(), more.expansions.begin(), more.expansions.end());
            continue;
        }
        auto value = grammars::unquote_shell_value(rhs, value_offset, lookup);
        if (value.unterminated_quote) return unterminated(where, *value.unterminated_quote);
        if (value.unterminated_brace) return unterminated_brace(where, *value.unterminated_brace);
        vars[std::string(name)] = std::move(value);
    }
    auto linux_it = vars.find("GRUB_CMDLINE_LINUX");
    auto default_it = vars.find("GRUB_CMDLINE_LINUX_DEFAULT");
    if (linux_it == vars.end() && default_it == vars.end())
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt}, "expected GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT, found neither", {}};
    // The sh layer's result, joined as 10_linux joins them.
    grammars::Unquoted joined;
    for (auto* it : {&linux_it, &default_it}) {
        if (*it == vars.end() || (*it)->second.text.empty()) continue;
        if (!joined.text.empty()) {
            joined.text.push_back(' ');
            joined.origin.push_back(joined.origin.back());
        }
        joined.text += (*it)->second.text;
        joined.origin.insert(joined.origin.end(), (*it)->second.origin.begin(), (*it)->second.origin.end());
        joined.expansions.insert(joined.expansions.end(), (*it)->second.expansions.begin(), (*it)->second.expansions.end());
    }
    // GRUB reads the written line again: offsets of this layer index into joined.text.
    const auto grub = grammars::unquote_grub_args(joined.text, 0, {});
    std::vector<SourceLocation> positions;
    positions.reserve(grub.origin.size());
    for (std::uint32_t o : grub.origin) positions.push_back(where.at(o < joined.origin.size() ? joined.origin[o] : 0));
    BootloaderCmdlines out{BootloaderFormat::grub_defaults, {}};
    auto c = make_cmdline(source, grub.text, std::move(positions), "default");
    for (const auto& e : joined.expansions)
        if (e.name.rfind("GRUB_", 0) != 0) c.expansions.push_back(BootloaderExpansion{where.at(e.offset), e.name, e.value, "sh"});
    // GRUB's expansions of a line written in /etc/default/grub: the fix goes through sh's quoting too.
    add_expansions(c, grub, where, "GRUB after sh", &joined.origin);
    out.cmdlines.push_back(std::move(c));
    return out;
}

namespace {

Result<BootloaderCmdlines> read_grub_defaults(std::string_view source, std::string_view text) {
    const NamedText file{source, text};
    return read_grub_defaults_files(std::span<const NamedText>(&file, 1));
}

// The architecture an image file name says: arm64's and RISC-V's kernels are "Image" (arm64 is the
// common case), arm's "zImage"/"uImage"; x86's "vmlinuz"/"bzImage" say nothing beyond the default.
std::optional<Arch> arch_of_image(std::string_view path) {
    path = path.substr(0, path.find_first_of(" \t"));
    const auto slash = path.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (name.starts_with("Image")) return Arch::arm64;
    if (name.starts_with("zImage") || name.starts_with("uImage")) return Arch::arm;
    return std::nullopt;
}

// A keyword line as evidence: its text, trimmed, at its place.
ArchHint hint(Arch arch, const Line& line, const Locator& where, bool only_a_device_tree = false) {
    std::string_view text = trim_left(line.text);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return ArchHint{arch, std::string(text), where.at(line.offset + static_cast<std::uint32_t>(trim_left(line.text).data() - line.text.data())),
                    only_a_device_tree};
}

// grub.cfg: each menuentry's "linux PATH ARGS..." line (also linuxefi, linux16).
Result<BootloaderCmdlines> read_grub_cfg(std::string_view source, std::string_view text) {
    const auto lines = split_lines(text);
    const Locator where(source, lines);
    BootloaderCmdlines out{BootloaderFormat::grub_cfg, {}};
    std::string entry;
    for (const auto& line : lines) {
        std::string_view l = trim_left(line.text);
        if (starts_with_word(l, "menuentry", false)) {
            // The title is the first quoted word.
            const auto q = l.find_first_of("'\"");
            const auto close = q == std::string_view::npos ? q : l.find(l[q], q + 1);
            entry = close == std::string_view::npos ? std::string("menuentry") : std::string(l.substr(q + 1, close - q - 1));
            continue;
        }
        if (starts_with_word(l, "devicetree", false) && !out.arch) out.arch = hint(Arch::arm64, line, where, true);
        if (!(starts_with_word(l, "linux", false) || starts_with_word(l, "linuxefi", false) || starts_with_word(l, "linux16", false))) continue;
        const std::size_t command_end = l.find_first_of(" \t");
        if (command_end == std::string_view::npos) continue;
        if (const auto arch = arch_of_image(trim_left(l.substr(command_end))); arch && !out.arch) out.arch = hint(*arch, line, where);
        const auto args_offset = static_cast<std::uint32_t>(line.offset + (l.data() - line.text.data()) + command_end);
        auto words = grammars::unquote_grub_args(l.substr(command_end), args_offset, {});
        if (words.unterminated_quote) return unterminated(where, *words.unterminated_quote);
        if (words.unterminated_brace) return unterminated_brace(where, *words.unterminated_brace);
        // The first word is the kernel image; GRUB's linux loader passes "BOOT_IMAGE=<image>" first.
        const auto space = words.text.find(' ');
        std::string kernel = words.text.substr(0, space);
        std::string cmdline_text = "BOOT_IMAGE=" + kernel + (space == std::string::npos ? "" : words.text.substr(space));
        std::vector<SourceLocation> positions;
        const SourceLocation image_at = where.at(words.origin.empty() ? args_offset : words.origin.front());
        for (std::size_t i = 0; i < 11; ++i) positions.push_back(image_at);
        for (std::uint32_t o : words.origin) positions.push_back(where.at(o));
        auto c = make_cmdline(source, std::move(cmdline_text), std::move(positions), entry);
        add_expansions(c, words, where, "GRUB", nullptr);
        out.cmdlines.push_back(std::move(c));
    }
    if (out.cmdlines.empty())
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt}, "expected 'linux' lines in this grub.cfg, found none", {}};
    return out;
}

// A keyword line whose arguments are taken verbatim: "APPEND ...", "options ...", "bootargs=...".
struct KeywordSpec {
    std::string_view keyword;
    bool ignore_case;
    char separator;  // ' ' or '='
};

std::optional<std::pair<std::string_view, std::uint32_t>> keyword_args(const Line& line, const KeywordSpec& spec) {
    std::string_view l = trim_left(line.text);
    if (!starts_with_word(l, spec.keyword, spec.ignore_case)) return std::nullopt;
    std::size_t at = spec.keyword.size();
    if (spec.separator == '=') {
        if (at >= l.size() || l[at] != '=') return std::nullopt;
        ++at;
    } else {
        while (at < l.size() && (l[at] == ' ' || l[at] == '\t')) ++at;
    }
    return std::make_pair(l.substr(at), static_cast<std::uint32_t>(line.offset + (l.data() - line.text.data()) + at));
}

// The lines of an extlinux/syslinux file with every INCLUDE replaced by the included file's lines, as
// syslinux and U-Boot's pxe parser read them; offsets run on across the files so that one Locator
// places every character in its own file.
class ExtlinuxIncludes {
public:
    ExtlinuxIncludes(const IncludeLoader& loader, std::vector<std::string>& assumptions) : loader_(loader), assumptions_(assumptions) {}

    std::optional<InputError> expand(std::string_view source, std::string_view text, std::vector<std::string>& chain) {
        const auto lines = split_lines(text);
        const Locator where(source, lines);
        for (auto line : lines) {
            std::string_view l = trim_left(line.text);
            if (starts_with_word(l, "menu", true)) l = trim_left(l.substr(4));
            if (starts_with_word(l, "include", true)) {
                std::string_view name = trim_left(l.substr(7));
                name = name.substr(0, name.find_first_of(" \t\r"));
                if (auto bad = include(source, name, where.at(static_cast<std::uint32_t>(line.offset + (name.data() - line.text.data()))), chain))
                    return bad;
                continue;
            }
            line.source = source;
            line.offset = next_;
            next_ += static_cast<std::uint32_t>(line.text.size()) + 1;
            lines_.push_back(line);
        }
        return std::nullopt;
    }

    [[nodiscard]] const std::vector<Line>& lines() const { return lines_; }

private:
    std::optional<InputError> include(std::string_view source, std::string_view name, const SourceLocation& at, std::vector<std::string>& chain) {
        if (name.empty()) return std::nullopt;
        if (!loader_) {
            assumptions_.push_back(fmt::format("{}: INCLUDE {} was not read (give the file itself as an input); its entries are not checked",
                                               format_location(at), name));
            return std::nullopt;
        }
        if (static_cast<int>(chain.size()) > kMaxIncludeDepth || ++included_ > kMaxIncludedFiles)
            return InputError{at, fmt::format("expected includes nested at most {} deep and {} files in all", kMaxIncludeDepth, kMaxIncludedFiles),
                              "a file that includes itself through others never ends"};
        auto loaded = loader_(source, name);
        if (!loaded) return loaded.error();
        if (!loaded.value()) {
            assumptions_.push_back(fmt::format("{}: INCLUDE {}: no such file; its entries are not checked", format_location(at), name));
            return std::nullopt;
        }
        TextFile& file = *loaded.value();
        if (std::find(chain.begin(), chain.end(), file.name) != chain.end())
            return InputError{at, fmt::format("expected a file that does not include itself: {} is already being read", file.name), {}};
        if (auto bad = check_text(file.name, file.contents)) return bad;
        if (next_ + file.contents.size() > kMaxCombinedBytes)
            return InputError{at, fmt::format("expected at most {} MiB of text in a file and all it includes", kMaxCombinedBytes >> 20), {}};
        kept_.push_back(std::move(file));
        const TextFile& kept = kept_.back();
        chain.push_back(kept.name);
        auto bad = expand(kept.name, kept.contents, chain);
        chain.pop_back();
        return bad;
    }

    static constexpr std::uint64_t kMaxCombinedBytes = 64ull << 20;
    const IncludeLoader& loader_;
    std::vector<std::string>& assumptions_;
    std::deque<TextFile> kept_;  // the included texts, alive as long as the lines that view them
    std::vector<Line> lines_;
    std::uint32_t next_ = 0;
    int included_ = 0;
};

// extlinux.conf / syslinux.cfg: LABEL starts an entry, APPEND gives its command line; DEFAULT names
// the one that boots; INCLUDE reads another file in place.
Result<BootloaderCmdlines> read_extlinux(std::string_view source, std::string_view text, const IncludeLoader& loader) {
    BootloaderCmdlines out{BootloaderFormat::extlinux, {}};
    ExtlinuxIncludes files(loader, out.assumptions);
    std::vector<std::string> chain{std::string(source)};
    if (auto bad = files.expand(source, text, chain)) return *bad;
    const auto& lines = files.lines();
    const Locator where(source, lines);
    std::string label, default_label, menu_default;
    for (const auto& line : lines) {
        if (auto d = keyword_args(line, {"default", true, ' '})) default_label = std::string(d->first);
        if (auto lab = keyword_args(line, {"label", true, ' '})) label = std::string(lab->first);
        if (const std::string_view l = trim_left(line.text); starts_with_word(l, "menu", true) && starts_with_word(trim_left(l.substr(4)), "default", true))
            menu_default = label;
        for (const auto* keyword : {"kernel", "linux"})
            if (auto image = keyword_args(line, {keyword, true, ' '}))
                if (const auto arch = arch_of_image(image->first); arch && !out.arch) out.arch = hint(*arch, line, where);
        for (const auto* keyword : {"fdt", "fdtdir", "devicetree", "devicetreedir"})
            if (keyword_args(line, {keyword, true, ' '}) && !out.arch) out.arch = hint(Arch::arm64, line, where, true);
        auto args = keyword_args(line, {"append", true, ' '});
        if (!args) continue;
        std::vector<SourceLocation> positions;
        for (std::size_t i = 0; i < args->first.size(); ++i) positions.push_back(where.at(args->second + static_cast<std::uint32_t>(i)));
        out.cmdlines.push_back(make_cmdline(line.source.empty() ? source : line.source, std::string(args->first), std::move(positions), label));
    }
    if (out.cmdlines.empty())
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt},
                          "expected an APPEND line in this extlinux/syslinux file (or the files it includes), found none", {}};
    // DEFAULT names a label, or a menu module (vesamenu.c32) whose default is the label marked MENU DEFAULT.
    const bool names_label = std::any_of(out.cmdlines.begin(), out.cmdlines.end(), [&](const KernelCommandLine& c) { return c.entry == default_label; });
    const std::string chosen = names_label || menu_default.empty() ? default_label : menu_default;
    std::stable_partition(out.cmdlines.begin(), out.cmdlines.end(), [&](const KernelCommandLine& c) { return c.entry == chosen; });
    return out;
}

// systemd-boot loader/entries/*.conf: every "options" line adds to the command line.
Result<BootloaderCmdlines> read_systemd_boot(std::string_view source, std::string_view text) {
    const auto lines = split_lines(text);
    const Locator where(source, lines);
    std::string cmdline, title;
    std::vector<SourceLocation> positions;
    std::optional<ArchHint> arch;
    for (const auto& line : lines) {
        if (auto t = keyword_args(line, {"title", false, ' '})) title = std::string(t->first);
        if (auto image = keyword_args(line, {"linux", false, ' '}))
            if (const auto a = arch_of_image(image->first); a && !arch) arch = hint(*a, line, where);
        if (keyword_args(line, {"devicetree", false, ' '}) && !arch) arch = hint(Arch::arm64, line, where, true);
        auto args = keyword_args(line, {"options", false, ' '});
        if (!args) continue;
        if (!cmdline.empty()) {
            cmdline.push_back(' ');
            positions.push_back(positions.back());
        }
        cmdline += args->first;
        for (std::size_t i = 0; i < args->first.size(); ++i) positions.push_back(where.at(args->second + static_cast<std::uint32_t>(i)));
    }
    BootloaderCmdlines out{BootloaderFormat::systemd_boot, {}, std::move(arch)};
    out.cmdlines.push_back(make_cmdline(source, std::move(cmdline), std::move(positions), title));
    return out;
}

// U-Boot: "bootargs=..." in fw_printenv output or uEnv.txt.
Result<BootloaderCmdlines> read_uboot_env(std::string_view source, std::string_view text) {
    const auto lines = split_lines(text);
    const Locator where(source, lines);
    BootloaderCmdlines out{BootloaderFormat::uboot_env, {}};
    // U-Boot's own variables: cpu (armv8, armv7, ...) decides between arm64 and arm; arch=riscv; a
    // device tree file name means an arm-family board.
    std::optional<ArchHint> from_cpu, from_arch, from_fdt;
    for (const auto& line : lines) {
        if (auto cpu = keyword_args(line, {"cpu", false, '='})) {
            if (cpu->first.starts_with("armv8")) from_cpu = hint(Arch::arm64, line, where);
            else if (cpu->first.starts_with("armv")) from_cpu = hint(Arch::arm, line, where);
        }
        if (auto a = keyword_args(line, {"arch", false, '='})) {
            if (a->first.starts_with("riscv")) from_arch = hint(Arch::riscv64, line, where);
            if (a->first == "arm") from_arch = hint(Arch::arm64, line, where);  // U-Boot says arm for both: arm64 without cpu=
        }
        if (keyword_args(line, {"fdtfile", false, '='}) && !from_fdt) from_fdt = hint(Arch::arm64, line, where, true);
    }
    out.arch = from_cpu ? from_cpu : from_arch ? from_arch : from_fdt;
    // bootargs is the command line; without it, the parameters a boot script appends (Armbian's
    // armbianEnv.txt: extraargs, extraboardargs) are what the file gives the kernel.
    for (const char* variable : {"bootargs", "extraargs", "extraboardargs"}) {
        if (!out.cmdlines.empty()) break;
        for (const auto& line : lines) {
            auto args = keyword_args(line, {variable, false, '='});
            if (!args) continue;
            std::vector<SourceLocation> positions;
            for (std::size_t i = 0; i < args->first.size(); ++i) positions.push_back(where.at(args->second + static_cast<std::uint32_t>(i)));
            out.cmdlines.push_back(make_cmdline(source, std::string(args->first), std::move(positions), variable));
        }
    }
    return out;
}

}  // namespace

std::string_view bootloader_format_name(BootloaderFormat format) {
    switch (format) {
        case BootloaderFormat::plain: return "command line";
        case BootloaderFormat::grub_defaults: return "/etc/default/grub";
        case BootloaderFormat::grub_cfg: return "grub.cfg";
        case BootloaderFormat::extlinux: return "extlinux/syslinux";
        case BootloaderFormat::systemd_boot: return "systemd-boot entry";
        case BootloaderFormat::uboot_env: return "U-Boot environment";
        case BootloaderFormat::uboot_script: return "U-Boot boot script";
        case BootloaderFormat::systemd_boot_loader: return "systemd-boot loader.conf";
    }
    return "command line";
}

BootloaderFormat detect_bootloader_format(std::string_view text) {
    const auto lines = split_lines(text);
    auto any = [&](auto&& predicate) {
        return std::any_of(lines.begin(), lines.end(), [&](const Line& line) { return predicate(trim_left(line.text)); });
    };
    // /etc/default/grub: sh assignments of GRUB_* variables.
    if (any([](std::string_view l) { return l.substr(0, 5) == "GRUB_" && l.find('=') != std::string_view::npos; }))
        return BootloaderFormat::grub_defaults;
    if (any([](std::string_view l) { return starts_with_word(l, "menuentry", false); })) return BootloaderFormat::grub_cfg;
    if (any([](std::string_view l) { return starts_with_word(l, "options", false); })) return BootloaderFormat::systemd_boot;
    // "label = ..." is a device-tree property, not a syslinux keyword.
    const auto keyword = [](std::string_view l, std::string_view word) {
        if (!starts_with_word(l, word, true)) return false;
        const std::string_view rest = trim_left(trim_left(l).substr(word.size()));
        return rest.empty() || rest.front() != '=';
    };
    if (any([&](std::string_view l) { return keyword(l, "append") || keyword(l, "label"); }))
        return BootloaderFormat::extlinux;
    if (looks_like_uboot_script(text)) return BootloaderFormat::uboot_script;
    // A syslinux configuration whose entries are in the files it includes (isolinux.cfg): its
    // own keywords, which loader.conf never has.
    if (any([](std::string_view l) {
            return starts_with_word(l, "include", true) || (starts_with_word(l, "menu", true) && starts_with_word(trim_left(l.substr(4)), "include", true)) ||
                   starts_with_word(l, "prompt", true) || starts_with_word(l, "ui", true);
        }))
        return BootloaderFormat::extlinux;
    // systemd-boot's loader.conf: which entry boots, how long the menu waits; no command line.
    if (any([](std::string_view l) { return starts_with_word(l, "default", false); }) &&
        any([](std::string_view l) {
            return starts_with_word(l, "timeout", false) || starts_with_word(l, "editor", false) || starts_with_word(l, "console-mode", false) ||
                   starts_with_word(l, "auto-entries", false);
        }))
        return BootloaderFormat::systemd_boot_loader;
    // An environment file a boot script imports (armbianEnv.txt, uEnv.txt): NAME=value lines, one of
    // them a variable only U-Boot and its scripts use.
    if (any([](std::string_view l) {
            static constexpr std::string_view kUbootOnly[] = {"fdtfile=", "rootdev=", "overlay_prefix=", "overlays=", "user_overlays=", "verbosity=",
                                                              "extraargs=", "extraboardargs=", "usbstoragequirks=", "bootlogo=", "fdt_addr_r=",
                                                              "kernel_addr_r=", "ramdisk_addr_r=", "uenvcmd=", "fdtdir="};
            return std::any_of(std::begin(kUbootOnly), std::end(kUbootOnly), [&](std::string_view v) { return l.starts_with(v); });
        }))
        return BootloaderFormat::uboot_env;
    if (any([](std::string_view l) { return l.substr(0, 9) == "bootargs="; })) return BootloaderFormat::uboot_env;
    // An environment without bootargs is still U-Boot's (and then has no command line to offer).
    if (any([](std::string_view l) { return l.substr(0, 8) == "bootcmd=" || l.substr(0, 10) == "bootdelay="; })) return BootloaderFormat::uboot_env;
    if (any([](std::string_view l) {
            return starts_with_word(l, "linuxefi", false) || starts_with_word(l, "linux16", false) ||
                   (starts_with_word(l, "linux", false) && l.find('/') != std::string_view::npos);
        }))
        return BootloaderFormat::grub_cfg;
    return BootloaderFormat::plain;
}

namespace {

// Every command line a bootloader file gives is held to the one size limit.
Result<BootloaderCmdlines> sized(Result<BootloaderCmdlines> read) {
    if (read)
        for (const auto& c : read.value().cmdlines)
            if (auto too_long = check_cmdline_size(c)) return *too_long;
    return read;
}

// Serial drivers only boards have: a console on one says the machine is no x86 PC.
std::optional<Arch> arch_of_board_console(const grammars::CmdlineParam& p) {
    if (!p.value) return std::nullopt;
    const std::string_view v = *p.value;
    if (grammars::param_name_equals(p.name, "console")) {
        if (v.starts_with("ttySIF")) return Arch::riscv64;  // SiFive UART
        for (const std::string_view arm : {"ttyAMA", "ttyMSM", "ttymxc", "ttySAC", "ttyLP", "ttyPS", "ttyMV", "ttyFIQ", "ttyHS", "ttyTCU", "ttyAML"})
            if (v.starts_with(arm)) return Arch::arm64;
    }
    if (grammars::param_name_equals(p.name, "earlycon")) {
        if (v.starts_with("sbi")) return Arch::riscv64;
        for (const std::string_view arm : {"pl011", "msm_serial", "qcom_geni", "meson", "imxuart", "lpuart", "cdns", "s5pv210", "exynos4210", "owl"})
            if (v.starts_with(arm)) return Arch::arm64;
    }
    return std::nullopt;
}

// A command line that names raw flash partitions (mtdparts=, a root on an mtdblock or UBI) or a
// board's serial console is an embedded board's: not an x86 server, whose kernel image and memory
// map the x86 checks assume.
void infer_embedded_board(BootloaderCmdlines& read) {
    if (read.arch) return;
    for (const auto& c : read.cmdlines)
        for (const auto& p : c.params) {
            const bool flash = grammars::param_name_equals(p.name, "mtdparts") || grammars::param_name_equals(p.name, "ubi.mtd") ||
                               (grammars::param_name_equals(p.name, "root") && p.value &&
                                (p.value->starts_with("/dev/mtdblock") || p.value->starts_with("ubi")));
            const auto console = arch_of_board_console(p);
            if (!flash && !console) continue;
            if (console && *console == Arch::riscv64) {
                read.arch = ArchHint{Arch::riscv64, c.text.substr(p.offset, std::min<std::size_t>(p.length, 40)), c.locate(p.offset), false};
                return;
            }
            const std::size_t end = std::min(c.text.size(), p.offset + p.length);
            read.arch = ArchHint{Arch::arm64, c.text.substr(p.offset, std::min<std::size_t>(end - p.offset, 40)), c.locate(p.offset), true};
            return;
        }
}

Result<BootloaderCmdlines> read_by_format(std::string_view source, std::string_view text, const BootloaderContext& context) {
    switch (detect_bootloader_format(text)) {
        case BootloaderFormat::grub_defaults: return read_grub_defaults(source, text);
        case BootloaderFormat::grub_cfg: return read_grub_cfg(source, text);
        case BootloaderFormat::extlinux: return read_extlinux(source, text, context.includes);
        case BootloaderFormat::systemd_boot: return read_systemd_boot(source, text);
        // Without bootargs the environment gives no command line: what boots is elsewhere (distro
        // boot's extlinux.conf or boot.scr, or the DTB's /chosen/bootargs); the caller says so.
        case BootloaderFormat::uboot_env: return read_uboot_env(source, text);
        case BootloaderFormat::systemd_boot_loader:
            return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt},
                              "expected a command line, found a systemd-boot loader.conf: it only names the default entry",
                              "give it with the entries it chooses from: --cmdline-from loader.conf --cmdline-from entries/*.conf"};
        case BootloaderFormat::uboot_script: {
            auto run = run_uboot_script(source, text, context.imported);
            if (!run) return run.error();
            BootloaderCmdlines out{BootloaderFormat::uboot_script, {}};
            if (run.value().boot_arch)
                out.arch = ArchHint{*run.value().boot_arch, run.value().boot_command, run.value().boot_at, run.value().boot_arch_family_only};
            out.assumptions = run.value().assumptions;
            out.cmdlines.push_back(std::move(run.value().cmdline));
            return out;
        }
        case BootloaderFormat::plain: break;
    }
    // A saved command line; several non-blank lines are a list of alternatives, one per line.
    BootloaderCmdlines out{BootloaderFormat::plain, {}};
    for (const auto& line : split_lines(text)) {
        if (trim_left(line.text).empty()) continue;
        auto one = read_cmdline(source, line.text);
        if (!one) return one.error();
        KernelCommandLine c = std::move(one).value();
        for (std::size_t i = 0; i < c.text.size(); ++i)
            c.positions.push_back(SourceLocation{std::string(source), line.number, static_cast<std::uint32_t>(i + 1), std::nullopt});
        c.entry = fmt::format("line {}", line.number);
        out.cmdlines.push_back(std::move(c));
    }
    if (out.cmdlines.empty())
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt}, "expected a kernel command line, found an empty file", {}};
    return out;
}

}  // namespace

Result<BootloaderCmdlines> read_bootloader_cmdlines(std::string_view source, std::string_view text, const BootloaderContext& context) {
    if (auto bad = check_text(source, text)) return *bad;
    auto read = sized(read_by_format(source, text, context));
    if (read) infer_embedded_board(read.value());
    return read;
}

std::optional<LoaderDefault> systemd_boot_default(std::string_view source, std::string_view text) {
    const auto lines = split_lines(text);
    const Locator where(source, lines);
    std::optional<LoaderDefault> found;
    for (const auto& line : lines)
        if (auto d = keyword_args(line, {"default", false, ' '})) {
            std::string_view pattern = d->first;
            while (!pattern.empty() && (pattern.back() == ' ' || pattern.back() == '\t' || pattern.back() == '\r')) pattern.remove_suffix(1);
            if (!pattern.empty()) found = LoaderDefault{std::string(pattern), where.at(d->second)};
        }
    return found;
}

std::map<std::string, std::string> uboot_env_variables(std::string_view text) {
    std::map<std::string, std::string> out;
    for (const auto& line : split_lines(text)) {
        std::string_view l = trim_left(line.text);
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
        const auto eq = l.find('=');
        if (l.empty() || l.front() == '#' || eq == std::string_view::npos || eq == 0) continue;
        const auto name = l.substr(0, eq);
        if (std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
            out[std::string(name)] = std::string(l.substr(eq + 1));
    }
    return out;
}

}  // namespace bootmap
