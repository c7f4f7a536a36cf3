#pragma once
// Writes an output file so that a reader sees either the old contents or the complete new ones:
// write a temporary file beside it, flush it to disk, rename it over the target.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "report/output_sink.hpp"

namespace bootmap {

// Returns an error message, or nullopt on success.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view contents);

// An open file descriptor (standard output), written a chunk at a time; `name` is for messages.
class FileDescriptorSink final : public OutputSink {
public:
    FileDescriptorSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

private:
    std::string deliver(std::string_view chunk) override;
    int fd_;
    std::string name_;
};

// The same as write_file_atomically, written a chunk at a time: the file appears under its name only at commit(), complete;
// a sink destroyed without commit() leaves nothing behind.
class AtomicFileSink final : public OutputSink {
public:
    explicit AtomicFileSink(std::string path);
    ~AtomicFileSink() override;
    // Everything written, flushed to disk and named; an error message otherwise.
    std::optional<std::string> commit();

private:
    std::string deliver(std::string_view chunk) override;
    std::string open();
    std::string path_;
    int fd_ = -1;
    bool opened_ = false;
    bool through_ = false;        // a device, pipe or symlink: written in place
    std::string temporary_name_;  // the hidden named file, where there is no unnamed one
};

}  // namespace bootmap
