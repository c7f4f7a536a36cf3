#include "analysis/pipeline.hpp"

#include "analysis/e820_checks.hpp"
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
    if (machine.firmware_e820) {
        report.inputs.push_back({machine.firmware_e820->source, "e820"});
        if (machine.profile.arch == Arch::x86_64) {
            const auto params = machine.cmdline ? machine.cmdline->params : std::vector<grammars::CmdlineParam>{};
            report.e820_setup = replay_x86_e820(*machine.firmware_e820, params, machine.profile);
            auto found = check_e820_setup(machine, *report.e820_setup);
            report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
        }
        report.firmware_e820 = machine.firmware_e820;
    }
    if (machine.cmdline) {
        report.inputs.push_back({machine.cmdline->source, "cmdline"});
        report.cmdline = machine.cmdline->text;
    }
    return report;
}

}  // namespace bootmap
