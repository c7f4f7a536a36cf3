#pragma once
// bootmap's command-line interface as a function, so that the program, its tests and the settings
// fuzzer share it.

#include <optional>

namespace bootmap::cli {

// The whole program: parses the arguments (and the settings file) and runs the chosen command; the
// exit code.
int run_bootmap(int argc, char** argv);

// Only the parse: the exit code when parsing ends the run (help, version, a bad argument or
// settings file, reported on stderr), nullopt when the command would run.
std::optional<int> parse_bootmap_arguments(int argc, char** argv);

}  // namespace bootmap::cli
