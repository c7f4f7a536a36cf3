#pragma once
// SARIF 2.1.0 (OASIS): one run of the bootmap driver, the whole rule catalogue with help text, each
// finding as a result with its physical location (line and column, or byte offset for binary
// inputs), the other side of an overlap as related locations, and a partial fingerprint that
// survives line moves. Code-scanning services and IDE viewers read it as it is.

#include <string>

#include "analysis/report_model.hpp"
#include "report/output_sink.hpp"

namespace bootmap {

std::string render_sarif(const AnalysisReport& report);
void write_sarif(OutputSink& sink, const AnalysisReport& report);

}  // namespace bootmap
