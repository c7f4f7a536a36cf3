#pragma once
// Runs a helper program (dtc, cpp) without a shell: arguments are passed as they are, stdin is
// /dev/null, and stdout/stderr are collected through temporary files so neither pipe can block the
// other.

#include <optional>
#include <string>
#include <vector>

namespace bootmap {

struct ProcessResult {
    int exit_status = -1;  // exit code; -1 when it died by a signal
    std::string out;
    std::string err;
};

// nullopt when the program cannot be started (not installed).
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv);

}  // namespace bootmap
