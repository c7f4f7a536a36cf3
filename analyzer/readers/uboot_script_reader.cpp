#include "readers/uboot_script_reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "grammars/kernel_cmdline.hpp"
#include "grammars/shell_quoting.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

// --- words ---------------------------------------------------------------------------------------

enum class TokenKind { word, separator, and_then, or_else };

struct Token {
    TokenKind kind = TokenKind::word;
    std::string_view raw;  // the word as written, quotes included
    std::uint32_t offset = 0;
};

struct ScriptError {
    std::uint32_t offset;
    std::string message;
};

// Hush's words: blanks separate them, newlines and ';' end a command, "&&" and "||" chain two; quotes
// group, a backslash takes the next character, '#' at the start of a word comments to the line end.
std::optional<ScriptError> tokenize(std::string_view text, std::vector<Token>& out) {
    std::size_t i = 0;
    const auto word_end = [&](std::size_t from) {
        std::size_t k = from;
        while (k < text.size()) {
            const char c = text[k];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';') break;
            if ((c == '&' || c == '|') && k + 1 < text.size() && text[k + 1] == c) break;
            if (c == '\\' && k + 1 < text.size()) {
                k += 2;
                continue;
            }
            if (c == '"' || c == '\'') {
                std::size_t close = k + 1;
                while (close < text.size() && text[close] != c) close += (c == '"' && text[close] == '\\' && close + 1 < text.size()) ? 2 : 1;
                if (close >= text.size()) return std::optional<std::size_t>{};
                k = close + 1;
                continue;
            }
            ++k;
        }
        return std::optional<std::size_t>{k};
    };
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
        } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
            i += 2;  // a line continued
        } else if (c == '\n' || c == ';') {
            out.push_back({TokenKind::separator, text.substr(i, 1), static_cast<std::uint32_t>(i)});
            ++i;
        } else if ((c == '&' || c == '|') && i + 1 < text.size() && text[i + 1] == c) {
            out.push_back({c == '&' ? TokenKind::and_then : TokenKind::or_else, text.substr(i, 2), static_cast<std::uint32_t>(i)});
            i += 2;
        } else if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else {
            const auto end = word_end(i);
            if (!end) return ScriptError{static_cast<std::uint32_t>(i), "expected a closing quote for the quote in this word, found the end of the script"};
            out.push_back({TokenKind::word, text.substr(i, *end - i), static_cast<std::uint32_t>(i)});
            i = *end;
        }
    }
    return std::nullopt;
}

// --- the script as a tree ------------------------------------------------------------------------

struct AndOr;
using List = std::vector<AndOr>;

struct Command {
    enum class Kind { simple, if_clause, for_loop } kind = Kind::simple;
    std::vector<Token> words;                   // simple: the command and its arguments
    std::vector<std::pair<List, List>> branches;  // if/elif: condition, body
    std::optional<List> otherwise;              // else
    Token variable;                             // for: the loop variable
    std::vector<Token> items;                   // for: the words it runs over
    List body;                                  // for
};

struct AndOr {
    std::vector<Command> commands;
    std::vector<TokenKind> links;  // between commands: and_then or or_else
};

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : tokens_(tokens) {}

    // A list up to one of `stops` (a keyword at a command's start) or the end.
    std::optional<ScriptError> list(List& out, std::initializer_list<std::string_view> stops, std::string_view& stopped_at) {
        stopped_at = {};
        while (true) {
            skip_separators();
            if (at_end()) return std::nullopt;
            if (std::find(stops.begin(), stops.end(), peek().raw) != stops.end()) {
                stopped_at = peek().raw;
                return std::nullopt;
            }
            AndOr chain;
            while (true) {
                Command command;
                if (auto error = parse_command(command)) return error;
                chain.commands.push_back(std::move(command));
                if (!at_end() && (peek().kind == TokenKind::and_then || peek().kind == TokenKind::or_else)) {
                    chain.links.push_back(peek().kind);
                    ++at_;
                    skip_separators();
                    continue;
                }
                break;
            }
            out.push_back(std::move(chain));
        }
    }

    [[nodiscard]] bool at_end() const { return at_ >= tokens_.size(); }
    [[nodiscard]] const Token& peek() const { return tokens_[at_]; }

private:
    void skip_separators() {
        while (!at_end() && tokens_[at_].kind == TokenKind::separator) ++at_;
    }

    std::optional<ScriptError> expect(std::string_view keyword, const Token& opened, std::string_view what) {
        if (!at_end() && peek().raw == keyword) {
            ++at_;
            return std::nullopt;
        }
        return ScriptError{opened.offset, fmt::format("expected '{}' for the '{}' here, found {}", keyword, what,
                                                       at_end() ? std::string("the end of the script") : "'" + std::string(peek().raw) + "'")};
    }

    std::optional<ScriptError> parse_command(Command& out) {
        const Token first = peek();
        const bool compound = first.kind == TokenKind::word && (first.raw == "if" || first.raw == "for");
        if (compound) {
            // Real scripts nest a few levels; a hostile one must not exhaust the stack.
            if (depth_ >= kMaxDepth) return ScriptError{first.offset, fmt::format("expected if and for nested at most {} deep", kMaxDepth)};
            ++depth_;
            auto error = first.raw == "if" ? parse_if(out) : parse_for(out);
            --depth_;
            return error;
        }
        while (!at_end() && peek().kind == TokenKind::word) out.words.push_back(tokens_[at_++]);
        if (out.words.empty()) return ScriptError{first.offset, fmt::format("expected a command, found '{}'", first.raw)};
        return std::nullopt;
    }

    std::optional<ScriptError> parse_if(Command& out) {
        out.kind = Command::Kind::if_clause;
        const Token opened = tokens_[at_++];
        std::string_view stop;
        while (true) {
            List condition, body;
            if (auto e = list(condition, {"then"}, stop)) return e;
            if (auto e = expect("then", opened, "if")) return e;
            if (auto e = list(body, {"elif", "else", "fi"}, stop)) return e;
            out.branches.emplace_back(std::move(condition), std::move(body));
            if (stop == "elif") {
                ++at_;
                continue;
            }
            break;
        }
        if (stop == "else") {
            ++at_;
            List otherwise;
            if (auto e = list(otherwise, {"fi"}, stop)) return e;
            out.otherwise = std::move(otherwise);
        }
        return expect("fi", opened, "if");
    }

    std::optional<ScriptError> parse_for(Command& out) {
        out.kind = Command::Kind::for_loop;
        const Token opened = tokens_[at_++];
        if (at_end() || peek().kind != TokenKind::word) return ScriptError{opened.offset, "expected a variable name after 'for'"};
        out.variable = tokens_[at_++];
        if (auto e = expect("in", opened, "for")) return e;
        while (!at_end() && peek().kind == TokenKind::word) out.items.push_back(tokens_[at_++]);
        std::string_view stop;
        List ignored;
        if (auto e = list(ignored, {"do"}, stop)) return e;
        if (auto e = expect("do", opened, "for")) return e;
        if (auto e = list(out.body, {"done"}, stop)) return e;
        return expect("done", opened, "for");
    }

    static constexpr int kMaxDepth = 64;
    const std::vector<Token>& tokens_;
    std::size_t at_ = 0;
    int depth_ = 0;
};

// --- running it ----------------------------------------------------------------------------------

// A variable's value, each character with the script offset it was written at.
struct Value {
    std::string text;
    std::vector<std::uint32_t> origin;

    void append(const Value& other) {
        text += other.text;
        origin.insert(origin.end(), other.origin.begin(), other.origin.end());
    }
    void push(char c, std::uint32_t at) {
        text.push_back(c);
        origin.push_back(at);
    }
};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Runner {
public:
    Runner(std::string_view source, const std::map<std::string, std::string>* imported) : source_(source), imported_(imported) {}

    // Runs until a boot command; false when it stopped there.
    bool run(const List& list) {
        for (const auto& chain : list) {
            run_chain(chain);
            if (booted_ || ++steps_ > kMaxSteps) return false;
        }
        return true;
    }

    std::map<std::string, Value> env;
    std::set<std::string> assumptions;
    std::optional<Arch> boot_arch;
    bool boot_arch_family_only = false;
    std::string boot_command;
    std::uint32_t boot_offset = 0;

private:
    static constexpr std::size_t kMaxSteps = 1'000'000;  // a loop over a hostile script's words stops here

    // The word's text: quotes removed, ${name} and $name replaced by their values (which keep where
    // they were written), a backslash taking the next character.
    // `from`, `quote`: where to start in the word, and inside which quote.
    Value expand(const Token& word, std::size_t from = 0, char quote = 0) const {
        Value out;
        const std::string_view raw = word.raw;
        for (std::size_t i = from; i < raw.size(); ++i) {
            const char c = raw[i];
            const auto at = word.offset + static_cast<std::uint32_t>(i);
            if (quote == '\'') {
                if (c == '\'')
                    quote = 0;
                else
                    out.push(c, at);
            } else if (c == '\\' && i + 1 < raw.size()) {
                out.push(raw[i + 1], at + 1);
                ++i;
            } else if (c == '"') {
                quote = quote == '"' ? 0 : '"';
            } else if (c == '\'' && quote == 0) {
                quote = '\'';
            } else if (c == '$' && i + 1 < raw.size() && (raw[i + 1] == '{' || name_char(raw[i + 1]))) {
                std::size_t end = i + 1;
                std::string name;
                if (raw[end] == '{') {
                    const auto close = raw.find('}', end);
                    if (close == std::string_view::npos) {
                        out.push(c, at);
                        continue;
                    }
                    name = std::string(raw.substr(end + 1, close - end - 1));
                    end = close + 1;
                } else {
                    while (end < raw.size() && name_char(raw[end])) name.push_back(raw[end++]);
                }
                if (const auto it = env.find(name); it != env.end()) out.append(it->second);
                i = end - 1;
            } else {
                out.push(c, at);
            }
        }
        return out;
    }

    void set(const std::string& name, Value value) { env[name] = std::move(value); }

    bool run_chain(const AndOr& chain) {
        bool status = run_command(chain.commands.front());
        for (std::size_t i = 1; i < chain.commands.size() && !booted_; ++i) {
            const bool and_then = chain.links[i - 1] == TokenKind::and_then;
            if (status == and_then) status = run_command(chain.commands[i]);
        }
        return status;
    }

    bool run_list_status(const List& list) {
        bool status = true;
        for (const auto& chain : list) {
            status = run_chain(chain);
            if (booted_) break;
        }
        return status;
    }

    bool run_command(const Command& command) {
        if (++steps_ > kMaxSteps) return false;
        switch (command.kind) {
            case Command::Kind::if_clause:
                for (const auto& [condition, body] : command.branches) {
                    if (run_list_status(condition)) return booted_ ? true : run_list_status(body);
                    if (booted_) return true;
                }
                return command.otherwise ? run_list_status(*command.otherwise) : true;
            case Command::Kind::for_loop: {
                std::vector<std::string> items;
                for (const auto& item : command.items) {
                    const Value v = expand(item);
                    std::size_t at = 0;
                    while (at < v.text.size()) {
                        const auto start = v.text.find_first_not_of(' ', at);
                        if (start == std::string::npos) break;
                        const auto end = v.text.find(' ', start);
                        items.push_back(v.text.substr(start, end - start));
                        at = end == std::string::npos ? v.text.size() : end;
                    }
                }
                for (const auto& item : items) {
                    Value v;
                    for (char c : item) v.push(c, command.variable.offset);
                    set(std::string(command.variable.raw), v);
                    run_list_status(command.body);
                    if (booted_) break;
                }
                return true;
            }
            case Command::Kind::simple: return run_simple(command.words);
        }
        return true;
    }

    bool run_simple(const std::vector<Token>& words) {
        const std::string_view name = words.front().raw;
        // A hush assignment: NAME=value.
        if (const auto eq = name.find('='); eq != std::string_view::npos && eq > 0 &&
                                             std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(eq), name_char)) {
            Token value = words.front();
            value.raw = name.substr(eq + 1);
            value.offset += static_cast<std::uint32_t>(eq + 1);
            set(std::string(name.substr(0, eq)), expand(value));
            return true;
        }
        if (name == "setenv" || (name == "env" && words.size() > 1 && words[1].raw == "set")) {
            const std::size_t first = name == "setenv" ? 1 : 2;
            std::size_t at = first;
            if (at < words.size() && words[at].raw == "-f") ++at;
            if (at >= words.size()) return true;
            const std::string variable = expand(words[at]).text;
            if (at + 1 >= words.size()) {
                env.erase(variable);
                return true;
            }
            Value value;
            std::size_t k = at + 1;
            if (const auto rest = grammars::quoted_self_reference_end(words[k].raw, variable); rest && env.contains(variable)) {
                // setenv bootargs "${bootargs} more": appended in place, so a script that does it line
                // after line stays linear, and what the variable held keeps where it was written.
                value = std::move(env[variable]);
                value.append(expand(words[k], *rest, '"'));
                ++k;
            }
            for (; k < words.size(); ++k) {
                if (k > at + 1) value.push(' ', words[k].offset);
                value.append(expand(words[k]));
            }
            set(variable, std::move(value));
            return true;
        }
        if (name == "test") return run_test(words);
        if (name == "env" && words.size() > 1 && words[1].raw == "import") {
            if (imported_) {
                for (const auto& [key, text] : *imported_) {
                    Value v;
                    for (char c : text) v.push(c, words.front().offset);
                    set(key, std::move(v));
                }
            } else {
                assumptions.insert("'env import' brings in no variables: the environment it reads (armbianEnv.txt, uEnv.txt) was not given");
            }
            return true;
        }
        if (name == "booti" || name == "bootz" || name == "bootm" || name == "bootefi") {
            booted_ = true;
            boot_arch = name == "bootz" ? Arch::arm : Arch::arm64;
            boot_arch_family_only = name == "bootm" || name == "bootefi";
            boot_offset = words.front().offset;
            for (const auto& w : words) boot_command += (boot_command.empty() ? "" : " ") + std::string(w.raw);
            return true;
        }
        if (name == "itest" || name.starts_with("itest.")) {
            assumptions.insert("'itest' comparisons of memory and numbers are taken as true");
            return true;
        }
        if (name == "run" || name == "source") assumptions.insert("'run' and 'source' of scripts stored elsewhere are not followed");
        // load, fdt, part, setexpr, echo, …: taken to succeed.
        return true;
    }

    // test: = and != of strings, -n and -z, numeric comparisons; a file test (-e) is taken as true.
    bool run_test(const std::vector<Token>& words) {
        std::vector<std::string> args;
        for (std::size_t k = 1; k < words.size(); ++k) args.push_back(expand(words[k]).text);
        bool negate = false;
        if (!args.empty() && args.front() == "!") {
            negate = true;
            args.erase(args.begin());
        }
        bool result = true;
        if (args.size() == 3 && (args[1] == "=" || args[1] == "==")) {
            result = args[0] == args[2];
        } else if (args.size() == 3 && args[1] == "!=") {
            result = args[0] != args[2];
        } else if (args.size() == 2 && args[0] == "-n") {
            result = !args[1].empty();
        } else if (args.size() == 2 && args[0] == "-z") {
            result = args[1].empty();
        } else if (args.size() == 1) {
            result = !args[0].empty();
        } else if (args.size() == 3 && args[1].size() == 3 && args[1][0] == '-') {
            char* end0 = nullptr;
            char* end2 = nullptr;
            const long long a = std::strtoll(args[0].c_str(), &end0, 0);
            const long long b = std::strtoll(args[2].c_str(), &end2, 0);
            const std::string& op = args[1];
            if (*end0 == 0 && *end2 == 0 && !args[0].empty() && !args[2].empty()) {
                result = op == "-eq" ? a == b : op == "-ne" ? a != b : op == "-lt" ? a < b : op == "-le" ? a <= b : op == "-gt" ? a > b : a >= b;
            }
        } else if (!args.empty() && args.front() == "-e") {
            assumptions.insert("file tests ('test -e') are taken as true: the files the script looks for exist");
        }
        return negate ? !result : result;
    }

    std::string_view source_;
    const std::map<std::string, std::string>* imported_;
    bool booted_ = false;
    std::size_t steps_ = 0;
};

// Script offsets as file:line:column, by a binary search over the line starts.
class Locator {
public:
    Locator(std::string_view source, std::string_view text) : source_(source) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
    [[nodiscard]] SourceLocation at(std::uint32_t offset) const {
        const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
        return SourceLocation{std::string(source_), static_cast<std::uint32_t>(it - starts_.begin() + 1), offset - *it + 1, std::nullopt};
    }

private:
    std::string_view source_;
    std::vector<std::uint32_t> starts_;
};

}  // namespace

bool looks_like_uboot_script(std::string_view text) {
    TextLines lines(text);
    while (auto line = lines.next()) {
        std::string_view l = line->text;
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
        if (l.starts_with("setenv ") || l.starts_with("setenv\t")) return true;
    }
    return false;
}

Result<UbootScriptRun> run_uboot_script(std::string_view source, std::string_view text, const std::map<std::string, std::string>* imported) {
    const Locator where(source, text);
    std::vector<Token> tokens;
    if (auto error = tokenize(text, tokens)) return InputError{where.at(error->offset), error->message, {}};
    Parser parser(tokens);
    List script;
    std::string_view stopped;
    if (auto error = parser.list(script, {"then", "elif", "else", "fi", "do", "done"}, stopped))
        return InputError{where.at(error->offset), error->message, {}};
    if (!parser.at_end())
        return InputError{where.at(parser.peek().offset), fmt::format("expected a command, found '{}' outside any if or for", stopped), {}};
    Runner runner(source, imported);
    runner.run(script);
    const auto bootargs = runner.env.find("bootargs");
    if (bootargs == runner.env.end() || bootargs->second.text.empty())
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt}, "expected this boot script to set bootargs before it boots, found none",
                          "U-Boot passes no command line of its own then; give the board's DTB (its /chosen/bootargs) or --cmdline"};
    UbootScriptRun out;
    out.cmdline.source = std::string(source);
    out.cmdline.text = bootargs->second.text;
    out.cmdline.params = grammars::tokenize_cmdline(out.cmdline.text).params;
    out.cmdline.positions.reserve(bootargs->second.origin.size());
    for (const auto o : bootargs->second.origin) out.cmdline.positions.push_back(where.at(o));
    out.cmdline.entry = "boot script";
    out.boot_arch = runner.boot_arch;
    out.boot_arch_family_only = runner.boot_arch_family_only;
    out.boot_command = runner.boot_command;
    out.boot_at = where.at(runner.boot_offset);
    out.assumptions.assign(runner.assumptions.begin(), runner.assumptions.end());
    if (out.boot_command.empty()) out.assumptions.emplace_back("the script reaches no boot command: its bootargs at the end are taken");
    return out;
}

}  // namespace bootmap
