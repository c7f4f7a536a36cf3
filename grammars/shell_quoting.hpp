#pragma once
// The two quoting layers a kernel command line passes through on its way from /etc/default/grub:
// POSIX sh (grub-mkconfig sources the file) and GRUB's own script language (grub.cfg). Each function
// removes one layer and records, for every output character, the input offset it came from, so
// findings can point into the file the user edits.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bootmap::grammars {

struct Unquoted {
    std::string text;
    std::vector<std::uint32_t> origin;  // per output character: offset in the input
    // Every '$' that started a variable expansion (the input offset of the '$' and the name).
    struct Expansion {
        std::uint32_t offset;
        std::string name;
        std::string value;  // what it expanded to ("" when unknown or unset)
    };
    std::vector<Expansion> expansions;
    std::optional<std::uint32_t> unterminated_quote;  // offset of a quote that never closes
    std::optional<std::uint32_t> unterminated_brace;  // offset of a "${" that never closes (sh: bad substitution)
};

using VariableLookup = std::function<std::optional<std::string>(std::string_view)>;

// The value of a sh assignment's right-hand side (after '='), up to the first unquoted blank:
// single quotes literal, double quotes with \ escapes for $ ` " \ and newline, $NAME/${NAME}/$N expansion.
Unquoted unquote_shell_value(std::string_view text, std::uint32_t base_offset, const VariableLookup& lookup);

// GRUB script word processing of a whole command's arguments, joined by single spaces as GRUB passes
// them to the kernel: '...' literal, "..." and bare text with \ escapes and $name/${name}/$N expansion.
Unquoted unquote_grub_args(std::string_view text, std::uint32_t base_offset, const VariableLookup& lookup);

// Where a double-quoted value that opens with its own variable ("$NAME more", "${NAME} more")
// continues after that expansion, inside the quotes; nullopt for any other shape. Both sh
// (/etc/default/grub) and U-Boot's hush append this way, line after line.
std::optional<std::size_t> quoted_self_reference_end(std::string_view value, std::string_view name);

}  // namespace bootmap::grammars
