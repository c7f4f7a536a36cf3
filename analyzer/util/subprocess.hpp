#pragma once
// Runs a helper program (dtc, cpp, tar) without a shell: arguments are passed as they are, stdin is
// /dev/null, and stdout/stderr are collected in anonymous memory files (memfd), so neither pipe can
// block the other and nothing is left on disk whatever happens to bootmap. The helper dies with
// bootmap (a parent-death signal): killing bootmap never leaves a dtc running.

#include <optional>
#include <string>
#include <string_view>
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

// The path under which a helper reads the i-th of the `inputs` given to run_process: they are
// handed over as open anonymous files (descriptors 3, 4, …), never written to disk.
std::string helper_input_path(std::size_t index);

// nullopt when the program cannot be started (not installed).
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessLimits& limits = {},
                                         const std::vector<std::string_view>& inputs = {});

}  // namespace bootmap
