#pragma once
// Splits a kernel command line into parameters exactly as kernel/params.c parse_args()/next_arg() do:
// whitespace separates, double quotes group (and are dropped around a value or a whole parameter),
// the first '=' splits name from value, and "--" ends the kernel's part (the rest goes to init).
// Every parameter keeps its byte offsets so findings can point at it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bootmap::grammars {

struct CmdlineParam {
    std::string name;
    std::optional<std::string> value;  // nullopt: no '=' (a flag such as "movable_node")
    std::size_t offset = 0;            // byte offset of the parameter in the command line
    std::size_t value_offset = 0;      // byte offset of the value (after '=' and an opening quote)
    std::size_t length = 0;            // bytes the parameter spans, quotes included
};

struct TokenizedCmdline {
    std::vector<CmdlineParam> params;
    std::optional<std::size_t> init_args_offset;  // where "--" handed the rest to init
};

TokenizedCmdline tokenize_cmdline(std::string_view text);

// parameq(): names compare equal when they differ only by '-' versus '_'.
bool param_name_equals(std::string_view a, std::string_view b);

}  // namespace bootmap::grammars
