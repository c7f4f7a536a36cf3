#include <gtest/gtest.h>

#include "grammars/kernel_cmdline.hpp"
#include "grammars/memory_params.hpp"

namespace bootmap::grammars {
namespace {

TEST(CmdlineTokens, SplitsLikeNextArg) {
    const std::string text = "  BOOT_IMAGE=/vmlinuz ro  quiet memmap=512M!1G \"dyndbg=file x +p\" foo=\"a b\" -- init=1";
    auto t = tokenize_cmdline(text);
    ASSERT_EQ(t.params.size(), 6u);
    EXPECT_EQ(t.params[0].name, "BOOT_IMAGE");
    EXPECT_EQ(*t.params[0].value, "/vmlinuz");
    EXPECT_EQ(t.params[0].offset, 2u);
    EXPECT_FALSE(t.params[1].value);
    EXPECT_EQ(t.params[3].name, "memmap");
    EXPECT_EQ(*t.params[3].value, "512M!1G");
    EXPECT_EQ(text.substr(t.params[3].value_offset, 7), "512M!1G");
    EXPECT_EQ(t.params[4].name, "dyndbg");
    EXPECT_EQ(*t.params[4].value, "file x +p");
    EXPECT_EQ(*t.params[5].value, "a b");
    ASSERT_TRUE(t.init_args_offset);
    EXPECT_EQ(text.substr(*t.init_args_offset), "init=1");
}

// lib/ctype.c marks byte 0xA0 as a space: next_arg() splits there as at ' ' (a UTF-8 no-break
// space leaves its 0xC2 on the parameter before it).
TEST(CmdlineTokens, ByteA0SeparatesLikeASpace) {
    const std::string text = "dmem=1G\xA0mem=3G quiet\xC2\xA0ro";
    auto t = tokenize_cmdline(text);
    ASSERT_EQ(t.params.size(), 4u);
    EXPECT_EQ(*t.params[0].value, "1G");
    EXPECT_EQ(t.params[1].name, "mem");
    EXPECT_EQ(*t.params[1].value, "3G");
    EXPECT_EQ(t.params[2].name, "quiet\xC2");
    EXPECT_EQ(t.params[3].name, "ro");
}

TEST(CmdlineTokens, EqualsFirstAndDashUnderscore) {
    auto t = tokenize_cmdline("=x a==b c=");
    ASSERT_EQ(t.params.size(), 3u);
    EXPECT_EQ(t.params[0].name, "=x");  // a leading '=' does not split
    EXPECT_FALSE(t.params[0].value);
    EXPECT_EQ(*t.params[1].value, "=b");
    EXPECT_EQ(*t.params[2].value, "");
    EXPECT_TRUE(param_name_equals("movable-node", "movable_node"));
    EXPECT_FALSE(param_name_equals("memmap", "mem"));
}

TEST(MemmapItems, EveryForm) {
    auto items = parse_memmap_param("exactmap,640K@0,1023M@1M,256M$768M,4G!4G,1G#3G,64K%0x100000-1+2,1G,2G%1G-12,3G%2G+7,1G%4G");
    ASSERT_EQ(items.size(), 11u);
    EXPECT_EQ(items[0].kind, MemmapItem::Kind::exactmap);
    EXPECT_EQ(items[1].kind, MemmapItem::Kind::add);
    EXPECT_EQ(items[1].new_type, 1u);
    EXPECT_EQ(items[1].size.value, 640u << 10);
    EXPECT_EQ(items[2].start.value, 1u << 20);
    EXPECT_EQ(items[3].new_type, 2u);
    EXPECT_EQ(items[4].new_type, 12u);
    EXPECT_EQ(items[5].new_type, 3u);
    EXPECT_EQ(items[6].kind, MemmapItem::Kind::update);
    EXPECT_EQ(items[6].old_type, 1u);
    EXPECT_EQ(items[6].new_type, 2u);
    EXPECT_EQ(items[7].kind, MemmapItem::Kind::limit);
    EXPECT_EQ(items[8].kind, MemmapItem::Kind::remove);
    EXPECT_EQ(items[8].old_type, 12u);
    EXPECT_EQ(items[9].kind, MemmapItem::Kind::add);
    EXPECT_EQ(items[9].new_type, 7u);
    EXPECT_EQ(items[10].kind, MemmapItem::Kind::remove);
    EXPECT_EQ(items[10].old_type, 0u);
    EXPECT_EQ(items[3].offset, 25u);
}

TEST(MemmapItems, QuirksTheKernelHas) {
    auto missing = parse_memmap_param("1G$");
    EXPECT_EQ(missing[0].kind, MemmapItem::Kind::add);
    EXPECT_EQ(missing[0].start.consumed, 0u);  // address 0 is used
    auto trailing = parse_memmap_param("1G$2Gxyz");
    EXPECT_EQ(trailing[0].kind, MemmapItem::Kind::add);  // applied, then -EINVAL
    EXPECT_EQ(trailing[0].parsed, 5u);
    auto percent = parse_memmap_param("1G%2G-1+2x");
    EXPECT_EQ(percent[0].kind, MemmapItem::Kind::rejected);
    EXPECT_EQ(parse_memmap_param("xyz")[0].kind, MemmapItem::Kind::invalid);
    EXPECT_EQ(parse_memmap_param("exactmapfoo")[0].kind, MemmapItem::Kind::exactmap);
    EXPECT_EQ(parse_memmap_param("")[0].kind, MemmapItem::Kind::invalid);
}

TEST(MemParam, ZeroAndNopentium) {
    EXPECT_FALSE(parse_mem_param("0").valid);
    EXPECT_FALSE(parse_mem_param("G").valid);
    EXPECT_TRUE(parse_mem_param("nopentium").nopentium);
    EXPECT_EQ(parse_mem_param("1536M").size.value, 1536ull << 20);
    EXPECT_TRUE(parse_mem_param("4GB").valid);  // mem= ignores what follows the number
}

}  // namespace
}  // namespace bootmap::grammars
