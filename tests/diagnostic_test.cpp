#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace bootmap {
namespace {

// sort_by_location moves findings along the cycles of a sorted order: it must equal a stable sort
// by (file in first-seen order, line, column, byte offset), whatever the shuffle.
TEST(Diagnostics, SortByLocationIsTheStableSortByPlace) {
    std::mt19937 random(20261205);
    for (int round = 0; round < 50; ++round) {
        std::vector<Diagnostic> list;
        const std::size_t n = 1 + random() % 300;
        for (std::size_t i = 0; i < n; ++i) {
            Diagnostic d;
            d.rule_id = "r" + std::to_string(i);  // identity, to see stability
            d.where.file = "file" + std::to_string(random() % 4);
            d.where.line = static_cast<std::uint32_t>(random() % 20);
            d.where.column = static_cast<std::uint32_t>(random() % 3);
            if (random() % 2) d.where.byte_offset = random() % 5;
            if (i % 7 == 0) d.fix = TextFix{"fix", d.where, 1, "x"};
            list.push_back(std::move(d));
        }
        std::vector<std::string> first_seen;
        for (const auto& d : list)
            if (std::find(first_seen.begin(), first_seen.end(), d.where.file) == first_seen.end()) first_seen.push_back(d.where.file);
        const auto rank = [&](const Diagnostic& d) { return std::find(first_seen.begin(), first_seen.end(), d.where.file) - first_seen.begin(); };
        std::vector<Diagnostic> expected = list;
        std::stable_sort(expected.begin(), expected.end(), [&](const Diagnostic& a, const Diagnostic& b) {
            return std::tuple(rank(a), a.where.line, a.where.column, a.where.byte_offset.value_or(0)) <
                   std::tuple(rank(b), b.where.line, b.where.column, b.where.byte_offset.value_or(0));
        });
        sort_by_location(list);
        EXPECT_EQ(list, expected) << "round " << round;
    }
}

// A boxed fix copies and compares by value, as the optional it replaced.
TEST(Diagnostics, ABoxedFixHasValueSemantics) {
    Diagnostic a;
    a.fix = TextFix{"insert M", SourceLocation{"f", 1, 2, std::nullopt}, 0, "M"};
    Diagnostic b = a;
    EXPECT_EQ(a, b);
    b.fix->inserted = "K";
    EXPECT_NE(a, b);
    EXPECT_EQ(a.fix->inserted, "M");
    b.fix = std::optional<TextFix>{};
    EXPECT_FALSE(b.fix);
    EXPECT_NE(a, b);
    EXPECT_LT(sizeof(Diagnostic), 260u) << "the fix is boxed so that findings stay small";
}

}  // namespace
}  // namespace bootmap
