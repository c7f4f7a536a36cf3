#pragma once
// The text of the inputs findings point into, read again once per file after the analysis: for the
// comments that suppress findings and for the source line the text report shows under a finding.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/machine.hpp"

namespace bootmap {

class SourceTexts {
public:
    explicit SourceTexts(const Machine& machine) : machine_(machine) {}
    // The text of `file` when it is a readable text input (a command line given as an option
    // included); nullptr for binary inputs, /proc files and what cannot be read.
    const std::string* text(const std::string& file);
    // Line `line` (1-based) of `file`, without its line end; empty when there is none or it is
    // longer than a screenful.
    std::string_view line(const std::string& file, std::uint32_t line);

private:
    struct Entry {
        std::optional<std::string> text;
        std::vector<std::size_t> line_starts;  // built on the first line() call
    };
    Entry& entry(const std::string& file);
    const Machine& machine_;
    std::map<std::string, Entry> files_;
};

// Fills each finding's excerpt from its text input.
void attach_source_excerpts(std::vector<Diagnostic>& diagnostics, SourceTexts& sources);

}  // namespace bootmap
