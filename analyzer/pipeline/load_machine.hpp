#pragma once
// Inputs into the one machine model: every given file read by its reader, the kernel profile from the
// options and a boot log, the command line edited as asked.

#include <string>

#include "core/input_error.hpp"
#include "model/machine.hpp"
#include "pipeline/input_options.hpp"

namespace bootmap {

// Reads every given input into one machine model; the first unusable input is the error.
// Detected kinds are reported on `log` in verbose mode.
Result<Machine> load_machine(const InputOptions& options, std::string& log);

}  // namespace bootmap
