// libFuzzer target: e820 text in every form, then sanitize, the boot-time trim and the memblock setup.

#include <cstdint>
#include <string_view>

#include "kernel/x86_boot.hpp"
#include "readers/e820_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = bootmap::read_e820_text("fuzz", text);
    if (!table) return 0;
    (void)bootmap::replay_x86_boot(table.value(), nullptr, bootmap::KernelProfile{});
    return 0;
}
