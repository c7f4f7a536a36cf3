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
    LineKeeper(const std::vector<std::uint32_t>& wanted, std::vector<std::pair<std::uint32_t, std::string>>& lines,
               std::vector<std::pair<std::uint32_t, std::string>>& marked)
        : wanted_(wanted), lines_(lines), marked_(marked) {}

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
            if (next_wanted_ < wanted_.size() && wanted_[next_wanted_] == number_ && current_.size() <= kLongestExcerpt)
                lines_.emplace_back(number_, current_);
        }
        current_.clear();
        overlong_ = false;
    }

    const std::vector<std::uint32_t>& wanted_;
    std::size_t next_wanted_ = 0;
    std::vector<std::pair<std::uint32_t, std::string>>& lines_;
    std::vector<std::pair<std::uint32_t, std::string>>& marked_;
    std::string current_;
    bool overlong_ = false;
    std::uint32_t number_ = 0;
};

}  // namespace

void SourceTexts::scan(const std::string& file, const std::vector<std::uint32_t>& wanted) {
    if (files_.contains(file)) return;
    Entry& e = files_[file];
    LineKeeper keeper(wanted, e.lines, e.marked);
    bool text = true;
    std::error_code ec;
    if (machine_.cmdline && machine_.cmdline->source == file && !std::filesystem::exists(file, ec)) {
        text = keeper.feed(machine_.cmdline->text);  // --cmdline: the option's text is the source
    } else if (!file.empty() && std::filesystem::is_regular_file(file, ec)) {
        std::ifstream in(file, std::ios::binary);
        std::string chunk(1u << 20, '\0');
        while (text && in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            text = keeper.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
        }
    }
    if (!text) {
        e = Entry{};
        return;
    }
    keeper.finish();
}

std::string_view SourceTexts::line(const std::string& file, std::uint32_t line) const {
    const auto it = files_.find(file);
    if (it == files_.end()) return {};
    const auto& lines = it->second.lines;
    const auto found = std::lower_bound(lines.begin(), lines.end(), line, [](const auto& kept, std::uint32_t n) { return kept.first < n; });
    return found == lines.end() || found->first != line ? std::string_view{} : std::string_view(found->second);
}

const std::vector<std::pair<std::uint32_t, std::string>>& SourceTexts::marked_lines(const std::string& file) const {
    static const std::vector<std::pair<std::uint32_t, std::string>> kNone;
    const auto it = files_.find(file);
    return it == files_.end() ? kNone : it->second.marked;
}

void attach_source_excerpts(std::vector<Diagnostic>& diagnostics, SourceTexts& sources) {
    for (auto& d : diagnostics)
        if (d.where.line != 0 && d.where.column != 0) d.excerpt = std::string(sources.line(d.where.file, d.where.line));
}

}  // namespace bootmap
