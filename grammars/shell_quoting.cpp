#include "shell_quoting.hpp"

#include <cctype>

namespace bootmap::grammars {
namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Builder {
public:
    Builder(std::string_view in, std::uint32_t base, const VariableLookup& lookup) : in_(in), base_(base), lookup_(lookup) {}

    void emit(char c, std::size_t at) {
        out_.text.push_back(c);
        out_.origin.push_back(base_ + static_cast<std::uint32_t>(at));
    }

    // At in_[i] == '$': expands a variable if one is named there; returns the index after it, or
    // nullopt when the '$' stays literal (nothing nameable follows).
    std::optional<std::size_t> expand(std::size_t i, bool digits_are_positional_single) {
        std::size_t j = i + 1;
        std::string name;
        if (j < in_.size() && in_[j] == '{') {
            const std::size_t close = in_.find('}', j);
            if (close == std::string_view::npos) return std::nullopt;
            name = std::string(in_.substr(j + 1, close - j - 1));
            j = close + 1;
        } else if (j < in_.size() && name_start(in_[j])) {
            while (j < in_.size() && name_char(in_[j])) name.push_back(in_[j++]);
        } else if (j < in_.size() && std::isdigit(static_cast<unsigned char>(in_[j]))) {
            // sh: $1..$9 are one digit; GRUB: the whole run of digits names a positional parameter.
            if (digits_are_positional_single) {
                name.push_back(in_[j++]);
            } else {
                while (j < in_.size() && std::isdigit(static_cast<unsigned char>(in_[j]))) name.push_back(in_[j++]);
            }
        } else if (j < in_.size() && (in_[j] == '?' || in_[j] == '#' || in_[j] == '@' || in_[j] == '*')) {
            name.push_back(in_[j++]);
        } else {
            return std::nullopt;
        }
        std::string value = lookup_ ? lookup_(name).value_or("") : "";
        for (char c : value) emit(c, i);
        out_.expansions.push_back({base_ + static_cast<std::uint32_t>(i), name, value});
        return j;
    }

    Unquoted take() { return std::move(out_); }
    Unquoted& result() { return out_; }

private:
    std::string_view in_;
    std::uint32_t base_;
    const VariableLookup& lookup_;
    Unquoted out_;
};

}  // namespace

Unquoted unquote_shell_value(std::string_view in, std::uint32_t base, const VariableLookup& lookup) {
    Builder b(in, base, lookup);
    std::size_t i = 0;
    while (i < in.size()) {
        const char c = in[i];
        if (c == ' ' || c == '\t') break;  // end of the word
        if (c == '\'') {
            const std::size_t close = in.find('\'', i + 1);
            if (close == std::string_view::npos) {
                b.result().unterminated_quote = base + static_cast<std::uint32_t>(i);
                return b.take();
            }
            for (std::size_t k = i + 1; k < close; ++k) b.emit(in[k], k);
            i = close + 1;
        } else if (c == '"') {
            std::size_t k = i + 1;
            for (; k < in.size() && in[k] != '"'; ++k) {
                if (in[k] == '\\' && k + 1 < in.size() &&
                    (in[k + 1] == '$' || in[k + 1] == '`' || in[k + 1] == '"' || in[k + 1] == '\\' || in[k + 1] == '\n')) {
                    if (in[k + 1] != '\n') b.emit(in[k + 1], k + 1);
                    ++k;
                } else if (in[k] == '$') {
                    if (auto next = b.expand(k, true)) {
                        k = *next - 1;
                    } else {
                        b.emit('$', k);
                    }
                } else {
                    b.emit(in[k], k);
                }
            }
            if (k >= in.size()) {
                b.result().unterminated_quote = base + static_cast<std::uint32_t>(i);
                return b.take();
            }
            i = k + 1;
        } else if (c == '\\' && i + 1 < in.size()) {
            if (in[i + 1] != '\n') b.emit(in[i + 1], i + 1);
            i += 2;
        } else if (c == '$') {
            if (auto next = b.expand(i, true)) {
                i = *next;
            } else {
                b.emit('$', i++);
            }
        } else {
            b.emit(c, i++);
        }
    }
    return b.take();
}

Unquoted unquote_grub_args(std::string_view in, std::uint32_t base, const VariableLookup& lookup) {
    Builder b(in, base, lookup);
    std::size_t i = 0;
    bool pending_space = false;
    bool word_started = false;
    while (i < in.size()) {
        const char c = in[i];
        if (c == ' ' || c == '\t') {
            if (word_started) pending_space = true;
            ++i;
            continue;
        }
        if (pending_space) {
            b.emit(' ', i);
            pending_space = false;
        }
        word_started = true;
        if (c == '\'') {
            const std::size_t close = in.find('\'', i + 1);
            if (close == std::string_view::npos) {
                b.result().unterminated_quote = base + static_cast<std::uint32_t>(i);
                return b.take();
            }
            for (std::size_t k = i + 1; k < close; ++k) b.emit(in[k], k);
            i = close + 1;
        } else if (c == '"') {
            std::size_t k = i + 1;
            for (; k < in.size() && in[k] != '"'; ++k) {
                if (in[k] == '\\' && k + 1 < in.size() && (in[k + 1] == '$' || in[k + 1] == '"' || in[k + 1] == '\\')) {
                    b.emit(in[k + 1], k + 1);
                    ++k;
                } else if (in[k] == '$') {
                    if (auto next = b.expand(k, false)) {
                        k = *next - 1;
                    } else {
                        b.emit('$', k);
                    }
                } else {
                    b.emit(in[k], k);
                }
            }
            if (k >= in.size()) {
                b.result().unterminated_quote = base + static_cast<std::uint32_t>(i);
                return b.take();
            }
            i = k + 1;
        } else if (c == '\\' && i + 1 < in.size()) {
            b.emit(in[i + 1], i + 1);
            i += 2;
        } else if (c == '$') {
            if (auto next = b.expand(i, false)) {
                i = *next;
            } else {
                b.emit('$', i++);
            }
        } else {
            b.emit(c, i++);
        }
    }
    return b.take();
}

}  // namespace bootmap::grammars
