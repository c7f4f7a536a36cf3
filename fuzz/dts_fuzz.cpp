// libFuzzer target: what bootmap does around cpp and dtc for a device tree source: the grammars of
// dtc's annotated output and of cpp/dtc error lines on every line of the input, then the whole
// `--dts` path on the input as a file (cpp, dtc, the blob, the annotations applied to the tree, the
// tool errors turned into located messages) and the device-tree checks on what it accepts.

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <memory>
#include <string_view>

#include "analysis/dt_checks.hpp"
#include "grammars/dtc_annotations.hpp"
#include "kernel/arm64_boot.hpp"
#include "readers/dts_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (std::size_t start = 0; start <= text.size();) {
        const auto end = text.find('\n', start);
        const auto line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        (void)bootmap::grammars::parse_dtc_annotated_line(line);
        (void)bootmap::grammars::parse_dtc_error_line(line);
        (void)bootmap::grammars::parse_cpp_error_line(line);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    // The reader takes a path: one scratch file per fuzzing process, rewritten for each input.
    static const std::string path = "/tmp/bootmap-dts-fuzz-" + std::to_string(::getpid()) + ".dts";
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
    auto tree = bootmap::read_dts(path, bootmap::DtsOptions{{}, true});
    if (!tree) return 0;
    const auto shared = std::make_shared<const bootmap::DeviceTree>(std::move(tree).value());
    bootmap::KernelProfile profile;
    profile.arch = bootmap::Arch::arm64;
    const auto boot = bootmap::replay_arm64_boot(shared, nullptr, profile, bootmap::BootPlacement{});
    (void)bootmap::check_device_tree(*shared, boot, nullptr, profile);
    return 0;
}
