// Every rule of the catalogue, end to end: it fires on its `<id>.fires.*` fixture and stays silent on
// its `<id>.clean.*` twin, run through the binary as a user runs `bootmap lint`. A fixture's extra
// arguments (the firmware map a command line is judged on, --kconfig) are in `<stem>.args`, else in
// its folder's ARGS; `{fixtures}` there is the fixtures folder.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/rule_catalogue.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string extra_args(const fs::path& fixture) {
    fs::path args = fixture;
    args.replace_extension(".args");
    if (!fs::exists(args)) args = fixture.parent_path() / "ARGS";
    if (!fs::exists(args)) return {};
    std::string text = trimmed(test::slurp(args));
    for (std::size_t at; (at = text.find("{fixtures}")) != std::string::npos;) text.replace(at, 10, test::fixtures().string());
    return text;
}

// The fixtures of a rule, by variant ("fires" or "clean"), in every rules folder.
std::vector<fs::path> fixtures_of(std::string_view id, std::string_view variant) {
    std::vector<fs::path> out;
    const std::string prefix = std::string(id) + "." + std::string(variant) + ".";
    for (const auto& folder : fs::directory_iterator(test::fixtures())) {
        const fs::path rules = folder.path() / "rules";
        if (!fs::is_directory(rules)) continue;
        for (const auto& f : fs::directory_iterator(rules))
            if (f.path().filename().string().starts_with(prefix) && f.path().extension() != ".args") out.push_back(f.path());
    }
    return out;
}

std::size_t times_fired(std::string_view id, const fs::path& fixture) {
    const auto r = test::run_bootmap("lint --format json " + extra_args(fixture) + " -- " + fixture.string());
    EXPECT_NE(r.exit_code, 2) << fixture << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << fixture << ": " << r.out.substr(0, 200);
    std::size_t n = 0;
    if (j.is_object())
        for (const auto& d : j.at("diagnostics")) n += d.at("rule") == id ? 1 : 0;
    return n;
}

TEST(RuleFixtures, EveryRuleFiresOnItsFixtureAndNotOnItsCleanTwin) {
    ASSERT_FALSE(rule_catalogue().empty());
    for (const auto& rule : rule_catalogue()) {
        const auto fires = fixtures_of(rule.id, "fires");
        const auto clean = fixtures_of(rule.id, "clean");
        EXPECT_FALSE(fires.empty()) << rule.id << " has no fixtures/*/rules/" << rule.id << ".fires.* fixture";
        EXPECT_FALSE(clean.empty()) << rule.id << " has no fixtures/*/rules/" << rule.id << ".clean.* fixture";
        for (const auto& f : fires) EXPECT_GE(times_fired(rule.id, f), 1u) << f;
        for (const auto& f : clean) EXPECT_EQ(times_fired(rule.id, f), 0u) << f;
    }
}

}  // namespace
}  // namespace bootmap
