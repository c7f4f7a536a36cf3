#include "core/input_error.hpp"

#include <fmt/format.h>

namespace bootmap {

std::string format_input_error(const InputError& error) {
    std::string text = fmt::format("{}: error: {}", format_location(error.where), error.message);
    if (!error.hint.empty()) text += fmt::format("\n  note: {}", error.hint);
    return text;
}

}  // namespace bootmap
