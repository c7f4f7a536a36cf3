#include "input_kind_patterns.hpp"

#include <re2/re2.h>

#include <array>
#include <memory>
#include <utility>

namespace bootmap::grammars {
namespace {

struct Pattern {
    LineKind kind;
    const char* regex;
};

// Order matters: the first pattern that matches wins, and the iomem shape is the most specific.
constexpr std::array<Pattern, 6> kPatterns{{
    {LineKind::iomem, R"(^ *[0-9a-fA-F]{1,16}-[0-9a-fA-F]{1,16} :( .*)?$)"},
    {LineKind::dts, R"(^\s*/dts-v1/\s*;)"},
    {LineKind::srat_iasl, R"(^\[[0-9A-F]{3}h [0-9]{4} +[0-9]+\] +Signature : "SRAT")"},
    {LineKind::e820_memmap, R"re(^(/sys/firmware/memmap/[0-9]+/(start|end|type):|[0-9a-fA-F]{16}-[0-9a-fA-F]{16} \())re"},
    // A kernel log line in every timestamp style the tools print: dmesg ("[    0.000000] ", with -r
    // its "<6>" level, with -x "kern  :info  : ", with -T "[Sat Dec  5 04:00:00 2026] ", with
    // --time-format iso "2026-12-05T04:00:00,123456+00:00 "; "[] " where a poster elided the times),
    // journalctl -k (short, short-precise, short-iso: "… host kernel: ") and syslog's kern.log; with
    // dmesg -t there is no prefix, and the kernel's first lines say what it is.
    {LineKind::dmesg,
     R"(^([a-z]+ *:[a-z]+ *: )?(<[0-9]+>)?\[ *([0-9]+\.[0-9]+)?\] )"
     R"(|^(<[0-9]+>)?\[\w{3} \w{3} +[0-9]+ [0-9:]{8} [0-9]{4}\] )"
     R"(|^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}([,.][0-9]+)?([+-][0-9:]{4,5}|Z) )"
     R"(|^\w{3} +[0-9]+ [0-9:]{8}(\.[0-9]+)? \S+ kernel: )"
     R"(|^(Linux version [0-9]|Command line: |BIOS-provided physical RAM map:|BIOS-e820: |Booting Linux on physical CPU ))"},
    // A command line may open with a flag ("nokaslr memmap=64M$16M"): one key=value anywhere will do.
    {LineKind::kernel_cmdline, R"(^(\S+ +)*\S+=\S*( +\S+)*\s*$)"},
}};

struct Compiled {
    std::array<std::pair<LineKind, std::unique_ptr<RE2>>, kPatterns.size()> patterns{};
    Compiled() {
        for (std::size_t i = 0; i < kPatterns.size(); ++i)
            patterns[i] = {kPatterns[i].kind, std::make_unique<RE2>(kPatterns[i].regex)};
    }
};

const Compiled& compiled() {
    static const Compiled instance;  // function-local: built once, thread-safe, no global constructor
    return instance;
}

}  // namespace

LineKind classify_line(std::string_view line) {
    for (const auto& [kind, re] : compiled().patterns)
        if (RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re)) return kind;
    return LineKind::unknown;
}

}  // namespace bootmap::grammars
