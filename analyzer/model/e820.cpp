#include "model/e820.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace bootmap {

std::string e820_type_word(std::uint32_t type) {
    switch (type) {
        case e820_type::ram:
        case e820_type::reserved_kern: return "usable";
        case e820_type::reserved: return "reserved";
        case e820_type::soft_reserved: return "soft reserved";
        case e820_type::acpi: return "ACPI data";
        case e820_type::nvs: return "ACPI NVS";
        case e820_type::unusable: return "unusable";
        case e820_type::pmem:
        case e820_type::pram: return fmt::format("persistent (type {})", type);
        default: return fmt::format("type {}", type);
    }
}

std::string_view e820_type_name(std::uint32_t type) {
    switch (type) {
        case e820_type::ram:
        case e820_type::reserved_kern: return "System RAM";
        case e820_type::acpi: return "ACPI Tables";
        case e820_type::nvs: return "ACPI Non-volatile Storage";
        case e820_type::unusable: return "Unusable memory";
        case e820_type::pram: return "Persistent Memory (legacy)";
        case e820_type::pmem: return "Persistent Memory";
        case e820_type::reserved: return "Reserved";
        case e820_type::soft_reserved: return "Soft Reserved";
        default: return "Unknown E820 type";
    }
}

namespace {

// The newer boot log (the 2025 "x86/boot/e820" rework) prints a size and a description after the
// range: "  639   KB kernel usable RAM", "device reserved", ... The description names the same types.
std::optional<std::uint32_t> type_from_sized_description(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t digits = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits) return std::nullopt;
    while (i < text.size() && text[i] == ' ') ++i;
    if (text.substr(i, 2) != "KB" && text.substr(i, 2) != "MB" && text.substr(i, 2) != "GB" && text.substr(i, 2) != "TB" &&
        text.substr(i, 2) != "PB")
        return std::nullopt;
    const std::string_view d = text.substr(i + 2);
    auto has = [&](std::string_view w) { return d.find(w) != std::string_view::npos; };
    if (has("soft reserved")) return e820_type::soft_reserved;
    if (has("unusable")) return e820_type::unusable;
    if (has("usable")) return e820_type::ram;
    if (has("ACPI NVS")) return e820_type::nvs;
    if (has("ACPI data")) return e820_type::acpi;
    if (has("type 12") || has("PRAM")) return e820_type::pram;
    if (has("persistent")) return e820_type::pmem;
    if (has("reserved")) return e820_type::reserved;
    return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> e820_type_from_word(std::string_view word) {
    if (auto sized = type_from_sized_description(word)) return sized;
    static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 6> kWords{{
        {"usable", e820_type::ram}, {"reserved", e820_type::reserved}, {"soft reserved", e820_type::soft_reserved},
        {"ACPI data", e820_type::acpi}, {"ACPI NVS", e820_type::nvs}, {"unusable", e820_type::unusable},
    }};
    for (const auto& [w, t] : kWords)
        if (w == word) return t;
    // "persistent (type 12)", "type 20": the number is the type.
    for (std::string_view prefix : {std::string_view("persistent (type "), std::string_view("type ")}) {
        if (word.substr(0, prefix.size()) != prefix) continue;
        std::string_view rest = word.substr(prefix.size());
        if (prefix.front() == 'p') {
            if (rest.empty() || rest.back() != ')') return std::nullopt;
            rest.remove_suffix(1);
        }
        std::uint32_t value = 0;
        if (rest.empty() || rest.size() > 10) return std::nullopt;
        for (char c : rest) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + static_cast<std::uint32_t>(c - '0');
        }
        return value;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> e820_type_from_name(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 8> kNames{{
        {"System RAM", e820_type::ram}, {"ACPI Tables", e820_type::acpi}, {"ACPI Non-volatile Storage", e820_type::nvs},
        {"Unusable memory", e820_type::unusable}, {"Persistent Memory (legacy)", e820_type::pram},
        {"Persistent Memory", e820_type::pmem}, {"Reserved", e820_type::reserved}, {"Soft Reserved", e820_type::soft_reserved},
    }};
    for (const auto& [n, t] : kNames)
        if (n == name) return t;
    return std::nullopt;
}

}  // namespace bootmap
