// NUMA from the SRAT, held to what real kernels printed: the two 6.1 QEMU captures and three real
// servers (4.15, 5.4, 5.15) whose SRAT and boot log are both in the corpus.

#include <algorithm>
#include <gtest/gtest.h>

#include <sstream>

#include "predict/artifact.hpp"
#include "kernel/numa_emulation.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/srat_dmesg_reader.hpp"
#include "readers/srat_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

// The kernel's NUMA lines. The distance-table line comes from numa=fake= in QEMU captures but from
// the SLIT on real servers, which bootmap does not read: `with_distance_table` says which.
std::string kernel_numa_lines(const std::string& dmesg, bool with_distance_table = true) {
    return test::log_lines(dmesg, [&](std::string_view line) {
        if (line.starts_with("NUMA: Initialized distance table")) return with_distance_table;
        for (const char* prefix : {"SRAT: PXM", "ACPI: SRAT: Node", "NUMA: Node", "Faking node", "Fake node size", "numa=fake=",
                                   "Not enough memory for each node", "numa_emulation: ", "NUMA: Warning", "NUMA: nodes only cover",
                                   "NUMA: no nodes coverage", "No NUMA configuration found", "Faking a node at"})
            if (line.starts_with(prefix)) return true;
        // NUMA init's refusal of two overlapping nodes: "node 0 [mem …] overlaps with node 1 [mem …]".
        return line.starts_with("node ") && line.find("overlaps with node") != std::string_view::npos;
    });
}

std::string predict_numa(const std::filesystem::path& srat, const std::filesystem::path& firmware, const std::string& cmdline,
                         KernelVersion version = {6, 1, std::nullopt}) {
    Machine m;
    m.profile.version = version;
    auto table = read_srat(srat.string(), test::slurp(srat));
    EXPECT_TRUE(table) << format_input_error(table.error());
    m.srat = std::move(table).value();
    m.firmware_e820 = read_e820_text(firmware.string(), test::slurp(firmware)).value();
    m.cmdline = read_cmdline("cmdline", cmdline).value();
    auto out = predict_artifact(m, Artifact::numa);
    EXPECT_TRUE(out) << format_input_error(out.error());
    return out ? out.value() : std::string();
}

TEST(Numa, QemuCapturesFromTheBase64Table) {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "kernel")) {
        const auto dir = entry.path();
        if (!std::filesystem::exists(dir / "srat-b64.txt")) continue;
        const std::string s = dir.filename().string();
        ++checked;
        const auto expected = kernel_numa_lines(test::slurp(dir / "dmesg.txt"));
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(predict_numa(dir / "srat-b64.txt", dir / "firmware-memmap.txt", test::slurp(dir / "cmdline.txt")), expected) << s;
    }
    // Two given captures; oracle: a memory-less node, mem= cutting a node, kernelcore=30%, movablecore=1G, a
    // hotpluggable SRAT range, CPUs spread over three nodes, an NVDIMM (non-volatile range), hotplug slots
    // without -numa (QEMU makes node 0 itself), numa=fake= over two physical nodes (2U, 1G, 7), and two
    // tables the kernel rejects (nodes that leave RAM uncovered, a node inside another).
    EXPECT_EQ(checked, 17u);
}

// Debian 6.12.118 on the same two-node q35 machine: the CPU affinity lines went to pr_debug and
// numa_memblks trims node 0 to memblock's first page. The same inputs as 6.1 print 6.1's lines.
TEST(Numa, Debian612PrintsItsOwnLines) {
    const auto dir = test::fixtures() / "kernel-6.12" / "x86-numa-2node";
    const std::string dmesg = test::slurp(dir / "dmesg.txt");
    const auto expected = kernel_numa_lines(dmesg);
    ASSERT_NE(expected.find("NUMA: Node 0 [mem 0x00001000-"), std::string::npos);
    const std::string cmdline = test::slurp(dir / "cmdline.txt");
    EXPECT_EQ(predict_numa(dir / "srat-b64.txt", dir / "firmware-memmap.txt", cmdline, {6, 12, 118}), expected);
    const auto as_61 = predict_numa(dir / "srat-b64.txt", dir / "firmware-memmap.txt", cmdline, {6, 1, 192});
    EXPECT_NE(as_61.find("SRAT: PXM 0 -> APIC 0x00 -> Node 0"), std::string::npos);
    EXPECT_NE(as_61.find("NUMA: Node 0 [mem 0x00000000-0x0009ffff]"), std::string::npos);
}

// 6.12 checks the coverage with memblock_validate_numa_coverage() and says so in other words; the
// same table under 6.1's rules gives 6.1's line.
TEST(Numa, Debian612RejectsUncoveredRamInItsOwnWords) {
    const auto dir = test::fixtures() / "kernel-6.12" / "x86-numa-srat-uncovered";
    const auto expected = kernel_numa_lines(test::slurp(dir / "dmesg.txt"));
    ASSERT_NE(expected.find("NUMA: no nodes coverage for 511MB of 2047MB RAM"), std::string::npos);
    const std::string cmdline = test::slurp(dir / "cmdline.txt");
    EXPECT_EQ(predict_numa(dir / "srat-b64.txt", dir / "firmware-memmap.txt", cmdline, {6, 12, 118}), expected);
    EXPECT_NE(predict_numa(dir / "srat-b64.txt", dir / "firmware-memmap.txt", cmdline, {6, 1, 192}).find("NUMA: nodes only cover 1535MB of your 2047MB"),
              std::string::npos);
}

TEST(Numa, CapturesWithoutAnSratGetTheFakeNode) {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "kernel")) {
        const auto dir = entry.path();
        if (dir.filename().string().rfind("x86-", 0) != 0 || std::filesystem::exists(dir / "srat-b64.txt")) continue;
        Machine m;
        m.firmware_e820 = read_e820_text("fw", test::slurp(dir / "firmware-memmap.txt")).value();
        m.cmdline = read_cmdline("cmdline", test::slurp(dir / "cmdline.txt")).value();
        const auto predicted = predict_artifact(m, Artifact::numa);
        ASSERT_TRUE(predicted) << dir;
        std::string expected;
        std::istringstream log(test::slurp(dir / "dmesg.txt"));
        for (std::string line; std::getline(log, line);) {
            const auto at = line.find("] ");
            if (at == std::string::npos) continue;
            const auto rest = line.substr(at + 2);
            if (rest == "No NUMA configuration found" || rest == "NUMA turned off" || rest.rfind("Faking a node at", 0) == 0 ||
                rest.rfind("Faking node", 0) == 0 || rest.rfind("NUMA: Initialized distance table", 0) == 0 || rest.rfind("Fake node size", 0) == 0)
                expected += rest + "\n";
        }
        EXPECT_EQ(predicted.value(), expected) << dir;
        ++checked;
    }
    EXPECT_GE(checked, 18u);
}

TEST(Numa, RealServersWithTheirOwnKernels) {
    const std::pair<const char*, const char*> sets[] = {
        {"hp-dl165g7-4node-split-hole.srat.dat", "hp-dl165g7-opteron-4node-5.15.excerpt.dmesg"},
        {"supermicro-h8dgu-sparse-pxm.srat.dat", "supermicro-h8dgu-opteron-memoryless-nodes-4.15.excerpt.dmesg"},
        {"supermicro-h8qg6-8node-opteron.srat.dat", "supermicro-h8qg6-4x-opteron-8node-5.4.excerpt.dmesg"},
    };
    for (const auto& [srat, dmesg] : sets) {
        const auto log = test::fixtures() / "dmesg/real" / dmesg;
        const auto expected = kernel_numa_lines(test::slurp(log), false);
        ASSERT_FALSE(expected.empty()) << dmesg;
        EXPECT_EQ(predict_numa(test::fixtures() / "srat/real" / srat, log, ""), expected) << srat;
    }
}

bool same_entries(const SratTable& a, const SratTable& b) {
    if (a.revision != b.revision || a.cpus.size() != b.cpus.size() || a.memory.size() != b.memory.size()) return false;
    for (std::size_t i = 0; i < a.cpus.size(); ++i)
        if (a.cpus[i].pxm != b.cpus[i].pxm || a.cpus[i].apic_id != b.cpus[i].apic_id || a.cpus[i].enabled != b.cpus[i].enabled) return false;
    for (std::size_t i = 0; i < a.memory.size(); ++i)
        if (a.memory[i].pxm != b.memory[i].pxm || a.memory[i].base != b.memory[i].base || a.memory[i].length != b.memory[i].length ||
            a.memory[i].flags != b.memory[i].flags)
            return false;
    return true;
}

// Every iasl disassembly in the corpus yields the same table as its binary; the one hand-written
// iasl source is refused with a clear message.
TEST(Numa, IaslDisassemblyEqualsTheBinary) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "srat/real")) {
        // The SLITs and the HMAT beside the SRATs are other tables (tests/corpus_test.cpp: refused).
        if (entry.path().extension() != ".dsl" || entry.path().filename().string().find(".srat.") == std::string::npos) continue;
        auto dsl = read_srat(entry.path().string(), test::slurp(entry.path()));
        if (entry.path().filename() == "qemu-hmat-examples-config1-memory-only-nodes.srat.dsl") {
            ASSERT_FALSE(dsl);
            EXPECT_NE(dsl.error().message.find("hand-written iasl source"), std::string::npos);
            continue;
        }
        ASSERT_TRUE(dsl) << format_input_error(dsl.error());
        auto dat_path = entry.path();
        dat_path.replace_extension(".dat");
        auto dat = read_srat(dat_path.string(), test::slurp(dat_path));
        ASSERT_TRUE(dat);
        EXPECT_TRUE(same_entries(dsl.value(), dat.value())) << entry.path();
        ++n;
    }
    EXPECT_EQ(n, 13u);
}

// A field edited in a disassembly that also carries the raw bytes (the user asking "what if node 1
// had 64 GiB less") is what is read, with the checksum recomputed as iasl does when it compiles the
// text; without raw bytes, the same. Unedited, the raw bytes are used as they are.
TEST(Numa, AnEditedIaslFieldWinsOverTheRawBytes) {
    const auto path = test::fixtures() / "srat/real/hp-dl360g7-2node.srat.dsl";
    const std::string text = test::slurp(path);
    ASSERT_NE(text.find("Raw Table Data"), std::string::npos);
    const std::string field = "[4B8h 1208   8]               Address Length : 0000001800000000";
    const auto at = text.find(field);
    ASSERT_NE(at, std::string::npos);
    std::string edited = text;
    edited.replace(at + field.size() - 16, 16, "0000000800000000");
    const auto read = read_srat("edited.dsl", edited);
    ASSERT_TRUE(read) << format_input_error(read.error());
    const auto node1 = std::find_if(read.value().memory.begin(), read.value().memory.end(), [](const SratMemory& m) { return m.base == 0x1820000000; });
    ASSERT_NE(node1, read.value().memory.end());
    EXPECT_EQ(node1->length, 0x800000000u);
    EXPECT_EQ(node1->pxm, 1u);
    // The same edit with the raw bytes cut off.
    const auto fields_only = read_srat("edited.dsl", edited.substr(0, edited.find("Raw Table Data")));
    ASSERT_TRUE(fields_only) << format_input_error(fields_only.error());
    EXPECT_TRUE(same_entries(fields_only.value(), read.value()));
    const auto original = read_srat("original.dsl", text);
    ASSERT_TRUE(original);
    EXPECT_EQ(std::find_if(original.value().memory.begin(), original.value().memory.end(), [](const SratMemory& m) { return m.base == 0x1820000000; })->length,
              0x1800000000u);
}

TEST(Numa, EveryRealTableReads) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "srat/real")) {
        if (entry.path().extension() != ".dat" || entry.path().filename().string().find(".srat.") == std::string::npos) continue;
        auto t = read_srat(entry.path().string(), test::slurp(entry.path()));
        ASSERT_TRUE(t) << format_input_error(t.error());
        EXPECT_FALSE(t.value().memory.empty()) << entry.path();
        ++n;
    }
    EXPECT_EQ(n, 14u);
}

TEST(Numa, BadTablesAreRefusedAtTheirByteOffset) {
    const std::pair<const char*, std::uint64_t> cases[] = {
        {"truncated-header.srat", 30},     {"length-beyond-file.srat", 4},  {"bad-checksum.srat", 9}, {"zero-length-subtable.srat", 49},
        {"short-memory-subtable.srat", 0}, {"not-srat.srat", 0},            {"empty.srat", 0},
    };
    for (const auto& [file, offset] : cases) {
        const auto path = test::fixtures() / "bad/srat" / file;
        auto t = read_srat(path.string(), test::slurp(path));
        ASSERT_FALSE(t) << file;
        ASSERT_TRUE(t.error().where.byte_offset) << file;
        if (offset) EXPECT_EQ(*t.error().where.byte_offset, offset) << file;
    }
}

TEST(Numa, IaslTextTheFuzzerBrokeIsRefusedAtItsLine) {
    // libFuzzer found that a field length of bare "h" made the reader throw; it is an input error.
    const auto path = test::fixtures() / "bad/srat/iasl-length-without-digits.dsl";
    auto t = read_srat(path.string(), test::slurp(path));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().where.line, 423u);
    EXPECT_NE(t.error().message.find("expected a field offset and length"), std::string::npos);
}

TEST(Numa, NeedsTheFirmwareMapToo) {
    Machine m;
    const auto dir = test::fixtures() / "kernel/x86-numa-2node";
    m.srat = read_srat("srat", test::slurp(dir / "srat-b64.txt")).value();
    auto out = predict_artifact(m, Artifact::numa);
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().message.find("--e820 or --dmesg"), std::string::npos);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

TEST(Zones, EveryX86CaptureIncludingMovableAndNuma) {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "kernel")) {
        const auto dir = entry.path();
        if (dir.filename().string().rfind("x86-", 0) != 0) continue;
        Machine m;
        m.firmware_e820 = read_e820_text("fw", test::slurp(dir / "firmware-memmap.txt")).value();
        m.cmdline = read_cmdline("cmdline", test::slurp(dir / "cmdline.txt")).value();
        if (std::filesystem::exists(dir / "srat-b64.txt")) m.srat = read_srat("srat", test::slurp(dir / "srat-b64.txt")).value();
        auto predicted = predict_artifact(m, Artifact::zones);
        ASSERT_TRUE(predicted) << dir;
        const auto expected = test::kernel_zone_block(test::slurp(dir / "dmesg.txt"));
        ASSERT_FALSE(expected.empty()) << dir;
        EXPECT_EQ(predicted.value(), expected) << dir;
        ++checked;
    }
    EXPECT_GE(checked, 24u);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// With only a boot log: the SRAT is rebuilt from its own lines and NUMA init replayed on it.
TEST(Numa, FromTheBootLogAlone) {
    const char* logs[] = {"dmesg/real/hp-dl165g7-opteron-4node-5.15.excerpt.dmesg", "dmesg/real/supermicro-h8qg6-4x-opteron-8node-5.4.excerpt.dmesg",
                          "dmesg/real/supermicro-h8dgu-opteron-memoryless-nodes-4.15.excerpt.dmesg", "kernel/x86-numa-2node/dmesg.txt",
                          "kernel/x86-numa-3node-memless/dmesg.txt"};
    for (const char* rel : logs) {
        const auto path = test::fixtures() / rel;
        const std::string log = test::slurp(path);
        auto srat = read_srat_from_dmesg(path.string(), log);
        ASSERT_TRUE(srat) << rel;
        Machine m;
        m.srat = std::move(srat);
        m.firmware_e820 = read_e820_text(path.string(), log).value();
        m.cmdline = read_cmdline("cmdline", "nokaslr").value();
        auto out = predict_artifact(m, Artifact::numa);
        ASSERT_TRUE(out) << rel;
        EXPECT_EQ(out.value(), kernel_numa_lines(log, false)) << rel;
    }
    EXPECT_FALSE(read_srat_from_dmesg("x", test::slurp(test::fixtures() / "kernel/x86-2G/dmesg.txt")));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// numa=fake= on a machine whose memory is [0, 4 GiB) without holes, one physical node: hand-computed.
struct FakeNumaMachine {
    KernelProfile profile;
    Memblock mb{profile};
    FakeNumaMachine() { mb.add(0, 4ull << 30); }
    NumaEmulation run(std::string_view spec) { return emulate_numa(spec, {{0, 0, 4ull << 30}}, {0}, mb.memory(), 4ull << 30, NumaLimits{0, 4ull << 30}); }
};

TEST(NumaEmulation, EqualNodesSizesAndUniformSplits) {
    FakeNumaMachine m;
    const auto four = m.run("4");
    ASSERT_TRUE(four.applied);
    EXPECT_EQ(four.log, (std::vector<std::string>{"Faking node 0 at [mem 0x0000000000000000-0x000000003fffffff] (1024MB)",
                                                  "Faking node 1 at [mem 0x0000000040000000-0x000000007fffffff] (1024MB)",
                                                  "Faking node 2 at [mem 0x0000000080000000-0x00000000bfffffff] (1024MB)",
                                                  "Faking node 3 at [mem 0x00000000c0000000-0x00000000ffffffff] (1024MB)",
                                                  "NUMA: Initialized distance table, cnt=4"}));
    // 3 nodes: 1365.33 MiB each, rounded down to 32 MiB granules (1344 MiB); the remainders (21.33 MiB
    // per node, 63.99 MiB in all) make one 32 MiB granule: the first node is 32 MiB bigger; the last
    // takes the rest.
    const auto three = m.run("3");
    ASSERT_TRUE(three.applied);
    ASSERT_EQ(three.blocks.size(), 3u);
    EXPECT_EQ(three.blocks[0].end - three.blocks[0].start, 1376ull << 20);
    EXPECT_EQ(three.blocks[1].end - three.blocks[1].start, 1344ull << 20);
    EXPECT_EQ(three.blocks[2].end, 4ull << 30);
    // 2U: two equal halves of the one physical node.
    const auto uniform = m.run("2U");
    ASSERT_TRUE(uniform.applied);
    ASSERT_EQ(uniform.blocks.size(), 2u);
    EXPECT_EQ(uniform.blocks[0].end, 2ull << 30);
}

TEST(NumaEmulation, RefusalsAndCorrectionsSayWhatTheKernelSays) {
    FakeNumaMachine m;
    EXPECT_FALSE(m.run("0").applied);
    EXPECT_TRUE(m.run("0").log.empty());
    // 2000 nodes: reduced to 1024, then 4 MiB each is under the 32 MiB granule.
    const auto many = m.run("2000");
    EXPECT_FALSE(many.applied);
    EXPECT_EQ(many.log, (std::vector<std::string>{"numa=fake=2000 too large, reducing to 1024", "Not enough memory for each node.  NUMA emulation disabled."}));
    // 16 MiB nodes are raised to the 32 MiB minimum: 128 nodes.
    const auto small = m.run("16M");
    ASSERT_TRUE(small.applied);
    EXPECT_EQ(small.log.front(), "Fake node size 16MB too small, increasing to 32MB");
    EXPECT_EQ(small.blocks.size(), 128u);
    // A size beyond the memory makes one node of it all.
    const auto huge = m.run("100000G");
    ASSERT_TRUE(huge.applied);
    ASSERT_EQ(huge.blocks.size(), 1u);
    EXPECT_EQ(huge.blocks[0].end, 4ull << 30);
}

}  // namespace
}  // namespace bootmap
