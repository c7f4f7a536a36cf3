// hugetlb_cma= on arm64, held to the oracle's boots (6.1 with 4 and 8 GiB, 6.12 with 4 GiB): the
// kernel's hugetlb_cma and cma lines in order, addresses included, the default CMA area they move,
// and the activation the kernel refuses when the area spans the DMA zone's end.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace bootmap {
namespace {

std::string cma_lines(const std::string& text) {
    return test::log_lines(text, [](std::string_view line) { return line.starts_with("hugetlb_cma: ") || line.starts_with("cma: "); });
}

TEST(HugetlbCma, EveryCapturePrintsThePredictedLines) {
    std::size_t checked = 0;
    for (const char* folder : {"kernel", "kernel-6.12"})
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / folder)) {
            const auto dir = entry.path();
            if (dir.filename().string().find("hugetlb-cma") == std::string::npos) continue;
            const std::string version = std::string(folder) == "kernel" ? "6.1" : "6.12";
            const auto r = test::run_bootmap("analyze --kernel " + version + " --dtb " + (dir / "machine.dtb").string() + " --cmdline '" +
                                             test::slurp(dir / "scenario-cmdline.txt").substr(0, test::slurp(dir / "scenario-cmdline.txt").find('\n')) + "'");
            ASSERT_NE(r.exit_code, 2) << dir << ": " << r.err;
            std::string predicted;
            for (std::size_t at = 0; at < r.out.size();) {
                const auto end = r.out.find('\n', at);
                std::string_view line(r.out.data() + at, (end == std::string::npos ? r.out.size() : end) - at);
                while (line.starts_with(' ')) line.remove_prefix(1);
                if (line.starts_with("hugetlb_cma: ") || line.starts_with("cma: ")) predicted += std::string(line) + "\n";
                at = end == std::string::npos ? r.out.size() : end + 1;
            }
            EXPECT_EQ(predicted, cma_lines(test::slurp(dir / "dmesg.txt"))) << dir;
            const bool refused = test::slurp(dir / "dmesg.txt").find("could not be activated") != std::string::npos;
            EXPECT_EQ(r.out.find("[hugetlb-cma-failed]") != std::string::npos, refused) << dir;
            ++checked;
        }
    EXPECT_EQ(checked, 5u);
}

}  // namespace
}  // namespace bootmap
