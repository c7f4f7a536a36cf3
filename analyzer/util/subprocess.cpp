#include "util/subprocess.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

#include <fmt/format.h>

#include "util/temp_file.hpp"

extern char** environ;

namespace bootmap {


namespace {

// The limits apply from the moment they are set: right after the spawn, before the helper can have
// done much (posix_spawn has no hook to set them in the child).
void limit(pid_t pid, const ProcessLimits& limits) {
    const auto set = [pid](int resource, rlim_t value) {
        const struct rlimit r{value, value};
        ::prlimit(pid, static_cast<__rlimit_resource>(resource), &r, nullptr);
    };
    set(RLIMIT_CPU, limits.cpu_seconds);
    set(RLIMIT_FSIZE, limits.file_bytes);
    set(RLIMIT_AS, limits.memory_bytes);
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

}  // namespace

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessLimits& limits) {
    if (argv.empty()) return std::nullopt;
    TempFile out;
    TempFile err;
    if (!out.ok() || !err.ok()) return std::nullopt;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.path().c_str(), O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err.path().c_str(), O_WRONLY | O_TRUNC, 0);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, argv.front().c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return std::nullopt;
    limit(pid, limits);
    bool timed_out = false;
    const auto waited = wait_bounded(pid, limits.wall_seconds, timed_out);
    if (!waited) return std::nullopt;
    const int status = *waited;
    ProcessResult result;
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (timed_out)
        result.stopped = fmt::format("it ran longer than {} s", limits.wall_seconds);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        result.stopped = fmt::format("it used more than {} s of CPU", limits.cpu_seconds);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ)
        result.stopped = fmt::format("its output grew past {} MiB", limits.file_bytes >> 20);
    else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGABRT))
        result.stopped = fmt::format("it died by signal {} (its memory is limited to {} MiB)", WTERMSIG(status), limits.memory_bytes >> 20);
    if (result.stopped) {
        // Cut short: what it wrote is not a result, and is not read.
        result.exit_status = -1;
        return result;
    }
    result.out = out.contents();
    result.err = err.contents();
    // A program that could not be executed after the fork (posix_spawnp may report it this way).
    if (result.exit_status == 127 && result.out.empty() && result.err.empty()) return std::nullopt;
    return result;
}

}  // namespace bootmap
