#pragma once
// A finding is a plain value. Analyses produce them; reporters format the whole list at once.

#include "core/boxed.hpp"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/source_location.hpp"

namespace bootmap {

enum class Severity { note, warning, error };

std::string_view severity_name(Severity severity);

// The other side of a finding: the entry an overlap collides with, the parent a child escapes.
struct RelatedLocation {
    SourceLocation where;
    std::string message;
    std::optional<AddrRange> range;

    bool operator==(const RelatedLocation&) const = default;
};

// A textual fix: replace `deleted` bytes at `where` (a line and column) with `inserted`. Reporters
// that carry fixes (SARIF) offer it; it is only attached where the edit is certain.
struct TextFix {
    std::string description;
    SourceLocation where;
    std::uint32_t deleted = 0;
    std::string inserted;

    bool operator==(const TextFix&) const = default;
};

struct Diagnostic {
    std::string rule_id;
    Severity severity = Severity::warning;
    std::string message;
    SourceLocation where;
    std::optional<AddrRange> range;
    std::vector<RelatedLocation> related;
    // What the finding is about by name, where it has one: a device-tree node path. Reporters show it
    // as a logical location; it is part of the finding's identity (fingerprint).
    std::string subject;
    // The text line `where` points into, when the input is text: shown under the message with a
    // caret at the column. Filled by the pipeline from the inputs, never by a check.
    std::string excerpt;
    Boxed<TextFix> fix;  // rare: boxed, so that a finding without one stays small

    bool operator==(const Diagnostic&) const = default;
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Findings in reading order: files in the order they first appear, then by line, column and byte
// offset; findings at one place keep the order they were found in.
void sort_by_location(std::vector<Diagnostic>& diagnostics);

}  // namespace bootmap
