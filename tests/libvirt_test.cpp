// libvirt domain XML: the reader, and what QEMU's q35 machine builds from a domain, held to oracle
// boots of the same machines (fixtures/libvirt/NAME.xml describes fixtures/kernel/NAME): the firmware
// e820 map the kernel printed, the SRAT table QEMU really built (decoded from the capture), and the
// kernel's NUMA lines predicted from the XML alone.

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "analysis/pipeline.hpp"
#include "cli/input_options.hpp"
#include "kernel/kmem.hpp"
#include "predict/artifact.hpp"
#include "readers/e820_reader.hpp"
#include "readers/input_kind.hpp"
#include "readers/libvirt_reader.hpp"
#include "readers/srat_reader.hpp"
#include "test_support.hpp"
#include "vm/qemu_q35.hpp"

namespace bootmap {
namespace {

std::vector<std::string> domains() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "libvirt"))
        if (entry.path().extension() == ".xml") out.push_back(entry.path().stem().string());
    std::sort(out.begin(), out.end());
    return test::non_empty(out, "libvirt domains");
}

VmDefinition read_domain(const std::string& name) {
    const auto path = test::fixtures() / "libvirt" / (name + ".xml");
    auto vm = read_libvirt_domain(path.string(), test::slurp(path));
    EXPECT_TRUE(vm) << format_input_error(vm.error());
    return vm ? vm.value() : VmDefinition{};
}

TEST(Libvirt, FirmwareMapIsWhatTheKernelWasHandedForEveryDomain) {
    const auto names = domains();
    ASSERT_GE(names.size(), 11u);
    for (const auto& name : names) {
        const auto layout = qemu_q35_layout(read_domain(name));
        ASSERT_TRUE(layout) << name << ": " << format_input_error(layout.error());
        const auto dmesg = test::fixtures() / "kernel" / name / "dmesg.txt";
        const auto real = read_e820_text(dmesg.string(), test::slurp(dmesg));
        ASSERT_TRUE(real) << name;
        EXPECT_EQ(layout.value().e820.entries, real.value().entries) << name;
    }
}

TEST(Libvirt, SratIsTheTableQemuBuilt) {
    std::size_t compared = 0;
    for (const auto& name : domains()) {
        const auto b64 = test::fixtures() / "kernel" / name / "srat-b64.txt";
        const auto layout = qemu_q35_layout(read_domain(name));
        ASSERT_TRUE(layout) << name;
        if (!std::filesystem::exists(b64)) {
            EXPECT_FALSE(layout.value().srat) << name << ": QEMU built no SRAT";
            continue;
        }
        ++compared;
        const auto real = read_srat("srat", test::slurp(b64));
        ASSERT_TRUE(real) << name;
        ASSERT_TRUE(layout.value().srat) << name;
        const SratTable& ours = *layout.value().srat;
        ASSERT_EQ(ours.memory.size(), real.value().memory.size()) << name;
        for (std::size_t i = 0; i < ours.memory.size(); ++i) {
            const auto &a = ours.memory[i], &b = real.value().memory[i];
            EXPECT_EQ(std::tuple(a.pxm, a.base, a.length, a.flags), std::tuple(b.pxm, b.base, b.length, b.flags)) << name << " memory entry " << i;
        }
        ASSERT_EQ(ours.cpus.size(), real.value().cpus.size()) << name;
        for (std::size_t i = 0; i < ours.cpus.size(); ++i) {
            const auto &a = ours.cpus[i], &b = real.value().cpus[i];
            EXPECT_EQ(std::tuple(a.type, a.pxm, a.apic_id, a.enabled), std::tuple(b.type, b.pxm, b.apic_id, b.enabled)) << name << " cpu " << i;
        }
    }
    EXPECT_EQ(compared, 6u);  // every NUMA domain and the hotplug-only one
}

TEST(Libvirt, PredictedNumaLinesFromTheXmlAloneEqualTheKernels) {
    for (const auto& name : domains()) {
        cli::InputOptions options;
        options.libvirt = (test::fixtures() / "libvirt" / (name + ".xml")).string();
        std::string log;
        auto machine = cli::load_machine(options, log);
        ASSERT_TRUE(machine) << name << ": " << format_input_error(machine.error());
        // The command line comes from <os><cmdline>.
        ASSERT_TRUE(machine.value().cmdline);
        EXPECT_EQ(machine.value().cmdline->text, "console=ttyS0 panic=-1 loglevel=7 nokaslr");
        auto numa = predict_artifact(machine.value(), Artifact::numa);
        ASSERT_TRUE(numa) << name;
        const std::string dmesg = test::slurp(test::fixtures() / "kernel" / name / "dmesg.txt");
        EXPECT_EQ(numa.value(), test::log_lines_starting(dmesg, {"SRAT: PXM", "ACPI: SRAT: Node", "NUMA: Node", "No NUMA configuration found", "Faking a node"}))
            << name;
    }
}

// The NVDIMM of x86-nvdimm-numa as DAX kmem would take it: seed 002's arithmetic on QEMU's placement.
TEST(Libvirt, NvdimmBecomesAKmemAuditWithItsStrandedHead) {
    cli::InputOptions options;
    options.libvirt = (test::fixtures() / "libvirt/x86-nvdimm-numa.xml").string();
    std::string log;
    auto machine = cli::load_machine(options, log);
    ASSERT_TRUE(machine);
    ASSERT_EQ(machine.value().pmem.size(), 1u);
    const PmemRegion& nv = machine.value().pmem.front();
    EXPECT_EQ(nv.name, "nvdimm0");
    EXPECT_EQ(nv.node, 1u);
    // 4 GiB less the 128 KiB label, at the start of the hot-pluggable area (QEMU's SRAT said so).
    EXPECT_EQ(nv.range, *AddrRange::from_bounds(PhysAddr{0x100000000}, PhysAddr{0x1fffe0000}));
    EXPECT_EQ(nv.where.line, 32u);
    const auto report = analyze_machine(machine.value());
    ASSERT_EQ(report.kmem.size(), 1u);
    const auto& audit = report.kmem.front();
    // map=dev: 8 KiB + 64 B per 4 KiB page, to 2 MiB: 66 MiB; the tail cut to 2 MiB.
    EXPECT_EQ(audit.range, *AddrRange::from_bounds(PhysAddr{0x104200000}, PhysAddr{0x1ffe00000}));
    EXPECT_EQ(audit.block_size, 128ull << 20);  // 2 GiB of boot RAM: 128 MiB blocks
    ASSERT_TRUE(audit.plan.hotplug);
    EXPECT_EQ(audit.plan.hotplug->begin(), PhysAddr{0x108000000});
    EXPECT_EQ(audit.plan.hotplug->end(), PhysAddr{0x1f8000000});
}

TEST(Libvirt, DevdaxRangeFollowsTheInfoBlockAndPageMapArithmetic) {
    // Seed 002's 8 GiB region at 0x140000000: dax0.0 starts 130 MiB in.
    const auto r = devdax_range(*AddrRange::from_bounds(PhysAddr{0x140000000}, PhysAddr{0x340000000}), DevdaxMap::dev);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->begin(), PhysAddr{0x148200000});
    EXPECT_EQ(r->end(), PhysAddr{0x340000000});
    // map=mem keeps only the info block, padded to the alignment.
    EXPECT_EQ(devdax_range(*AddrRange::from_bounds(PhysAddr{0x140000000}, PhysAddr{0x340000000}), DevdaxMap::mem)->begin(), PhysAddr{0x140200000});
    // A start off the 2 MiB subsection grid is refused by the kernel.
    EXPECT_FALSE(devdax_range(*AddrRange::from_bounds(PhysAddr{0x140001000}, PhysAddr{0x340000000}), DevdaxMap::dev));
}

TEST(Libvirt, ContentDetectionAndCommandLinePositions) {
    const std::string xml = test::slurp(test::fixtures() / "libvirt/x86-2G.xml");
    EXPECT_EQ(detect_input_kind(xml), InputKind::libvirt_xml);
    EXPECT_EQ(detect_input_kind("<?xml version='1.0'?>\n<!-- saved -->\n<domain type='kvm'><name>a</name></domain>"), InputKind::libvirt_xml);
    EXPECT_NE(detect_input_kind("<domains/>"), InputKind::libvirt_xml);
    cli::InputOptions options;
    options.libvirt = (test::fixtures() / "libvirt/x86-2G.xml").string();
    std::string log;
    auto machine = cli::load_machine(options, log);
    ASSERT_TRUE(machine);
    // "nokaslr" is the 4th word of the <cmdline> on line 11, whose text starts at column 14.
    const auto& c = *machine.value().cmdline;
    const auto at = c.locate(c.text.find("nokaslr"));
    EXPECT_EQ(at.line, 11u);
    EXPECT_EQ(at.column, 14u + c.text.find("nokaslr"));
}

TEST(Libvirt, RefusesWhatQemuWouldRefuseOrWhatIsNotModelled) {
    const auto refuse = [](const std::string& xml) {
        auto vm = read_libvirt_domain("vm.xml", xml);
        if (!vm) return format_input_error(vm.error());
        auto layout = qemu_q35_layout(vm.value());
        return layout ? std::string("accepted") : format_input_error(layout.error());
    };
    const std::string head = "<domain type='kvm'>\n<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>\n";
    EXPECT_EQ(refuse("<domain><memory>12</memory>").rfind("vm.xml:1:", 0), 0u);  // not well-formed
    EXPECT_NE(refuse("<domain><memory>12</memory>").find("expected well-formed XML"), std::string::npos);
    EXPECT_NE(refuse("<network/>").find("expected a libvirt <domain> element, found <network>"), std::string::npos);
    EXPECT_NE(refuse(head + "<memory unit='XiB'>1</memory></domain>").find("vm.xml:3:1: error: expected a libvirt unit"), std::string::npos);
    EXPECT_NE(refuse(head + "<memory unit='EiB'>32</memory></domain>").find("does not fit in 64 bits"), std::string::npos);
    EXPECT_NE(refuse(head + "<memory unit='GiB'>two</memory></domain>").find("expected a decimal number in <memory>, found 'two'"), std::string::npos);
    EXPECT_NE(refuse("<domain><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os><memory>1048576</memory></domain>")
                  .find("this version models QEMU's q35 machine; found machine 'pc-i440fx-7.2'"),
              std::string::npos);
    EXPECT_NE(refuse(head + "<memory unit='GiB'>2</memory><devices><memory model='dimm'><target><size unit='GiB'>1</size></target></memory></devices></domain>")
                  .find("memory devices need <maxMemory slots='N'>"),
              std::string::npos);
    EXPECT_NE(refuse(head + "<maxMemory slots='1' unit='GiB'>3</maxMemory><memory unit='GiB'>4</memory><devices><memory model='nvdimm'><target>"
                            "<size unit='GiB'>2</size></target></memory></devices></domain>")
                  .find("<maxMemory> (3 GiB) is below <memory> (4 GiB)"),
              std::string::npos);
    EXPECT_NE(refuse(head + "<memory unit='GiB'>2</memory><cpu><numa><cell id='0' cpus='3-1' memory='2' unit='GiB'/></numa></cpu></domain>")
                  .find("expected a cpuset such as '0-3,^2,8'"),
              std::string::npos);
    EXPECT_EQ(refuse(head + "<memory unit='GiB'>2</memory></domain>"), "accepted");
}

}  // namespace
}  // namespace bootmap
