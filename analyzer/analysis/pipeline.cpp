#include "analysis/pipeline.hpp"

#include "analysis/iomem_checks.hpp"

namespace bootmap {

AnalysisReport analyze_machine(Machine machine) {
    AnalysisReport report;
    report.profile = machine.profile;
    if (machine.iomem) {
        report.inputs.push_back({machine.iomem->source, "iomem"});
        report.diagnostics = check_iomem(*machine.iomem, machine.profile);
        report.iomem_totals = iomem_totals(*machine.iomem);
        report.iomem = std::move(machine.iomem);
    }
    if (machine.cmdline) {
        report.inputs.push_back({machine.cmdline->source, "cmdline"});
        report.cmdline = std::move(machine.cmdline->text);
    }
    return report;
}

}  // namespace bootmap
