#include "report/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace bootmap {

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view contents) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    std::error_code status_error;
    const auto status = fs::symlink_status(target, status_error);
    if (!status_error && fs::exists(status) && !fs::is_regular_file(status)) {
        // A device, pipe or symlink (-o /dev/null, -o /dev/stdout, a FIFO): renaming over it would
        // replace the link or device node itself, so write through it instead.
        std::FILE* out = std::fopen(path.c_str(), "w");
        if (out == nullptr) return fmt::format("cannot open {}: {}", path, std::strerror(errno));
        const bool ok = std::fwrite(contents.data(), 1, contents.size(), out) == contents.size();
        if (std::fclose(out) != 0 || !ok) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
        return std::nullopt;
    }
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) return fmt::format("cannot create a temporary file in {}: {}", dir.string(), std::strerror(errno));
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string err = std::strerror(errno);
            ::close(fd);
            ::unlink(tmpl.c_str());
            return fmt::format("cannot write {}: {}", tmpl, err);
        }
        written += static_cast<std::size_t>(n);
    }
    // The file keeps the mode it had; a new one gets what the umask leaves of 0666, as with any
    // file the user's shell would create.
    mode_t mode = 0;
    if (struct stat existing {}; !status_error && fs::exists(status) && ::stat(path.c_str(), &existing) == 0) {
        mode = existing.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(fd, mode);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        return fmt::format("cannot flush {}: {}", tmpl, std::strerror(errno));
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmpl.c_str());
        return fmt::format("cannot rename {} to {}: {}", tmpl, path, err);
    }
    return std::nullopt;
}

}  // namespace bootmap
