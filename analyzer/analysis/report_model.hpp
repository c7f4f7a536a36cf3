#pragma once
// Everything an analysis run found, in one value that reporters format and never recompute.

#include <optional>
#include <string>
#include <vector>

#include "analysis/iomem_totals.hpp"
#include "core/diagnostic.hpp"
#include "kernel/kernel_profile.hpp"
#include "model/iomem.hpp"

namespace bootmap {

struct InputSummary {
    std::string file;
    std::string kind;  // "iomem", "cmdline", ...
};

struct AnalysisReport {
    KernelProfile profile;
    std::vector<InputSummary> inputs;
    std::optional<IomemTree> iomem;
    std::optional<IomemTotals> iomem_totals;
    std::optional<std::string> cmdline;
    std::vector<Diagnostic> diagnostics;
};

}  // namespace bootmap
