// dmem= (seed 000): the worked examples of the spec (part A, 2.9), computed by hand from the seed's
// algorithm, and the findings that state what the seed's own messages get wrong.

#include <gtest/gtest.h>

#include "analysis/dmem_checks.hpp"
#include "analysis/rule_catalogue.hpp"
#include "kernel/dmem.hpp"
#include "readers/cmdline_reader.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t M = 1ull << 20, G = 1ull << 30;

// One node, memory [4 GiB, 18 GiB), 1 MiB reserved at the very top.
Memblock example_machine() {
    Memblock mb{KernelProfile{}};
    mb.add_node(0x100000000, 0x380000000, 0);
    mb.reserve(0x47ff00000, M);
    return mb;
}

grammars::DmemParam dmem(const char* value) {
    auto d = grammars::parse_dmem(value, 128 * M);
    EXPECT_TRUE(d.verdict.accepted) << value;
    return d;
}

TEST(Dmem, PerNodeTakesTheTopAlignedPart) {
    auto mb = example_machine();
    auto out = reserve_dmem(mb, dmem("4G"), KernelProfile{});
    EXPECT_EQ(out.log, (std::vector<std::string>{"dmem: pre-defined region: 93", "dmem: register region [0x378000000 - 0x478000000] on node 0."}));
    EXPECT_TRUE(out.missing.empty());
    // The carved window left memblock.memory; the 127 MiB below the reserved top stays with the kernel.
    EXPECT_FALSE(mb.is_region_reserved(0x378000000, 4 * G));
    EXPECT_EQ(mb.phys_mem_size(), 0x380000000u - 4 * G);
}

TEST(Dmem, BangModeRoundsTheFreeTotalUp) {
    auto mb = example_machine();
    auto out = reserve_dmem(mb, dmem("!4G"), KernelProfile{});
    ASSERT_EQ(out.regions.size(), 1u);
    EXPECT_EQ(out.regions[0].start, 0x1f8000000u);
    EXPECT_EQ(out.regions[0].end, 0x478000000u);  // 10 GiB: 14 GiB (rounded up) minus 4 GiB
    auto cmdline = read_cmdline("t", "dmem=!4G").value();
    auto found = check_dmem(cmdline, out);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].rule_id, rules::dmem_kernel_share_short);
    EXPECT_NE(found[0].message.find("keeps 4095 MiB"), std::string::npos) << found[0].message;  // 4 GiB - 1 MiB
}

TEST(Dmem, FixedWindowWithAHoleAndTheSeedsWrongEnd) {
    auto mb = example_machine();
    mb.reserve(0x160000000, 2 * M);
    auto out = reserve_dmem(mb, dmem("1G@5G"), KernelProfile{});
    EXPECT_EQ(out.log, (std::vector<std::string>{
                           "dmem: pre-defined region: 93",
                           "dmem: register region [0x168000000 - 0x180000000] on node 0.",
                           "dmem: register region [0x140000000 - 0x160000000] on node 0.",
                           "dmem: 0x8000000 size of memory is not reserved for dmem due to holes and misaligned regions in [0x140000000, 0x148000000].",
                       }));
    EXPECT_EQ(out.missing_fixed, 128 * M);
    auto found = check_dmem(read_cmdline("t", "dmem=1G@5G").value(), out);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].rule_id, rules::dmem_shortfall);
}

TEST(Dmem, ShortNodeReportsTheRealShortfall) {
    Memblock mb{KernelProfile{}};
    mb.add_node(0x100000000, 4 * G, 0);
    mb.add_node(0x200000000, 1 * G, 1);
    mb.reserve(0x200000000 + 512 * M, M);  // splits node 1's free memory
    auto out = reserve_dmem(mb, dmem("1G"), KernelProfile{});
    ASSERT_EQ(out.missing.size(), 1u);
    EXPECT_EQ(out.missing.at(1), 128 * M);  // 512 MiB + 384 MiB in whole windows, of 1 GiB asked
    EXPECT_EQ(out.log.back(), "dmem: 0x40000000 size of memory is not reserved on node 1 due to misaligned regions.");
    auto found = check_dmem(read_cmdline("t", "dmem=1G").value(), out);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].message.find("node 1 gets 896 MiB of the 1 GiB"), std::string::npos) << found[0].message;
}

TEST(Dmem, RegionTableRunsOutAfter93) {
    Memblock mb{KernelProfile{}};
    mb.allow_resize();
    // 100 aligned 128 MiB windows, each followed by a 1 MiB reservation and a 127 MiB unaligned rest.
    mb.add_node(0x100000000, 100 * 256 * M, 0);
    for (std::uint64_t i = 0; i < 100; ++i) mb.reserve(0x100000000 + i * 256 * M + 128 * M, M);
    auto out = reserve_dmem(mb, dmem("16G"), KernelProfile{});
    EXPECT_TRUE(out.table_full);
    EXPECT_EQ(out.regions.size(), dmem_region_limit(KernelProfile{}));
    EXPECT_EQ(dmem_region_limit(KernelProfile{}), 93u);
    const auto& log = out.log;
    ASSERT_GE(log.size(), 3u);
    EXPECT_EQ(log[log.size() - 2], "dmem: region is not sufficient.");
    auto found = check_dmem(read_cmdline("t", "dmem=16G").value(), out);
    EXPECT_EQ(found.front().rule_id, rules::dmem_region_table_full);
}

}  // namespace
}  // namespace bootmap
