// The baseline reader: every refusal names the file, line and column of what is wrong, and a baseline
// written by bootmap reads back.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "analysis/baseline.hpp"
#include "core/input_error.hpp"
#include "report/json_reporter.hpp"
#include "util/json_positions.hpp"

namespace bootmap {
namespace {

TEST(BaselineReader, EveryRefusalNamesItsLineAndColumn) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{\"schema_version\": 1,\n \"findings\": [\n  {\"fingerprint\": \"a\"},\n  {\"rule\": \"x\"}\n ]\n}\n",
         "b.json:4:3: error: expected finding 1 of the baseline to have a \"fingerprint\" string"},
        {"{\"schema_version\": 1,\n \"findings\": [\n  \"abc\",\n  12]}", "b.json:3:3: error: expected finding 0"},
        {"{\"schema_version\": 1,\n \"findings\": [\n  {\"fingerprint\":\"x\"},\n     true  ]}", "b.json:4:6: error: expected finding 1"},
        {"{\"schema_version\":\n   2, \"findings\": []}", "b.json:1:2: error: expected baseline schema_version 1, found 2"},
        {"{\"schema_version\": \"1\", \"findings\": []}", "b.json:1:2: error: expected a bootmap baseline: an object with an integer"},
        {"{\"schema_version\": 1,\n\n   \"findings\": {}}", "b.json:3:4: error: expected a bootmap baseline: an object with a \"findings\" array"},
        {"[1,2]", "b.json:1:1: error: expected a bootmap baseline: an object"},
        {"{\"schema_version\": 1,\n \"findings\": [\n  {\"rule\": \"x\"\n ]\n}\n", "b.json:4:2: error: expected a bootmap baseline (JSON), found text that is not JSON"},
        {"", "b.json:1:1: error: expected a bootmap baseline (JSON)"},
    };
    for (const auto& [text, expected] : cases) {
        const auto read = read_baseline("b.json", text);
        ASSERT_FALSE(read) << text;
        EXPECT_EQ(format_input_error(read.error()).rfind(expected, 0), 0u) << text << "\n" << format_input_error(read.error());
    }
}

TEST(BaselineReader, AWrittenBaselineReadsBackAndAcceptsItsFindings) {
    Diagnostic d;
    d.rule_id = "iomem-overlap";
    d.message = "two ranges \xff overlap";
    d.where = SourceLocation{"m/iomem", 3, 1, std::nullopt};
    const std::vector<Diagnostic> findings{d, d};
    const auto read = read_baseline("b.json", render_baseline(findings));
    ASSERT_TRUE(read) << format_input_error(read.error());
    const auto split = split_by_baseline(findings, read.value());
    EXPECT_TRUE(split.fresh.empty());
    EXPECT_EQ(split.baselined.size(), 2u);
}

TEST(JsonPositions, MembersAndElementsKeepTheirPlaces) {
    JsonSyntaxError error{};
    const std::string text = "{\"a\": [10, \"x/y\", {\"b~c\": null}],\n \"d/e\": -1.5e3}";
    const auto parsed = parse_positioned_json(text, error);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->offsets.at("/a"), 1u);
    EXPECT_EQ(parsed->offsets.at("/a/0"), 7u);
    EXPECT_EQ(parsed->offsets.at("/a/1"), 11u);
    EXPECT_EQ(parsed->offsets.at("/a/2"), 18u);
    EXPECT_EQ(parsed->offsets.at("/a/2/b~0c"), 19u);
    EXPECT_EQ(parsed->offsets.at("/d~1e"), 35u);
    EXPECT_EQ(parsed->offset_of("/a/2/b~0c/missing"), 19u);
    EXPECT_FALSE(parse_positioned_json("{\"a\": 1e999999}", error));
    EXPECT_FALSE(parse_positioned_json("{\"a\" 1}", error));
    EXPECT_EQ(error.offset, 5u);
}

}  // namespace
}  // namespace bootmap
