#include "analysis/baseline.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/finding_fingerprint.hpp"
#include "util/json_positions.hpp"

namespace bootmap {

Result<Baseline> read_baseline(std::string_view source_name, std::string_view text) {
    const std::string source(source_name);
    JsonSyntaxError syntax{};
    const auto parsed = parse_positioned_json(text, syntax);
    if (!parsed)
        return InputError{text_location_at(source, text, syntax.offset), "expected a bootmap baseline (JSON), found text that is not JSON: " + syntax.message,
                          "write one with: bootmap lint ... --write-baseline FILE"};
    const auto at = [&](const std::string& pointer) { return text_location_at(source, text, parsed->offset_of(pointer)); };
    const auto& document = parsed->value;
    if (!document.is_object())
        return InputError{at(""), "expected a bootmap baseline: an object with \"schema_version\" and a \"findings\" array", {}};
    const auto version = document.find("schema_version");
    const auto findings = document.find("findings");
    if (version == document.end() || !version->is_number_integer())
        return InputError{at("/schema_version"), "expected a bootmap baseline: an object with an integer \"schema_version\"", {}};
    if (findings == document.end() || !findings->is_array())
        return InputError{at("/findings"), "expected a bootmap baseline: an object with a \"findings\" array", {}};
    if (*version != kBaselineSchemaVersion)
        return InputError{at("/schema_version"), fmt::format("expected baseline schema_version {}, found {}", kBaselineSchemaVersion, version->dump()), {}};
    Baseline baseline{source, {}};
    for (std::size_t i = 0; i < findings->size(); ++i) {
        const auto& f = (*findings)[i];
        const auto fingerprint = f.is_object() ? f.find("fingerprint") : f.end();
        if (!f.is_object() || fingerprint == f.end() || !fingerprint->is_string())
            return InputError{at(fmt::format("/findings/{}", i)), fmt::format("expected finding {} of the baseline to have a \"fingerprint\" string", i), {}};
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
