#include "report/atomic_file.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace bootmap {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> write_all(int fd, const std::string& path, std::string_view contents) {
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
        written += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

// The file keeps the mode it had; a new one gets what the umask leaves of 0666, as with any file the
// user's shell would create. Then it goes to disk before it is named.
std::optional<std::string> settle(int fd, const std::string& path) {
    mode_t mode = 0;
    if (struct stat existing {}; ::stat(path.c_str(), &existing) == 0) {
        mode = existing.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(fd, mode);
    if (::fsync(fd) != 0) return fmt::format("cannot flush {}: {}", path, std::strerror(errno));
    return std::nullopt;
}

// The written file under a fresh hidden name beside the target, ready to be renamed over it.
std::optional<std::string> name_unnamed(int fd, const fs::path& dir, const fs::path& target, std::string& name) {
    const std::string self = fmt::format("/proc/self/fd/{}", fd);
    const auto salt = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (unsigned attempt = 0; attempt < 100; ++attempt) {
        name = (dir / fmt::format(".{}.{:x}.{:x}", target.filename().string(), ::getpid(), salt + attempt)).string();
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) return std::nullopt;
        if (errno != EEXIST) break;
    }
    return fmt::format("cannot create a file in {}: {}", dir.string(), std::strerror(errno));
}

std::optional<std::string> replace(const std::string& from, const std::string& path) {
    if (std::rename(from.c_str(), path.c_str()) == 0) return std::nullopt;
    const std::string err = std::strerror(errno);
    ::unlink(from.c_str());
    return fmt::format("cannot rename {} to {}: {}", from, path, err);
}

}  // namespace

std::string FileDescriptorSink::deliver(std::string_view chunk) {
    auto failed = write_all(fd_, name_, chunk);
    return failed ? *failed : std::string();
}

AtomicFileSink::AtomicFileSink(std::string path) : path_(std::move(path)) {}

AtomicFileSink::~AtomicFileSink() {
    if (fd_ >= 0) ::close(fd_);
    if (!temporary_name_.empty()) ::unlink(temporary_name_.c_str());
}

std::string AtomicFileSink::open() {
    opened_ = true;
    const fs::path target(path_);
    std::error_code status_error;
    const auto status = fs::symlink_status(target, status_error);
    // A device, pipe or symlink (-o /dev/null, -o /dev/stdout, a FIFO): renaming over it would replace
    // the link or device node itself, so it is written through.
    if (!status_error && fs::exists(status) && !fs::is_regular_file(status)) {
        through_ = true;
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        return fd_ < 0 ? fmt::format("cannot open {}: {}", path_, std::strerror(errno)) : std::string();
    }
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // An unnamed file in the target's directory (O_TMPFILE), named only once complete: bootmap killed
    // during the write leaves nothing behind. Naming it needs /proc; without either, a hidden file.
    if (::access("/proc/self/fd", X_OK) == 0) {
        fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd_ >= 0) return {};
    }
    std::string name = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) return fmt::format("cannot create a temporary file in {}: {}", dir.string(), std::strerror(errno));
    temporary_name_ = name;
    return {};
}

std::string AtomicFileSink::deliver(std::string_view chunk) {
    if (!opened_)
        if (auto error = open(); !error.empty()) return error;
    auto failed = write_all(fd_, path_, chunk);
    return failed ? *failed : std::string();
}

std::optional<std::string> AtomicFileSink::commit() {
    if (!finish()) return error();
    if (!opened_)
        if (auto error = open(); !error.empty()) return error;
    const int fd = std::exchange(fd_, -1);
    if (through_) {
        if (::close(fd) != 0) return fmt::format("cannot write {}: {}", path_, std::strerror(errno));
        return std::nullopt;
    }
    if (auto failed = settle(fd, path_)) {
        ::close(fd);
        return failed;
    }
    std::string name = std::exchange(temporary_name_, std::string());
    if (name.empty()) {
        const fs::path target(path_);
        auto unnamed = name_unnamed(fd, target.has_parent_path() ? target.parent_path() : fs::path("."), target, name);
        ::close(fd);
        if (unnamed) return unnamed;
    } else if (::close(fd) != 0) {
        ::unlink(name.c_str());
        return fmt::format("cannot flush {}: {}", path_, std::strerror(errno));
    }
    return replace(name, path_);
}

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view contents) {
    AtomicFileSink sink(path);
    sink.append(contents);
    return sink.commit();
}

}  // namespace bootmap
