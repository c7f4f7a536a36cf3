#pragma once
// JUnit XML for CI dashboards: a test suite per input, a test case per rule per input; an
// error-level finding fails its case, warnings and notes go to the case's output.

#include "report/output_sink.hpp"
#include <string>

#include "analysis/report_model.hpp"

namespace bootmap {

std::string render_junit(const AnalysisReport& report);
void write_junit(OutputSink& sink, const AnalysisReport& report);

}  // namespace bootmap
