#pragma once
// The device-tree layout as text: RAM from the memory nodes, /memreserve/ entries, each
// /reserved-memory region with where it lands (or why it does not), and the kernel's lines.

#include <string>

#include <nlohmann/json.hpp>

#include "kernel/arm64_boot.hpp"

namespace bootmap {

std::string format_dt_layout(const Arm64Boot& boot);
nlohmann::json dt_layout_json(const Arm64Boot& boot);

}  // namespace bootmap
