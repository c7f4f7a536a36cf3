#pragma once
// The one path from a filled machine model to a report: run every analysis its parts allow.

#include "analysis/kmem_audit.hpp"
#include "analysis/report_model.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct AnalysisOptions {
    KmemAuditOptions kmem;
};

AnalysisReport analyze_machine(Machine machine, const AnalysisOptions& options = {});

}  // namespace bootmap
