#include "util/subprocess.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace bootmap {

namespace {

constexpr int kFirstInputFd = 3;

// An open file descriptor, closed when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Fd& operator=(Fd&&) = delete;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }
    [[nodiscard]] bool ok() const { return fd_ >= 0; }

private:
    int fd_;
};

// An anonymous file holding `contents`, its offset back at 0.
Fd memory_file(const char* name, std::string_view contents = {}) {
    Fd fd(::memfd_create(name, MFD_CLOEXEC));
    if (!fd.ok()) return fd;
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Fd();
        written += static_cast<std::size_t>(n);
    }
    ::lseek(fd.get(), 0, SEEK_SET);
    return fd;
}

std::string read_all(int fd) {
    std::string out;
    char buffer[65536];
    for (off_t offset = 0;;) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
        offset += n;
    }
    return out;
}

// The program's file, found on PATH by the parent: the child only calls what is safe after fork in
// a threaded process (lint --batch runs threads).
std::optional<std::string> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path = std::getenv("PATH");
    std::string_view dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (true) {
        const auto colon = dirs.find(':');
        const std::string dir(dirs.substr(0, colon));
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
        if (colon == std::string_view::npos) return std::nullopt;
        dirs.remove_prefix(colon + 1);
    }
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const char* program, char* const* args, const ProcessLimits& limits, pid_t parent, int out_fd, int err_fd,
                             const std::vector<int>& input_fds) {
    // Dies with bootmap; if bootmap is already gone, do not start.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    const auto set = [](int resource, rlim_t value) {
        const struct rlimit r{value, value};
        ::setrlimit(static_cast<__rlimit_resource>(resource), &r);
    };
    set(RLIMIT_CPU, limits.cpu_seconds);
    set(RLIMIT_FSIZE, limits.file_bytes);
    set(RLIMIT_AS, limits.memory_bytes);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    // Inputs go to 3, 4, …: first move them all above every descriptor involved, so no dup2
    // overwrites one not yet placed.
    int base = kFirstInputFd + static_cast<int>(input_fds.size());
    for (const int fd : input_fds) base = std::max(base, fd + 1);
    for (std::size_t i = 0; i < input_fds.size(); ++i)
        if (::dup3(input_fds[i], base + static_cast<int>(i), O_CLOEXEC) < 0) ::_exit(126);
    for (std::size_t i = 0; i < input_fds.size(); ++i)
        if (::dup2(base + static_cast<int>(i), kFirstInputFd + static_cast<int>(i)) < 0) ::_exit(126);
    ::execve(program, args, environ);
    ::_exit(127);
}

// Waits for the helper, killing it when the wall-clock limit passes. The exit status, or nullopt
// when waiting failed; `timed_out` says whether it was killed for time.
std::optional<int> wait_bounded(pid_t pid, unsigned wall_seconds, bool& timed_out) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wall_seconds);
    auto pause = std::chrono::microseconds(200);
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return status;
        if (done < 0 && errno != EINTR) return std::nullopt;
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            timed_out = true;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
}

std::optional<std::string> stopped_reason(int status, bool timed_out, const ProcessLimits& limits) {
    if (timed_out) return fmt::format("it ran longer than {} s", limits.wall_seconds);
    if (!WIFSIGNALED(status)) return std::nullopt;
    switch (WTERMSIG(status)) {
        case SIGXCPU: return fmt::format("it used more than {} s of CPU", limits.cpu_seconds);
        case SIGXFSZ: return fmt::format("its output grew past {} MiB", limits.file_bytes >> 20);
        case SIGKILL:
        case SIGSEGV:
        case SIGABRT:
            return fmt::format("it died by signal {} (its memory is limited to {} MiB)", WTERMSIG(status), limits.memory_bytes >> 20);
        default: return std::nullopt;
    }
}

}  // namespace

std::string helper_input_path(std::size_t index) { return fmt::format("/dev/fd/{}", kFirstInputFd + static_cast<int>(index)); }

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessLimits& limits,
                                         const std::vector<std::string_view>& inputs) {
    if (argv.empty()) return std::nullopt;
    const auto program = find_program(argv.front());
    if (!program) return std::nullopt;
    const Fd out = memory_file("bootmap-helper-out");
    const Fd err = memory_file("bootmap-helper-err");
    if (!out.ok() || !err.ok()) return std::nullopt;
    std::vector<Fd> input_files;
    std::vector<int> input_fds;
    for (const auto input : inputs) {
        input_files.push_back(memory_file("bootmap-helper-in", input));
        if (!input_files.back().ok()) return std::nullopt;
        input_fds.push_back(input_files.back().get());
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) exec_child(program->c_str(), args.data(), limits, parent, out.get(), err.get(), input_fds);
    bool timed_out = false;
    const auto waited = wait_bounded(pid, limits.wall_seconds, timed_out);
    if (!waited) return std::nullopt;
    const int status = *waited;
    ProcessResult result;
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.stopped = stopped_reason(status, timed_out, limits);
    if (result.stopped) {
        // Cut short: what it wrote is not a result, and is not read.
        result.exit_status = -1;
        return result;
    }
    result.out = read_all(out.get());
    result.err = read_all(err.get());
    // The program could not be executed after the fork.
    if (result.exit_status == 127 && result.out.empty() && result.err.empty()) return std::nullopt;
    return result;
}

}  // namespace bootmap
