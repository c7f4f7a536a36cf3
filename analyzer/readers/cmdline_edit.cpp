#include "readers/cmdline_edit.hpp"

#include <algorithm>

#include "readers/cmdline_reader.hpp"

namespace bootmap {

Result<KernelCommandLine> edit_cmdline(const KernelCommandLine& base, const std::vector<std::string>& remove, const std::vector<std::string>& add) {
    std::string text;
    std::vector<SourceLocation> positions;
    const auto append = [&](std::string_view piece, const auto& where_of) {
        if (!text.empty()) {
            text += ' ';
            positions.push_back(where_of(0));
        }
        for (std::size_t i = 0; i < piece.size(); ++i) {
            text += piece[i];
            positions.push_back(where_of(i));
        }
    };
    for (const auto& p : base.params) {
        const bool dropped = std::any_of(remove.begin(), remove.end(), [&](const std::string& name) { return grammars::param_name_equals(p.name, name); });
        if (dropped || p.offset >= base.text.size()) continue;
        const std::string_view raw = std::string_view(base.text).substr(p.offset, p.length);
        append(raw, [&](std::size_t i) { return base.locate(p.offset + i); });
    }
    for (const auto& extra : add)
        append(extra, [&](std::size_t i) { return SourceLocation{"--cmdline-add", 1, static_cast<std::uint32_t>(i + 1), std::nullopt}; });
    // What follows "--" goes to init, after every kernel parameter.
    if (const auto init = grammars::tokenize_cmdline(base.text).init_args_offset; init && *init < base.text.size()) {
        const std::string_view tail = std::string_view(base.text).substr(*init);
        append(tail, [&](std::size_t i) { return base.locate(*init + i); });
    }
    auto edited = read_cmdline(base.source, text);
    if (!edited) return edited.error();
    KernelCommandLine out = std::move(edited).value();
    out.entry = base.entry;
    positions.push_back(positions.empty() ? SourceLocation{base.source} : positions.back());
    out.positions = std::move(positions);
    return out;
}

}  // namespace bootmap
