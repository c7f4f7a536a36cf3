// Every command computes through the one pipeline (pipeline/pipeline.hpp): given the same inputs,
// what two commands both print agrees. Each case runs the binary twice, as a user would, and compares
// the overlap.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bootmap {
namespace {

std::string fixture(const std::string& rel) { return (test::fixtures() / rel).string(); }

nlohmann::json json_of(const test::Run& r, const std::string& what) {
    EXPECT_NE(r.exit_code, 2) << what << ": " << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << what << " printed no JSON: " << r.out.substr(0, 200);
    return j;
}

// The findings as (rule, file:line, message), order kept.
std::vector<std::string> findings_of(const nlohmann::json& diagnostics) {
    std::vector<std::string> out;
    for (const auto& d : diagnostics)
        out.push_back(d.at("rule").get<std::string>() + " " + d.at("location").dump() + " " + d.at("message").get<std::string>());
    return out;
}

// The kmem-audited devices of both commands, with the kmem command's JSON shape.
const std::vector<std::string> kKmemInputs{
    "--dmesg " + fixture("kernel/x86-kmem-misaligned/dmesg.txt") + " --cmdline-from " + fixture("kernel/x86-kmem-misaligned/cmdline.txt") + " --dax-kmem",
    "--dmesg " + fixture("kernel/x86-kmem-too-small/dmesg.txt") + " --cmdline-from " + fixture("kernel/x86-kmem-too-small/cmdline.txt") + " --dax-kmem",
    "--iomem " + fixture("kernel/x86-kmem-misaligned/iomem.txt"),
    "--libvirt " + fixture("libvirt/x86-nvdimm-numa.xml"),
    "--daxctl " + fixture("daxctl/qemu-devdax-M.json") + " --iomem " + fixture("kernel/x86-kmem-map-mem-online/iomem.txt"),
    "--boot " + fixture("kernel/x86-kmem-aligned-1G"),
    "--boot " + fixture("kernel/x86-kmem-misaligned") + " --dax-kmem --dax-align 1G",
    "--iomem " + fixture("iomem/seeds/seed-004-arm64-kmem-1G-sections.iomem") + " --arch arm64 --kernel 5.8 --page-size 64K",
};

TEST(CommandsAgree, KmemAuditsWhatAnalyzeAudits) {
    for (const auto& inputs : kKmemInputs) {
        const auto analyzed = json_of(test::run_bootmap("analyze --format json " + inputs), "analyze " + inputs);
        const auto kmem = json_of(test::run_bootmap("kmem --format json " + inputs), "kmem " + inputs);
        ASSERT_TRUE(analyzed.contains("kmem")) << inputs;
        const auto& devices = analyzed.at("kmem").at("devices");
        EXPECT_FALSE(devices.empty()) << inputs;
        EXPECT_EQ(devices, kmem.at("devices")) << inputs;
        // The kmem command's findings are the analysis's kmem findings.
        std::vector<std::string> kmem_findings;
        for (const auto& f : findings_of(analyzed.at("diagnostics")))
            if (f.starts_with("kmem-")) kmem_findings.push_back(f);
        EXPECT_EQ(kmem_findings, findings_of(kmem.at("diagnostics"))) << inputs;
    }
}

// What kmem hot-adds is what the predicted /proc/iomem shows under the dax device.
TEST(CommandsAgree, PredictedIomemHoldsTheAuditedHotplugRange) {
    const std::string inputs = kKmemInputs.front();
    const auto kmem = json_of(test::run_bootmap("kmem --format json " + inputs), "kmem");
    const auto& device = kmem.at("devices").at(0);
    const auto r = test::run_bootmap("predict --emit iomem " + inputs);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // JSON ranges are hex strings with an inclusive end, as /proc/iomem prints them.
    const auto bare = [](const nlohmann::json& hex) { return hex.get<std::string>().substr(2); };
    const std::string line = fmt::format("{:0>8}-{:0>8} : {}", bare(device.at("hotplug").at("start")), bare(device.at("hotplug").at("end")),
                                         device.at("name").get<std::string>());
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
}

// lint, analyze and a batch over the same machine report the same findings; `iomem --emit` is
// `predict --emit iomem`; the dmem command's kernel lines are `predict --emit dmem`'s.
TEST(CommandsAgree, LintAnalyzeAndBatchFindTheSame) {
    const std::filesystem::path fleet = test::fixtures() / "batch/fleet";
    std::map<std::string, std::vector<std::string>> batch;
    std::istringstream lines(test::run_bootmap("lint --batch " + fleet.string() + " --format json").out);
    for (std::string line; std::getline(lines, line);) {
        const auto j = nlohmann::json::parse(line);
        if (j.contains("diagnostics")) batch[j.at("machine").get<std::string>()] = findings_of(j.at("diagnostics"));
    }
    ASSERT_GE(batch.size(), 3u);
    std::size_t compared = 0;
    for (const auto& [name, found] : batch) {
        const std::filesystem::path where = fleet / name;
        std::string args;
        if (std::filesystem::is_directory(where))
            for (const auto& f : std::filesystem::directory_iterator(where)) args += " " + f.path().string();
        else
            args = " " + where.string();
        const auto linted = json_of(test::run_bootmap("lint --format json" + args), "lint " + name);
        const auto analyzed = json_of(test::run_bootmap("analyze --format json" + args), "analyze " + name);
        EXPECT_EQ(findings_of(linted.at("diagnostics")), found) << name;
        EXPECT_EQ(findings_of(analyzed.at("diagnostics")), found) << name;
        ++compared;
    }
    EXPECT_EQ(compared, batch.size());
}

TEST(CommandsAgree, TableCommandsPrintThePrediction) {
    const std::string iomem = fixture("kernel/x86-kmem-misaligned/iomem.txt");
    const auto emitted = test::run_bootmap("iomem " + iomem + " --emit");
    const auto predicted = test::run_bootmap("predict --emit iomem --iomem " + iomem);
    ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
    EXPECT_EQ(emitted.out, predicted.out);

    const std::string dmesg = fixture("kernel/x86-numa-2node/dmesg.txt");
    const auto table = test::run_bootmap("dmem 1G --dmesg " + dmesg);
    const auto lines = test::run_bootmap("predict --emit dmem --kconfig DMEM=y --cmdline dmem=1G --dmesg " + dmesg);
    ASSERT_EQ(lines.exit_code, 0) << lines.err;
    ASSERT_FALSE(lines.out.empty());
    std::istringstream in(lines.out);
    for (std::string line; std::getline(in, line);) EXPECT_NE(table.out.find("  " + line + "\n"), std::string::npos) << line << "\n" << table.out;
}

}  // namespace
}  // namespace bootmap
