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
    // Set when the program was stopped at one of the limits: which one, in words.
    std::optional<std::string> stopped;
};

// What a helper may use: a hostile input must not make it run, write or grow without end.
struct ProcessLimits {
    unsigned wall_seconds = 120;
    unsigned cpu_seconds = 60;
    unsigned long long file_bytes = 64ull << 20;      // any file it writes, its output included (real trees: under 1 MiB)
    unsigned long long memory_bytes = 2ull << 30;      // address space
};

// nullopt when the program cannot be started (not installed).
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessLimits& limits = {});

}  // namespace bootmap
