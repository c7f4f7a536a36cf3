#include <gtest/gtest.h>

#include "kernel/resource_tree.hpp"
#include "readers/iomem_reader.hpp"

namespace bootmap {
namespace {

IomemTree tree_of(std::string_view text) {
    auto tree = read_iomem("t", text);
    EXPECT_TRUE(tree);
    return std::move(tree).value();
}

AddrRange range(std::uint64_t first, std::uint64_t last) { return *AddrRange::from_inclusive(PhysAddr{first}, PhysAddr{last}); }

constexpr std::string_view kPmemLayout =
    "00100000-9fffffff : System RAM\n"
    "  01000000-01e071d0 : Kernel code\n"
    "a0000000-afffffff : Persistent Memory (legacy)\n"
    "b0000000-bfffffff : Persistent Memory\n"
    "  b0000000-b7ffffff : namespace0.0\n"
    "c0000000-cfffffff : Soft Reserved\n"
    "  c0000000-cfffffff : dax1.0\n";

TEST(ResourceTree, BusyInferredFromNamesAndPlace) {
    const auto t = tree_of(kPmemLayout);
    EXPECT_EQ(resource_busy(t, 0), Busy::yes);  // System RAM
    EXPECT_EQ(resource_busy(t, 1), Busy::yes);  // Kernel code
    EXPECT_EQ(resource_busy(t, 2), Busy::no);   // e820 PRAM above 1 MiB
    EXPECT_EQ(resource_busy(t, 4), Busy::yes);  // claimed by the pmem driver
    EXPECT_EQ(resource_busy(t, 6), Busy::no);   // kmem clears busy on its dax resource
    const auto low = tree_of("000f0000-000fffff : Reserved\n7ffdf000-7fffffff : Reserved\n");
    EXPECT_EQ(resource_busy(low, 0), Busy::yes);  // below 1 MiB do_mark_busy() says busy
    EXPECT_EQ(resource_busy(low, 1), Busy::no);
}

TEST(ResourceTree, HotplugDescendsIntoNonBusyResources) {
    const auto t = tree_of(kPmemLayout);
    auto legacy = simulate_hotplug_request(t, range(0xa0000000, 0xa7ffffff), KernelProfile{}, std::nullopt);
    EXPECT_TRUE(legacy.placed);
    EXPECT_EQ(legacy.parent, 2u);
    auto in_dax = simulate_hotplug_request(t, range(0xc0000000, 0xcfffffff), KernelProfile{}, std::nullopt);
    EXPECT_TRUE(in_dax.placed);
    EXPECT_EQ(in_dax.parent, 6u);
    auto beside_namespace = simulate_hotplug_request(t, range(0xb8000000, 0xbfffffff), KernelProfile{}, std::nullopt);
    EXPECT_TRUE(beside_namespace.placed);
    EXPECT_EQ(beside_namespace.parent, 3u);
}

TEST(ResourceTree, HotplugFailsOnBusyOrStraddledResources) {
    const auto t = tree_of(kPmemLayout);
    auto into_namespace = simulate_hotplug_request(t, range(0xb0000000, 0xb3ffffff), KernelProfile{}, std::nullopt);
    EXPECT_FALSE(into_namespace.placed);
    EXPECT_EQ(into_namespace.conflict, 4u);
    EXPECT_EQ(into_namespace.conflict_busy, Busy::yes);
    auto into_ram = simulate_hotplug_request(t, range(0x10000000, 0x1fffffff), KernelProfile{}, std::nullopt);
    EXPECT_EQ(into_ram.conflict, 0u);
    // Crossing the end of a non-busy resource: __request_resource() reports the parent itself.
    auto straddle = simulate_hotplug_request(t, range(0xa8000000, 0xb7ffffff), KernelProfile{}, std::nullopt);
    EXPECT_FALSE(straddle.placed);
    EXPECT_EQ(straddle.conflict, 2u);
}

TEST(ResourceTree, BeforeFiveZeroHotplugIsTopLevelOnly) {
    const auto t = tree_of(kPmemLayout);
    auto r = simulate_hotplug_request(t, range(0xa0000000, 0xa7ffffff), KernelProfile{{4, 19}}, std::nullopt);
    EXPECT_FALSE(r.placed);
    EXPECT_EQ(r.conflict, 2u);
    auto free_space = simulate_hotplug_request(t, range(0xd0000000, 0xdfffffff), KernelProfile{{4, 19}}, std::nullopt);
    EXPECT_TRUE(free_space.placed);
    EXPECT_FALSE(free_space.parent);
}

TEST(KernelProfile, ParsesVersionsAndArches) {
    EXPECT_EQ(parse_kernel_version("6.1"), (KernelVersion{6, 1}));
    EXPECT_EQ(parse_kernel_version("5.10.0-21-amd64"), (KernelVersion{5, 10}));
    EXPECT_EQ(parse_kernel_version("v6.12"), (KernelVersion{6, 12}));
    EXPECT_FALSE(parse_kernel_version("six"));
    EXPECT_FALSE(parse_kernel_version("6"));
    EXPECT_EQ(parse_arch("aarch64"), Arch::arm64);
    EXPECT_FALSE(parse_arch("vax"));
}

}  // namespace
}  // namespace bootmap
