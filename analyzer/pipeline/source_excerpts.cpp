#include "pipeline/source_excerpts.hpp"

#include <filesystem>

#include "readers/text_file.hpp"

namespace bootmap {
namespace {

constexpr std::size_t kLongestExcerpt = 4096;

}  // namespace

SourceTexts::Entry& SourceTexts::entry(const std::string& file) {
    auto it = files_.find(file);
    if (it != files_.end()) return it->second;
    Entry e;
    std::error_code ec;
    if (machine_.cmdline && machine_.cmdline->source == file && !std::filesystem::exists(file, ec)) {
        e.text = machine_.cmdline->text;  // --cmdline: the option's text is the source
    } else if (!file.empty() && std::filesystem::is_regular_file(file, ec)) {
        auto loaded = load_text_file(file);
        if (loaded && !check_text(file, loaded.value().contents)) e.text = std::move(loaded.value().contents);
    }
    return files_.emplace(file, std::move(e)).first->second;
}

const std::string* SourceTexts::text(const std::string& file) {
    Entry& e = entry(file);
    return e.text ? &*e.text : nullptr;
}

std::string_view SourceTexts::line(const std::string& file, std::uint32_t line) {
    Entry& e = entry(file);
    if (!e.text || line == 0) return {};
    const std::string& t = *e.text;
    if (e.line_starts.empty()) {
        e.line_starts.push_back(0);
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t[i] == '\n') e.line_starts.push_back(i + 1);
    }
    if (line > e.line_starts.size()) return {};
    const std::size_t start = e.line_starts[line - 1];
    std::size_t end = line < e.line_starts.size() ? e.line_starts[line] - 1 : t.size();
    if (end > start && t[end - 1] == '\r') --end;
    if (end < start || end - start > kLongestExcerpt) return {};
    return std::string_view(t).substr(start, end - start);
}

void attach_source_excerpts(std::vector<Diagnostic>& diagnostics, SourceTexts& sources) {
    for (auto& d : diagnostics)
        if (d.where.line != 0 && d.where.column != 0) d.excerpt = std::string(sources.line(d.where.file, d.where.line));
}

}  // namespace bootmap
