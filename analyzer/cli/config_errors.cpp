#include "cli/config_errors.hpp"

#include <algorithm>
#include <cctype>

#include "readers/text_lines.hpp"

namespace bootmap::cli {
namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

// `word` stands in `text` on its own, not as part of a longer name.
bool mentions(std::string_view text, std::string_view word) {
    if (word.empty()) return false;
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
        const bool starts = at == 0 || !identifier_char(text[at - 1]);
        const bool ends = at + word.size() == text.size() || !identifier_char(text[at + word.size()]);
        if (starts && ends) return true;
    }
    return false;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<InputError> locate_config_error(const std::string& config_path, const std::string& config_text, const std::string& message,
                                              const std::vector<std::string>& argv_words) {
    TextLines lines(config_text);
    while (auto line = lines.next()) {
        const std::string_view text = trimmed(line->text);
        if (text.empty() || text.front() == '#') continue;
        const std::size_t column = static_cast<std::size_t>(text.data() - line->text.data()) + 1;
        std::string_view key = text;
        if (const auto eq = text.find('='); eq != std::string_view::npos) key = trimmed(text.substr(0, eq));
        else if (text.front() == '[' && text.find(']') != std::string_view::npos) continue;  // a well-formed section header
        const bool on_command_line = std::any_of(argv_words.begin(), argv_words.end(), [&](const std::string& w) {
            return w == "--" + std::string(key) || w.rfind("--" + std::string(key) + "=", 0) == 0;
        });
        if (on_command_line || !(mentions(message, key) || mentions(message, "--" + std::string(key)))) continue;
        return InputError{SourceLocation{config_path, line->number, static_cast<std::uint32_t>(column), std::nullopt}, message,
                          "settings are TOML: [command] sections with the command's long option names as keys, e.g. [lint] werror = true"};
    }
    return std::nullopt;
}

}  // namespace bootmap::cli
