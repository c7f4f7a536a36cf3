#pragma once
// The DAX kmem audit as a table for people and as JSON for scripts.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/kmem_audit.hpp"

namespace bootmap {

std::string format_kmem_table(const std::vector<KmemDeviceAudit>& audits);
// {"name", "start", "end", "hotplug_start", "hotplug_end", "stranded_head", "stranded_tail",
//  "stranded_bytes", "zone", "suggestion", ...}: addresses inclusive, all numbers JSON integers.
nlohmann::json kmem_device_json(const KmemDeviceAudit& audit);

}  // namespace bootmap
