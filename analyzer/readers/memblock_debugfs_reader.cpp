#include "readers/memblock_debugfs_reader.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "readers/text_lines.hpp"

namespace bootmap {

Result<std::vector<AddrRange>> read_memblock_debugfs(std::string_view source, std::string_view text) {
    static const RE2 row(R"(\s*\d+: 0x([0-9a-f]{1,16})\.\.0x([0-9a-f]{1,16})(\s.*)?)");
    std::vector<AddrRange> out;
    TextLines lines(text);
    while (const auto next = lines.next()) {
        const std::string_view line = next->text;
        const std::uint32_t number = next->number;
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        std::string first, last;
        if (!RE2::FullMatch(line, row, &first, &last))
            return InputError{SourceLocation{std::string(source), number, 1, std::nullopt},
                              fmt::format("expected a memblock line '   N: 0xBASE..0xLAST', found '{}'", line.substr(0, 80)), {}};
        const auto range = AddrRange::from_inclusive(PhysAddr{std::stoull(first, nullptr, 16)}, PhysAddr{std::stoull(last, nullptr, 16)});
        if (!range)
            return InputError{SourceLocation{std::string(source), number, 1, std::nullopt}, "expected an end at or above the start", {}};
        out.push_back(*range);
    }
    return out;
}

}  // namespace bootmap
