#pragma once
// The one machine model every reader fills and every analysis reads. Each part is optional: a run
// analyses what its inputs describe and says what is missing for the rest.

#include <optional>
#include <string>
#include <vector>

#include "kernel/kernel_profile.hpp"
#include "model/iomem.hpp"

namespace bootmap {

struct KernelCommandLine {
    std::string source;  // file (or "/proc/cmdline", or "--cmdline")
    std::string text;    // exactly as given, without the trailing newline
};

struct Machine {
    KernelProfile profile;
    std::optional<IomemTree> iomem;
    std::optional<KernelCommandLine> cmdline;
};

}  // namespace bootmap
