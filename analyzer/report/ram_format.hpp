#pragma once
// The RAM a boot leaves, as a table: the predicted boot beside the one the log records, when both are known.

#include <string>
#include <vector>

#include "analysis/ram_account.hpp"

namespace bootmap {

std::string format_ram_accounts(const std::vector<RamAccount>& accounts);

}  // namespace bootmap
