#include "util/json_positions.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

namespace bootmap {
namespace {

// A character iterator that records how far the text has been read.
class CountingIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    CountingIterator(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
    reference operator*() const { return *at_; }
    CountingIterator& operator++() {
        ++at_;
        *furthest_ = at_;
        return *this;
    }
    CountingIterator operator++(int) {
        auto old = *this;
        ++*this;
        return old;
    }
    bool operator==(const CountingIterator& other) const { return at_ == other.at_; }
    bool operator!=(const CountingIterator& other) const { return at_ != other.at_; }

private:
    const char* at_;
    const char** furthest_;
};

// A JSON pointer's reference token: '~' and '/' escaped (RFC 6901).
std::string pointer_token(const std::string& key) {
    std::string out;
    for (const char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// Where the token that ends at or just before `at` starts: the parser may have read one character
// past a number or literal, and a string ends at its closing quote.
std::size_t token_start(std::string_view text, std::size_t at) {
    const auto delimiter = [](char c) { return c == ',' || c == ']' || c == '}' || c == ':' || c == '[' || c == '{' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t end = std::min(at, text.size());
    while (end > 0 && delimiter(text[end - 1])) --end;
    if (end == 0) return 0;
    if (text[end - 1] == '"') {
        const auto open = end >= 2 ? text.rfind('"', end - 2) : std::string_view::npos;
        return open == std::string_view::npos ? end - 1 : open;
    }
    std::size_t start = end - 1;
    while (start > 0 && !delimiter(text[start - 1]) && text[start - 1] != '"') --start;
    return start;
}

struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;
    std::string pointer;

    [[nodiscard]] std::string child() const { return pointer + "/" + (array ? std::to_string(index) : pointer_token(key)); }
};

}  // namespace

std::size_t PositionedJson::offset_of(std::string pointer) const {
    for (;;) {
        if (const auto it = offsets.find(pointer); it != offsets.end()) return it->second;
        const auto slash = pointer.rfind('/');
        if (slash == std::string::npos) return 0;
        pointer.resize(slash);
    }
}

std::optional<PositionedJson> parse_positioned_json(std::string_view text, JsonSyntaxError& error) {
    const char* const begin = text.data();
    const char* furthest = begin;
    const auto read = [&] { return static_cast<std::size_t>(furthest - begin); };
    PositionedJson out;
    std::vector<Frame> stack;
    stack.push_back(Frame{});
    const auto callback = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        Frame& top = stack.back();
        const std::size_t at = read();
        switch (event) {
            case Event::key: {
                top.key = parsed.is_string() ? parsed.get<std::string>() : std::string();
                out.offsets[top.child()] = token_start(text, at);
                break;
            }
            case Event::object_start:
            case Event::array_start: {
                const bool root = stack.size() == 1;
                const std::string pointer = root ? std::string() : top.child();
                if (top.array || root) out.offsets[pointer] = at == 0 ? 0 : at - 1;
                stack.push_back(Frame{event == Event::array_start, 0, {}, pointer});
                break;
            }
            case Event::object_end:
            case Event::array_end:
                if (stack.size() > 1) stack.pop_back();
                if (stack.back().array) ++stack.back().index;
                break;
            case Event::value:
                if (top.array) {
                    out.offsets[top.child()] = token_start(text, at);
                    ++top.index;
                }
                break;
        }
        return true;
    };
    try {
        out.value = nlohmann::json::parse(CountingIterator(begin, &furthest), CountingIterator(begin + text.size(), &furthest), callback);
    } catch (const nlohmann::json::parse_error& e) {
        error = JsonSyntaxError{e.byte == 0 ? 0 : e.byte - 1, e.what()};
        return std::nullopt;
    } catch (const nlohmann::json::exception& e) {
        // A number too large for 64 bits and the like: at the place reached.
        error = JsonSyntaxError{read(), e.what()};
        return std::nullopt;
    }
    return out;
}

}  // namespace bootmap
