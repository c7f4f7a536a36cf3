#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analysis/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "grammars/shell_quoting.hpp"
#include "readers/bootloader_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

BootloaderCmdlines read(const std::string& rel) {
    const auto path = test::fixtures() / "bootloader" / rel;
    auto r = read_bootloader_cmdlines(path.string(), test::slurp(path));
    EXPECT_TRUE(r) << format_input_error(r.error());
    return std::move(r).value();
}

TEST(ShellQuoting, OneLayerEach) {
    // What /etc/default/grub's value becomes after sh, then after GRUB.
    auto sh = grammars::unquote_shell_value(R"("memmap=8G\\\$16G isolcpus=2,3")", 0, {});
    EXPECT_EQ(sh.text, R"(memmap=8G\$16G isolcpus=2,3)");
    auto grub = grammars::unquote_grub_args(sh.text, 0, {});
    EXPECT_EQ(grub.text, "memmap=8G$16G isolcpus=2,3");
    EXPECT_TRUE(grub.expansions.empty());
    auto eaten = grammars::unquote_grub_args("memmap=16G$96G", 0, {});
    EXPECT_EQ(eaten.text, "memmap=16GG");  // GRUB reads $96 as a positional parameter
    ASSERT_EQ(eaten.expansions.size(), 1u);
    EXPECT_EQ(eaten.expansions[0].name, "96");
    auto sh_digit = grammars::unquote_shell_value(R"("memmap=4G$12G")", 0, {});
    EXPECT_EQ(sh_digit.text, "memmap=4G2G");  // sh's positional parameters are one digit
    auto single = grammars::unquote_shell_value(R"('a$b "c"')", 0, {});
    EXPECT_EQ(single.text, R"(a$b "c")");
    EXPECT_TRUE(grammars::unquote_shell_value(R"("open)", 0, {}).unterminated_quote);
}

TEST(ShellQuoting, OriginsPointBackIntoTheInput) {
    auto u = grammars::unquote_shell_value(R"("a\$b")", 100, {});
    ASSERT_EQ(u.text, "a$b");
    EXPECT_EQ(u.origin, (std::vector<std::uint32_t>{101, 103, 104}));
}

TEST(BootloaderReader, GrubDefaultsJoinLinuxAndDefault) {
    auto r = read("written/default-grub-escaped");
    EXPECT_EQ(r.format, BootloaderFormat::grub_defaults);
    ASSERT_EQ(r.cmdlines.size(), 1u);
    EXPECT_EQ(r.cmdlines[0].text, "memmap=4G$12G crashkernel=256M quiet splash hugepages=16");
    EXPECT_TRUE(r.cmdlines[0].expansions.empty());
    // "crashkernel" is at line 2, column 38 of the file, after the three backslashes.
    const auto at = r.cmdlines[0].locate(r.cmdlines[0].text.find("crashkernel"));
    EXPECT_EQ(at.line, 2u);
    EXPECT_EQ(at.column, 38u);
}

TEST(BootloaderReader, GrubCfgEntriesWithBootImage) {
    auto r = read("written/grub.cfg");
    EXPECT_EQ(r.format, BootloaderFormat::grub_cfg);
    ASSERT_EQ(r.cmdlines.size(), 2u);
    EXPECT_EQ(r.cmdlines[0].entry, "Debian GNU/Linux");
    EXPECT_EQ(r.cmdlines[0].text, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-21-amd64 root=UUID=1234 ro quiet memmap=4G$12G crashkernel=256M");
    EXPECT_EQ(r.cmdlines[1].text, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-21-amd64 root=UUID=1234 ro memmap=4GG dyndbg=file mm/* +p");
    ASSERT_EQ(r.cmdlines[1].expansions.size(), 1u);
    EXPECT_EQ(r.cmdlines[1].expansions[0].where.line, 11u);
}

TEST(BootloaderReader, ExtlinuxDefaultLabelFirst) {
    auto r = read("written/extlinux.conf");
    EXPECT_EQ(r.format, BootloaderFormat::extlinux);
    ASSERT_EQ(r.cmdlines.size(), 2u);
    EXPECT_EQ(r.cmdlines[0].entry, "rescue");
    EXPECT_EQ(r.cmdlines[0].text, "console=ttyS0,115200 mem=1G cma=64M cma=128M");
    EXPECT_EQ(r.cmdlines[1].text, "${cbootargs} root=/dev/mmcblk0p1 rw rootwait mem=3G");
}

// syslinux's INCLUDE (and MENU INCLUDE) read another file in place, as the Debian installer's
// isolinux.cfg -> menu.cfg -> txt.cfg/adtxt.cfg do: every entry is found and every finding points
// into the file that wrote it; DEFAULT naming a menu module leaves the choice to MENU DEFAULT.
TEST(BootloaderReader, ExtlinuxIncludesAreReadInPlace) {
    const auto dir = test::fixtures() / "bootloader/extlinux-include";
    const auto r = test::run_bootmap("lint -v --format json --cmdline-from " + (dir / "isolinux.cfg").string());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("extlinux/syslinux with 3 command lines; analysing 'install'"), std::string::npos) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    bool octal = false;
    for (const auto& d : j.at("diagnostics"))
        if (d.at("rule") == "cmdline-memparse-surprise") {
            octal = true;
            EXPECT_EQ(d.at("location").at("file"), (dir / "adtxt.cfg").string());
            EXPECT_EQ(d.at("location").at("line"), 4);
            EXPECT_EQ(d.at("location").at("column"), 64);
        }
    EXPECT_TRUE(octal) << r.out;
    // A file it includes that is not there is said, not silently skipped.
    const auto a = test::run_bootmap("analyze --cmdline-from " + (dir / "isolinux.cfg").string());
    EXPECT_NE(a.out.find("menu.cfg:4:9: INCLUDE stdmenu.cfg: no such file; its entries are not checked"), std::string::npos) << a.out;
    // Read without a way to open files, the include is named as not read.
    const std::string top = test::slurp(dir / "isolinux.cfg");
    const auto alone = read_bootloader_cmdlines("isolinux.cfg", top + "label x\n append quiet\n");
    ASSERT_TRUE(alone) << format_input_error(alone.error());
    ASSERT_EQ(alone.value().assumptions.size(), 1u);
    EXPECT_NE(alone.value().assumptions[0].find("INCLUDE menu.cfg was not read"), std::string::npos);
}

TEST(BootloaderReader, ExtlinuxIncludeLoopsAreRefusedAtTheLine) {
    const auto loop = test::fixtures() / "bootloader/extlinux-include-loop/extlinux.conf";
    const auto r = test::run_bootmap("lint --cmdline-from " + loop.string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(loop.string() + ":4:9: error: expected a file that does not include itself"), std::string::npos) << r.err;
}

// A U-Boot environment without bootargs gives no command line: alone it is read and the report
// says what was not checked; beside the extlinux.conf its distro boot reads, that file's line boots.
TEST(BootloaderReader, UbootEnvironmentWithoutBootargs) {
    const auto env = test::fixtures() / "bootloader/uboot/alt-visionfive2.uEnv.txt";
    const auto alone = test::run_bootmap("lint " + env.string());
    EXPECT_EQ(alone.exit_code, 0) << alone.err;
    EXPECT_NE(alone.out.find("this U-Boot environment sets no bootargs, so U-Boot gives the kernel no command line of its own"), std::string::npos)
        << alone.out;
    const auto both = test::run_bootmap("analyze --cmdline-from " + env.string() + " --cmdline-from " +
                                        (test::fixtures() / "stock/extlinux/alt-visionfive2.extlinux.conf").string());
    EXPECT_EQ(both.exit_code, 0) << both.err;
    EXPECT_NE(both.out.find("command line: root=/dev/mmcblk1p4 rw"), std::string::npos) << both.out;
    EXPECT_EQ(both.out.find("sets no bootargs"), std::string::npos) << both.out;
}

TEST(BootloaderReader, SystemdBootJoinsOptionsLines) {
    auto r = read("written/systemd-boot-entry.conf");
    EXPECT_EQ(r.format, BootloaderFormat::systemd_boot);
    EXPECT_EQ(r.cmdlines[0].text, "root=PARTUUID=abcd rw hugepagesz=1G hugepages=4 default_hugepagesz=1G");
    EXPECT_EQ(r.cmdlines[0].locate(r.cmdlines[0].text.find("hugepagesz")).line, 5u);
}

TEST(BootloaderReader, UbootEnvironmentAndListsOfCommandLines) {
    auto u = read("written/fw_printenv.txt");
    EXPECT_EQ(u.format, BootloaderFormat::uboot_env);
    EXPECT_EQ(u.cmdlines[0].text, "console=ttyS2,1500000 root=/dev/mmcblk1p2 rootwait cma=256M mem=0x70000000");
    auto list = read("real/crashkernel-high-low-variants.list");
    EXPECT_EQ(list.format, BootloaderFormat::plain);
    ASSERT_EQ(list.cmdlines.size(), 9u);
    EXPECT_EQ(list.cmdlines[8].text, "crashkernel=512M,cma");
    EXPECT_EQ(list.cmdlines[8].locate(0).line, 9u);
}

TEST(BootloaderReader, EveryRealCommandLineReads) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "bootloader/real")) {
        auto r = read_bootloader_cmdlines(entry.path().string(), test::slurp(entry.path()));
        ASSERT_TRUE(r) << format_input_error(r.error());
        EXPECT_FALSE(r.value().cmdlines.empty());
        EXPECT_FALSE(r.value().cmdlines[0].params.empty()) << entry.path();
        ++n;
    }
    EXPECT_EQ(n, 36u);
}

std::vector<Diagnostic> analyze_file(const std::string& rel) {
    auto r = read(rel);
    Machine m;
    m.cmdline = r.cmdlines.front();
    m.other_cmdlines.assign(r.cmdlines.begin() + 1, r.cmdlines.end());
    return analyze_machine(std::move(m)).diagnostics;
}

std::vector<Diagnostic> only(const std::vector<Diagnostic>& all, std::string_view rule) {
    std::vector<Diagnostic> out;
    for (const auto& d : all)
        if (d.rule_id == rule) out.push_back(d);
    return out;
}

TEST(CmdlineChecks, DollarEatenByGrubOrShell) {
    auto grub = only(analyze_file("written/grub.cfg"), rules::cmdline_bootloader_dollar_expanded);
    ASSERT_EQ(grub.size(), 1u);  // the second menu entry only
    EXPECT_EQ(grub[0].where.line, 11u);
    EXPECT_NE(grub[0].message.find("'memmap=4GG'"), std::string::npos) << grub[0].message;
    auto sh = only(analyze_file("written/default-grub-unescaped"), rules::cmdline_bootloader_dollar_expanded);
    ASSERT_EQ(sh.size(), 1u);
    EXPECT_EQ(sh[0].where.column, 30u);
    EXPECT_TRUE(only(analyze_file("written/default-grub-escaped"), rules::cmdline_bootloader_dollar_expanded).empty());
    EXPECT_TRUE(only(analyze_file("real/grub-memmap-triple-backslash.grub"), rules::cmdline_bootloader_dollar_expanded).empty());
    EXPECT_EQ(only(analyze_file("real/grub-memmap-dollar-escaped-two-regions.grub"), rules::cmdline_bootloader_dollar_expanded).size(), 2u);
}

TEST(CmdlineChecks, TyposAndDuplicates) {
    auto typo = only(analyze_file("written/default-grub-unescaped"), rules::cmdline_unknown_memory_parameter);
    ASSERT_EQ(typo.size(), 1u);
    EXPECT_NE(typo[0].message.find("'crashkernel'"), std::string::npos);
    EXPECT_TRUE(only(analyze_file("real/hugepages-isolcpus-mitigations-off.cmdline"), rules::cmdline_unknown_memory_parameter).empty());
    auto dup = only(analyze_file("written/extlinux.conf"), rules::cmdline_duplicate_parameter);
    ASSERT_EQ(dup.size(), 1u);
    EXPECT_EQ(dup[0].related.size(), 1u);
    // ,high and ,low are separate settings, not a duplicate.
    EXPECT_TRUE(only(analyze_file("real/crashkernel-high-low-variants.list"), rules::cmdline_duplicate_parameter).empty());
}

TEST(CmdlineChecks, NoTypoFindingsOnAnyRealCommandLine) {
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "bootloader/real")) {
        auto found = only(analyze_file("real/" + entry.path().filename().string()), rules::cmdline_unknown_memory_parameter);
        EXPECT_TRUE(found.empty()) << entry.path() << ": " << (found.empty() ? "" : found[0].message);
    }
}

// A command line says it is a board's, not an x86 PC's, by raw flash or by a serial driver only
// boards have; a plain ttyS0 or a root on mmcblk says nothing (x86 has both).
TEST(BootloaderArch, ACommandLineNamesItsBoardByFlashOrConsole) {
    const auto arch_of = [](std::string_view text) -> std::optional<Arch> {
        auto read = read_bootloader_cmdlines("cmdline", text, {});
        EXPECT_TRUE(read) << text;
        if (!read || !read.value().arch) return std::nullopt;
        return read.value().arch->arch;
    };
    EXPECT_EQ(arch_of("cma=64M console=ttyAMA0,115200n8 earlycon=pl011,0x87e028000000\n"), Arch::arm64);
    EXPECT_EQ(arch_of("root=/dev/mtdblock2 mem=36M\n"), Arch::arm64);
    EXPECT_EQ(arch_of("mem=64M mtdparts=spi0.0:320K(uboot)\n"), Arch::arm64);
    EXPECT_EQ(arch_of("console=ttySIF0 root=/dev/mmcblk0p2\n"), Arch::riscv64);
    EXPECT_EQ(arch_of("earlycon=sbi mem=1G\n"), Arch::riscv64);
    EXPECT_EQ(arch_of("console=ttyS0,115200 root=/dev/mmcblk0p2 mem=1G\n"), std::nullopt);
    EXPECT_EQ(arch_of("root=UUID=1234 quiet splash crashkernel=256M\n"), std::nullopt);
    // A board's console makes the x86-only finding on cma= go away.
    const auto lint = test::run_bootmap("lint --format json " + (test::fixtures() / "bootloader/real/octeon-tx-cma-coherent-pool.cmdline").string());
    EXPECT_EQ(lint.exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(lint.out).at("kernel").at("arch"), "arm64");
}

}  // namespace
}  // namespace bootmap
