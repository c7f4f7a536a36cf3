#pragma once
// Content patterns that tell one input format from another when a file is given without saying what
// it is. Each pattern is an RE2 expression matched against a single (non-blank) line.

#include <string_view>

namespace bootmap::grammars {

enum class LineKind {
    unknown,
    iomem,          // "00001000-0009fbff : System RAM"
    dmesg,          // "[    0.000000] ..." or a syslog/journal prefix around kernel messages
    e820_memmap,    // "/sys/firmware/memmap/0/start:0x0" or "0000000000000000-000000000009fc00 (System RAM)"
    srat_iasl,      // "[000h 0000   4]  Signature : "SRAT""
    dts,            // "/dts-v1/;"
    kernel_cmdline  // "BOOT_IMAGE=... root=... mem=..." — a single line of key=value words
};

// Classifies one line. Thread-safe; the compiled patterns are built once per process on first use.
LineKind classify_line(std::string_view line);

}  // namespace bootmap::grammars
