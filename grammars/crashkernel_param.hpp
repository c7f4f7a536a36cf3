#pragma once
// crashkernel= as kernel/crash_core.c (6.1) reads it: the last occurrence of each kind in the raw
// command line (plain, ",high", ",low"), then the simple "size[@offset]" or the range-list
// "start-[end]:size[,...][@offset]" syntax, with the kernel's warnings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bootmap::grammars {

enum class CrashkernelKind { plain, high, low };

struct CrashkernelSetting {
    bool found = false;           // -ENOENT when false
    bool valid = false;           // parsed without -EINVAL
    std::uint64_t size = 0;
    std::uint64_t base = 0;
    std::size_t offset = 0;       // of "crashkernel=" in the command line
    std::size_t value_offset = 0;
    std::size_t error_offset = 0;  // where the parse stopped, for findings
    std::string warning;          // the kernel's message ("crashkernel: ':' expected"), if any
    bool range_list = false;
    bool zero_from_ranges = false;  // "crashkernel size resulted in zero bytes"
};

// `system_ram`: what the kernel passes (memblock_phys_mem_size()); the range syntax rounds it up to
// 128 MiB before matching.
CrashkernelSetting parse_crashkernel(std::string_view cmdline, std::uint64_t system_ram, CrashkernelKind kind);

}  // namespace bootmap::grammars
