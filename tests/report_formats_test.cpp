// SARIF, JUnit and the rule policy, over real analyses: the formats CI systems read.

#include <gtest/gtest.h>

#include <memory>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "analysis/finding.hpp"
#include "analysis/iomem_totals.hpp"
#include "analysis/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "analysis/severity_policy.hpp"
#include "readers/dts_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "core/finding_fingerprint.hpp"
#include "report/json_reporter.hpp"
#include "report/junit_reporter.hpp"
#include "report/sarif_reporter.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

AnalysisReport analyze_dts(const std::string& rel) {
    auto tree = read_dts((test::fixtures() / rel).string(), DtsOptions{});
    EXPECT_TRUE(tree) << rel;
    Machine m;
    m.profile.arch = Arch::arm64;
    m.device_tree = std::make_shared<const DeviceTree>(std::move(tree).value());
    return analyze_machine(std::move(m));
}

AnalysisReport analyze_iomem(const std::string& rel) {
    const auto path = test::fixtures() / rel;
    Machine m;
    m.iomem = std::make_shared<const IomemTree>(read_iomem(path.string(), test::slurp(path)).value());
    return analyze_machine(std::move(m));
}

TEST(Sarif, ResultsPointIntoTheRuleTableWithLinesOrByteOffsets) {
    const auto report = analyze_dts("dt/rules/dt-rmem-overlap.fires.dts");
    const auto sarif = nlohmann::json::parse(render_sarif(report));
    EXPECT_EQ(sarif["version"], "2.1.0");
    ASSERT_EQ(sarif["runs"].size(), 1u);
    const auto& run = sarif["runs"][0];
    const auto& rules = run["tool"]["driver"]["rules"];
    EXPECT_EQ(rules.size(), rule_catalogue().size());
    ASSERT_EQ(run["results"].size(), report.diagnostics.size());
    bool overlap_seen = false;
    for (const auto& r : run["results"]) {
        const auto index = r["ruleIndex"].get<std::size_t>();
        EXPECT_EQ(rules[index]["id"], r["ruleId"]);
        // SARIF's levels are bootmap's severities, one for one (a warning is never demoted to a note).
        const auto& d = report.diagnostics[static_cast<std::size_t>(&r - &run["results"][0])];
        EXPECT_EQ(r["level"], d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "note") << d.rule_id;
        const auto& loc = r["locations"][0]["physicalLocation"];
        EXPECT_EQ(loc["artifactLocation"]["uri"], "file://" + (test::fixtures() / "dt/rules/dt-rmem-overlap.fires.dts").string());
        EXPECT_GE(loc["region"]["startLine"].get<int>(), 1);
        EXPECT_EQ(r["partialFingerprints"]["bootmapFinding/v1"].get<std::string>().size(), 16u);
        if (r["ruleId"] == "dt-rmem-overlap") {
            overlap_seen = true;
            ASSERT_TRUE(r.contains("relatedLocations"));
            EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 5);
        }
    }
    EXPECT_TRUE(overlap_seen);
}

// Each severity reaches SARIF as its own level, in the results and in the rules' default configuration.
TEST(Sarif, EverySeverityKeepsItsLevel) {
    Diagnostic error = make_finding(rules::iomem_sibling_overlap, SourceLocation{"a.iomem", 1, 1, std::nullopt}, "e");
    Diagnostic warning = make_finding(rules::iomem_range_wraps, SourceLocation{"a.iomem", 2, 1, std::nullopt}, "w");
    Diagnostic note = make_finding(rules::iomem_hole, SourceLocation{"a.iomem", 3, 1, std::nullopt}, "n");
    ASSERT_EQ(error.severity, Severity::error);
    ASSERT_EQ(warning.severity, Severity::warning);
    ASSERT_EQ(note.severity, Severity::note);
    AnalysisReport report;
    report.diagnostics = {error, warning, note};
    const auto run = nlohmann::json::parse(render_sarif(report))["runs"][0];
    ASSERT_EQ(run["results"].size(), 3u);
    EXPECT_EQ(run["results"][0]["level"], "error");
    EXPECT_EQ(run["results"][1]["level"], "warning");
    EXPECT_EQ(run["results"][2]["level"], "note");
}

TEST(Sarif, BinaryInputsUseByteOffsetsAndPathsBecomeUriReferences) {
    Machine m;
    m.profile.arch = Arch::arm64;
    Diagnostic d;
    d.rule_id = "dt-rmem-overlap";
    d.severity = Severity::error;
    d.message = "m";
    d.where = SourceLocation{"/abs/board.dtb"};
    d.where.byte_offset = 0x1c64;
    AnalysisReport report;
    report.diagnostics.push_back(d);
    d.where = SourceLocation{"board.dts:/chosen/bootargs", 1, 5, std::nullopt};
    report.diagnostics.push_back(d);
    const auto sarif = nlohmann::json::parse(render_sarif(report));
    const auto& results = sarif["runs"][0]["results"];
    EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "file:///abs/board.dtb");
    EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["byteOffset"], 0x1c64);
    EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "board.dts%3A/chosen/bootargs");
}

// The JSON report writes its large arrays (a dump's entries, the totals' holes, the findings)
// without building them: the text must still be exactly what the pretty printer makes of the same
// document, keys sorted, for findings with every optional field and without.
TEST(Json, DirectlyWrittenArraysAreLaidOutAsThePrettyPrinterWould) {
    auto tree = read_iomem("dump.iomem", "00000000-00000fff : reserved\n00001000-0009ffff : System RAM\n  00001000-00001fff : \"quoted\" \\ name\n"
                                         "00100000-0010ffff : Reserved\n");
    ASSERT_TRUE(tree);
    AnalysisReport report;
    report.iomem = std::make_shared<const IomemTree>(std::move(tree).value());
    report.iomem_totals = iomem_totals(*report.iomem);
    Diagnostic plain;
    plain.rule_id = "iomem-hole";
    plain.severity = Severity::note;
    plain.message = "a \"quoted\" message\twith a tab";
    plain.where = SourceLocation{"dump.iomem", 4, 1, std::nullopt};
    plain.range = AddrRange::from_inclusive(PhysAddr{0xa0000}, PhysAddr{0xfffff});
    Diagnostic binary = plain;
    binary.where = SourceLocation{"board.dtb"};
    binary.where.byte_offset = 0x1c64;
    binary.subject = "/reserved-memory/fw@50000000";
    binary.range = AddrRange::from_size(PhysAddr{0x1000}, ByteSize{0});
    Diagnostic related = plain;
    related.related.push_back({SourceLocation{"dump.iomem", 2, 1, std::nullopt}, "the other side", std::nullopt});
    Diagnostic bare = plain;
    bare.range.reset();
    bare.where = SourceLocation{"--cmdline"};
    report.diagnostics = {plain, binary, related, bare};
    const std::string written = render_json(report);
    const auto parsed = nlohmann::json::parse(written);
    EXPECT_EQ(parsed.dump(2) + "\n", written);
    ASSERT_EQ(parsed["diagnostics"].size(), 4u);
    EXPECT_EQ(parsed["diagnostics"][1]["location"]["byte_offset"], 0x1c64);
    EXPECT_EQ(parsed["diagnostics"][1]["subject"], "/reserved-memory/fw@50000000");
    EXPECT_TRUE(parsed["diagnostics"][1]["range"]["end"].is_null());
    EXPECT_EQ(parsed["diagnostics"][0]["range"]["size"], 0x60000);
    EXPECT_FALSE(parsed["diagnostics"][3].contains("range"));
    EXPECT_EQ(parsed["totals"]["holes"].size(), report.iomem_totals->holes.size());
    EXPECT_EQ(parsed["iomem"]["entries"][2]["name"], "\"quoted\" \\ name");
}

TEST(Sarif, FingerprintsSurviveLineMovesButNotOtherRanges) {
    Diagnostic a;
    a.rule_id = "dt-rmem-overlap";
    a.where = SourceLocation{"board.dts", 10, 3, std::nullopt};
    a.range = AddrRange::from_inclusive(PhysAddr{0x50000000}, PhysAddr{0x500fffff});
    Diagnostic moved = a;
    moved.where.line = 42;
    Diagnostic other = a;
    other.range = AddrRange::from_inclusive(PhysAddr{0x60000000}, PhysAddr{0x600fffff});
    EXPECT_EQ(finding_fingerprint(a), finding_fingerprint(moved));
    EXPECT_NE(finding_fingerprint(a), finding_fingerprint(other));
}

TEST(Junit, OneCasePerFindingErrorsFail) {
    const auto report = analyze_iomem("iomem/rules/iomem-sibling-overlap.fires.iomem");
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(render_junit(report).c_str()));
    const auto suites = doc.child("testsuites");
    ASSERT_TRUE(suites);
    const auto suite = suites.child("testsuite");
    std::size_t errors = 0;
    for (const auto& d : report.diagnostics) errors += d.severity == Severity::error;
    ASSERT_GT(errors, 0u);
    EXPECT_EQ(suite.attribute("tests").as_ullong(), report.diagnostics.size());
    EXPECT_EQ(suite.attribute("failures").as_ullong(), errors);
    std::size_t failing = 0;
    for (const auto& tc : suite.children("testcase")) {
        EXPECT_EQ(std::string(tc.attribute("name").as_string()).rfind(tc.attribute("classname").as_string(), 0), 0u);
        failing += static_cast<bool>(tc.child("failure"));
    }
    EXPECT_EQ(failing, errors);
    // A clean input is one passing case.
    const auto clean = analyze_iomem("iomem/rules/iomem-sibling-overlap.clean.iomem");
    pugi::xml_document clean_doc;
    ASSERT_TRUE(clean_doc.load_string(render_junit(clean).c_str()));
    EXPECT_EQ(clean_doc.child("testsuites").child("testsuite").attribute("tests").as_ullong(), 1u);
    EXPECT_EQ(clean_doc.child("testsuites").attribute("failures").as_ullong(), 0u);
}

TEST(SeverityPolicy, DisablesPromotesAndRefusesUnknownRules) {
    const auto report = analyze_dts("dt/rules/dt-unit-address-mismatch.fires.dts");
    const auto count = [](const std::vector<Diagnostic>& ds, Severity s) {
        return std::count_if(ds.begin(), ds.end(), [&](const Diagnostic& d) { return d.rule_id == "dt-unit-address-mismatch" && d.severity == s; });
    };
    ASSERT_EQ(count(report.diagnostics, Severity::warning), 1);
    const auto as_error = apply_severity_policy(report.diagnostics, make_severity_policy({}, {"dt-unit-address-mismatch"}, false).value());
    EXPECT_EQ(count(as_error, Severity::error), 1);
    const auto werror = apply_severity_policy(report.diagnostics, make_severity_policy({}, {}, true).value());
    EXPECT_EQ(count(werror, Severity::error), 1);
    const auto off = apply_severity_policy(report.diagnostics, make_severity_policy({"no-dt-unit-address-mismatch"}, {}, false).value());
    EXPECT_EQ(count(off, Severity::warning) + count(off, Severity::error), 0);
    const auto back_on = make_severity_policy({"no-dt-unit-address-mismatch", "dt-unit-address-mismatch"}, {}, false).value();
    EXPECT_TRUE(back_on.disabled.empty());
    EXPECT_FALSE(make_severity_policy({"no-such-rule"}, {}, false));
    EXPECT_FALSE(make_severity_policy({}, {"typo-rule"}, false));
}

}  // namespace
}  // namespace bootmap

#include "cli/rule_docs.hpp"

namespace bootmap {
namespace {

TEST(RuleDocs, EveryRuleHasADocWithItsSectionsAndEveryDocARule) {
    std::size_t documented = 0;
    for (const auto& rule : rule_catalogue()) {
        const auto doc = cli::rule_doc(rule.id);
        ASSERT_TRUE(doc) << rule.id;
        EXPECT_EQ(doc->find("# " + std::string(rule.id) + "\n"), 0u) << rule.id;
        for (const char* section : {"## Why it matters", "## Example", "## Fix"}) EXPECT_NE(doc->find(section), std::string_view::npos) << rule.id << section;
        ++documented;
    }
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures().parent_path() / "docs/rules")) {
        EXPECT_TRUE(find_rule(entry.path().stem().string())) << entry.path() << " documents no rule";
        ++files;
    }
    EXPECT_EQ(files, documented);
}

}  // namespace
}  // namespace bootmap
