#pragma once
// Helpers shared by the tests: fixture paths and reading files.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bootmap::test {

inline std::filesystem::path fixtures() { return BOOTMAP_FIXTURES; }

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The zone block of a boot log: "Zone ranges:" through the early memory node ranges, then the
// "Initmem setup node" lines, without timestamps.
inline std::string kernel_zone_block(const std::string& dmesg) {
    std::istringstream in(dmesg);
    std::string line, block, initmem;
    enum { before, inside, after } state = before;
    while (std::getline(in, line)) {
        const auto at = line.find("] ");
        if (at == std::string::npos) continue;
        const std::string rest = line.substr(at + 2);
        if (rest.rfind("Initmem setup node", 0) == 0) initmem += rest + "\n";
        if (rest == "Zone ranges:") state = inside;
        if (state != inside) continue;
        const bool part = rest == "Zone ranges:" || rest == "Movable zone start for each node" || rest == "Early memory node ranges" ||
                          rest.rfind("  ", 0) == 0;
        if (part) block += rest + "\n";
        else state = after;
    }
    return block + initmem;
}

}  // namespace bootmap::test
