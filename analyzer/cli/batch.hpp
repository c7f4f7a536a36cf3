#pragma once
// `bootmap lint --batch DIR`: a fleet audit. Every entry of DIR is one machine: a file is one input
// (its kind detected from content), a directory holds one machine's inputs (an iomem dump, a
// command line, a kernel log, ...). Machines are linted in parallel; the report is one JSON line
// per machine, in the directory's sorted order.

#include <string>

#include "cli/commands.hpp"
#include "cli/input_options.hpp"

namespace bootmap::cli {

struct BatchOptions {
    std::string directory;
    unsigned jobs = 0;  // 0: one per core
};

// Exit code: the worst of the machines' (2 when any input was unusable, else 1 when any machine
// has an error-level finding, else 0).
int run_lint_batch(const InputOptions& shared, const OutputOptions& output, const BatchOptions& batch);

}  // namespace bootmap::cli
