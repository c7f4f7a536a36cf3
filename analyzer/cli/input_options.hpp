#pragma once
// The input options every command shares, bound to a command's arguments.

#include <CLI/CLI.hpp>

#include "pipeline/input_options.hpp"
#include "pipeline/load_machine.hpp"

namespace bootmap::cli {

using bootmap::InputOptions;
using bootmap::load_machine;

void add_input_options(CLI::App& command, InputOptions& options);

}  // namespace bootmap::cli
