#pragma once
// Levenshtein distance between two short words: how many single-character edits turn one into the
// other ("crashkernal" is one from "crashkernel"), for typo findings and did-you-mean hints.

#include <cstddef>
#include <string_view>

namespace bootmap {

std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace bootmap
