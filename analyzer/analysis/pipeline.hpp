#pragma once
// The one path from a filled machine model to a report: run every analysis its parts allow.

#include "analysis/report_model.hpp"
#include "model/machine.hpp"

namespace bootmap {

AnalysisReport analyze_machine(Machine machine);

}  // namespace bootmap
