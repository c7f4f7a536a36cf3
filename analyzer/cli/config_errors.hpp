#pragma once
// A settings file (.bootmap.toml) error as CLI11 reports it names the option, not the file: this
// finds the line of the file that holds it, so the error reads "FILE:LINE:COL: error: …" as every
// other input error does.

#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"

namespace bootmap::cli {

// `message`: CLI11's; `config_text`: the file's contents; `argv_words`: the command line, so that an
// option given there is not blamed on the file. nullopt when no line of the file is named.
std::optional<InputError> locate_config_error(const std::string& config_path, const std::string& config_text, const std::string& message,
                                              const std::vector<std::string>& argv_words);

}  // namespace bootmap::cli
