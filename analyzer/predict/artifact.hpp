#pragma once
// `bootmap predict --emit ARTIFACT`: one kernel artifact in the kernel's own format, so a user can
// diff it against the real one after reboot.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "kernel/boot_replay.hpp"
#include "model/machine.hpp"

namespace bootmap {

enum class Artifact { iomem, e820, numa, zones, memblock_memory, memblock_reserved, rmem, dmem, kmem, memory_blocks };

struct ArtifactInfo {
    Artifact artifact;
    std::string_view name;         // as given to --emit
    std::string_view what;         // the kernel output it reproduces
    std::string_view needs;        // the inputs that determine it
};

std::span<const ArtifactInfo> artifact_catalogue();
std::optional<Artifact> parse_artifact(std::string_view name);

// The artifact's text from the boot replayed once, or an error naming the input that is missing (or
// that this version cannot yet derive it).
Result<std::string> predict_artifact(const Machine& machine, const BootReplay& replay, Artifact artifact);
// The same, replaying the boot first (for callers that hold only a machine: tests, benchmarks).
Result<std::string> predict_artifact(const Machine& machine, Artifact artifact);

// What the prediction takes for granted that the inputs do not say (where the bootloader put
// things, firmware regions a log does not list): printed beside the artifact, never in it.
std::vector<std::string> prediction_assumptions(const Machine& machine, const BootReplay& replay);

}  // namespace bootmap
