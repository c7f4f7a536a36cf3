// libFuzzer target: the SRAT readers (binary, base64, iasl disassembly, boot-log lines) and NUMA init
// on whatever they accept.

#include <cstdint>
#include <string_view>

#include "kernel/memblock.hpp"
#include "kernel/numa.hpp"
#include "readers/srat_dmesg_reader.hpp"
#include "readers/srat_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    bootmap::KernelProfile profile;
    bootmap::Memblock mb(profile);
    mb.add(0x1000, 0x7ffde000);
    mb.add(0x100000000, 0x80000000);
    if (auto t = bootmap::read_srat("fuzz", bytes)) (void)bootmap::numa_from_srat(t.value(), mb.memory(), 0x180000000, profile);
    if (auto t = bootmap::read_srat_from_dmesg("fuzz", bytes)) (void)bootmap::numa_from_srat(*t, mb.memory(), 0x180000000, profile);
    return 0;
}
