// libFuzzer target: the DTB reader (and Android dt_table unwrapping), then the whole arm64 boot
// replay, both reserved_mem profiles, the device-tree checks and the predicted artifacts.

#include <cstdint>
#include <memory>
#include <string_view>

#include "analysis/dt_checks.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/arm64_resources.hpp"
#include "readers/dtb_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto tree = bootmap::read_dtb("fuzz", bytes);
    if (!tree) return 0;
    const auto shared = std::make_shared<const bootmap::DeviceTree>(std::move(tree).value());
    bootmap::KernelProfile profile;
    profile.arch = bootmap::Arch::arm64;
    bootmap::BootPlacement placement;
    const auto boot = bootmap::replay_arm64_boot(shared, nullptr, profile, placement);
    profile.version = bootmap::KernelVersion{6, 12};
    const auto newer = bootmap::replay_arm64_boot(shared, nullptr, profile, placement);
    (void)bootmap::check_device_tree(*shared, boot, &newer, profile);
    (void)bootmap::arm64_configured_iomem(boot, profile);
    (void)bootmap::arm64_lasting_reservations(boot, profile);
    return 0;
}
