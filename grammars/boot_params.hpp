#pragma once
// The values of the memory-related boot parameters not covered elsewhere, each parsed as its kernel
// handler reads it, with the handler's own messages when it refuses or ignores the value:
// cma=, hugepagesz=, hugepages=, default_hugepagesz=, hugetlb_cma=, kernelcore=, movablecore=,
// numa=, efi_fake_mem=, reserve=, reserve_mem=, memblock=, dmem=.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memparse.hpp"

namespace bootmap::grammars {

// What a handler did with its value. `messages` are the kernel's lines, without timestamps.
struct ParamVerdict {
    bool accepted = true;          // false: ignored or refused
    bool malformed_early = false;  // the kernel also prints "Malformed early option '<name>'"
    std::vector<std::string> messages;
    std::size_t error_offset = 0;  // within the value, where the trouble starts
};

struct CmaParam {
    ParamVerdict verdict;
    std::uint64_t size = 0, base = 0, limit = 0;
    bool fixed = false;  // "@start" without "-end": base + size is the limit
};
CmaParam parse_cma(std::string_view value);

// Sizes the architecture supports for huge pages (x86_64: 2 MiB, 1 GiB with GBPAGES).
struct HugepageSizes {
    std::vector<std::uint64_t> supported;
    std::uint64_t default_size;
};
HugepageSizes hugepage_sizes_x86_64(bool gbpages);

struct HugepageRequest {
    std::uint64_t page_size;
    std::uint64_t count = 0;
    std::vector<std::pair<int, std::uint64_t>> per_node;  // "hugepages=0:2,1:4"
};

// The hugetlb parameters are processed together, in command-line order, with state carried from
// one to the next (which hugepagesz= a hugepages= follows).
struct HugetlbConfig {
    std::vector<HugepageRequest> requests;
    std::optional<std::uint64_t> default_size;
    std::vector<std::pair<std::size_t, ParamVerdict>> verdicts;  // per parameter index
};
struct NamedValue {
    std::size_t index;  // parameter index on the command line
    std::string name;
    std::string value;
};
HugetlbConfig parse_hugetlb(const std::vector<NamedValue>& params, const HugepageSizes& sizes);

struct HugetlbCma {
    ParamVerdict verdict;
    std::uint64_t size = 0;
    std::vector<std::pair<int, std::uint64_t>> per_node;
};
HugetlbCma parse_hugetlb_cma(std::string_view value, std::uint64_t gigantic_page);

struct CoreParam {
    ParamVerdict verdict;
    bool mirror = false;
    std::optional<std::uint64_t> percent;
    std::uint64_t bytes = 0;
};
CoreParam parse_kernelcore(std::string_view value, bool allow_mirror);

struct NumaParam {
    ParamVerdict verdict;
    bool off = false, noacpi = false;
    std::optional<std::string> fake;
};
NumaParam parse_numa(std::string_view value);

struct EfiFakeMem {
    ParamVerdict verdict;
    struct Range {
        std::uint64_t start, size, attribute;
    };
    std::vector<Range> ranges;
};
EfiFakeMem parse_efi_fake_mem(std::string_view value);

struct ReserveParam {
    ParamVerdict verdict;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // start, size
};
ReserveParam parse_reserve(std::string_view value);

struct ReserveMem {
    ParamVerdict verdict;
    std::uint64_t size = 0, align = 0;
    std::string name;
};
ReserveMem parse_reserve_mem(std::string_view value);

// dmem= of the dmem RFC (seed 000): validation in the seed's exact order and words.
struct DmemParam {
    ParamVerdict verdict;
    bool resv_kernel = false;
    std::uint64_t size = 0, base = 0, align = 0;
};
DmemParam parse_dmem(std::string_view value, std::uint64_t section_size);

}  // namespace bootmap::grammars
