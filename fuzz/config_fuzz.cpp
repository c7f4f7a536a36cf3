// libFuzzer target: the settings file (.bootmap.toml) on any bytes, as the program reads it: CLI11's
// TOML reader through bootmap's whole command-line interface for one command (the first byte picks
// which), then bootmap's placing of a refused setting at its line. Only the parse runs, never the
// command. A parse ends in 0 (help), 2 (a bad setting, reported) or goes on to the command: never an
// exception escaping or a crash.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static constexpr const char* kCommands[] = {"lint", "analyze", "predict", "kmem", "dmem", "map", "diff", "iomem"};
    if (size == 0) return 0;
    const char* command = kCommands[data[0] % std::size(kCommands)];
    // The program reads the file by name: one scratch file per fuzzing process, rewritten each time.
    static const std::string path = "/tmp/bootmap-config-fuzz-" + std::to_string(::getpid()) + ".toml";
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    std::vector<std::string> words{"bootmap", command, "--config", path};
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    // What the parse prints (help, the error) is not the fuzzer's output.
    std::ostringstream sink;
    auto* const err = std::cerr.rdbuf(sink.rdbuf());
    auto* const out = std::cout.rdbuf(sink.rdbuf());
    const auto exit_code = bootmap::cli::parse_bootmap_arguments(static_cast<int>(words.size()), argv.data());
    std::cerr.rdbuf(err);
    std::cout.rdbuf(out);
    if (exit_code && *exit_code != 0 && *exit_code != 2) std::abort();
    return 0;
}
