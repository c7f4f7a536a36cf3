#pragma once
// The text of the inputs findings point into, read again once per file after the analysis: for the
// comments that suppress findings and for the source line the text report shows under a finding.
// A file is streamed, not loaded: only the lines findings point at and the lines carrying a
// suppression comment are kept, so a dump of a million lines costs its findings, not its size.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/machine.hpp"

namespace bootmap {

class SourceTexts {
public:
    explicit SourceTexts(const Machine& machine) : machine_(machine) {}
    // Reads `file` (or the --cmdline text it names) once, keeping the lines in `wanted` (sorted,
    // without repeats) and every line with a suppression comment. Binary inputs (a NUL byte), /proc
    // files and what cannot be read keep nothing.
    void scan(const std::string& file, const std::vector<std::uint32_t>& wanted);
    // Line `line` (1-based) of a scanned file, without its line end; empty when it was not kept or
    // is longer than a screenful.
    [[nodiscard]] std::string_view line(const std::string& file, std::uint32_t line) const;
    // The lines of a scanned file that carry a suppression comment: (line number, text).
    [[nodiscard]] const std::vector<std::pair<std::uint32_t, std::string>>& marked_lines(const std::string& file) const;

private:
    struct Entry {
        std::vector<std::pair<std::uint32_t, std::string>> lines;  // by line number
        std::vector<std::pair<std::uint32_t, std::string>> marked;
    };
    const Machine& machine_;
    std::map<std::string, Entry> files_;
};

// Fills each finding's excerpt from its text input (scanned for the lines the findings name).
void attach_source_excerpts(std::vector<Diagnostic>& diagnostics, SourceTexts& sources);

}  // namespace bootmap
