// bootmap capture against a source tree laid out as /proc and /sys, filled from a real UEFI boot of
// the oracle: what it writes must be what was there, and --boot must read it back to the same
// prediction as the original capture. The live machine is tested by tests/capture_live.sh.

#include <gtest/gtest.h>

#include <fstream>

#include "capture/boot_capture_writer.hpp"
#include "cli/input_options.hpp"
#include "predict/artifact.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string decode_srat(const fs::path& b64) {
    // The oracle stored it as base64 (the `base64` tool's output); the fake /sys holds the table.
    std::string text = test::slurp(b64), out;
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const auto v = alphabet.find(c);
        if (v == std::string::npos) continue;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

struct FakeMachine {
    fs::path root;
    CaptureSources sources;
};

// /proc and /sys of the uefi-x86-numa-2node boot, from its capture files.
FakeMachine fake_machine_from(const fs::path& capture, const std::string& name) {
    FakeMachine m;
    m.root = fs::temp_directory_path() / ("bootmap-capture-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(m.root);
    m.sources = {(m.root / "proc").string(), (m.root / "sys").string(), (m.root / "dev/kmsg").string()};
    for (const char* f : {"iomem", "cmdline", "meminfo", "zoneinfo"}) write(m.root / "proc" / f, test::slurp(capture / (std::string(f) + ".txt")));
    write(m.root / "sys/devices/system/memory/block_size_bytes", test::slurp(capture / "block-size.txt"));
    write(m.root / "sys/firmware/acpi/tables/SRAT", decode_srat(capture / "srat-b64.txt"));
    std::istringstream memmap(test::slurp(capture / "firmware-memmap.txt"));
    std::string index, start, end, type;
    while (memmap >> index >> start >> end && std::getline(memmap, type)) {
        const fs::path entry = m.root / "sys/firmware/memmap" / index;
        write(entry / "start", start + "\n");
        write(entry / "end", end + "\n");
        write(entry / "type", type.substr(1) + "\n");
    }
    fs::create_directories(m.root / "sys/kernel/debug");  // debugfs not mounted
    return m;
}

TEST(Capture, WritesWhatTheMachineShowsAndReadsBackToTheSamePrediction) {
    const fs::path capture = test::fixtures() / "kernel-uefi/uefi-x86-numa-2node";
    FakeMachine m = fake_machine_from(capture, "roundtrip");
    const fs::path out = m.root / "captured";
    auto result = capture_boot(out.string(), m.sources);
    ASSERT_TRUE(result) << format_input_error(result.error());

    EXPECT_EQ(test::slurp(out / "iomem.txt"), test::slurp(capture / "iomem.txt"));
    EXPECT_EQ(test::slurp(out / "cmdline.txt"), test::slurp(capture / "cmdline.txt"));
    EXPECT_EQ(test::slurp(out / "firmware-memmap.txt"), test::slurp(capture / "firmware-memmap.txt"));
    EXPECT_EQ(test::slurp(out / "srat-b64.txt"), test::slurp(capture / "srat-b64.txt"));  // base64 as the oracle wrote it

    // What could not be read is named, with the reason, and not written.
    const std::string manifest = test::slurp(out / "manifest.txt");
    EXPECT_NE(manifest.find("dmesg.txt: not captured: " + m.sources.kmsg + ": not present"), std::string::npos) << manifest;
    EXPECT_NE(manifest.find("memblock-memory.txt: not captured: " + m.sources.sys + "/kernel/debug/memblock/memory: debugfs is not mounted"),
              std::string::npos)
        << manifest;
    EXPECT_NE(manifest.find("iomem.txt: captured from " + m.sources.proc + "/iomem"), std::string::npos);
    EXPECT_FALSE(fs::exists(out / "dmesg.txt"));

    // Read back: the zones and NUMA of the boot, from the firmware map and the SRAT it saved.
    cli::InputOptions options;
    options.boot = out.string();
    std::string log;
    auto machine = cli::load_machine(options, log);
    ASSERT_TRUE(machine) << format_input_error(machine.error());
    auto zones = predict_artifact(machine.value(), Artifact::zones);
    ASSERT_TRUE(zones);
    EXPECT_EQ(zones.value(), test::kernel_zone_block(test::slurp(capture / "dmesg.txt")));
    fs::remove_all(m.root);
}

TEST(Capture, NeverWritesIntoAnExistingCapture) {
    FakeMachine m = fake_machine_from(test::fixtures() / "kernel-uefi/uefi-x86-numa-2node", "existing");
    write(m.root / "old/iomem.txt", "kept\n");
    auto result = capture_boot((m.root / "old").string(), m.sources);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("expected a new or empty directory"), std::string::npos);
    EXPECT_EQ(test::slurp(m.root / "old/iomem.txt"), "kept\n");
    fs::remove_all(m.root);
}

TEST(Capture, IomemWithHiddenAddressesIsNotALayout) {
    FakeMachine m = fake_machine_from(test::fixtures() / "kernel-uefi/uefi-x86-numa-2node", "hidden");
    write(m.root / "proc/iomem", "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n");
    auto result = capture_boot((m.root / "out").string(), m.sources);
    ASSERT_TRUE(result);
    EXPECT_FALSE(fs::exists(m.root / "out/iomem.txt"));
    EXPECT_NE(test::slurp(m.root / "out/manifest.txt").find("every address reads as zero"), std::string::npos);
    fs::remove_all(m.root);
}

TEST(Capture, KmsgRecordsBecomeDmesgLines) {
    EXPECT_EQ(format_kmsg_record("6,1,0,-;Linux version 6.1.0-56-amd64 (x)\n SUBSYSTEM=x").value_or(""),
              "[    0.000000] Linux version 6.1.0-56-amd64 (x)");
    EXPECT_EQ(format_kmsg_record("7,523,1091455,-;e820: reserve RAM buffer [mem 0x7dc50000-0x7fffffff]").value_or(""),
              "[    1.091455] e820: reserve RAM buffer [mem 0x7dc50000-0x7fffffff]");
    EXPECT_FALSE(format_kmsg_record("no header here"));
    EXPECT_FALSE(format_kmsg_record("6,1,99999999999999999999999,-;overflowing time"));
}

}  // namespace
}  // namespace bootmap
