#include "report/atomic_file.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace bootmap {
namespace {

namespace fs = std::filesystem;

// A device, pipe or symlink (-o /dev/null, -o /dev/stdout, a FIFO): renaming over it would replace
// the link or device node itself, so it is written through.
std::optional<std::string> write_through(const std::string& path, std::string_view contents) {
    std::FILE* out = std::fopen(path.c_str(), "w");
    if (out == nullptr) return fmt::format("cannot open {}: {}", path, std::strerror(errno));
    const bool ok = std::fwrite(contents.data(), 1, contents.size(), out) == contents.size();
    if (std::fclose(out) != 0 || !ok) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return std::nullopt;
}

std::optional<std::string> write_all(int fd, const std::string& path, std::string_view contents) {
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
        written += static_cast<std::size_t>(n);
    }
    // The file keeps the mode it had; a new one gets what the umask leaves of 0666, as with any
    // file the user's shell would create.
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

// Through a hidden named file: where the file system has no unnamed files (or /proc is missing).
std::optional<std::string> write_via_named(const std::string& path, const fs::path& dir, const fs::path& target, std::string_view contents) {
    std::string name = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return fmt::format("cannot create a temporary file in {}: {}", dir.string(), std::strerror(errno));
    auto failed = write_all(fd, path, contents);
    if (::close(fd) != 0 && !failed) failed = fmt::format("cannot flush {}: {}", path, std::strerror(errno));
    if (failed) {
        ::unlink(name.c_str());
        return failed;
    }
    return replace(name, path);
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view contents) {
    const fs::path target(path);
    std::error_code status_error;
    const auto status = fs::symlink_status(target, status_error);
    if (!status_error && fs::exists(status) && !fs::is_regular_file(status)) return write_through(path, contents);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // The report is written to an unnamed file in the target's directory (O_TMPFILE) and named only
    // once complete: bootmap killed during the write leaves nothing behind.
    const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return write_via_named(path, dir, target, contents);
    if (auto failed = write_all(fd, path, contents)) {
        ::close(fd);
        return failed;
    }
    std::string name;
    const auto unnamed = name_unnamed(fd, dir, target, name);
    ::close(fd);
    if (unnamed) return write_via_named(path, dir, target, contents);
    return replace(name, path);
}

}  // namespace bootmap
