// dmem= (seed 000): the worked examples of the spec (part A, 2.9), computed by hand from the seed's
// algorithm, and the findings that state what the seed's own messages get wrong.

#include <gtest/gtest.h>

#include <random>

#include "analysis/boot_param_checks.hpp"
#include "analysis/dmem_checks.hpp"
#include "analysis/rule_catalogue.hpp"
#include "kernel/dmem.hpp"
#include "predict/artifact.hpp"
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

// parse_dmem() refuses a NULL value: bare "dmem" makes do_early_param() print "Malformed early
// option 'dmem'" and reserves nothing.
TEST(Dmem, BareDmemIsAMalformedEarlyOption) {
    Machine m;
    m.profile.dmem_config = true;
    m.firmware_e820 = E820Table{};
    m.firmware_e820->entries.push_back({PhysAddr{0}, ByteSize{0x9fc00}, e820_type::ram, {}});
    m.firmware_e820->entries.push_back({PhysAddr{0x100000}, ByteSize{0x7ff00000}, e820_type::ram, {}});
    m.cmdline = read_cmdline("cmdline", "quiet dmem").value();
    const auto lines = predict_artifact(m, Artifact::dmem);
    ASSERT_TRUE(lines) << format_input_error(lines.error());
    EXPECT_EQ(lines.value().rfind("Malformed early option 'dmem'\n", 0), 0u) << lines.value();
    EXPECT_EQ(lines.value().find("dmem: register region"), std::string::npos);
    const auto findings = check_boot_params(*m.cmdline, m.profile, nullptr);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("Malformed early option 'dmem'"), std::string::npos);
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

namespace bootmap {
namespace {

// A random machine: up to four nodes, memory in pieces on 2 MiB boundaries (so sections are split
// and misaligned), reservations scattered over it; sometimes more pieces than memblock's initial
// 128-entry arrays hold, so carving makes memblock double them.
Memblock random_machine(std::mt19937_64& rng) {
    Memblock mb{KernelProfile{}};
    mb.allow_resize();
    const int nodes = 1 + static_cast<int>(rng() % 4);
    const std::size_t pieces = rng() % 5 == 0 ? 150 + rng() % 100 : 1 + rng() % 12;
    std::uint64_t at = (rng() % 64) * (2ull << 20);
    for (std::size_t i = 0; i < pieces; ++i) {
        const std::uint64_t size = (1 + rng() % 1500) * (2ull << 20);
        const int nid = static_cast<int>(i * static_cast<std::size_t>(nodes) / pieces);
        mb.add_node(at, size, nid);
        at += size + (rng() % 3 == 0 ? (rng() % 200) * (2ull << 20) : 0);
    }
    const std::size_t reservations = rng() % 20;
    for (std::size_t i = 0; i < reservations; ++i) mb.reserve(rng() % at, (1 + rng() % 64) * 4096 * (rng() % 4 == 0 ? 512 : 1));
    return mb;
}

grammars::DmemParam random_param(std::mt19937_64& rng, std::uint64_t top) {
    grammars::DmemParam p;
    p.align = (128ull << 20) << (rng() % 4);
    p.size = (1 + rng() % 48) * p.align;
    switch (rng() % 3) {
        case 0: break;
        case 1: p.resv_kernel = true; break;
        default: p.base = (1 + rng() % (top / p.align + 1)) * p.align; break;
    }
    return p;
}

TEST(DmemWalk, OneWalkGivesTheSeedsRewalkingAnswerOnThousandsOfLayouts) {
    std::mt19937_64 rng(2020);
    std::size_t carved_layouts = 0, doubled = 0, table_full = 0;
    for (int round = 0; round < 3000; ++round) {
        const Memblock machine = random_machine(rng);
        const auto param = random_param(rng, machine.end_of_dram());
        Memblock fast = machine, slow = machine;
        const auto a = reserve_dmem(fast, param, KernelProfile{});
        const auto b = reserve_dmem_rewalking(slow, param, KernelProfile{});
        ASSERT_EQ(a.log, b.log) << "round " << round;
        ASSERT_EQ(a.missing, b.missing) << "round " << round;
        ASSERT_EQ(a.missing_fixed, b.missing_fixed) << "round " << round;
        ASSERT_EQ(fast.memory().regions, slow.memory().regions) << "round " << round;
        ASSERT_EQ(fast.reserved().regions, slow.reserved().regions) << "round " << round;
        carved_layouts += !a.regions.empty();
        doubled += fast.memory().max > machine.memory().max || fast.reserved().max > machine.reserved().max;
        table_full += a.table_full;
    }
    // The layouts exercise what matters: carving, array doubling and the 93-entry table.
    EXPECT_GT(carved_layouts, 2000u);
    EXPECT_GT(doubled, 0u);
    EXPECT_GT(table_full, 0u);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The case where one walk alone would go wrong: the first carve makes memblock double its reserved
// array (127 reservations already), and with nothing free above, the new array lands in memory still
// to be walked. Both must see the array and carve around it.
TEST(DmemWalk, ACarveThatDoublesMemblocksArrayRestartsTheWalk) {
    Memblock mb{KernelProfile{}};
    mb.allow_resize();
    constexpr std::uint64_t S = 128ull << 20;
    // Node 0 below a hole, node 1 above it: node 1's carve takes all of node 1, so the doubled array
    // goes to the top of node 0, into the range the walk visits next.
    mb.add_node(0, 32 * S, 0);
    mb.add_node(48 * S, 16 * S, 1);
    for (std::uint64_t i = 0; i < 127; ++i) mb.reserve(i * 0x10000, 0x1000);  // low, one page each
    grammars::DmemParam p;
    p.align = S;
    p.size = 16 * S;
    Memblock fast = mb, slow = mb;
    const auto a = reserve_dmem(fast, p, KernelProfile{});
    const auto b = reserve_dmem_rewalking(slow, p, KernelProfile{});
    EXPECT_GT(fast.reserved().max, mb.reserved().max);  // the array did double
    EXPECT_EQ(a.log, b.log);
    // Node 0 loses its top section to the array: the carve ends one section lower.
    ASSERT_EQ(b.regions.size(), 2u);
    EXPECT_EQ(b.regions[1].end, 31 * S);
    EXPECT_EQ(fast.memory().regions, slow.memory().regions);
    EXPECT_EQ(fast.reserved().regions, slow.reserved().regions);
}

}  // namespace
}  // namespace bootmap

#include "analysis/pipeline.hpp"
#include "readers/e820_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

std::size_t starvation_findings(const char* cmdline) {
    Machine m;
    m.profile.dmem_config = true;
    const auto log = test::fixtures() / "kernel/x86-6G/dmesg.txt";
    m.firmware_e820 = read_e820_text(log.string(), test::slurp(log)).value();
    m.cmdline = read_cmdline("--cmdline", cmdline).value();
    const auto report = analyze_machine(std::move(m));
    return static_cast<std::size_t>(std::count_if(report.diagnostics.begin(), report.diagnostics.end(),
                                                  [](const Diagnostic& d) { return d.rule_id == rules::dmem_starves_boot_reservations; }));
}

TEST(DmemLeftovers, ACrashKernelThatOnlyDmemPushesOutIsReported) {
    EXPECT_EQ(starvation_findings("dmem=5G crashkernel=1G"), 1u);
    EXPECT_EQ(starvation_findings("dmem=4G crashkernel=512M"), 0u);  // still fits below
    EXPECT_EQ(starvation_findings("crashkernel=1G"), 0u);            // no dmem, nothing to blame
}

TEST(DmemLeftovers, GiganticPagesThatOnlyDmemPushesOutAreReported) {
    EXPECT_EQ(starvation_findings("dmem=4G hugepagesz=1G hugepages=2"), 1u);
    EXPECT_EQ(starvation_findings("dmem=1G hugepagesz=1G hugepages=2"), 0u);
    EXPECT_EQ(starvation_findings("dmem=4G hugepagesz=2M hugepages=64"), 0u);  // not gigantic
}

}  // namespace
}  // namespace bootmap
