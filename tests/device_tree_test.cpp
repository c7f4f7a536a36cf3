// Device trees: the readers (DTB through libfdt, DTS through cpp and dtc with source places), the
// kernel's heapsort, the reserved_mem model against every arm64 capture of the real 6.1 kernel, the
// dt-* rules on their fixture pairs (as DTS and as DTB), and the real vendor trees.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "analysis/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/kernel_sort.hpp"
#include "predict/artifact.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/dts_reader.hpp"
#include "readers/live_machine.hpp"
#include "test_support.hpp"

extern "C" {
#include <libfdt.h>
}

namespace bootmap {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const DeviceTree> load_dtb(const fs::path& path) {
    auto tree = read_dtb(path.string(), test::slurp(path));
    EXPECT_TRUE(tree) << path << ": " << (tree ? "" : tree.error().message);
    return tree ? std::make_shared<const DeviceTree>(std::move(tree).value()) : nullptr;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// ---- the kernel's sort ----

TEST(KernelHeapsort, BothVariantsSortLikeAnyCorrectSort) {
    for (const auto variant : {KernelSortVariant::single_pop, KernelSortVariant::double_pop}) {
        std::mt19937 rng(7);
        for (int round = 0; round < 300; ++round) {
            std::vector<int> v(rng() % 70);
            for (auto& x : v) x = static_cast<int>(rng() % 20);
            auto expected = v;
            std::sort(expected.begin(), expected.end());
            kernel_heapsort(v, [](int a, int b) { return a < b ? -1 : (a > b ? 1 : 0); }, variant);
            EXPECT_EQ(v, expected);
        }
    }
}

TEST(KernelHeapsort, DoublePopLeavesTiesWhereLinux72Did) {
    // fixtures/kernel-7.2/arm64-rmem-ties: five identical regions, one overlapping them and one
    // shorter, in tree order; the kernel's overlap lines give the sorted order.
    std::vector<std::pair<std::uint64_t, std::string>> v{{2, "ta"}, {2, "tb"}, {2, "tc"}, {2, "td"}, {2, "te"}, {3, "u"}, {1, "v"}};
    const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first ? -1 : (a.first > b.first ? 1 : 0); };
    auto old = v;
    kernel_heapsort(v, by_key, KernelSortVariant::double_pop);
    std::vector<std::string> names;
    for (const auto& e : v) names.push_back(e.second);
    EXPECT_EQ(names, (std::vector<std::string>{"v", "td", "te", "tb", "tc", "ta", "u"}));
    kernel_heapsort(old, by_key, KernelSortVariant::single_pop);
    EXPECT_NE(old, v);
}

TEST(KernelHeapsort, LeavesEqualKeysInTheKernelsOrderNotTreeOrder) {
    // Two static regions then four dynamic ones (key 0): the arm64-rmem-mixed tree. The kernel
    // placed linux,cma first and dma_pool second; tree order would place dyn_a first.
    std::vector<std::pair<int, std::string>> v{{0x50, "fw"}, {0x51, "ramoops"}, {0, "dyn_a"}, {0, "dyn_b"}, {0, "dma_pool"}, {0, "linux,cma"}};
    kernel_heapsort(v, [](const auto& a, const auto& b) { return a.first < b.first ? -1 : (a.first > b.first ? 1 : 0); });
    const auto at = [&](std::string_view name) { return std::find_if(v.begin(), v.end(), [&](const auto& e) { return e.second == name; }) - v.begin(); };
    // What the capture shows: linux,cma placed (and logged) first, dma_pool logged after it, and
    // dyn_b placed after linux,cma (it sits just below it).
    EXPECT_EQ(at("linux,cma"), 0);
    EXPECT_LT(at("linux,cma"), at("dma_pool"));
    EXPECT_LT(at("linux,cma"), at("dyn_b"));
    EXPECT_EQ(v[4].second, "fw");
    EXPECT_EQ(v[5].second, "ramoops");
}

// ---- readers ----

TEST(DtbReader, ReadsEveryRealTreeIncludingAndroidDtTables) {
    std::size_t read = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "dt/real")) {
        if (entry.path().extension() == ".txt") continue;
        auto tree = read_dtb(entry.path().string(), test::slurp(entry.path()));
        ASSERT_TRUE(tree) << entry.path() << ": " << tree.error().message;
        EXPECT_FALSE(tree.value().root.children.empty()) << entry.path();
        ++read;
    }
    EXPECT_EQ(read, 49u);
}

TEST(DtbReader, RefusesDamagedBlobsWithOffsetsAndLibfdtsWords) {
    const auto good = test::slurp(test::fixtures() / "kernel/arm64-rmem-mixed/input.dtb");
    auto truncated = read_dtb("cut.dtb", good.substr(0, good.size() / 2));
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
    EXPECT_EQ(truncated.error().where.byte_offset, 4u);

    auto not_a_dtb = read_dtb("x.dtb", std::string(64, 'x'));
    ASSERT_FALSE(not_a_dtb);
    EXPECT_NE(not_a_dtb.error().message.find("d00dfeed"), std::string::npos);

    auto tiny = read_dtb("tiny.dtb", "\xd0\x0d\xfe");
    ASSERT_FALSE(tiny);

    // The structure block's first token is FDT_BEGIN_NODE; make it garbage.
    std::string broken = good;
    const auto struct_offset = (static_cast<unsigned char>(good[8]) << 24) | (static_cast<unsigned char>(good[9]) << 16) |
                               (static_cast<unsigned char>(good[10]) << 8) | static_cast<unsigned char>(good[11]);
    broken[static_cast<std::size_t>(struct_offset) + 3] = '\x7f';
    auto damaged = read_dtb("damaged.dtb", broken);
    ASSERT_FALSE(damaged);
    EXPECT_NE(damaged.error().message.find("libfdt refuses"), std::string::npos) << damaged.error().message;
}

// The reader checks the structure block in the walk that reads it, not in a separate
// fdt_check_full() pass: held to libfdt's own verdict on thousands of damaged blobs (single bytes of
// the structure and strings blocks and of the header's offsets overwritten). Refusing more than libfdt
// is allowed only where there is no tree to read (no root node, a property before it) or nesting is
// deeper than the reader's bound.
TEST(DtbReader, RefusesExactlyWhatFdtCheckFullRefuses) {
    std::mt19937 random(22);
    int refused_by_both = 0, accepted_by_both = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "dt/real")) {
        if (entry.path().extension() != ".dtb") continue;
        const std::string good = test::slurp(entry.path());
        const auto be32 = [&good](std::size_t at) {
            return (std::uint32_t{static_cast<unsigned char>(good[at])} << 24) | (std::uint32_t{static_cast<unsigned char>(good[at + 1])} << 16) |
                   (std::uint32_t{static_cast<unsigned char>(good[at + 2])} << 8) | std::uint32_t{static_cast<unsigned char>(good[at + 3])};
        };
        const std::size_t struct_start = be32(8), struct_end = struct_start + be32(36);
        // The cases a random byte seldom reaches, then random bytes: a named root; the final FDT_END
        // made a second node, a property, a NOP or an FDT_END_NODE; the first tag made each other tag.
        const std::vector<std::pair<std::size_t, char>> targeted{{struct_start + 4, 'x'}, {struct_end - 1, FDT_BEGIN_NODE},
                                                                 {struct_end - 1, FDT_PROP},   {struct_end - 1, FDT_NOP},
                                                                 {struct_end - 1, FDT_END_NODE}, {struct_start + 3, FDT_END_NODE},
                                                                 {struct_start + 3, FDT_PROP},  {struct_start + 3, FDT_END}};
        for (int trial = 0; trial < 60; ++trial) {
            std::string blob = good;
            const std::size_t total = blob.size();
            // Mostly the structure and strings blocks (which follow the header and the reservations).
            std::size_t at = trial % 6 == 0 ? 8 + random() % 32 : 40 + random() % (total - 40);
            blob[at] = static_cast<char>(trial % 3 == 0 ? random() % 256 : (trial % 3 == 1 ? 0 : 0xff));
            if (static_cast<std::size_t>(trial) < targeted.size()) {
                blob = good;
                at = targeted[static_cast<std::size_t>(trial)].first;
                blob[at] = targeted[static_cast<std::size_t>(trial)].second;
            }
            std::vector<std::uint64_t> aligned((blob.size() + 7) / 8);
            std::memcpy(aligned.data(), blob.data(), blob.size());
            const bool libfdt_accepts = fdt_check_full(aligned.data(), blob.size()) == 0;
            const auto ours = read_dtb("mutated.dtb", blob);
            if (libfdt_accepts && !ours) {
                const auto& message = ours.error().message;
                EXPECT_TRUE(message.find("no root node") != std::string::npos || message.find("before the root node") != std::string::npos ||
                            message.find("deeper than") != std::string::npos)
                    << entry.path().filename() << " byte " << at << ": libfdt accepts, we refuse: " << message;
            }
            EXPECT_FALSE(!libfdt_accepts && ours) << entry.path().filename() << " byte " << at << ": libfdt refuses, we accept";
            (libfdt_accepts ? accepted_by_both : refused_by_both) += (libfdt_accepts == static_cast<bool>(ours)) ? 1 : 0;
        }
    }
    // Both verdicts occur, many times: the mutations reach the checks.
    EXPECT_GT(refused_by_both, 300);
    EXPECT_GT(accepted_by_both, 300);
}

TEST(DtbReader, EveryBadBlobIsRefusedWithWhereAndWhat) {
    const std::map<std::string, std::string> expected{
        {"bad-struct-token.dtb", "FDT_ERR_BADSTRUCTURE"},
        {"dt-table-entry-outside.img", "lies outside the 64-byte file"},
        {"dt-table-points-at-itself.img", "found d7b7ab1e"},  // found by libFuzzer: unbounded recursion before
        {"empty.dtb", "expected a device tree blob header of 40 bytes, found 0 bytes"},
        {"header-only.dtb", "the header says the blob is 8143 bytes, but the file has only 40: truncated"},
        {"strings-outside.dtb", "FDT_ERR_TRUNCATED"},
        {"totalsize-huge.dtb", "4294967295 bytes"},
        {"totalsize-zero.dtb", "smaller than the header itself"},  // found by libFuzzer (UBSan: memcpy to null)
        {"truncated-half.dtb", "truncated"},
        {"wrong-magic.dtb", "expected the device tree magic d00dfeed, found d00dfeee"},
    };
    for (const auto& [name, message] : expected) {
        auto tree = read_dtb(name, test::slurp(test::fixtures() / "bad/dtb" / name));
        ASSERT_FALSE(tree) << name;
        EXPECT_NE(tree.error().message.find(message), std::string::npos) << name << ": " << tree.error().message;
        EXPECT_TRUE(tree.error().where.byte_offset.has_value()) << name;
    }
}

TEST(DtbReader, KeepsMemreserveUpToTheFirstEmptyEntry) {
    auto tree = load_dtb(test::fixtures() / "kernel/arm64-memreserve/input.dtb");
    ASSERT_TRUE(tree);
    ASSERT_EQ(tree->memreserve.size(), 2u);
    EXPECT_EQ(tree->memreserve[0].address, 0x50000000u);
    EXPECT_EQ(tree->memreserve[1].size, 0x3000u);
}

TEST(DtsReader, TracesNodesAndPropertiesToTheFilesThatWroteThem) {
    const auto dir = test::fixtures() / "dt/source";
    auto tree = read_dts((dir / "board.dts").string(), DtsOptions{{(dir / "include").string()}, true});
    ASSERT_TRUE(tree) << tree.error().message;
    const DtNode* fw = tree.value().find("/reserved-memory/fw@50000000");
    ASSERT_NE(fw, nullptr);
    // Defined in the SoC include, overridden by the board through its label.
    ASSERT_EQ(fw->where.size(), 2u);
    EXPECT_NE(fw->where[0].file.find("soc.dtsi"), std::string::npos);
    EXPECT_NE(fw->where[1].file.find("board.dts"), std::string::npos);
    const auto reg = fw->location_of("reg");
    EXPECT_NE(reg.file.find("board.dts"), std::string::npos);
    EXPECT_EQ(reg.line, 9u);
    EXPECT_NE(fw->location_of("no-map").file.find("soc.dtsi"), std::string::npos);
    // #define'd sizes went through the preprocessor.
    EXPECT_EQ(read_cells(*fw->property("reg"), 2, 2), 0x200000u);
}

TEST(DtsReader, ReportsSyntaxErrorsAndMissingIncludesAtTheirLine) {
    const auto dir = test::fixtures() / "dt/source";
    auto bad = read_dts((dir / "syntax-error.dts").string(), DtsOptions{});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().where.file.find("syntax-error.dts"), std::string::npos);
    EXPECT_EQ(bad.error().where.line, 5u);
    EXPECT_NE(bad.error().message.find("syntax error"), std::string::npos);

    auto missing = read_dts((dir / "board.dts").string(), DtsOptions{});  // without -I include/
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("soc.dtsi"), std::string::npos) << missing.error().message;
    EXPECT_EQ(missing.error().where.line, 2u);

    auto absent = read_dts((dir / "no-such.dts").string(), DtsOptions{});
    ASSERT_FALSE(absent);
}

TEST(DtsReader, ReadsEveryFlatRealSourceAndRefusesRawOnesWithoutTheirHeaders) {
    std::size_t read = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "dt/real-dts")) {
        if (entry.is_directory()) {
            for (const auto& raw : fs::directory_iterator(entry.path())) {
                if (raw.path().extension() != ".dts") continue;
                auto tree = read_dts(raw.path().string(), DtsOptions{});
                ASSERT_FALSE(tree) << raw.path();
                EXPECT_NE(tree.error().message.find("dt-bindings"), std::string::npos) << tree.error().message;
                EXPECT_GT(tree.error().where.line, 0u);
            }
            continue;
        }
        auto tree = read_dts(entry.path().string(), DtsOptions{});
        ASSERT_TRUE(tree) << entry.path() << ": " << tree.error().message;
        ++read;
    }
    EXPECT_EQ(read, 30u);
}

TEST(LiveMachine, TakesTheBootedDeviceTreeWhenReadable) {
    const auto dir = test::fixtures() / "kernel/arm64-rmem-mixed";
    LivePaths paths{(dir / "iomem.txt").string(), (dir / "cmdline.txt").string(), (dir / "machine.dtb").string()};
    auto machine = read_live_machine(paths, KernelProfile{});
    ASSERT_TRUE(machine) << machine.error().message;
    ASSERT_TRUE(machine.value().device_tree);
    EXPECT_EQ(machine.value().profile.arch, Arch::arm64);
    const auto report = analyze_machine(std::move(machine).value());
    ASSERT_TRUE(report.dt_boot);
    EXPECT_EQ(report.dt_boot->rmem.regions.size(), 6u);
}

// ---- the 6.1 captures ----

struct Capture {
    std::string name;
    Machine machine;
};

// `folder`: "kernel" (Debian 6.1.192) or "kernel-6.12" (Debian 6.12.118).
Capture capture(const std::string& name, const std::string& folder = "kernel") {
    const auto dir = test::fixtures() / folder / name;
    Capture c{name, {}};
    c.machine.profile.arch = Arch::arm64;
    c.machine.profile.version = folder == "kernel-6.12" ? KernelVersion{6, 12, 118} : KernelVersion{6, 1, 192};
    const auto dtb = fs::exists(dir / "input.dtb") ? dir / "input.dtb" : dir / "machine.dtb";
    c.machine.device_tree = load_dtb(dtb);
    auto cmdline = read_cmdline("cmdline.txt", lines_of(test::slurp(dir / "cmdline.txt")).front());
    EXPECT_TRUE(cmdline);
    c.machine.cmdline = std::move(cmdline).value();
    // QEMU's virt loader: initrd at RAM + 128 MiB, the DTB 2 MiB-aligned after it, and the blob it
    // passes is the file grown as QEMU grows it (its own: 1 MiB; a -dtb file: twice size + 10000).
    const std::uint64_t blob = fs::exists(dir / "input.dtb") ? (fs::file_size(dtb) + 10000) * 2 : 0x100000;
    c.machine.placement.initrd = std::pair{0x48000000ull, 0xfe000ull};
    c.machine.placement.fdt = std::pair{0x48200000ull, blob};
    return c;
}

std::vector<std::string> arm64_captures() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "kernel"))
        if (entry.path().filename().string().rfind("arm64-", 0) == 0) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return test::non_empty(out, "arm64 captures");
}

// The kernel's reserved-memory lines of a boot log (with the elfcorehdr's, which the same code
// reserves), without timestamps.
std::string rmem_lines(const std::string& dmesg) {
    static const std::regex stamp(R"(^\[[^\]]*\] )");
    std::string out;
    bool continuation = false;
    for (const auto& raw : lines_of(dmesg)) {
        const std::string line = std::regex_replace(raw, stamp, "");
        const bool ours = line.rfind("OF: reserved mem:", 0) == 0 || line.rfind("OF: fdt: Reserved memory:", 0) == 0 ||
                          line.rfind("Reserved memory:", 0) == 0 || line.rfind("OF: fdt: Reserving ", 0) == 0 ||
                          line == "OF: fdt: elfcorehdr is overlapped" || continuation;
        continuation = line == "OF: reserved mem: OVERLAP DETECTED!";
        if (ours) out += line + "\n";
    }
    return out;
}

struct Range {
    std::uint64_t first, last;
    std::string name;
    std::size_t depth;
};

std::vector<Range> memblock_ranges(const std::string& text) {
    static const std::regex row(R"(^\s*\d+: 0x([0-9a-f]+)\.\.0x([0-9a-f]+)$)");
    std::vector<Range> out;
    std::smatch m;
    for (const auto& line : lines_of(text))
        if (std::regex_match(line, m, row)) out.push_back({std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 16), "", 0});
    return out;
}

std::vector<Range> iomem_ranges(const std::string& text) {
    static const std::regex row(R"(^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$)");
    std::vector<Range> out;
    std::smatch m;
    for (const auto& line : lines_of(text))
        if (std::regex_match(line, m, row)) out.push_back({std::stoull(m[2], nullptr, 16), std::stoull(m[3], nullptr, 16), m[4], static_cast<std::size_t>(m[1].length() / 2)});
    return out;
}

TEST(Arm64Captures, RmemLinesEqualTheKernels) {
    std::size_t with_lines = 0;
    for (const auto& name : arm64_captures()) {
        auto c = capture(name);
        const auto predicted = predict_artifact(c.machine, Artifact::rmem);
        ASSERT_TRUE(predicted) << name;
        const auto actual = rmem_lines(test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt"));
        EXPECT_EQ(predicted.value(), actual) << name;
        with_lines += !actual.empty();
    }
    EXPECT_EQ(with_lines, 7u);  // rmem-mixed (also under mem=256M and mem=128M), rmem-overlap, rmem-70, rmem-probe, rmem-memreserve
}

TEST(Arm64Captures, MemblockMemoryEqualsTheKernels) {
    for (const auto& name : arm64_captures()) {
        auto c = capture(name);
        const auto predicted = predict_artifact(c.machine, Artifact::memblock_memory);
        ASSERT_TRUE(predicted) << name;
        EXPECT_EQ(predicted.value(), test::slurp(test::fixtures() / "kernel" / name / "memblock-memory.txt")) << name;
    }
}

TEST(Arm64Captures, ZoneBlocksEqualTheKernels) {
    for (const auto& name : arm64_captures()) {
        auto c = capture(name);
        const auto predicted = predict_artifact(c.machine, Artifact::zones);
        ASSERT_TRUE(predicted) << name;
        EXPECT_EQ(predicted.value(), test::kernel_zone_block(test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt"))) << name;
    }
}

TEST(Arm64Captures, NumaLinesAreTheKernelsLeavingOutNodeData) {
    for (const auto& name : arm64_captures()) {
        auto c = capture(name);
        const auto predicted = predict_artifact(c.machine, Artifact::numa);
        ASSERT_TRUE(predicted) << name;
        std::string expected;
        for (const auto& line : lines_of(test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt"))) {
            const auto at = line.find("] NUMA: ");
            if (at != std::string::npos && line.find("NODE_DATA") == std::string::npos) expected += line.substr(at + 2) + "\n";
        }
        EXPECT_EQ(predicted.value(), expected) << name;
    }
}

TEST(Arm64Captures, EveryConfiguredReservationIsWhereTheKernelPutIt) {
    std::size_t checked = 0;
    for (const auto& name : arm64_captures()) {
        auto c = capture(name);
        const auto reserved = predict_artifact(c.machine, Artifact::memblock_reserved);
        ASSERT_TRUE(reserved) << name;
        const auto actual = memblock_ranges(test::slurp(test::fixtures() / "kernel" / name / "memblock-reserved.txt"));
        for (const auto& p : memblock_ranges(reserved.value())) {
            const bool covered = std::any_of(actual.begin(), actual.end(), [&](const Range& a) { return a.first <= p.first && p.last <= a.last; });
            EXPECT_TRUE(covered) << name << ": predicted reserved " << std::hex << p.first << ".." << p.last;
            ++checked;
        }
        const auto iomem = predict_artifact(c.machine, Artifact::iomem);
        ASSERT_TRUE(iomem) << name;
        const auto real = iomem_ranges(test::slurp(test::fixtures() / "kernel" / name / "iomem.txt"));
        for (const auto& p : iomem_ranges(iomem.value())) {
            const bool found = std::any_of(real.begin(), real.end(), [&](const Range& a) {
                if (a.depth != p.depth || a.name != p.name) return false;
                return p.depth == 0 ? (a.first == p.first && a.last == p.last) : (a.first <= p.first && p.last <= a.last);
            });
            EXPECT_TRUE(found) << name << ": predicted iomem " << std::hex << p.first << "-" << p.last << " " << p.name;
            ++checked;
        }
    }
    EXPECT_GT(checked, 40u);
}

TEST(Arm64Captures, DefaultCmaLandsWhereTheKernelPutIt) {
    const std::map<std::string, std::uint64_t> expected{{"arm64-1G", 0x7ac00000}, {"arm64-4G", 0xfc000000}, {"arm64-mem-768M", 0x6b200000},
                                                        {"arm64-cma-128M", 0x76c00000}, {"arm64-numa-2node", 0xbaa00000},
                                                        {"arm64-rmem-probe", 0x7a000000}};
    for (const auto& [name, base] : expected) {
        auto c = capture(name);
        const auto boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
        ASSERT_TRUE(boot.cma && boot.cma->reserved) << name;
        EXPECT_EQ(boot.cma->base, base) << name;
        // And the line the kernel printed.
        const auto dmesg = test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt");
        EXPECT_NE(dmesg.find(boot.log.back()), std::string::npos) << name << ": " << boot.log.back();
    }
}

TEST(ReservedMem, TheNewerProfilePlacesDynamicRegionsInTreeOrder) {
    auto c = capture("arm64-rmem-mixed");
    c.machine.profile.version = KernelVersion{6, 12};
    const auto boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
    std::vector<std::string> order;
    for (const auto i : boot.rmem.processing_order)
        if (boot.rmem.regions[i].dynamic) order.push_back(boot.rmem.regions[i].name);
    EXPECT_EQ(order, (std::vector<std::string>{"dyn_a", "dyn_b", "dma_pool", "linux,cma"}));
    // Each initialised region gets the newer summary line.
    // dyn_b now goes first and takes the top of RAM; linux,cma lands below it.
    EXPECT_NE(std::find(boot.log.begin(), boot.log.end(), "OF: reserved mem: 0x000000007be00000..0x000000007fdfffff (65536 KiB) map reusable linux,cma"),
              boot.log.end());
}

TEST(ReservedMem, SeventyRegionsLoseSixUnderTheStaticArrayAndNoneUnderTheDynamicOne) {
    auto c = capture("arm64-rmem-70");
    const auto old_boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
    EXPECT_EQ(std::count_if(old_boot.rmem.regions.begin(), old_boot.rmem.regions.end(), [](const auto& r) { return r.dropped_by_limit; }), 6);
    c.machine.profile.version = KernelVersion{6, 12};
    const auto new_boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
    EXPECT_EQ(std::count_if(new_boot.rmem.regions.begin(), new_boot.rmem.regions.end(), [](const auto& r) { return r.dropped_by_limit; }), 0);
}

TEST(ReservedMem, CmaOnTheCommandLineBypassesTheDefaultPool) {
    auto c = capture("arm64-rmem-mixed");
    auto cmdline = read_cmdline("--cmdline", "nokaslr cma=32M");
    c.machine.cmdline = std::move(cmdline).value();
    const auto boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
    EXPECT_NE(std::find(boot.log.begin(), boot.log.end(), "Reserved memory: bypass linux,cma node, using cmdline CMA params instead"), boot.log.end());
    EXPECT_NE(std::find(boot.log.begin(), boot.log.end(), "OF: reserved mem: node linux,cma compatible matching fail"), boot.log.end());
    ASSERT_TRUE(boot.cma && boot.cma->reserved);
    EXPECT_EQ(boot.cma->size, 32ull << 20);
}

// ---- rules ----

std::size_t count_rule(const AnalysisReport& report, std::string_view rule) {
    return static_cast<std::size_t>(std::count_if(report.diagnostics.begin(), report.diagnostics.end(), [&](const Diagnostic& d) { return d.rule_id == rule; }));
}

AnalysisReport analyze_tree(std::shared_ptr<const DeviceTree> tree) {
    Machine m;
    m.profile.arch = Arch::arm64;
    m.device_tree = std::move(tree);
    return analyze_machine(std::move(m));
}

TEST(DtRules, EveryRuleFiresOnItsFixtureAndNotOnItsTwinAsDtsAndAsDtb) {
    const auto dir = test::fixtures() / "dt/rules";
    std::size_t checked = 0;
    for (const auto& rule : rule_catalogue()) {
        if (rule.id.rfind("dt-", 0) != 0) continue;
        for (const std::string_view variant : {"fires", "clean"}) {
            const auto stem = std::string(rule.id) + "." + std::string(variant);
            auto dts = read_dts((dir / (stem + ".dts")).string(), DtsOptions{});
            ASSERT_TRUE(dts) << stem << ": " << dts.error().message;
            const auto from_dts = analyze_tree(std::make_shared<const DeviceTree>(std::move(dts).value()));
            const auto from_dtb = analyze_tree(load_dtb(dir / (stem + ".dtb")));
            if (variant == "fires") {
                EXPECT_GE(count_rule(from_dts, rule.id), 1u) << stem;
            } else {
                EXPECT_EQ(count_rule(from_dts, rule.id), 0u) << stem;
            }
            EXPECT_EQ(count_rule(from_dts, rule.id), count_rule(from_dtb, rule.id)) << stem;
        }
        ++checked;
    }
    EXPECT_EQ(checked, dt_rules().size());
}

TEST(DtRules, OverlapNamesBothSourcesAndTheOverrideChain) {
    const auto dir = test::fixtures() / "dt/source";
    auto tree = read_dts((dir / "board.dts").string(), DtsOptions{{(dir / "include").string()}, true});
    ASSERT_TRUE(tree) << tree.error().message;
    const auto report = analyze_tree(std::make_shared<const DeviceTree>(std::move(tree).value()));
    const auto it = std::find_if(report.diagnostics.begin(), report.diagnostics.end(), [](const Diagnostic& d) { return d.rule_id == rules::dt_rmem_overlap; });
    ASSERT_NE(it, report.diagnostics.end());
    EXPECT_NE(it->where.file.find("board.dts"), std::string::npos);
    // fw is declared in the SoC include and resized by the board: both places are named.
    const auto names = [&](std::string_view file) {
        return std::any_of(it->related.begin(), it->related.end(), [&](const RelatedLocation& r) { return r.where.file.find(file) != std::string::npos; });
    };
    EXPECT_TRUE(names("soc.dtsi"));
    EXPECT_TRUE(names("board.dts"));
}

// EXPECTED-RULES.txt: "file: rule rule ..." per reviewed tree, '#' comments.
std::map<std::string, std::string> reviewed_rules(const std::filesystem::path& file) {
    std::map<std::string, std::string> expected;
    for (const auto& line : lines_of(test::slurp(file))) {
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(':');
        auto rules_text = line.substr(colon + 1);
        while (!rules_text.empty() && rules_text.front() == ' ') rules_text.erase(0, 1);
        expected[line.substr(0, colon)] = rules_text;
    }
    return expected;
}

TEST(DtRules, RealTreesGiveTheReviewedFindings) {
    const auto expected = reviewed_rules(test::fixtures() / "dt/real/EXPECTED-RULES.txt");
    ASSERT_EQ(expected.size(), 49u);
    for (const auto& [file, rules_text] : expected) {
        const auto report = analyze_tree(load_dtb(test::fixtures() / "dt/real" / file));
        std::set<std::string> found;
        for (const auto& d : report.diagnostics) found.insert(d.rule_id);
        std::string joined;
        for (const auto& r : found) joined += (joined.empty() ? "" : " ") + r;
        EXPECT_EQ(joined, rules_text) << file;
    }
}

// A sample of Linux 6.12's own trees, linted as a fleet: each gives the reviewed rules (README.md
// there says why each is right), and the seven Qualcomm families with overlapping static carve-outs
// are reported though their /memory is the bootloader's to fill.
TEST(DtRules, UpstreamTreesGiveTheReviewedFindings) {
    const auto dir = test::fixtures() / "dt/upstream-6.12";
    const auto expected = reviewed_rules(dir / "EXPECTED-RULES.txt");
    ASSERT_EQ(expected.size(), 18u);
    const auto r = test::run_bootmap("lint --batch " + dir.string());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    std::size_t machines = 0, overlapping = 0;
    for (const auto& line : lines_of(r.out)) {
        const auto j = nlohmann::json::parse(line);
        if (j.at("inputs").empty()) continue;  // this folder's README and EXPECTED-RULES.txt, listed as skipped
        const std::string machine = j.at("machine");
        std::set<std::string> found;
        for (const auto& d : j.at("diagnostics")) found.insert(d.at("rule").get<std::string>());
        overlapping += found.contains("dt-rmem-overlap");
        std::string joined;
        for (const auto& rule : found) joined += (joined.empty() ? "" : " ") + rule;
        ASSERT_TRUE(expected.contains(machine)) << machine << " is not in EXPECTED-RULES.txt";
        EXPECT_EQ(joined, expected.at(machine)) << machine;
        ++machines;
    }
    EXPECT_EQ(machines, expected.size());
    EXPECT_EQ(overlapping, 7u);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// libFuzzer's slow unit: a memory node of 8 EiB made the memmap estimate count 2^21 sections one by
// one. It must analyse like any other tree (the count is now arithmetic).
TEST(DtFuzzRegressions, AnEightExbibyteMemoryNodeIsAnalysed) {
    const auto tree = load_dtb(test::fixtures() / "dt/fuzz/8-eib-memory-node.dtb");
    ASSERT_TRUE(tree);
    Machine m;
    m.profile.arch = Arch::arm64;
    m.device_tree = tree;
    const auto report = analyze_machine(std::move(m));
    ASSERT_TRUE(report.dt_boot);
    EXPECT_EQ(report.dt_boot->memblock.end_of_dram(), 1ull << 48);  // clipped at the 48-bit physical limit
    EXPECT_TRUE(std::any_of(report.diagnostics.begin(), report.diagnostics.end(), [](const Diagnostic& d) { return d.rule_id == rules::dt_rmem_cells_mismatch; }));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Debian 6.12.118 on the trees that probe the reserved-memory gates: the 6.1 probes booted again
// (invalid and multi-range reg repeated by the late pass, a static over a no-map region), /memreserve/
// reserved after the scan (a no-map region over it succeeds; a dynamic region lands on it), and 66
// size-only regions (the last two skipped, nothing allocated for them).
TEST(Arm64Captures612, ReservedMemoryGateProbesAreTheKernels) {
    std::size_t probes = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "kernel-6.12")) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("arm64-") || !fs::exists(entry.path() / "input.dtb")) continue;
        ++probes;
        auto c = capture(name, "kernel-6.12");
        const std::string dmesg = test::slurp(entry.path() / "dmesg.txt");
        const auto predicted = predict_artifact(c.machine, Artifact::rmem);
        ASSERT_TRUE(predicted) << name;
        EXPECT_EQ(predicted.value(), rmem_lines(dmesg)) << name;
        const auto reserved = predict_artifact(c.machine, Artifact::memblock_reserved);
        ASSERT_TRUE(reserved) << name;
        const auto actual = memblock_ranges(test::slurp(entry.path() / "memblock-reserved.txt"));
        for (const auto& p : memblock_ranges(reserved.value()))
            EXPECT_TRUE(std::any_of(actual.begin(), actual.end(), [&](const Range& a) { return a.first <= p.first && p.last <= a.last; }))
                << name << ": predicted reserved " << std::hex << p.first << ".." << p.last;
        const auto memory = predict_artifact(c.machine, Artifact::memblock_memory);
        ASSERT_TRUE(memory) << name;
        EXPECT_EQ(memory.value(), test::slurp(entry.path() / "memblock-memory.txt")) << name;
    }
    EXPECT_EQ(probes, 9u);  // rmem-mixed, rmem-70, rmem-memreserve, rmem-dyn66, rmem-probe, rmem-overlap, rmem-elfcorehdr, rmem-ties, rmem-align-npot
    const std::string dyn66 = test::slurp(test::fixtures() / "kernel-6.12/arm64-rmem-dyn66/dmesg.txt");
    EXPECT_NE(dyn66.find("too many defined dynamic regions, skip 'd65'"), std::string::npos);
}

// crashkernel= on 6.1.192 captures: the main area, and with crashkernel=Y,low the low one (6.1 has
// no default low area for ,high alone: that came with the generic code).
TEST(Arm64Captures, CrashKernelLinesAreTheKernels) {
    std::size_t with_crash = 0;
    for (const auto& name : arm64_captures()) {
        const std::string dmesg = test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt");
        const auto crash = [](std::string_view l) { return l.starts_with("crashkernel ") || l.starts_with("cannot allocate crashkernel"); };
        const std::string real = test::log_lines(dmesg, crash);
        if (real.empty()) continue;
        ++with_crash;
        auto c = capture(name);
        const auto boot = replay_arm64_boot(c.machine.device_tree, &*c.machine.cmdline, c.machine.profile, c.machine.placement);
        std::string predicted;
        for (const auto& line : boot.log)
            if (crash(line)) predicted += line + "\n";
        EXPECT_EQ(predicted, real) << name;
    }
    EXPECT_EQ(with_crash, 3u);  // crash-2G, 4G-crash-high, 4G-crash-high-low
}

// The same /memreserve/ tree on 6.1.192: reserved first, so the no-map region over it fails and
// the dynamic region goes below it.
TEST(Arm64Captures, MemreserveFirstOn61) {
    auto c = capture("arm64-rmem-memreserve");
    const auto predicted = predict_artifact(c.machine, Artifact::rmem);
    ASSERT_TRUE(predicted);
    EXPECT_NE(predicted.value().find("failed to reserve memory for node 'fw@50000000'"), std::string::npos);
    EXPECT_EQ(predicted.value(), rmem_lines(test::slurp(test::fixtures() / "kernel/arm64-rmem-memreserve/dmesg.txt")));
}

// The elfcorehdr tree on 6.1.192: the no-map region first, the elfcorehdr reserved inside it (the
// boot then panics reading it: fixtures/kernel-failed).
TEST(Arm64Captures, ElfcorehdrAfterTheScanOn61) {
    const auto dir = test::fixtures() / "kernel-failed/arm64-elfcorehdr-in-nomap";
    Machine m;
    m.profile.arch = Arch::arm64;
    m.profile.version = KernelVersion{6, 1, 192};
    m.device_tree = load_dtb(test::fixtures() / "kernel-6.12/arm64-rmem-elfcorehdr/input.dtb");  // the same tree, compiled
    m.placement.initrd = std::pair{0x48000000ull, 0xfe000ull};
    const auto predicted = predict_artifact(m, Artifact::rmem);
    ASSERT_TRUE(predicted);
    EXPECT_EQ(predicted.value(), rmem_lines(test::slurp(dir / "console.log")));
    EXPECT_NE(predicted.value().find("for elfcorehdr"), std::string::npos);
}

// Debian's Linux 7.2.13 (sid), the nearest evidence of what comes after 6.12: every capture is
// predicted with an assumption saying 6.12.118 stands in; the reserved-memory lines are the
// kernel's except where a gate the table marks as not replayed is at work, and there they differ.
TEST(Arm64Captures72, ReservedMemoryIsTheKernelsWhereTheGatesAreReplayed) {
    const std::map<std::string, std::string> not_replayed{{"arm64-rmem-probe", "rmem-first-range-only, cma-nomap-reusable"},
                                                          {"arm64-rmem-memreserve", "rmem-first-range-only"}};
    std::size_t exact = 0, differing = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "kernel-7.2")) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory()) continue;
        Machine m;
        m.profile.arch = Arch::arm64;
        m.profile.version = *parse_kernel_version("7.2.13+deb14-arm64");
        const bool own_tree = fs::exists(entry.path() / "input.dtb");
        m.device_tree = load_dtb(entry.path() / (own_tree ? "input.dtb" : "machine.dtb"));
        m.placement.initrd = std::pair{0x48000000ull, 0xfe000ull};
        const auto predicted = predict_artifact(m, Artifact::rmem);
        ASSERT_TRUE(predicted) << name;
        const std::string real = rmem_lines(test::slurp(entry.path() / "dmesg.txt"));
        if (not_replayed.count(name)) {
            EXPECT_NE(predicted.value(), real) << name << " exercises " << not_replayed.at(name) << ": replayed now? move it to the exact ones";
            ++differing;
        } else {
            EXPECT_EQ(predicted.value(), real) << name;
            const auto zones = predict_artifact(m, Artifact::zones);
            ASSERT_TRUE(zones) << name;
            EXPECT_EQ(zones.value(), test::kernel_zone_block(test::slurp(entry.path() / "dmesg.txt"))) << name;
            ++exact;
        }
    }
    EXPECT_EQ(exact, 7u);
    EXPECT_EQ(differing, 2u);
    for (const Gate g : {Gate::rmem_first_range_only, Gate::cma_nomap_reusable, Gate::memblock_rsv_kern}) EXPECT_FALSE(gate_record(g).modelled);
    // The default CMA area's line in 7.2's words (its place follows early allocations of that
    // kernel's own, which are not modelled): no node any more.
    const auto dir = test::fixtures() / "kernel-7.2/arm64-1G";
    KernelProfile profile;
    profile.arch = Arch::arm64;
    profile.version = KernelVersion{7, 2, 13};
    const auto boot = replay_arm64_boot(load_dtb(dir / "machine.dtb"), nullptr, profile, BootPlacement{});
    const auto line = std::find_if(boot.log.begin(), boot.log.end(), [](const std::string& l) { return l.starts_with("cma: Reserved 64 MiB at 0x"); });
    ASSERT_NE(line, boot.log.end());
    EXPECT_EQ(line->find("on node"), std::string::npos);
    EXPECT_NE(test::slurp(dir / "dmesg.txt").find("] cma: Reserved 64 MiB at 0x000000007bc00000\n"), std::string::npos);
}

}  // namespace
}  // namespace bootmap
