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

}  // namespace bootmap::test
