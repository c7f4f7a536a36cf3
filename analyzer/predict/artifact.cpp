#include "predict/artifact.hpp"

#include <array>

#include <fmt/format.h>

#include "report/iomem_format.hpp"

namespace bootmap {
namespace {

constexpr std::array<ArtifactInfo, 9> kArtifacts{{
    {Artifact::iomem, "iomem", "/proc/iomem", "--iomem"},
    {Artifact::e820, "e820", "the 'user: [mem ...]' lines of the user-defined physical RAM map", "--e820 or --dmesg, and --cmdline"},
    {Artifact::numa, "numa", "the 'ACPI: SRAT: Node ...' and 'NUMA: ...' lines", "--srat or --dmesg"},
    {Artifact::zones, "zones", "the 'Zone ranges:' ... 'Early memory node ranges' block", "--e820, --dmesg or --dtb"},
    {Artifact::memblock_memory, "memblock-memory", "/sys/kernel/debug/memblock/memory", "--e820, --dmesg or --dtb"},
    {Artifact::memblock_reserved, "memblock-reserved", "/sys/kernel/debug/memblock/reserved", "--e820, --dmesg or --dtb"},
    {Artifact::rmem, "rmem", "the reserved-memory log lines", "--dtb or --dts"},
    {Artifact::dmem, "dmem", "the dmem log lines", "--cmdline with dmem=, --e820 or --dmesg, and --srat"},
    {Artifact::kmem, "kmem", "the kmem driver's lines", "--iomem"},
}};

}  // namespace

std::span<const ArtifactInfo> artifact_catalogue() { return kArtifacts; }

std::optional<Artifact> parse_artifact(std::string_view name) {
    for (const auto& info : kArtifacts)
        if (info.name == name) return info.artifact;
    return std::nullopt;
}

Result<std::string> predict_artifact(const Machine& machine, Artifact artifact) {
    const ArtifactInfo& info = kArtifacts[static_cast<std::size_t>(artifact)];
    const SourceLocation where{"--emit " + std::string(info.name)};
    switch (artifact) {
        case Artifact::iomem:
            // From an iomem dump the prediction is the dump itself; from firmware maps and device
            // trees it needs the e820 and reserved_mem models.
            if (!machine.iomem) return InputError{where, fmt::format("cannot predict {}: it needs {}", info.what, info.needs), {}};
            return format_iomem(*machine.iomem);
        default:
            break;
    }
    return InputError{where,
                      fmt::format("cannot predict {}: it needs {}, and this version of bootmap does not model it yet", info.what, info.needs),
                      {}};
}

}  // namespace bootmap
