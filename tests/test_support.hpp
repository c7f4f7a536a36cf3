#pragma once
// Helpers shared by the tests: fixture paths and reading files.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace bootmap::test {

// A directory-driven test's list: an empty one (a fixture folder moved or renamed) fails the test
// instead of passing without checking anything.
template <class List>
List non_empty(List list, std::string_view what) {
    if (list.empty()) ADD_FAILURE() << "no " << what << " found under " << BOOTMAP_FIXTURES;
    return list;
}

inline std::filesystem::path fixtures() { return BOOTMAP_FIXTURES; }

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The lines of a boot log, without timestamps, that `keep` accepts, each with its newline.
inline std::string log_lines(const std::string& dmesg, const std::function<bool(std::string_view)>& keep) {
    std::istringstream in(dmesg);
    std::string line, out;
    while (std::getline(in, line)) {
        const auto at = line.find("] ");
        if (at == std::string::npos) continue;
        const std::string_view rest = std::string_view(line).substr(at + 2);
        if (keep(rest)) out.append(rest).append("\n");
    }
    return out;
}

// The lines starting with one of `prefixes`.
inline std::string log_lines_starting(const std::string& dmesg, std::initializer_list<std::string_view> prefixes) {
    return log_lines(dmesg, [&](std::string_view line) {
        for (const auto p : prefixes)
            if (line.starts_with(p)) return true;
        return false;
    });
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

// The kernel's "user:" lines, timestamps dropped.
inline std::string user_lines(const std::string& dmesg) {
    std::istringstream in(dmesg);
    std::string line, out;
    while (std::getline(in, line)) {
        const auto at = line.find("] user: [mem ");
        if (at != std::string::npos) out += line.substr(at + 2) + "\n";
    }
    return out;
}

// The e820-derived entries of /proc/iomem, wherever the kernel nested them, without indentation,
// and the "Crash kernel" entries as the children of RAM they are.
inline std::string e820_iomem_lines(const std::string& iomem) {
    static const std::regex e820_name(
        R"( : (System RAM|Reserved|Persistent Memory \(legacy\)|Persistent Memory|ACPI Tables|ACPI Non-volatile Storage|Soft Reserved|Unusable memory|RAM buffer)$)");
    std::istringstream in(iomem);
    std::string line, out;
    while (std::getline(in, line)) {
        if (std::regex_search(line, e820_name)) out += line.substr(line.find_first_not_of(' ')) + "\n";
        if (line.find(" : Crash kernel") != std::string::npos) out += "  " + line.substr(line.find_first_not_of(' ')) + "\n";
    }
    return out;
}

// The bootmap binary run as a user runs it (from `cwd` when given): exit code and both streams.
struct Run {
    int exit_code;
    std::string out;
    std::string err;
};

inline Run run_bootmap(const std::string& args, const std::filesystem::path& cwd = {}) {
    const auto dir = std::filesystem::temp_directory_path();
    const auto out = dir / ("bootmap-test-out-" + std::to_string(::getpid()));
    const auto err = dir / ("bootmap-test-err-" + std::to_string(::getpid()));
    const std::string cd = cwd.empty() ? std::string() : "cd '" + cwd.string() + "' && ";
    const std::string cmd = cd + std::string(BOOTMAP_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    Run r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

}  // namespace bootmap::test
