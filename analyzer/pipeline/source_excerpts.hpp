#pragma once
// The text of the inputs findings point into, read again once per file after the analysis: for the
// comments that suppress findings and for the source line the text report shows under a finding.
// A file is streamed, not loaded: the lines findings point at go straight to them and only the
// lines carrying a suppression comment are kept, so a dump of a million lines costs its findings.

#include <cstdint>
#include <functional>
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
    // Called with each wanted line of a file as the scan reaches it (a view valid during the call).
    using LineVisitor = std::function<void(std::uint32_t line, std::string_view text)>;

    explicit SourceTexts(const Machine& machine) : machine_(machine) {}
    // Reads `file` (or the --cmdline text it names) once, handing each line in `wanted` (sorted,
    // without repeats) to `visit` and keeping every line with a suppression comment. Binary inputs
    // (a NUL byte: false), /proc files and what cannot be read give nothing.
    bool scan(const std::string& file, const std::vector<std::uint32_t>& wanted, const LineVisitor& visit);
    // The lines of a scanned file that carry a suppression comment: (line number, text).
    [[nodiscard]] const std::vector<std::pair<std::uint32_t, std::string>>& marked_lines(const std::string& file) const;

private:
    const Machine& machine_;
    std::map<std::string, std::vector<std::pair<std::uint32_t, std::string>>> marked_;
};

// Reads each file the findings point into once: each finding gets the text of its line as its
// excerpt (when `excerpts`), and `sources` keeps the suppression comments for the caller.
void scan_sources(std::vector<Diagnostic>& diagnostics, SourceTexts& sources, bool excerpts);

}  // namespace bootmap
