#pragma once
// The findings an iomem dump alone supports: structural errors of the tree, resource requests the
// kernel would refuse, and holes.

#include <vector>

#include "analysis/iomem_totals.hpp"
#include "core/diagnostic.hpp"
#include "model/kernel_profile.hpp"
#include "model/iomem.hpp"

namespace bootmap {

std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile);
// The same with the totals already computed (the holes come from them).
std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile, const IomemTotals& totals);

}  // namespace bootmap
