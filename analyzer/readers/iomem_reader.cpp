#include "readers/iomem_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "grammars/iomem_line.hpp"
#include "readers/text_file.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

SourceLocation at(std::string_view source, std::uint32_t line, std::uint32_t column) {
    return SourceLocation{std::string(source), line, column, std::nullopt};
}

bool contains_inclusive(const IomemEntry& outer, const IomemEntry& inner) {
    return outer.first <= inner.first && inner.last <= outer.last;
}

// What a message says it found at `index`: the character when it is printable ASCII.
std::string describe_char_at(std::string_view line, std::size_t index) {
    if (index >= line.size()) return "end of line";
    const auto c = static_cast<unsigned char>(line[index]);
    if (c == '\t') return "a tab";
    if (c >= 0x80) return "a non-ASCII byte";
    if (c < 0x20 || c == 0x7f) return fmt::format("control byte {:#04x}", c);
    return fmt::format("'{}'", static_cast<char>(c));
}

}  // namespace

Result<IomemTree> read_iomem(std::string_view source_name, std::string_view text) {
    if (auto bad = check_text(source_name, text)) return *bad;

    IomemTree tree;
    tree.source = std::string(source_name);
    tree.final_newline = text.empty() || text.back() == '\n';

    // One entry per line at most: sized once, so a million-line dump is not copied while it grows.
    const auto line_count = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    tree.entries.reserve(line_count);
    tree.blank_lines_before.reserve(line_count + 1);
    std::vector<std::size_t> open;  // stack of entry indices: open[d] is the current entry at depth d
    std::uint32_t blank_run = 0;
    TextLines lines(text);
    while (auto next = lines.next()) {
        const std::string_view line = next->text;
        const std::uint32_t line_no = next->number;
        if (next->had_cr && line_no == 1) tree.crlf = true;
        if (line.empty()) {
            ++blank_run;
            continue;
        }

        auto parsed = grammars::parse_iomem_line(line);
        if (auto* err = std::get_if<grammars::IomemLineError>(&parsed)) {
            const std::string found = describe_char_at(line, err->column - 1);
            return InputError{at(source_name, line_no, err->column), fmt::format("expected {}, found {}", err->expected, found),
                              "a /proc/iomem line reads '<start>-<end> : <name>' in hex, indented by two spaces per level"};
        }
        const auto& fields = std::get<grammars::IomemLine>(parsed);
        if (fields.indent % 2 != 0)
            return InputError{at(source_name, line_no, 1),
                              fmt::format("expected an indentation of two spaces per level, found {} spaces", fields.indent), {}};
        const std::uint32_t printed_depth = fields.indent / 2;
        if (printed_depth > open.size())
            return InputError{at(source_name, line_no, 1),
                              fmt::format("expected a nesting level of at most {}, found level {} (indentation jumps more than one level)",
                                          open.size(), printed_depth),
                              {}};

        IomemEntry entry;
        entry.first = PhysAddr{fields.first};
        entry.last = PhysAddr{fields.last};
        entry.name = std::string(fields.name);
        entry.line = line_no;

        if (printed_depth < kIomemMaxPrintedDepth) {
            open.resize(printed_depth);
        } else {
            // The kernel prints everything at or below this depth with the same indentation; an entry
            // inside the one before it is its child, since siblings never contain one another.
            while (open.size() > kIomemMaxPrintedDepth && !contains_inclusive(tree.entries[open.back()], entry)) open.pop_back();
        }

        const std::size_t index = tree.entries.size();
        entry.depth = static_cast<std::uint32_t>(open.size());
        if (!open.empty()) {
            entry.parent = static_cast<std::uint32_t>(open.back());
        } else {
            tree.roots.push_back(index);
        }
        tree.entries.push_back(std::move(entry));
        tree.blank_lines_before.push_back(blank_run);
        blank_run = 0;
        open.push_back(index);
    }
    tree.blank_lines_before.push_back(blank_run);
    tree.index_children();

    if (tree.entries.empty())
        return InputError{at(source_name, 1, 1), "expected at least one '<start>-<end> : <name>' line, found an empty input", {}};

    const bool all_zero = std::all_of(tree.entries.begin(), tree.entries.end(),
                                      [](const IomemEntry& e) { return e.first.value() == 0 && e.last.value() == 0; });
    if (all_zero && tree.entries.size() > 1)
        return InputError{at(source_name, 1, 1),
                          "every address in this /proc/iomem is 0: the kernel hides addresses from readers without CAP_SYS_ADMIN",
                          "run bootmap as root, or save the dump as root (sudo cat /proc/iomem > iomem.txt) and pass it with --iomem"};
    return tree;
}

}  // namespace bootmap
