#pragma once
// Walking a text input line by line, with the 1-based line number and byte offset every message
// needs, CR of CRLF endings removed. No copies: lines are views into the input.

#include <cstdint>
#include <optional>
#include <string_view>

namespace bootmap {

struct TextLine {
    std::string_view text;  // without the line terminator
    std::uint32_t number = 0;
    std::size_t offset = 0;  // of the line's first byte in the input
    bool had_cr = false;
};

class TextLines {
public:
    explicit TextLines(std::string_view text) : text_(text) {}

    std::optional<TextLine> next() {
        if (pos_ >= text_.size()) return std::nullopt;
        std::size_t eol = text_.find('\n', pos_);
        if (eol == std::string_view::npos) eol = text_.size();
        TextLine line{text_.substr(pos_, eol - pos_), ++number_, pos_, false};
        if (!line.text.empty() && line.text.back() == '\r') {
            line.text.remove_suffix(1);
            line.had_cr = true;
        }
        pos_ = eol + 1;
        return line;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::uint32_t number_ = 0;
};

}  // namespace bootmap
