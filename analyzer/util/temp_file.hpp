#pragma once
// A private temporary file, removed when it goes out of scope.

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace bootmap {

// A temporary file removed when it goes out of scope.
class TempFile {
public:
    TempFile() {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/bootmap.XXXXXX";
        fd_ = ::mkstemp(path_.data());
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (fd_ >= 0) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] bool ok() const { return fd_ >= 0; }
    [[nodiscard]] const std::string& path() const { return path_; }
    // Replaces the contents; false on a write error.
    bool write(std::string_view data) const {
        std::ofstream o(path_, std::ios::binary | std::ios::trunc);
        o.write(data.data(), static_cast<std::streamsize>(data.size()));
        return static_cast<bool>(o);
    }
    [[nodiscard]] std::string contents() const {
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
    }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace bootmap
