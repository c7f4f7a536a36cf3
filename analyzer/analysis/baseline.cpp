#include "analysis/baseline.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/finding_fingerprint.hpp"

namespace bootmap {

Result<Baseline> read_baseline(std::string_view source_name, std::string_view text) {
    const std::string source(source_name);
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded())
        return InputError{SourceLocation{source, 1, 1, std::nullopt}, "expected a bootmap baseline (JSON), found text that is not JSON",
                          "write one with: bootmap lint ... --write-baseline FILE"};
    const auto version = parsed.find("schema_version");
    const auto findings = parsed.find("findings");
    if (!parsed.is_object() || version == parsed.end() || !version->is_number_integer() || findings == parsed.end() || !findings->is_array())
        return InputError{SourceLocation{source}, "expected a bootmap baseline: an object with \"schema_version\" and a \"findings\" array", {}};
    if (*version != kBaselineSchemaVersion)
        return InputError{SourceLocation{source}, fmt::format("expected baseline schema_version {}, found {}", kBaselineSchemaVersion, version->dump()), {}};
    Baseline baseline{source, {}};
    for (std::size_t i = 0; i < findings->size(); ++i) {
        const auto& f = (*findings)[i];
        const auto fingerprint = f.is_object() ? f.find("fingerprint") : f.end();
        if (!f.is_object() || fingerprint == f.end() || !fingerprint->is_string())
            return InputError{SourceLocation{source}, fmt::format("expected finding {} of the baseline to have a \"fingerprint\" string", i), {}};
        ++baseline.fingerprints[fingerprint->get<std::string>()];
    }
    return baseline;
}

BaselineSplit split_by_baseline(std::vector<Diagnostic> diagnostics, const Baseline& baseline) {
    auto remaining = baseline.fingerprints;
    BaselineSplit split;
    for (auto& d : diagnostics) {
        const auto it = remaining.find(finding_fingerprint(d));
        if (it != remaining.end() && it->second > 0) {
            --it->second;
            split.baselined.push_back(std::move(d));
        } else {
            split.fresh.push_back(std::move(d));
        }
    }
    return split;
}

}  // namespace bootmap
