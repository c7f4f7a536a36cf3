#include <map>
#include <gtest/gtest.h>

#include <sstream>

#include "analysis/kmem_audit.hpp"
#include "predict/artifact.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/daxctl_reader.hpp"
#include "readers/e820_reader.hpp"
#include "analysis/rule_catalogue.hpp"
#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t M = 1ull << 20, G = 1ull << 30;

AddrRange inclusive(std::uint64_t first, std::uint64_t last) { return *AddrRange::from_inclusive(PhysAddr{first}, PhysAddr{last}); }

IomemTree tree_of(const std::string& rel) {
    const auto path = test::fixtures() / "iomem" / rel;
    return read_iomem(path.string(), test::slurp(path)).value();
}

TEST(MemoryBlockSize, X86AndArm64Rules) {
    KernelProfile x86{};
    EXPECT_EQ(memory_block_size(x86, {32 * G, true}), 128 * M);
    EXPECT_EQ(memory_block_size(x86, {128 * G, false}), 2 * G);  // bare metal above 64 GiB
    EXPECT_EQ(memory_block_size(x86, {65 * G, true}), 1 * G);    // VM: largest power of two dividing 65 GiB
    EXPECT_EQ(memory_block_size(x86, {64 * G + 128 * M, true}), 128 * M);
    KernelProfile old_arm{{5, 8}, Arch::arm64};
    EXPECT_EQ(memory_block_size(old_arm, {}), 1 * G);
    KernelProfile arm{{6, 1}, Arch::arm64};
    EXPECT_EQ(memory_block_size(arm, {}), 128 * M);
}

// Seed 004: a 4 GiB qemu nvdimm on arm64 with 1 GiB sections (before 5.12).
TEST(KmemPlan, Seed004WholeDeviceAndWorstCase) {
    // The whole Persistent Memory range as one device: the start is 1 GiB aligned, the tail is not.
    auto whole = plan_kmem_range(inclusive(0x240000000, 0x33fdfffff), G, KmemPolicy::kernel);
    ASSERT_TRUE(whole.hotplug);
    EXPECT_EQ(whole.hotplug->begin().value(), 0x240000000u);
    EXPECT_EQ(whole.hotplug->last().value(), 0x2ffffffffu);  // "between [240000000, 2ffffffff]"
    EXPECT_EQ(whole.stranded_tail.bytes(), 0x33fe00000u - 0x300000000u);
    // A device right after the 4 MiB namespace metadata: "only 2G ... in the worst case".
    auto worst = plan_kmem_range(inclusive(0x240400000, 0x33fdfffff), G, KmemPolicy::kernel);
    EXPECT_EQ(worst.usable().bytes(), 2 * G);
    EXPECT_EQ(worst.stranded_head.bytes(), 0x280000000u - 0x240400000u);
    EXPECT_EQ(worst.stranded_tail.bytes(), 0x33fe00000u - 0x300000000u);
    // The RFC aligns to the largest buddy page (4 MiB with 4 KiB pages): the 2 MiB-aligned end loses 2 MiB.
    auto relaxed = plan_kmem_range(inclusive(0x240400000, 0x33fdfffff), G, KmemPolicy::relaxed);
    EXPECT_EQ(relaxed.stranded_head.bytes(), 0u);
    EXPECT_EQ(relaxed.stranded_tail.bytes(), 2 * M);
}

// Patch 5/6 of seed 004's series shows its own result: the 2 GiB namespace's data at 0x242200000,
// kmem's RAM from 0x242400000 (seed-004-rfc-relaxed-after.iomem).
TEST(KmemPlan, RelaxedPolicyIsThePatchsOwnResult) {
    const auto tree = tree_of("seeds/seed-004-rfc-relaxed-after.iomem");
    const auto audits = audit_kmem_iomem(tree, KernelProfile{{5, 8}, Arch::arm64}, {});
    ASSERT_EQ(audits.size(), 1u);
    EXPECT_EQ(audits[0].range.begin().value(), 0x242200000u);
    ASSERT_TRUE(audits[0].relaxed.hotplug);
    EXPECT_EQ(*audits[0].relaxed.hotplug, *tree.entries[3].range());
    EXPECT_EQ(relaxed_kmem_alignment(2 * G, 4096), 4 * M);
    EXPECT_EQ(relaxed_kmem_alignment(2 * G, 16384), 32 * M);
    EXPECT_EQ(relaxed_kmem_alignment(2 * G, 65536), 512 * M);
    EXPECT_EQ(relaxed_kmem_alignment(M, 4096), M);  // get_order() of a small device
}

TEST(KmemPlan, TooSmallIsRejectedWithTheDriversWords) {
    auto small = plan_kmem_range(inclusive(0x240400000, 0x2443fffff), G, KmemPolicy::kernel);
    EXPECT_FALSE(small.hotplug);
    const auto lines = kmem_messages("dax0.0", {small});
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "kmem dax0.0: mapping0: 0x240400000-0x2443fffff too small after alignment");
    EXPECT_EQ(lines[1], "kmem dax0.0: rejecting DAX region without any memory after alignment");
}

// Seed 004's dump after kmem: daxN.M names only the block-aligned part; the device starts where
// namespace0.0's reserved part ends, and 1020 MiB before 0x280000000 never became RAM. Under any
// profile the dump itself proves 1 GiB blocks.
TEST(KmemAudit, Seed004DumpStrandsWhatPrecedesTheBlock) {
    const auto tree = tree_of("seeds/seed-004-arm64-kmem-1G-sections.iomem");
    for (const auto& profile : {KernelProfile{{5, 8}, Arch::arm64}, KernelProfile{}}) {
        auto audits = audit_kmem_iomem(tree, profile, {});
        ASSERT_EQ(audits.size(), 1u);
        EXPECT_EQ(audits[0].block_size, G);
        EXPECT_EQ(audits[0].basis, BlockSizeBasis::onlined);
        EXPECT_EQ(audits[0].range.begin().value(), 0x240400000u);
        EXPECT_FALSE(audits[0].end_known);  // a labelled namespace: its end is not in the dump
        EXPECT_EQ(audits[0].plan.stranded_head, ByteSize{1020 * M});
        ASSERT_EQ(audits[0].onlined.size(), 1u);
        EXPECT_EQ(audits[0].onlined[0], *audits[0].plan.hotplug);
        const auto found = check_kmem(audits, {});
        ASSERT_EQ(found.size(), 1u);
        EXPECT_NE(found[0].message.find("at least 1020 MiB is stranded"), std::string::npos) << found[0].message;
    }
}

// A real sequence: the devdax device as configured, then the same machine after kmem onlined it.
TEST(KmemAudit, PredictsWhatTheRealKernelOnlined) {
    const auto before = tree_of("real/pmem-qemu-devdax-configured.excerpt.iomem");
    KmemAuditOptions options;
    options.block_size = 128 * M;  // an excerpt carries no boot RAM to derive it from
    auto audits = audit_kmem_iomem(before, KernelProfile{}, options);
    ASSERT_EQ(audits.size(), 1u);
    ASSERT_TRUE(audits[0].plan.hotplug);
    EXPECT_EQ(audits[0].plan.stranded_head.bytes(), 0x150000000u - 0x148200000u);
    const auto after = tree_of("real/pmem-qemu-devdax-kmem-onlined-128M-aligned.excerpt.iomem");
    const auto& ram = after.entries[3];
    ASSERT_EQ(ram.name, "System RAM");
    EXPECT_EQ(*audits[0].plan.hotplug, *ram.range());
    auto findings = check_kmem(audits, options);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule_id, rules::kmem_stranded_capacity);
    EXPECT_EQ(findings[0].where.line, 3u);
}

TEST(KmemAudit, EachRuleFiresOnItsFixtureAndNotOnItsTwin) {
    for (const auto& rule : rule_catalogue()) {
        if (rule.id.rfind("kmem-", 0) != 0) continue;
        for (const char* kind : {"fires", "clean"}) {
            const auto tree = tree_of("rules/" + std::string(rule.id) + "." + kind + ".iomem");
            const auto found = check_kmem(audit_kmem_iomem(tree, KernelProfile{}, {}), {});
            const auto n = std::count_if(found.begin(), found.end(), [&](const Diagnostic& d) { return d.rule_id == rule.id; });
            EXPECT_EQ(n, std::string(kind) == "fires" ? 1 : 0) << rule.id << " " << kind;
        }
    }
}

TEST(KmemAudit, EveryFixtureWithDaxDevicesIsAudited) {
    std::size_t devices = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel", "iomem/seeds"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            auto tree = read_iomem(entry.path().string(), test::slurp(entry.path())).value();
            for (const auto& a : audit_kmem_iomem(tree, KernelProfile{}, {})) {
                ++devices;
                // Devices already onlined as kmem RAM must match the kernel's rule: the plan is what was added.
                if (!a.onlined.empty() && a.plan.hotplug && !a.block_size_assumed())
                    EXPECT_EQ(a.onlined.front(), *a.plan.hotplug) << entry.path();
                EXPECT_EQ(a.plan.usable().bytes() + a.plan.stranded().bytes(), a.range.size().bytes()) << entry.path();
            }
        }
    }
    EXPECT_GE(devices, 12u);
}

}  // namespace
}  // namespace bootmap

#include "analysis/device_memory.hpp"

namespace bootmap {
namespace {

std::vector<DeviceMemoryRange> device_memory_of(const std::string& rel) {
    const auto path = test::fixtures() / rel;
    auto tree = read_iomem(path.string(), test::slurp(path));
    EXPECT_TRUE(tree);
    return device_memory(tree.value());
}

TEST(DeviceMemory, SaysWhatBecomesZoneDeviceAndWhatKmemOnlined) {
    const auto legacy = device_memory_of("iomem/kernel/x86-memmap-pmem.iomem");
    ASSERT_EQ(legacy.size(), 1u);
    EXPECT_EQ(legacy[0].name, "Persistent Memory (legacy)");
    EXPECT_EQ(legacy[0].device.bytes(), 512ull << 20);
    EXPECT_EQ(legacy[0].owner, "no driver in the dump");

    const auto onlined = device_memory_of("iomem/real/cxl-soft-reserved-kmem-no-window.excerpt.iomem");
    ASSERT_EQ(onlined.size(), 1u);
    EXPECT_EQ(onlined[0].onlined.bytes(), 512ull << 30);  // all of it went to kmem: no ZONE_DEVICE
    EXPECT_EQ(onlined[0].device.bytes(), 0u);
    EXPECT_EQ(onlined[0].owner, "device-dax");

    const auto namespaces = device_memory_of("iomem/real/cxl-qemu-pmem-regions-namespaces.excerpt.iomem");
    ASSERT_EQ(namespaces.size(), 2u);
    EXPECT_EQ(namespaces[1].owner, "pmem namespace (fsdax or devdax)");
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The real kernel binding memmap=nn!ss pmem to kmem (scripts/oracle/kmem-capture.sh): the namespace
// made devdax through sysfs as ndctl does, the dax device given to kmem as daxctl does. From the boot
// log and the command line alone, with --dax-kmem and the namespace's options, bootmap predicts the
// resources below "Persistent Memory (legacy)", every memory block with its state, and the driver's
// lines: for a misaligned device (2 MiB namespace: head stranded), an aligned one (1 GiB namespace),
// map=mem with memhp_default_state=online, and one too small for any block.
struct KmemCapture {
    const char* name;
    DaxNamespaceOptions dax;
};

std::string subtree_of(const std::string& iomem, std::string_view top_name) {
    std::istringstream in(iomem);
    std::string line, out;
    bool inside = false;
    while (std::getline(in, line)) {
        const bool top = !line.empty() && line[0] != ' ';
        if (top) inside = line.find(" : " + std::string(top_name)) != std::string::npos;
        if (inside) out += line + "\n";
    }
    return out;
}

// A kmem capture's machine as the inputs describe it: the firmware map from its log, its command
// line, and how its namespace was made.
Machine kmem_capture_machine(const std::filesystem::path& dir, const DaxNamespaceOptions& dax) {
    Machine m;
    m.firmware_e820 = read_e820_text("dmesg", test::slurp(dir / "dmesg.txt")).value();
    std::string cmdline = test::slurp(dir / "cmdline.txt");
    while (!cmdline.empty() && cmdline.back() == '\n') cmdline.pop_back();
    m.cmdline = read_cmdline("cmdline", cmdline).value();
    m.dax_kmem = dax;
    return m;
}

std::string kmem_lines(const std::string& dmesg) { return test::log_lines_starting(dmesg, {"kmem ", "kmem:"}); }

TEST(DaxKmemBinding, PredictionsEqualWhatTheKernelOnlinedForFourNamespaces) {
    const KmemCapture captures[] = {
        {"x86-kmem-misaligned", {DevdaxMap::dev, 2 * M}},
        {"x86-kmem-aligned-1G", {DevdaxMap::dev, 1 * G}},
        {"x86-kmem-map-mem-online", {DevdaxMap::mem, 2 * M}},
        {"x86-kmem-too-small", {DevdaxMap::dev, 2 * M}},
    };
    for (const auto& c : captures) {
        const auto dir = test::fixtures() / "kernel" / c.name;
        const std::string dmesg = test::slurp(dir / "dmesg.txt");
        Machine m = kmem_capture_machine(dir, c.dax);
        const auto iomem = predict_artifact(m, Artifact::iomem);
        ASSERT_TRUE(iomem) << c.name;
        const std::string real_iomem = test::slurp(dir / "iomem.txt");
        EXPECT_EQ(subtree_of(iomem.value(), "Persistent Memory (legacy)"), subtree_of(real_iomem, "Persistent Memory (legacy)")) << c.name;
        const auto blocks = predict_artifact(m, Artifact::memory_blocks);
        ASSERT_TRUE(blocks) << c.name;
        EXPECT_EQ(blocks.value(), test::slurp(dir / "memory-blocks.txt")) << c.name;
        const auto kmem = predict_artifact(m, Artifact::kmem);
        ASSERT_TRUE(kmem) << c.name;
        EXPECT_EQ(kmem.value(), kmem_lines(dmesg)) << c.name;
    }
}

// A kernel before add_memory_driver_managed() (5.8) names the same hot-added RAM plain "System RAM";
// the zone block of a kernel before ZONE_DEVICE (4.3) has no Device line.
TEST(DaxKmemBinding, OlderKernelsNameTheRamAndZonesTheirWay) {
    const auto dir = test::fixtures() / "kernel" / "x86-kmem-aligned-1G";
    Machine m = kmem_capture_machine(dir, DaxNamespaceOptions{DevdaxMap::dev, 1 * G});
    const std::string real = subtree_of(test::slurp(dir / "iomem.txt"), "Persistent Memory (legacy)");
    ASSERT_NE(real.find(" : System RAM (kmem)"), std::string::npos);
    m.profile.version = KernelVersion{5, 4, std::nullopt};
    const auto old = predict_artifact(m, Artifact::iomem);
    ASSERT_TRUE(old);
    std::string expected = real;
    expected.replace(expected.find(" : System RAM (kmem)"), std::string(" : System RAM (kmem)").size(), " : System RAM");
    EXPECT_EQ(subtree_of(old.value(), "Persistent Memory (legacy)"), expected);
    const auto zones_61 = predict_artifact(m, Artifact::zones);
    m.profile.version = KernelVersion{4, 2, std::nullopt};
    const auto zones_42 = predict_artifact(m, Artifact::zones);
    ASSERT_TRUE(zones_61 && zones_42);
    EXPECT_NE(zones_61.value().find("  Device   empty\n"), std::string::npos);
    EXPECT_EQ(zones_42.value().find("Device"), std::string::npos);
    // Before 5.1 there is no kmem driver: the namespace stays as it is and the kmem lines are refused.
    m.profile.version = KernelVersion{5, 0, std::nullopt};
    const auto kmem_50 = predict_artifact(m, Artifact::kmem);
    ASSERT_FALSE(kmem_50);
    EXPECT_NE(kmem_50.error().message.find("has no dax kmem driver"), std::string::npos);
    const auto iomem_50 = predict_artifact(m, Artifact::iomem);
    ASSERT_TRUE(iomem_50);
    EXPECT_EQ(iomem_50.value().find("System RAM (kmem)"), std::string::npos);
    EXPECT_EQ(iomem_50.value().find("dax0.0"), std::string::npos);
}

TEST(DaxKmemBinding, NamespaceArithmetic) {
    // memmap=2G!4G: map=dev keeps 8 KiB + 64 B per page = 32 MiB + 8 KiB, rounded to 2 MiB: 34 MiB.
    const auto b = bind_dax_kmem({inclusive(0x100000000, 0x17fffffff)}, {DevdaxMap::dev, 2 * M}, KmemGeometry{128 * M});
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].reserve, inclusive(0x100000000, 0x1021fffff));
    EXPECT_EQ(b[0].dax, inclusive(0x102200000, 0x17fffffff));
    ASSERT_TRUE(b[0].plan.hotplug);
    EXPECT_EQ(*b[0].plan.hotplug, inclusive(0x108000000, 0x17fffffff));
    EXPECT_EQ(b[0].namespace_name, "namespace0.0");
    EXPECT_EQ(b[0].dax_name, "dax0.0");
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// `daxctl list -M` as input: every device with a size is audited per mapping; the block count kmem
// would create agrees with what daxctl reports for a system-ram device.
TEST(DaxctlListing, DevicesAndMappingsAreReadAndAudited) {
    const auto path = test::fixtures() / "daxctl/regions-system-ram-RDM.json";
    auto listing = read_daxctl_list(path.string(), test::slurp(path));
    ASSERT_TRUE(listing) << format_input_error(listing.error());
    ASSERT_EQ(listing.value().devices.size(), 1u);  // dax1.0 has size 0: an idle seed
    const auto& d = listing.value().devices.front();
    EXPECT_EQ(d.name, "dax0.0");
    EXPECT_EQ(d.mode, "system-ram");
    EXPECT_EQ(d.where.line, 9u);
    ASSERT_EQ(d.mappings.size(), 1u);
    EXPECT_EQ(d.mappings[0], inclusive(0x102200000, 0x17fffffff));
    const auto audits = audit_kmem_listing(listing.value(), KmemGeometry{128 * M}, BlockSizeBasis::given);
    ASSERT_EQ(audits.size(), 1u);
    ASSERT_TRUE(audits[0].plan.hotplug);
    EXPECT_EQ(audits[0].plan.hotplug->size().bytes() / (128 * M), *d.total_blocks);
    EXPECT_EQ(audits[0].plan.stranded_head, ByteSize{94 * M});

    // Integers instead of hex strings, a single object instead of an array: both are daxctl's.
    auto plain = read_daxctl_list("plain", R"({"chardev":"dax3.0","size":2147483648,"mappings":[{"start":4294967296,"end":6442450943}]})");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain.value().devices.front().mappings.front(), inclusive(4 * G, 6 * G - 1));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A device past the end of physical addressing (x86_64, 4-level paging: 2^46; arm64: 2^48) is
// refused by memory hotplug: nothing of it is usable, all of it is lost, and the finding quotes the
// kernel's line.
TEST(KmemAudit, ARangePastPhysicalAddressingGivesNoRam) {
    const auto range = AddrRange::from_bounds(PhysAddr{0x3fffc0000000}, PhysAddr{0x400100000000}).value();
    const auto x86 = audit_kmem_range(range, "dax0.0", SourceLocation{"t"}, KmemGeometry{128ull << 20});
    EXPECT_TRUE(x86.add_failed);
    EXPECT_EQ(x86.usable().bytes(), 0u);
    EXPECT_EQ(x86.stranded().bytes(), range.size().bytes());
    const auto found = check_kmem(std::vector{x86}, KmemAuditOptions{});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].rule_id, rules::kmem_rejected_region);
    EXPECT_NE(found[0].message.find("'Hotplug memory [0x3fffc0000000-0x400100000000] exceeds maximum addressable range [0x0-0x3fffffffffff]'"),
              std::string::npos)
        << found[0].message;
    KernelProfile arm64;
    arm64.arch = Arch::arm64;
    const auto fits = audit_kmem_range(range, "dax0.0", SourceLocation{"t"}, KmemGeometry{128ull << 20, 4096, arm64.physmem_end()});
    EXPECT_FALSE(fits.add_failed);
    EXPECT_EQ(fits.usable().bytes(), 5ull << 30);
    EXPECT_TRUE(check_kmem(std::vector{fits}, KmemAuditOptions{}).empty());
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Every alternative layout the audit offers is recomputed here from its namespace and options, and
// never gives less RAM than the layout the kernel booted. The 1 GiB-aligned capture's offer of
// --align=2M is what the real kernel did with the same region in the 2 MiB-aligned capture.
TEST(KmemAudit, AlternativesAreRecomputedAndNeverLoseRam) {
    std::map<std::string, std::vector<KmemDeviceAudit>> by_capture;
    for (const char* name : {"x86-kmem-aligned-1G", "x86-kmem-misaligned", "x86-kmem-map-mem-online"}) {
        const auto tree = tree_of(std::string("kernel/") + name + ".iomem");
        by_capture[name] = audit_kmem_iomem(tree, KernelProfile{}, {});
        ASSERT_EQ(by_capture[name].size(), 1u) << name;
        const auto& a = by_capture[name].front();
        ASSERT_TRUE(a.namespace_range && a.namespace_options) << name;
        EXPECT_EQ(*a.namespace_range, inclusive(0x100000000, 0x17fffffff)) << name;
        for (const auto& alt : a.alternatives) {
            const auto again = audit_kmem_pmem({PmemRegion{"", alt.namespace_range, 0, SourceLocation{"t"}}}, KmemGeometry{a.block_size},
                                               BlockSizeBasis::given, alt.options);
            ASSERT_EQ(again.size(), 1u) << alt.change;
            EXPECT_EQ(again[0].usable(), alt.usable) << alt.change;
            EXPECT_EQ(again[0].stranded(), alt.stranded) << alt.change;
            // Net of a page map kept in RAM (--map=mem), never less RAM than the layout booted.
            const auto cost = [](ByteSize usable, ByteSize map) { return static_cast<std::int64_t>(usable.bytes()) - static_cast<std::int64_t>(map.bytes()); };
            const ByteSize booted_map{a.namespace_options->map == DevdaxMap::mem ? a.namespace_range->size().bytes() / 4096 * 64 : 0};
            EXPECT_GE(cost(alt.usable, alt.page_map_in_ram), cost(a.usable(), booted_map)) << alt.change;
        }
    }
    const auto& aligned = by_capture["x86-kmem-aligned-1G"].front();
    EXPECT_EQ(aligned.namespace_options->align, G);
    ASSERT_FALSE(aligned.alternatives.empty());
    EXPECT_EQ(aligned.alternatives.front().options.align, 2 * M);
    EXPECT_EQ(aligned.alternatives.front().usable, by_capture["x86-kmem-misaligned"].front().onlined_bytes);
    // The 2 MiB layout is never told to take --align=1G: that would leave 1 GiB instead of 1920 MiB.
    const auto& misaligned = by_capture["x86-kmem-misaligned"].front();
    for (const auto& alt : misaligned.alternatives) EXPECT_NE(alt.options.align, G) << alt.change;
    EXPECT_EQ(misaligned.usable(), ByteSize{1920 * M});
    EXPECT_EQ(misaligned.stranded(), ByteSize{94 * M});
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// 64 KiB pages: 512 MiB sections on arm64 from 5.12 and the namespace alignments of that page size;
// refused on an architecture whose kernels have only 4 KiB pages.
TEST(KmemPageSize, SixtyFourKiBPagesOnArm64Only) {
    const auto arm = test::run_bootmap("kmem --range 0x102200000-0x17fffffff --arch arm64 --page-size 64K --dmesg " +
                                       (test::fixtures() / "kernel/arm64-4G/dmesg.txt").string());
    EXPECT_NE(arm.out.find("memory block size 512 MiB"), std::string::npos) << arm.out << arm.err;
    EXPECT_NE(arm.out.find("1536 MiB"), std::string::npos) << arm.out;
    const auto x86 = test::run_bootmap("kmem --range 0x102200000-0x17fffffff --page-size 64K --memory-block-size 128M");
    EXPECT_EQ(x86.exit_code, 2);
    EXPECT_NE(x86.err.find("--page-size: error: expected 4K: only arm64 kernels"), std::string::npos) << x86.err;
    const auto align = test::run_bootmap("kmem --dmesg " + (test::fixtures() / "kernel/arm64-4G/dmesg.txt").string() +
                                         " --arch arm64 --page-size 64K --dax-align 2M --range 0x100000000-0x1ffffffff");
    EXPECT_EQ(align.exit_code, 2);
    EXPECT_NE(align.err.find("expected 64 KiB, 512 MiB"), std::string::npos) << align.err;
}

}  // namespace
}  // namespace bootmap
