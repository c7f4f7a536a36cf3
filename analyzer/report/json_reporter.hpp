#pragma once
// The machine-readable report. The schema is versioned (field "schema_version"); fields are only
// ever added within a version.

#include <string>

#include "analysis/report_model.hpp"

namespace bootmap {

inline constexpr int kJsonSchemaVersion = 1;

std::string render_json(const AnalysisReport& report);

}  // namespace bootmap
