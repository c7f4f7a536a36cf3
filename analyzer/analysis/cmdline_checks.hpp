#pragma once
// Findings about a command line itself, whatever machine it boots: what its bootloader's quoting did
// to it, parameters given twice, and names that look like misspelt memory parameters.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "core/diagnostic.hpp"
#include "grammars/memparse.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> cmdline_rules();

namespace rules {
inline constexpr std::string_view cmdline_bootloader_dollar_expanded = "cmdline-bootloader-dollar-expanded";
inline constexpr std::string_view cmdline_duplicate_parameter = "cmdline-duplicate-parameter";
inline constexpr std::string_view cmdline_unknown_memory_parameter = "cmdline-unknown-memory-parameter";
}  // namespace rules

std::vector<Diagnostic> check_cmdline(const KernelCommandLine& cmdline);

// A number written with leading zeros that memparse() reads as octal, meant as decimal: the fix that
// removes the zeros; nullopt when what follows them is no decimal number or there is no line.
std::optional<TextFix> octal_fix(std::string_view text, SourceLocation where);

// A size the user meant in MiB or GiB but wrote without a unit, which memparse() reads as bytes
// (decimal digits only, below 64 KiB: no memory parameter means so little): the finding, with the
// fix that appends 'M' after `after` (the last digit). nullopt otherwise.
std::optional<Diagnostic> size_without_unit(std::string_view text, const grammars::MemparseResult& n, std::string_view what, SourceLocation where,
                                            SourceLocation after);

}  // namespace bootmap
