#pragma once
// `bootmap capture`: the running machine's boot state saved into a directory, in the layout of the
// oracle captures (fixtures/kernel*/), so that `--boot DIR` can predict the next boot from it and a
// fleet can collect it. Every source that cannot be read is named in the manifest with the reason;
// nothing is guessed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"

namespace bootmap {

// Where the live state is read from; tests point these at a fake tree.
struct CaptureSources {
    std::string proc = "/proc";
    std::string sys = "/sys";
    std::string kmsg = "/dev/kmsg";
};

struct CapturedFile {
    std::string name;    // in the capture directory: "dmesg.txt"
    std::string source;  // where it came from: "/dev/kmsg"
    bool written = false;
    std::string reason;  // why it was not, for the manifest
};

struct CaptureResult {
    std::string dir;
    std::vector<CapturedFile> files;
};

// Writes every readable file into `dir` (created; refused when it exists and is not empty) and a
// manifest.txt. Fails only when the directory cannot be written or nothing at all could be read.
Result<CaptureResult> capture_boot(const std::string& dir, const CaptureSources& sources);

// One /dev/kmsg record ("PRIO,SEQ,USEC,FLAGS;text\n KEY=value...") as dmesg(1) prints it:
// "[    1.234567] text". nullopt for a record that is not one.
std::optional<std::string> format_kmsg_record(std::string_view record);

// The manifest's text: one line per file, "name: captured from SOURCE" or "name: not captured: REASON".
std::string format_capture_manifest(const CaptureResult& result);

}  // namespace bootmap
