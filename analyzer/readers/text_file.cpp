#include "readers/text_file.hpp"

#include "readers/input_kind.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <memory>
#include <functional>
#include <iterator>

#include <fmt/format.h>

namespace bootmap {

namespace {

// Line and column (1-based) of a byte offset, for messages about binary content.
SourceLocation locate(std::string_view name, std::string_view contents, std::size_t offset) {
    SourceLocation where{std::string(name), 1, 1, offset};
    for (std::size_t i = 0; i < offset && i < contents.size(); ++i) {
        if (contents[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

}  // namespace

std::optional<InputError> check_text(std::string_view name, std::string_view contents) {
    if (contents.size() >= 2 && ((contents[0] == '\xff' && contents[1] == '\xfe') || (contents[0] == '\xfe' && contents[1] == '\xff')))
        return InputError{SourceLocation{std::string(name), 0, 0, 0}, "expected UTF-8 or ASCII text, found a UTF-16 byte order mark",
                          "convert the file with: iconv -f UTF-16 -t UTF-8"};
    if (auto nul = contents.find('\0'); nul != std::string_view::npos)
        return InputError{locate(name, contents, nul), fmt::format("expected text, found a NUL byte at offset {}", nul),
                          "this looks like binary data; pass a text dump of the format instead"};
    return std::nullopt;
}

namespace {

// Reads at most `limit` bytes. `first_block`, when given, sees the first block read and may change
// the limit (binary inputs have a smaller one) or refuse the file before the rest is read.
using FirstBlock = std::function<std::optional<InputError>(std::string_view first, std::uint64_t& limit)>;

Result<TextFile> load_bounded(const std::string& path, std::uint64_t limit, const FirstBlock& first_block = {}) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return InputError{SourceLocation{path}, fmt::format("cannot open: {}", std::strerror(errno)), {}};
    std::error_code size_error;
    const std::uintmax_t size = std::filesystem::file_size(path, size_error);
    if (!size_error && size > limit)
        return InputError{SourceLocation{path}, fmt::format("file is {} bytes, more than the {} bytes this input may have", size, limit), {}};
    TextFile file{path, {}};
    // A regular file's size is known: one allocation of it, not the doubling growth's up to twice it.
    if (!size_error && size > 0) file.contents.reserve(static_cast<std::size_t>(size));
    // Not zeroed and little bigger than the file: zeroing 64 KiB cost a small DTB's lint 16 page faults.
    // /proc and debugfs files say they are empty: their size is unknown.
    const bool sized = !size_error && size > 0;
    const std::size_t chunk = sized ? static_cast<std::size_t>(std::clamp<std::uintmax_t>(size + 1, 4096, 65536)) : 65536;
    const auto buffer = std::make_unique_for_overwrite<char[]>(chunk);
    bool first = true;
    while (in) {
        in.read(buffer.get(), static_cast<std::streamsize>(chunk));
        file.contents.append(buffer.get(), static_cast<std::size_t>(in.gcount()));
        if (first && first_block) {
            if (auto refused = first_block(file.contents, limit)) return *refused;
            if (!size_error && size > limit)
                return InputError{SourceLocation{path}, fmt::format("file is {} bytes, more than the {} bytes this input may have", size, limit), {}};
        }
        first = false;
        if (file.contents.size() > limit) return InputError{SourceLocation{path}, fmt::format("more than {} bytes of input", limit), {}};
    }
    if (in.bad()) return InputError{SourceLocation{path}, "read error", {}};
    return file;
}

}  // namespace

Result<TextFile> load_binary_file(const std::string& path) { return load_bounded(path, kMaxBinaryInputBytes); }

Result<TextFile> load_input_file(const std::string& path) {
    return load_bounded(path, kMaxTextInputBytes, [&path](std::string_view first, std::uint64_t& limit) -> std::optional<InputError> {
        const auto magic = first.substr(0, 4);
        // Binary formats by their magic, other ACPI tables included so that their refusal can name them.
        if (magic == "\xd0\x0d\xfe\xed" || magic == "\xd7\xb7\xab\x1e" || magic == "SRAT" || other_acpi_table(first)) {
            limit = kMaxBinaryInputBytes;
            return std::nullopt;
        }
        // Text from here on: a NUL byte this early (/dev/zero, an image) is refused before the rest is read.
        return check_text(path, first);
    });
}

Result<TextFile> load_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return InputError{SourceLocation{path}, fmt::format("cannot open: {}", std::strerror(errno)), {}};
    // Files in /proc report size 0 and cannot be seeked reliably; the size check is a fast path for
    // regular files, and the streaming loop below is bounded as well.
    std::error_code size_error;
    const std::uintmax_t size = std::filesystem::file_size(path, size_error);
    if (!size_error && size > kMaxTextInputBytes)
        return InputError{SourceLocation{path},
                          fmt::format("file is {} bytes, more than the {} bytes a text input may have", size, kMaxTextInputBytes),
                          "no real input of this kind is that large; check the file is what you meant"};
    TextFile file{path, {}};
    // A regular file's size is known: one allocation of it, not the doubling growth's up to twice it.
    if (!size_error && size > 0) file.contents.reserve(static_cast<std::size_t>(size));
    std::array<char, 65536> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        file.contents.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (file.contents.size() > kMaxTextInputBytes)
            return InputError{SourceLocation{path}, fmt::format("more than {} bytes of input", kMaxTextInputBytes), {}};
    }
    if (in.bad()) return InputError{SourceLocation{path}, "read error", {}};
    return file;
}

}  // namespace bootmap
