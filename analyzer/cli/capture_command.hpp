#pragma once
// `bootmap capture [DIR] [--tar FILE]`: save this machine's boot state for `--boot DIR`.

#include <string>

#include "capture/boot_capture_writer.hpp"

namespace bootmap::cli {

int run_capture(const std::string& dir, const std::string& tar, const CaptureSources& sources = {});

}  // namespace bootmap::cli
