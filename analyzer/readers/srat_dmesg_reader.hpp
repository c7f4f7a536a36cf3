#pragma once
// The SRAT as a kernel log shows it: "SRAT: PXM p -> APIC a -> Node n" for processors and
// "ACPI: SRAT: Node n PXM p [mem a-b] hotplug non-volatile" for memory (older kernels without the
// "ACPI: " prefix). Enough to replay NUMA init when only a boot log is at hand.

#include <optional>
#include <string_view>

#include "model/srat.hpp"

namespace bootmap {

// nullopt when the log has no SRAT memory lines.
std::optional<SratTable> read_srat_from_dmesg(std::string_view source_name, std::string_view text);

}  // namespace bootmap
