// libFuzzer target: a whole kernel log as `--dmesg` reads it: the kind detection, the e820 lines, the
// SRAT rebuilt from the log's own lines, what the log says of its boot (UEFI's edits, efi=debug's
// map, the kernel release), then the x86 boot replay with that NUMA layout and those edits and every
// analysis the pair allows.

#include <cstdint>
#include <string_view>
#include <utility>

#include "analysis/pipeline.hpp"
#include "readers/boot_log_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/input_kind.hpp"
#include "readers/srat_dmesg_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)bootmap::detect_input_kind(text);
    auto table = bootmap::read_e820_text("fuzz", text);
    auto srat = bootmap::read_srat_from_dmesg("fuzz", text);
    auto log = bootmap::read_boot_log("fuzz", text);
    if (!table) return 0;
    bootmap::Machine machine;
    machine.firmware_e820 = std::move(table).value();
    machine.srat = std::move(srat);
    machine.boot_log = std::move(log);
    machine.profile.dmem_config = size % 2 == 0;  // both builds: with and without the dmem patches
    (void)bootmap::analyze_machine(std::move(machine));
    return 0;
}
