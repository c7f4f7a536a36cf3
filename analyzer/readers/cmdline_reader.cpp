#include "readers/cmdline_reader.hpp"

#include <fmt/format.h>

#include "readers/text_file.hpp"

namespace bootmap {


std::optional<InputError> check_cmdline_size(const KernelCommandLine& cmdline) {
    if (cmdline.text.size() <= kMaxCmdlineBytes) return std::nullopt;
    return InputError{cmdline.locate(0),
                      fmt::format("expected a command line of at most {} bytes, found {}{}", kMaxCmdlineBytes, cmdline.text.size(),
                                  cmdline.entry.empty() ? std::string() : fmt::format(" (entry '{}')", cmdline.entry)),
                      {}};
}

Result<KernelCommandLine> read_cmdline(std::string_view source_name, std::string_view text) {
    if (auto bad = check_text(source_name, text)) return *bad;
    std::string_view line = text;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto nl = line.find('\n'); nl != std::string_view::npos)
        return InputError{SourceLocation{std::string(source_name), 2, 1, nl + 1},
                          "expected a single-line kernel command line, found a second line", {}};
    if (line.size() > kMaxCmdlineBytes)
        return InputError{SourceLocation{std::string(source_name), 1, 1, std::nullopt},
                          fmt::format("expected a command line of at most {} bytes, found {}", kMaxCmdlineBytes, line.size()), {}};
    KernelCommandLine cmdline{std::string(source_name), std::string(line), {}, {}, {}, {}};
    cmdline.params = grammars::tokenize_cmdline(cmdline.text).params;
    return cmdline;
}

}  // namespace bootmap
