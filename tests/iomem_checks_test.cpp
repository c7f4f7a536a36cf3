#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/iomem_checks.hpp"
#include "analysis/rule_catalogue.hpp"
#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

std::vector<Diagnostic> check_file(const std::string& relative, KernelProfile profile = {}) {
    const auto path = test::fixtures() / "iomem" / relative;
    auto tree = read_iomem(path.string(), test::slurp(path));
    EXPECT_TRUE(tree) << path;
    if (!tree) return {};
    return check_iomem(tree.value(), profile);
}

std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& all, std::string_view rule) {
    std::vector<Diagnostic> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Diagnostic& d) { return d.rule_id == rule; });
    return out;
}

TEST(IomemChecks, EndBeforeStartFiresOnTheRealOddDumpOnly) {
    auto fired = with_rule(check_file("real/cxl-qemu-hmem-dax-plus-cxl-region.excerpt.iomem"), rules::iomem_end_before_start);
    ASSERT_EQ(fired.size(), 7u);  // lines 1, 2, 4, 5, 6, 7, 8: every entry whose end lost a digit
    EXPECT_EQ(fired[0].where.line, 1u);
    EXPECT_EQ(fired[0].severity, Severity::error);
    EXPECT_TRUE(with_rule(check_file("kernel/x86-6G.iomem"), rules::iomem_end_before_start).empty());
}

TEST(IomemChecks, SiblingOverlapNamesBothSides) {
    auto fired = with_rule(check_file("rules/iomem-sibling-overlap.fires.iomem"), rules::iomem_sibling_overlap);
    ASSERT_EQ(fired.size(), 2u);
    EXPECT_EQ(fired[0].where.line, 5u);
    EXPECT_EQ(fired[0].where.column, 3u);
    ASSERT_EQ(fired[0].related.size(), 1u);
    EXPECT_EQ(fired[0].related[0].where.line, 4u);
    EXPECT_EQ(fired[1].where.line, 6u);
    EXPECT_EQ(fired[1].related[0].where.line, 3u);
    EXPECT_TRUE(with_rule(check_file("real/qcom-android-arm64-fragmented.iomem"), rules::iomem_sibling_overlap).empty());
}

TEST(IomemChecks, ChildOutsideParent) {
    auto fired = with_rule(check_file("rules/iomem-child-outside-parent.fires.iomem"), rules::iomem_child_outside_parent);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].where.line, 3u);
    EXPECT_EQ(fired[0].related[0].where.line, 2u);
    EXPECT_TRUE(with_rule(check_file("real/nvidia-jetson-orin-tegra234.iomem"), rules::iomem_child_outside_parent).empty());
}

TEST(IomemChecks, RangeWraps) {
    auto fired = with_rule(check_file("rules/iomem-range-wraps.fires.iomem"), rules::iomem_range_wraps);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].where.line, 2u);
    EXPECT_TRUE(with_rule(check_file("real/x86-laptop-tigerlake-6.x.iomem"), rules::iomem_range_wraps).empty());
}

TEST(IomemChecks, RamBelowABusyNamespaceConflicts) {
    auto fired = with_rule(check_file("rules/iomem-ram-request-conflict.fires.iomem"), rules::iomem_ram_request_conflict);
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].where.line, 4u);
    EXPECT_EQ(fired[0].severity, Severity::error);
    EXPECT_EQ(fired[0].related[0].where.line, 3u);  // namespace0.0 is what it collides with
    EXPECT_NE(fired[0].message.find("busy"), std::string::npos);
}

TEST(IomemChecks, Seed002NestingIsLegalSince5_0ButNotBefore) {
    EXPECT_TRUE(with_rule(check_file("rules/iomem-ram-request-conflict.clean.iomem"), rules::iomem_ram_request_conflict).empty());
    auto old = with_rule(check_file("rules/iomem-ram-request-conflict.clean.iomem", KernelProfile{{4, 19}}),
                         rules::iomem_ram_request_conflict);
    ASSERT_EQ(old.size(), 1u);
    EXPECT_EQ(old[0].where.line, 14u);
    EXPECT_EQ(old[0].related[0].where.line, 13u);  // the top-level Persistent Memory (legacy)
    EXPECT_NE(old[0].message.find("4.19"), std::string::npos);
}

TEST(IomemChecks, RealKmemAndCxlDumpsHaveNoRequestConflicts) {
    for (const char* file : {"real/pmem-damo-namespace-plus-dax-kmem.excerpt.iomem", "real/cxl-huang-ying-window-region-kmem.excerpt.iomem",
                             "real/cxl-window-soft-reserved-region-dax-kmem-5level.excerpt.iomem",
                             "real/cxl-soft-reserved-parent-of-window.excerpt.iomem", "real/pmem-qemu-devdax-kmem-onlined-128M-aligned.excerpt.iomem",
                             "real/hpe-2socket-memmap-4G-bang-4G-kernel-inside-pmem.iomem"})
        EXPECT_TRUE(with_rule(check_file(file), rules::iomem_ram_request_conflict).empty()) << file;
}

TEST(IomemChecks, HolesAreListedWithSizes) {
    auto fired = with_rule(check_file("kernel/x86-memmap-pmem.iomem"), rules::iomem_hole);
    ASSERT_EQ(fired.size(), 7u);
    EXPECT_EQ(fired[0].severity, Severity::note);
    EXPECT_EQ(fired[0].range->begin().value(), 0xc9c00u);
    EXPECT_EQ(fired[0].range->size().bytes(), 0x400u);
    EXPECT_NE(fired[0].message.find("1 KiB"), std::string::npos);
    EXPECT_EQ(fired[0].where.line, 6u);  // anchored at the Adapter ROM that follows
    EXPECT_TRUE(with_rule(check_file("rules/iomem-hole.clean.iomem"), rules::iomem_hole).empty());
}

}  // namespace
}  // namespace bootmap
