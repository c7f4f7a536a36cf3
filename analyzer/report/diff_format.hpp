#pragma once
// `bootmap diff` output: one line per change, or the same as JSON.

#include <string>
#include <vector>

#include "analysis/layout_diff.hpp"

namespace bootmap {

std::string layout_change_kind_name(LayoutChangeKind kind);
// "moved     System RAM/Crash kernel  [mem 0x6f000000-0x7effffff] -> [mem ...]  (a.iomem:14, b.iomem:14)"
std::string render_layout_diff_text(const std::vector<LayoutChange>& changes, const std::string& before_file, const std::string& after_file);
std::string render_layout_diff_json(const std::vector<LayoutChange>& changes, const std::string& before_file, const std::string& after_file);

}  // namespace bootmap
