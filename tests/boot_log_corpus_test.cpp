// Kernel logs of every architecture, as people post them (whole boots and excerpts of arm64, arm,
// RISC-V, LoongArch, Xen and VMware machines): each is linted without a false alarm or refused with a
// message that does not presume x86, and the architecture the log names is the one modelled.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bootmap {
namespace {

// What each log says of its architecture ("" when nothing in it does: excerpts of SRAT lines alone).
const std::map<std::string, std::string>& expected_arch() {
    static const std::map<std::string, std::string> arch{
        {"arm64-hisilicon-hi1616-4node-acpi-truncated-srat.excerpt.dmesg", "arm64"},
        {"arm64-kunpeng920-hip08-4node-crashkernel-cma-fail.excerpt.dmesg", "arm64"},
        {"loongarch-qemu-srat-self-overlap.excerpt.dmesg", ""},
        {"nvidia-jetson-tx2-l4t-4.4.dmesg", "arm64"},
        {"qcom-mdm9607-arm32-jmr540-3.18.kmsg", "arm"},
        {"qemu-arm64-nvgrace-zero-length-hotplug-srat.excerpt.dmesg", ""},
        {"qemu-x86-virtio-mem-shared-hotplug-range.excerpt.dmesg", ""},
        {"riscv-ky-x1-orangepi-rv2-6.6.dmesg", "riscv64"},
        {"riscv-qemu-acpi-numa-2node.excerpt.dmesg", "riscv64"},
        {"rk3588s-orangepi5-5.10-bsp.dmesg", "arm64"},
        {"vmware-3node-srat-node2-split.excerpt.dmesg", ""},
        {"xen-dom0-efi-4.9-crashkernel.dmesg", "x86_64"},
    };
    return arch;
}

TEST(BootLogCorpus, EveryArchitecturesLogIsReadWithoutFalseAlarms) {
    std::size_t read = 0, refused = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "dmesg/any-arch")) {
        const std::string name = entry.path().filename().string();
        const auto r = test::run_bootmap("lint --format json -- " + entry.path().string());
        if (name == "qemu-kvm-2node-64G-memblock-debug.excerpt.dmesg") {
            // memblock=debug arrays and nothing else: no memory map, no SRAT, no kernel or command line.
            EXPECT_EQ(r.exit_code, 2) << name;
            EXPECT_NE(r.err.find("expected a kernel log"), std::string::npos) << r.err;
            EXPECT_EQ(r.err.find("BIOS-e820 lines or"), std::string::npos) << "an x86-only refusal: " << r.err;
            ++refused;
            continue;
        }
        ASSERT_TRUE(expected_arch().contains(name)) << name << ": add what it says of its architecture";
        EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err << r.out.substr(0, 400);
        const auto j = nlohmann::json::parse(r.out, nullptr, false);
        ASSERT_TRUE(j.is_object()) << name;
        for (const auto& d : j.at("diagnostics")) EXPECT_NE(d.at("severity"), "error") << name << ": " << d.dump();
        const std::string arch = expected_arch().at(name);
        const std::string profile = j.at("kernel").at("arch");
        EXPECT_EQ(profile, arch.empty() ? "x86_64" : arch) << name;
        bool stated = false;
        for (const auto& a : j.value("assumptions", nlohmann::json::array())) stated |= a.get<std::string>().starts_with("the architecture is " + arch + ", from ");
        EXPECT_EQ(stated, !arch.empty() && arch != "x86_64") << name;
        ++read;
    }
    EXPECT_EQ(read, expected_arch().size());
    EXPECT_EQ(refused, 1u);
}

// An excerpt of SRAT lines alone is kept, and the report says NUMA could not be replayed without RAM.
TEST(BootLogCorpus, SratExcerptsSayWhatTheyLackedToReplayNuma) {
    const auto r = test::run_bootmap("lint -- " + (test::fixtures() / "dmesg/any-arch/vmware-3node-srat-node2-split.excerpt.dmesg").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("NUMA (6 memory affinity entries of"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("not replayed, the machine's RAM is not known"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bootmap
