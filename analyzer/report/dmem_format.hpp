#pragma once
// dmem= outcomes per node, as a table and as JSON.

#include <string>

#include <nlohmann/json.hpp>

#include "kernel/dmem.hpp"

namespace bootmap {

std::string format_dmem_table(const DmemOutcome& dmem);
nlohmann::json dmem_json(const DmemOutcome& dmem);

}  // namespace bootmap
