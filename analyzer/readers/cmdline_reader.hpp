#pragma once
// A kernel command line saved in a file (/proc/cmdline or a copy of it): one line of parameters.

#include <string_view>

#include "core/input_error.hpp"
#include "model/machine.hpp"

namespace bootmap {

// The kernel's buffer is COMMAND_LINE_SIZE (2048 on x86, 4096 on arm64 and others); a command line
// is refused past this size however it arrives (--cmdline, a file, what a bootloader file expands
// to), with room to spare for anything real.
inline constexpr std::size_t kMaxCmdlineBytes = std::size_t{64} * 1024;

Result<KernelCommandLine> read_cmdline(std::string_view source_name, std::string_view text);

// The refusal of a command line past kMaxCmdlineBytes, at its first character; nullopt when it fits.
std::optional<InputError> check_cmdline_size(const KernelCommandLine& cmdline);

}  // namespace bootmap
