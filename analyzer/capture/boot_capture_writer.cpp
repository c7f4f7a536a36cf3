#include "capture/boot_capture_writer.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/archive/iterators/base64_from_binary.hpp>
#include <boost/archive/iterators/transform_width.hpp>
#include <fmt/format.h>

#include "report/atomic_file.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

// Sources are bounded as inputs are: a kernel interface never needs more.
constexpr std::size_t kMaxSourceBytes = 64u << 20;

struct Read {
    std::string bytes;
    std::string error;  // empty when read
};

std::string explain(int error, const std::string& path) {
    if (error == EACCES || error == EPERM) return fmt::format("{}: {} (readable by root only)", path, std::strerror(error));
    if (error == ENOENT && path.find("/kernel/debug/") != std::string::npos) {
        const fs::path debugfs = path.substr(0, path.find("/kernel/debug/") + 13);
        std::error_code ec;
        if (fs::is_directory(debugfs, ec) && fs::is_empty(debugfs, ec))
            return fmt::format("{}: debugfs is not mounted (mount -t debugfs none {})", path, debugfs.string());
        if (path.find("/memblock/") != std::string::npos)
            return fmt::format("{}: not present (this kernel does not keep memblock after boot: x86 has no ARCH_KEEP_MEMBLOCK)", path);
    }
    if (error == ENOENT) return fmt::format("{}: not present on this kernel or machine", path);
    return fmt::format("{}: {}", path, std::strerror(error));
}

Read read_source(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return {{}, explain(errno, path)};
    std::string out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return {{}, explain(error, path)};
        }
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > kMaxSourceBytes) {
            ::close(fd);
            return {{}, fmt::format("{}: more than {} bytes", path, kMaxSourceBytes)};
        }
    }
    ::close(fd);
    return {std::move(out), {}};
}

}  // namespace

std::optional<std::string> format_kmsg_record(std::string_view r) {
    const auto semicolon = r.find(';');
    if (semicolon == std::string_view::npos) return std::nullopt;
    const std::string_view header = r.substr(0, semicolon);
    std::string_view text = r.substr(semicolon + 1);
    text = text.substr(0, text.find('\n'));  // drop the dictionary
    const auto first = header.find(',');
    const auto second = first == std::string_view::npos ? first : header.find(',', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const auto third = header.find(',', second + 1);
    std::uint64_t usec = 0;
    for (const char c : header.substr(second + 1, third == std::string_view::npos ? std::string_view::npos : third - second - 1)) {
        if (c < '0' || c > '9' || usec > UINT64_MAX / 10 - 9) return std::nullopt;
        usec = usec * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return fmt::format("[{:5}.{:06}] {}", usec / 1000000, usec % 1000000, text);
}

namespace {

// /dev/kmsg hands out one record per read(): "PRIO,SEQ,USEC,FLAGS;text", then " KEY=value"
// continuation lines. Written the way dmesg(1) prints it: "[    1.234567] text".
Read read_kernel_log(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return {{}, explain(errno, path)};
    std::string out;
    std::string record(16384, '\0');
    for (;;) {
        const ssize_t n = ::read(fd, record.data(), record.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EPIPE) continue;  // records overwritten while reading: the next one follows
        if (n < 0 && errno == EAGAIN) break;    // the end of the buffer
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return {{}, explain(error, path)};
        }
        if (n == 0) break;
        if (const auto line = format_kmsg_record(std::string_view(record.data(), static_cast<std::size_t>(n)))) out += *line + "\n";
        if (out.size() > kMaxSourceBytes) break;
    }
    ::close(fd);
    if (out.empty()) return {{}, fmt::format("{}: empty", path)};
    return {std::move(out), {}};
}

// /sys/firmware/memmap as "N start end type" lines, in index order.
Read read_firmware_memmap(const std::string& dir) {
    std::error_code ec;
    std::vector<std::pair<unsigned long, fs::path>> entries;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.size() > 9 || name.find_first_not_of("0123456789") != std::string::npos) continue;
        entries.emplace_back(std::stoul(name), e.path());
    }
    if (ec) return {{}, explain(ec.value(), dir)};
    if (entries.empty()) return {{}, fmt::format("{}: no entries", dir)};
    std::sort(entries.begin(), entries.end());
    std::string out;
    for (const auto& [index, path] : entries) {
        std::string fields[3];
        const char* names[3] = {"start", "end", "type"};
        for (int i = 0; i < 3; ++i) {
            auto r = read_source((path / names[i]).string());
            if (!r.error.empty()) return {{}, r.error};
            fields[i] = r.bytes.substr(0, r.bytes.find('\n'));
        }
        out += fmt::format("{} {} {} {}\n", index, fields[0], fields[1], fields[2]);
    }
    return {std::move(out), {}};
}

// Base64 with '=' padding, as `base64` writes it (the oracle captures store the SRAT so).
std::string base64(std::string_view bytes) {
    using Encoder = boost::archive::iterators::base64_from_binary<boost::archive::iterators::transform_width<const char*, 6, 8>>;
    std::string out(Encoder(bytes.data()), Encoder(bytes.data() + bytes.size()));
    out.append((3 - bytes.size() % 3) % 3, '=');
    std::string wrapped;  // 76 columns, as base64(1) wraps
    for (std::size_t i = 0; i < out.size(); i += 76) wrapped.append(out, i, 76).append("\n");
    return wrapped;
}

// /proc/iomem shows every address as zero to users without CAP_SYS_ADMIN: a file, but no layout.
bool addresses_hidden(std::string_view iomem) {
    return !iomem.empty() && iomem.find_first_not_of("0- :", 0) != std::string_view::npos &&
           iomem.substr(0, iomem.find(' ')).find_first_not_of("0-") == std::string_view::npos;
}

}  // namespace

Result<CaptureResult> capture_boot(const std::string& dir, const CaptureSources& sources) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
        return InputError{SourceLocation{dir}, "expected a new or empty directory for the capture, found an existing file or a directory with files",
                          "give a new directory name; a capture never overwrites another"};
    fs::create_directories(dir, ec);
    if (ec) return InputError{SourceLocation{dir}, fmt::format("cannot create the capture directory: {}", ec.message()), {}};

    CaptureResult result;
    result.dir = dir;
    const std::string& proc = sources.proc;
    const std::string& sys = sources.sys;
    const auto store = [&](const std::string& name, const std::string& source, const Read& read) -> std::optional<InputError> {
        CapturedFile f{name, source, false, read.error};
        if (read.error.empty()) {
            if (auto error = write_file_atomically((fs::path(dir) / name).string(), read.bytes))
                return InputError{SourceLocation{(fs::path(dir) / name).string()}, *error, {}};
            f.written = true;
        }
        result.files.push_back(std::move(f));
        return std::nullopt;
    };

    struct utsname uts {};
    Read release = ::uname(&uts) == 0 ? Read{std::string(uts.release) + "\n", {}} : Read{{}, "uname: failed"};
    Read iomem = read_source(proc + "/iomem");
    if (iomem.error.empty() && iomem.bytes.empty()) iomem.error = proc + "/iomem: empty (a container or sandbox hides the resource tree)";
    if (iomem.error.empty() && addresses_hidden(iomem.bytes))
        iomem = {{}, proc + "/iomem: every address reads as zero (readable by root only)"};
    Read srat = read_source(sys + "/firmware/acpi/tables/SRAT");
    if (srat.error.empty()) srat.bytes = base64(srat.bytes);

    const std::pair<std::string, std::pair<std::string, Read>> files[] = {
        {"kernel-release.txt", {"uname -r", std::move(release)}},
        {"cmdline.txt", {proc + "/cmdline", read_source(proc + "/cmdline")}},
        {"dmesg.txt", {sources.kmsg, read_kernel_log(sources.kmsg)}},
        {"iomem.txt", {proc + "/iomem", std::move(iomem)}},
        {"firmware-memmap.txt", {sys + "/firmware/memmap", read_firmware_memmap(sys + "/firmware/memmap")}},
        {"machine.dtb", {sys + "/firmware/fdt", read_source(sys + "/firmware/fdt")}},
        {"srat-b64.txt", {sys + "/firmware/acpi/tables/SRAT", std::move(srat)}},
        {"memblock-memory.txt", {sys + "/kernel/debug/memblock/memory", read_source(sys + "/kernel/debug/memblock/memory")}},
        {"memblock-reserved.txt", {sys + "/kernel/debug/memblock/reserved", read_source(sys + "/kernel/debug/memblock/reserved")}},
        {"block-size.txt", {sys + "/devices/system/memory/block_size_bytes", read_source(sys + "/devices/system/memory/block_size_bytes")}},
        {"zoneinfo.txt", {proc + "/zoneinfo", read_source(proc + "/zoneinfo")}},
        {"meminfo.txt", {proc + "/meminfo", read_source(proc + "/meminfo")}},
    };
    for (const auto& [name, what] : files)
        if (auto error = store(name, what.first, what.second)) return *error;

    const bool any = std::any_of(result.files.begin(), result.files.end(), [](const CapturedFile& f) { return f.written && f.name != "kernel-release.txt"; });
    if (auto error = write_file_atomically((fs::path(dir) / "manifest.txt").string(), format_capture_manifest(result)))
        return InputError{SourceLocation{(fs::path(dir) / "manifest.txt").string()}, *error, {}};
    if (!any)
        return InputError{SourceLocation{dir}, "could read none of the machine's boot state (see manifest.txt in the directory)",
                          "run bootmap capture as root on the machine itself, not in a container"};
    return result;
}

std::string format_capture_manifest(const CaptureResult& result) {
    std::string out = "# bootmap capture: what was read, and why the rest was not\n";
    for (const auto& f : result.files) {
        if (f.written) out += fmt::format("{}: captured from {}\n", f.name, f.source);
        else out += fmt::format("{}: not captured: {}\n", f.name, f.reason);
    }
    return out;
}

}  // namespace bootmap
