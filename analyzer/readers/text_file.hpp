#pragma once
// Loading an input file for a text reader: bounded in size, refused when it is not text (NUL bytes,
// UTF-16), with the file name kept for every later message.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/input_error.hpp"

namespace bootmap {

struct TextFile {
    std::string name;  // as the user gave it
    std::string contents;
};

// Text inputs larger than this are refused instead of read: no real iomem, dmesg or bootloader file
// comes near it, and a reader must not allocate without bound on a hostile input.
inline constexpr std::uint64_t kMaxTextInputBytes = 512ull << 20;

Result<TextFile> load_text_file(const std::string& path);

// The same, bounded, for binary inputs (ACPI tables, device tree blobs): no text checks.
inline constexpr std::uint64_t kMaxBinaryInputBytes = 64ull << 20;
Result<TextFile> load_binary_file(const std::string& path);

// A file whose kind is not known yet (a bare argument): a device tree blob or a binary SRAT by its
// magic, with the binary limit; otherwise text, with the text limit, refused at its first block when
// that is not text.
Result<TextFile> load_input_file(const std::string& path);

// Checks that already-loaded bytes are text a line reader can use: no NUL bytes, no UTF-16 BOM.
std::optional<InputError> check_text(std::string_view name, std::string_view contents);

}  // namespace bootmap
