// libFuzzer target: the whole pipeline on a random bundle of inputs. The input is split at
// "\n%%bootmap%%\n" into up to six parts: a /proc/iomem dump, a bootloader file or command line, a
// kernel log (e820 and SRAT lines), an SRAT table, a DTB, and options ("6.12", "arm64", "dmem",
// "cma", "pool"). Every part a reader accepts goes into one machine model; then the analysis and
// every predicted artifact run on it through the pipeline every command uses.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "pipeline/pipeline.hpp"
#include "readers/bootloader_reader.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "readers/srat_dmesg_reader.hpp"
#include "readers/srat_reader.hpp"

namespace {

constexpr std::string_view separator = "\n%%bootmap%%\n";

std::array<std::string_view, 6> split_bundle(std::string_view bundle) {
    std::array<std::string_view, 6> parts{};
    for (auto& part : parts) {
        const auto at = bundle.find(separator);
        part = bundle.substr(0, at);
        if (at == std::string_view::npos) break;
        bundle.remove_prefix(at + separator.size());
    }
    return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [iomem, boot_config, log, srat, dtb, options] = split_bundle(std::string_view(reinterpret_cast<const char*>(data), size));
    bootmap::Machine machine;
    if (!iomem.empty())
        if (auto tree = bootmap::read_iomem("iomem", iomem)) machine.iomem = std::make_shared<const bootmap::IomemTree>(std::move(tree).value());
    if (!boot_config.empty())
        if (auto found = bootmap::read_bootloader_cmdlines("boot", boot_config); found && !found.value().cmdlines.empty()) {
            machine.cmdline = found.value().cmdlines.front();
            machine.other_cmdlines.assign(found.value().cmdlines.begin() + 1, found.value().cmdlines.end());
        }
    if (!log.empty())
        if (auto table = bootmap::read_e820_text("dmesg", log)) {
            machine.firmware_e820 = std::move(table).value();
            machine.srat = bootmap::read_srat_from_dmesg("dmesg", log);
        }
    if (!srat.empty())
        if (auto table = bootmap::read_srat("srat", srat)) machine.srat = std::move(table).value();
    if (!dtb.empty())
        if (auto tree = bootmap::read_dtb("dtb", dtb)) {
            machine.device_tree = std::make_shared<const bootmap::DeviceTree>(std::move(tree).value());
            machine.profile.arch = bootmap::Arch::arm64;
        }
    if (options.find("6.12") != std::string_view::npos) machine.profile.version = bootmap::KernelVersion{6, 12};
    if (options.find("arm64") != std::string_view::npos) machine.profile.arch = bootmap::Arch::arm64;
    machine.profile.dmem_config = options.find("dmem") != std::string_view::npos;
    if (options.find("cma") != std::string_view::npos) machine.profile.cma_config = true;
    machine.profile.restricted_dma_pool_config = options.find("pool") != std::string_view::npos;
    bootmap::Pipeline pipeline(std::move(machine));
    for (const auto& info : bootmap::artifact_catalogue()) (void)pipeline.predict(info.artifact);
    (void)pipeline.assumptions();
    (void)pipeline.analysis();
    return 0;
}
