#include "pipeline/source_excerpts.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace bootmap {
namespace {

constexpr std::size_t kLongestExcerpt = 4096;
// A line longer than this is not kept whole (no excerpt, no suppression past it): bounded memory
// whatever the file.
constexpr std::size_t kLongestKeptLine = 1u << 16;
constexpr std::string_view kSuppressionMarker = "bootmap: disable";

// Splits a stream of bytes into numbered lines (CR of CRLF dropped), keeping those asked for.
class LineKeeper {
public:
    LineKeeper(const std::vector<std::uint32_t>& wanted, const SourceTexts::LineVisitor& visit, std::vector<std::pair<std::uint32_t, std::string>>& marked)
        : wanted_(wanted), visit_(visit), marked_(marked) {}

    // false once a NUL byte says the input is no text.
    bool feed(std::string_view bytes) {
        if (bytes.find('\0') != std::string_view::npos) return false;
        while (!bytes.empty()) {
            const auto eol = bytes.find('\n');
            append(bytes.substr(0, eol));
            if (eol == std::string_view::npos) break;
            finish_line();
            bytes.remove_prefix(eol + 1);
        }
        return true;
    }
    void finish() {
        if (!current_.empty() || overlong_) finish_line();
    }

private:
    void append(std::string_view part) {
        if (overlong_) return;
        if (current_.size() + part.size() > kLongestKeptLine) {
            overlong_ = true;
            current_.clear();
            return;
        }
        current_.append(part);
    }
    void finish_line() {
        ++number_;
        if (!overlong_) {
            if (!current_.empty() && current_.back() == '\r') current_.pop_back();
            if (current_.find(kSuppressionMarker) != std::string::npos) marked_.emplace_back(number_, current_);
            // Lines arrive in order: the next wanted one is the only one to look for.
            while (next_wanted_ < wanted_.size() && wanted_[next_wanted_] < number_) ++next_wanted_;
            if (next_wanted_ < wanted_.size() && wanted_[next_wanted_] == number_ && current_.size() <= kLongestExcerpt && visit_)
                visit_(number_, current_);
        }
        current_.clear();
        overlong_ = false;
    }

    const std::vector<std::uint32_t>& wanted_;
    std::size_t next_wanted_ = 0;
    const SourceTexts::LineVisitor& visit_;
    std::vector<std::pair<std::uint32_t, std::string>>& marked_;
    std::string current_;
    bool overlong_ = false;
    std::uint32_t number_ = 0;
};

}  // namespace

bool SourceTexts::scan(const std::string& file, const std::vector<std::uint32_t>& wanted, const LineVisitor& visit) {
    if (marked_.contains(file)) return true;
    auto& marked = marked_[file];
    LineKeeper keeper(wanted, visit, marked);
    bool text = true;
    std::error_code ec;
    if (machine_.cmdline && machine_.cmdline->source == file && !std::filesystem::exists(file, ec)) {
        text = keeper.feed(machine_.cmdline->text);  // --cmdline: the option's text is the source
    } else if (!file.empty() && std::filesystem::is_regular_file(file, ec)) {
        std::ifstream in(file, std::ios::binary);
        std::string chunk(std::size_t{1} << 16, '\0');  // 64 KiB: a small input costs a small buffer
        while (text && in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            text = keeper.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
        }
    }
    if (!text) {
        marked.clear();  // no comment in a binary input counts
        return false;
    }
    keeper.finish();
    return true;
}

const std::vector<std::pair<std::uint32_t, std::string>>& SourceTexts::marked_lines(const std::string& file) const {
    static const std::vector<std::pair<std::uint32_t, std::string>> kNone;
    const auto it = marked_.find(file);
    return it == marked_.end() ? kNone : it->second;
}

void scan_sources(std::vector<Diagnostic>& diagnostics, SourceTexts& sources, bool excerpts) {
    // Per file, the findings that want a line, by line: the scan hands each line to all of them.
    std::map<std::string, std::vector<std::pair<std::uint32_t, std::size_t>>> wanting;
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        const auto& where = diagnostics[i].where;
        auto& list = wanting[where.file];
        if (excerpts && where.line != 0 && where.column != 0) list.emplace_back(where.line, i);
    }
    for (auto& file_and_list : wanting) {
        const std::string& file = file_and_list.first;
        auto& list = file_and_list.second;  // named, not a structured binding: the visitor below captures it
        std::sort(list.begin(), list.end());
        std::vector<std::uint32_t> lines;
        lines.reserve(list.size());
        for (const auto& [line, index] : list)
            if (lines.empty() || lines.back() != line) lines.push_back(line);
        std::size_t next = 0;
        std::vector<std::size_t> given;  // findings that got an excerpt from this file
        const bool is_text = sources.scan(file, lines, [&](std::uint32_t line, std::string_view text) {
            while (next < list.size() && list[next].first < line) ++next;
            for (; next < list.size() && list[next].first == line; ++next) {
                diagnostics[list[next].second].excerpt = std::string(text);
                given.push_back(list[next].second);
            }
        });
        // A binary input (a NUL byte past the lines already handed out) shows no excerpt.
        if (!is_text)
            for (const std::size_t i : given) diagnostics[i].excerpt.clear();
    }
}

}  // namespace bootmap
