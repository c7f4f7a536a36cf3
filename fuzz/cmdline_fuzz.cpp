// libFuzzer target: command-line sources (every bootloader format, both quoting layers), then the
// whole x86 replay and every command-line finding on a fixed firmware map.

#include <cstdint>
#include <string_view>

#include "analysis/pipeline.hpp"
#include "readers/bootloader_reader.hpp"

namespace {

bootmap::E820Table qemu_2g_map() {
    using bootmap::ByteSize;
    using bootmap::PhysAddr;
    bootmap::E820Table t;
    const std::uint64_t map[][3] = {{0x0, 0x9fc00, 1},           {0x9fc00, 0x400, 2},           {0xf0000, 0x10000, 2},
                                    {0x100000, 0x7fedf000, 1},    {0x7ffdf000, 0x21000, 2},      {0xb0000000, 0x10000000, 2},
                                    {0xfed1c000, 0x4000, 2},      {0xfffc0000, 0x40000, 2},      {0xfd00000000, 0x300000000, 2}};
    for (const auto& e : map) t.entries.push_back({PhysAddr{e[0]}, ByteSize{e[1]}, static_cast<std::uint32_t>(e[2]), {}});
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto found = bootmap::read_bootloader_cmdlines("fuzz", text);
    if (!found || found.value().cmdlines.empty()) return 0;
    bootmap::Machine m;
    m.firmware_e820 = qemu_2g_map();
    m.cmdline = found.value().cmdlines.front();
    m.other_cmdlines.assign(found.value().cmdlines.begin() + 1, found.value().cmdlines.end());
    (void)bootmap::analyze_machine(std::move(m));
    return 0;
}
