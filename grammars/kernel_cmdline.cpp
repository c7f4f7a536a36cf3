#include "kernel_cmdline.hpp"

namespace bootmap::grammars {
namespace {

// The kernel's isspace() for the command line (lib/ctype.c): the ASCII whitespace set and byte 0xA0,
// which its Latin-1 table also marks as a space (so a UTF-8 no-break space splits a parameter after
// its 0xC2).
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || static_cast<unsigned char>(c) == 0xA0;
}

}  // namespace

bool param_name_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = a[i] == '-' ? '_' : a[i];
        const char y = b[i] == '-' ? '_' : b[i];
        if (x != y) return false;
    }
    return true;
}

TokenizedCmdline tokenize_cmdline(std::string_view text) {
    TokenizedCmdline out;
    std::size_t pos = 0;
    auto skip_spaces = [&] {
        while (pos < text.size() && is_space(text[pos])) ++pos;
    };
    skip_spaces();
    while (pos < text.size()) {
        const std::size_t start = pos;
        std::size_t args = pos;
        bool in_quote = false, quoted = false;
        if (text[args] == '"') {
            ++args;
            in_quote = quoted = true;
        }
        std::size_t i = args;
        std::optional<std::size_t> equals;
        for (; i < text.size(); ++i) {
            if (is_space(text[i]) && !in_quote) break;
            // next_arg() records the first '=' only when it is not the first character.
            if (!equals && text[i] == '=' && i != args) equals = i;
            if (text[i] == '"') in_quote = !in_quote;
        }
        // [args, i) is the parameter; quotes around the value or the whole parameter are dropped.
        std::size_t end = i;
        CmdlineParam p;
        p.offset = start;
        p.length = i - start;
        if (!equals) {
            if (quoted && end > args && text[end - 1] == '"') --end;
            p.name = std::string(text.substr(args, end - args));
        } else {
            p.name = std::string(text.substr(args, *equals - args));
            std::size_t v = *equals + 1;
            if (v < text.size() && text[v] == '"') {
                ++v;
                if (end > v && text[end - 1] == '"') --end;
            } else if (quoted && end > v && text[end - 1] == '"') {
                --end;
            }
            p.value_offset = v;
            p.value = std::string(text.substr(v, end > v ? end - v : 0));
        }
        pos = i < text.size() ? i + 1 : i;
        skip_spaces();
        if (!p.value && p.name == "--") {
            out.init_args_offset = pos;
            break;
        }
        out.params.push_back(std::move(p));
    }
    return out;
}

}  // namespace bootmap::grammars
