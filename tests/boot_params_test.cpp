#include <gtest/gtest.h>

#include "grammars/boot_params.hpp"

namespace bootmap::grammars {
namespace {

constexpr std::uint64_t M = 1ull << 20, G = 1ull << 30;
constexpr std::uint64_t kSection = 128 * M;

std::string first_message(const ParamVerdict& v) { return v.messages.empty() ? std::string() : v.messages.front(); }

// The validation order and words of the dmem seed (spec part A, 2.2 and 2.3).
TEST(Dmem, ValidationInTheSeedsOrder) {
    auto ok = parse_dmem("4G", kSection);
    EXPECT_TRUE(ok.verdict.accepted);
    EXPECT_EQ(first_message(ok.verdict), "dmem: parameter: base address 0x0 size 0x100000000 align 0x8000000 resv_kernel 0");
    EXPECT_EQ(first_message(parse_dmem("0", kSection).verdict), "dmem: 'size' of 0 defined in dmem=, or {invalid} param");
    EXPECT_EQ(first_message(parse_dmem("16E", kSection).verdict), "dmem: 'size' of 0 defined in dmem=, or {invalid} param");
    EXPECT_EQ(first_message(parse_dmem("4GB", kSection).verdict), "dmem: unknown indicator: B in dmem=");
    EXPECT_EQ(first_message(parse_dmem("4G,", kSection).verdict), "dmem: unknown indicator: , in dmem=");
    EXPECT_EQ(first_message(parse_dmem("1G@0", kSection).verdict), "dmem: 'addr' or 'align' should not be set to 0");
    EXPECT_EQ(first_message(parse_dmem("1G:64M", kSection).verdict),
              "dmem: 'align' should be 0x8000000 at least to be aligned to memory section.");
    EXPECT_EQ(first_message(parse_dmem("1G:384M", kSection).verdict), "dmem: 'align' should be power of 2.");
    EXPECT_EQ(first_message(parse_dmem("0x40200000:1G", kSection).verdict), "dmem: 'size' is unaligned to 'align' in dmem=");
    EXPECT_EQ(first_message(parse_dmem("1G@0x4000000", kSection).verdict), "dmem: 'addr' is unaligned to 'align' in dmem=");
    EXPECT_EQ(first_message(parse_dmem("!1G@3G", kSection).verdict), "dmem: take a certain base address for kernel is illegal");
    // The align check comes first, so '!' with '@' reports the alignment.
    EXPECT_EQ(first_message(parse_dmem("!1G@3G:100M", kSection).verdict),
              "dmem: 'align' should be 0x8000000 at least to be aligned to memory section.");
    for (const char* silent : {"", "!", "@1G", "1G@", "1G:", "1G@1G@2G"}) {
        auto d = parse_dmem(silent, kSection);
        EXPECT_FALSE(d.verdict.accepted) << silent;
        EXPECT_TRUE(d.verdict.messages.empty()) << silent;
        EXPECT_TRUE(d.verdict.malformed_early) << silent;
    }
    EXPECT_TRUE(parse_dmem("!8G", kSection).resv_kernel);
}

TEST(Hugetlb, OrderMattersAndMessagesAreTheKernels) {
    const auto sizes = hugepage_sizes_x86_64(true);
    auto cfg = parse_hugetlb({{0, "hugepagesz", "1G"}, {1, "hugepages", "4"}, {2, "hugepagesz", "2M"}, {3, "hugepages", "512"}}, sizes);
    ASSERT_EQ(cfg.requests.size(), 2u);
    EXPECT_EQ(cfg.requests[0].count, 4u);
    EXPECT_EQ(cfg.requests[1].count, 512u);
    auto first_count = parse_hugetlb({{0, "hugepages", "8"}, {1, "hugepagesz", "1G"}, {2, "default_hugepagesz", "1G"}}, sizes);
    // hugepages= first goes to the default size, which default_hugepagesz= then names: 8 gigantic pages.
    ASSERT_EQ(first_count.requests.size(), 1u);
    EXPECT_EQ(first_count.requests[0].page_size, G);
    EXPECT_EQ(first_count.requests[0].count, 8u);
    auto twice = parse_hugetlb({{0, "hugepagesz", "2M"}, {1, "hugepages", "1"}, {2, "hugepages", "2"}}, sizes);
    EXPECT_EQ(first_message(twice.verdicts[2].second),
              "HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring hugepages=2");
    auto per_node = parse_hugetlb({{0, "hugepagesz", "1G"}, {1, "hugepages", "0:2,1:3"}}, sizes);
    EXPECT_EQ(per_node.requests[0].count, 5u);
    EXPECT_EQ(per_node.requests[0].per_node.size(), 2u);
    auto bad = parse_hugetlb({{0, "hugepages", "0:2,x"}}, sizes);
    EXPECT_EQ(first_message(bad.verdicts[0].second), "HugeTLB: Invalid hugepages parameter x");
    auto no_gb = parse_hugetlb({{0, "hugepagesz", "1G"}}, hugepage_sizes_x86_64(false));
    EXPECT_EQ(first_message(no_gb.verdicts[0].second), "HugeTLB: unsupported hugepagesz=1G");
}

TEST(OtherParams, CmaHugetlbCmaCoreNumaReserve) {
    auto cma = parse_cma("64M@0x40000000");
    EXPECT_TRUE(cma.fixed);
    EXPECT_EQ(cma.limit, 0x40000000 + 64 * M);
    auto window = parse_cma("256M@4G-8G");
    EXPECT_FALSE(window.fixed);
    EXPECT_EQ(window.limit, 8 * G);
    EXPECT_EQ(parse_cma("64MB").size, 64 * M);  // the rest is ignored
    EXPECT_EQ(first_message(parse_hugetlb_cma("512M", G).verdict), "hugetlb_cma: cma area should be at least 1024 MiB");
    EXPECT_EQ(parse_hugetlb_cma("0:1G,1:2G", G).size, 3 * G);
    EXPECT_EQ(*parse_kernelcore("30%", true).percent, 30u);
    EXPECT_TRUE(parse_kernelcore("mirror", true).mirror);
    EXPECT_EQ(parse_kernelcore("0x80000000", false).bytes, 2 * G);
    EXPECT_TRUE(parse_numa("off").off);
    EXPECT_FALSE(parse_numa("of").verdict.accepted);
    auto reserve = parse_reserve("0x30000000,0x1000000,0x40000000,0x1000");
    EXPECT_EQ(reserve.ranges.size(), 2u);
    EXPECT_TRUE(parse_reserve("0x30000000,0x1000000").verdict.messages.empty());
    EXPECT_FALSE(parse_reserve_mem("1M:4096:").verdict.accepted);
    EXPECT_EQ(parse_reserve_mem("2M:4096:trace").name, "trace");
    auto fake = parse_efi_fake_mem("2G@4G:0x10000,2G@0x10a0000000:0x10000");
    ASSERT_EQ(fake.ranges.size(), 2u);
    EXPECT_EQ(fake.verdict.messages.back(), "efi_fake_mem: add attr=0x0000000000010000 to [mem 0x00000010a0000000-0x000000111fffffff]");
}

}  // namespace
}  // namespace bootmap::grammars
