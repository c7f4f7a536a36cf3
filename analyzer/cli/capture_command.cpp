#include "cli/capture_command.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "capture/boot_capture_writer.hpp"
#include "cli/commands.hpp"
#include "util/subprocess.hpp"

namespace bootmap::cli {

int run_capture(const std::string& dir, const std::string& tar, const CaptureSources& sources) {
    auto result = capture_boot(dir, sources);
    if (!result) {
        std::cerr << format_input_error(result.error()) << '\n';
        return kExitBadInput;
    }
    std::size_t written = 0;
    std::string missing;
    for (const auto& f : result.value().files) {
        if (f.written) ++written;
        else missing += fmt::format("  {}: {}\n", f.name, f.reason);
    }
    std::cerr << fmt::format("bootmap: captured {} of {} files into {}\n", written, result.value().files.size(), dir);
    if (!missing.empty()) std::cerr << "bootmap: not captured (also in manifest.txt):\n" << missing;
    if (!tar.empty()) {
        namespace fs = std::filesystem;
        const fs::path path = fs::absolute(dir).lexically_normal();
        const fs::path parent = path.has_filename() ? path.parent_path() : path.parent_path().parent_path();
        const std::string name = path.has_filename() ? path.filename().string() : path.parent_path().filename().string();
        const auto run = run_process({"tar", "-cf", tar, "-C", parent.string(), name});
        if (!run || run->exit_status != 0) {
            std::cerr << fmt::format("bootmap: error: {}: could not write the archive: {}\n", tar,
                                     run ? run->err : std::string("tar is not installed"));
            return kExitBadInput;
        }
        std::cerr << fmt::format("bootmap: archive {} (attach it to a ticket; read it back with tar -xf and --boot {})\n", tar, name);
    }
    std::cerr << fmt::format("bootmap: next: bootmap predict --boot {} --cmdline \"…the next boot's line…\" --emit iomem\n", dir);
    return kExitClean;
}

}  // namespace bootmap::cli
