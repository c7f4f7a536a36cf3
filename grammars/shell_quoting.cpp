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
            if (close == std::string_view::npos) {
                // sh stops with "Bad substitution", and grub-mkconfig with it; GRUB's parser refuses it too.
                if (!out_.unterminated_brace) out_.unterminated_brace = base_ + static_cast<std::uint32_t>(i);
                return std::nullopt;
            }
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
        // In bulk: a file that appends to one variable line after line expands ever longer values.
        out_.text.append(value);
        out_.origin.insert(out_.origin.end(), value.size(), base_ + static_cast<std::uint32_t>(i));
        out_.expansions.push_back({base_ + static_cast<std::uint32_t>(i), name, value});
        return j;
    }

    Unquoted take() { return std::move(out_); }

    // The pieces both languages share. Each returns the index after what it consumed, or nullopt for
    // an unterminated quote (recorded in the result).
    std::optional<std::size_t> single_quoted(std::size_t i) {
        const std::size_t close = in_.find('\'', i + 1);
        if (close == std::string_view::npos) return unterminated(i);
        for (std::size_t k = i + 1; k < close; ++k) emit(in_[k], k);
        return close + 1;
    }

    // Inside "...": a backslash escapes only the characters in `escapes` (a newline escaped this way
    // disappears); '$' expands.
    std::optional<std::size_t> double_quoted(std::size_t i, std::string_view escapes, bool single_digit_positional) {
        std::size_t k = i + 1;
        while (k < in_.size() && in_[k] != '"') {
            if (in_[k] == '\\' && k + 1 < in_.size() && escapes.find(in_[k + 1]) != std::string_view::npos) {
                if (in_[k + 1] != '\n') emit(in_[k + 1], k + 1);
                k += 2;
            } else if (in_[k] == '$') {
                k = dollar(k, single_digit_positional);
            } else {
                emit(in_[k], k);
                ++k;
            }
        }
        if (k >= in_.size()) return unterminated(i);
        return k + 1;
    }

    // A '$' outside single quotes: an expansion, or a literal '$' when nothing nameable follows.
    std::size_t dollar(std::size_t i, bool single_digit_positional) {
        if (auto next = expand(i, single_digit_positional)) return *next;
        emit('$', i);
        return i + 1;
    }

    // An unquoted backslash takes the next character literally (a newline: a line continuation).
    std::size_t backslash(std::size_t i) {
        if (in_[i + 1] != '\n') emit(in_[i + 1], i + 1);
        return i + 2;
    }

private:
    std::optional<std::size_t> unterminated(std::size_t i) {
        out_.unterminated_quote = base_ + static_cast<std::uint32_t>(i);
        return std::nullopt;
    }

    std::string_view in_;
    std::uint32_t base_;
    const VariableLookup& lookup_;
    Unquoted out_;
};

// Processes one word (sh) or the whole argument list (GRUB) with the given dialect.
struct Dialect {
    std::string_view double_quote_escapes;
    bool single_digit_positional;  // sh: $1..$9; GRUB: a whole run of digits
    bool all_words;                // GRUB: every word, joined by one space; sh: the first word only
};

Unquoted unquote(std::string_view in, std::uint32_t base, const VariableLookup& lookup, const Dialect& dialect) {
    Builder b(in, base, lookup);
    std::size_t i = 0;
    bool pending_space = false, word_started = false;
    while (i < in.size()) {
        const char c = in[i];
        if (c == ' ' || c == '\t') {
            if (!dialect.all_words) break;
            if (word_started) pending_space = true;
            ++i;
            continue;
        }
        if (pending_space) {
            b.emit(' ', i);
            pending_space = false;
        }
        word_started = true;
        std::optional<std::size_t> next;
        if (c == '\'') next = b.single_quoted(i);
        else if (c == '"') next = b.double_quoted(i, dialect.double_quote_escapes, dialect.single_digit_positional);
        else if (c == '\\' && i + 1 < in.size()) next = b.backslash(i);
        else if (c == '$') next = b.dollar(i, dialect.single_digit_positional);
        else {
            b.emit(c, i);
            next = i + 1;
        }
        if (!next) break;
        i = *next;
    }
    return b.take();
}

}  // namespace

Unquoted unquote_shell_value(std::string_view in, std::uint32_t base, const VariableLookup& lookup) {
    return unquote(in, base, lookup, Dialect{"$`\"\\\n", true, false});
}

Unquoted unquote_grub_args(std::string_view in, std::uint32_t base, const VariableLookup& lookup) {
    return unquote(in, base, lookup, Dialect{"$\"\\", false, true});
}

std::optional<std::size_t> quoted_self_reference_end(std::string_view value, std::string_view name) {
    if (name.empty() || value.size() < name.size() + 2 || value[0] != '"' || value[1] != '$') return std::nullopt;
    const bool braced = value.size() > 2 && value[2] == '{';
    const std::size_t at = braced ? 3 : 2;
    if (value.substr(at, name.size()) != name) return std::nullopt;
    const std::size_t end = at + name.size();
    if (braced) return end < value.size() && value[end] == '}' ? std::optional<std::size_t>(end + 1) : std::nullopt;
    if (end < value.size() && name_char(value[end])) return std::nullopt;
    return end;
}

}  // namespace bootmap::grammars
