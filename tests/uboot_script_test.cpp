// U-Boot boot scripts (boot.cmd sources) replayed to the command line they boot with: Armbian's
// stock scripts, the hush constructs they use, the environment file they import, and hostile
// shapes refused at their place.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "readers/bootloader_reader.hpp"
#include "readers/input_kind.hpp"
#include "readers/uboot_script_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

std::string stock(const std::string& name) { return (test::fixtures() / "bootloader/uboot" / name).string(); }

// Every stock script is recognised by content, replayed to a boot command, and lints clean.
TEST(UbootScript, EveryStockScriptIsReplayedToItsBootCommand) {
    std::size_t scripts = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "bootloader/uboot")) {
        const auto ext = entry.path().extension();
        if (ext != ".cmd" && ext != ".ini") continue;
        ++scripts;
        const std::string text = test::slurp(entry.path());
        EXPECT_EQ(detect_input_kind(text), InputKind::kernel_cmdline) << entry.path();
        EXPECT_EQ(detect_bootloader_format(text), BootloaderFormat::uboot_script) << entry.path();
        const auto run = run_uboot_script(entry.path().string(), text);
        ASSERT_TRUE(run) << format_input_error(run.error());
        EXPECT_FALSE(run.value().boot_command.empty()) << entry.path();
        EXPECT_NE(run.value().cmdline.text.find("root="), std::string::npos) << entry.path();
        const auto lint = test::run_bootmap("lint " + entry.path().string());
        EXPECT_EQ(lint.exit_code, 0) << entry.path() << lint.out;
        EXPECT_EQ(lint.out.substr(0, 30), "0 errors, 0 warnings, 0 notes\n") << entry.path() << lint.out;
    }
    EXPECT_EQ(scripts, 6u);
}

// Armbian's rockchip64 script: defaults, the console choice by `test … || test …`, the docker
// append, booti; with its armbianEnv.txt given, `env import` brings in verbosity and extraargs.
TEST(UbootScript, RockchipScriptGivesArmbiansCommandLine) {
    const std::string path = stock("armbian-boot-rockchip64.cmd");
    const auto alone = run_uboot_script(path, test::slurp(path));
    ASSERT_TRUE(alone) << format_input_error(alone.error());
    EXPECT_EQ(alone.value().cmdline.text,
              "root=/dev/mmcblk0p1 rootwait rootfstype=ext4 splash=verbose console=ttyS2,1500000 console=tty1 consoleblank=0 loglevel=1 "
              "ubootpart= usb-storage.quirks=   cgroup_enable=cpuset cgroup_memory=1 cgroup_enable=memory");
    EXPECT_EQ(alone.value().boot_arch, Arch::arm64);
    EXPECT_EQ(alone.value().boot_at.line, 80u);
    // "root=" was written on line 40, "cgroup_enable=cpuset" on line 42 (the docker append).
    EXPECT_EQ(alone.value().cmdline.positions.front().line, 40u);
    const auto cgroup = alone.value().cmdline.text.find("cgroup_enable=cpuset");
    EXPECT_EQ(alone.value().cmdline.positions[cgroup].line, 42u);
    const auto env = uboot_env_variables(test::slurp(stock("armbian-aml-c400-plus.armbianEnv.txt")));
    const auto with_env = run_uboot_script(path, test::slurp(path), &env);
    ASSERT_TRUE(with_env);
    EXPECT_NE(with_env.value().cmdline.text.find("loglevel=7 "), std::string::npos) << with_env.value().cmdline.text;
    EXPECT_NE(with_env.value().cmdline.text.find(" earlycon rw no_console_suspend consoleblank=0 fsck.fix=yes"), std::string::npos);
    // The same through the command line, the environment file given first.
    const auto both = test::run_bootmap("analyze --no-tree --cmdline-from " + stock("armbian-aml-c400-plus.armbianEnv.txt") + " --cmdline-from " + path);
    EXPECT_EQ(both.exit_code, 0) << both.err;
    EXPECT_NE(both.out.find("kernel profile 6.1 arm64"), std::string::npos) << both.out;
    EXPECT_NE(both.out.find("loglevel=7 "), std::string::npos) << both.out;
}

// The hush a script uses: if/elif/else, test's = != -n -z and numbers, && and ||, for, plain
// assignments, setenv with several words, a variable unset; the boot stops at booti.
TEST(UbootScript, HushConstructsAreEvaluated) {
    const std::string script =
        "setenv board \"rock\"\n"
        "part=2\n"
        "if test \"${board}\" = \"pine\"; then setenv mem \"mem=1G\"; elif test \"${board}\" != \"rock\"; then setenv mem \"mem=2G\"; else setenv mem "
        "\"mem=3G\"; fi\n"
        "test -n \"${nothing}\" || setenv extra cma=64M\n"
        "test -z \"${board}\" && setenv extra wrong\n"
        "if test 3 -gt 2; then setenv big yes; fi\n"
        "for x in a b; do setenv last ${x}; done\n"
        "setenv gone here; setenv gone\n"
        "setenv bootargs root=/dev/mmcblk0p${part} ${mem} ${extra} big=${big} last=${last} gone=${gone}\n"
        "booti ${kernel_addr_r} - ${fdt_addr_r}\n"
        "setenv bootargs never\n";
    const auto run = run_uboot_script("boot.cmd", script);
    ASSERT_TRUE(run) << format_input_error(run.error());
    EXPECT_EQ(run.value().cmdline.text, "root=/dev/mmcblk0p2 mem=3G cma=64M big=yes last=b gone=");
    EXPECT_EQ(run.value().boot_command, "booti ${kernel_addr_r} - ${fdt_addr_r}");
    // mem=3G was written in the else branch on line 3.
    const auto mem = run.value().cmdline.text.find("mem=3G");
    EXPECT_EQ(run.value().cmdline.positions[mem].line, 3u);
    EXPECT_EQ(run.value().cmdline.positions[mem].column, 131u);
}

TEST(UbootScript, BrokenScriptsAreRefusedAtTheirPlace) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"setenv bootargs \"root=/dev/sda\n", "boot.cmd:1:17: error: expected a closing quote"},
        {"setenv bootargs root=/dev/sda\nif test a = a; then\n  echo x\n", "boot.cmd:2:1: error: expected 'fi' for the 'if' here, found the end of the script"},
        {"setenv bootargs root=/dev/sda\nfi\n", "boot.cmd:2:1: error: expected a command, found 'fi' outside any if or for"},
        {"setenv x y\nbooti\n", "boot.cmd:1:1: error: expected this boot script to set bootargs before it boots, found none"},
    };
    for (const auto& [text, expected] : cases) {
        const auto run = run_uboot_script("boot.cmd", text);
        ASSERT_FALSE(run) << text;
        EXPECT_EQ(format_input_error(run.error()).rfind(expected, 0), 0u) << format_input_error(run.error());
    }
    std::string deep = "setenv bootargs x=1\n";
    for (int i = 0; i < 100000; ++i) deep += "if true; then ";
    deep += "echo";
    for (int i = 0; i < 100000; ++i) deep += "; fi";
    const auto nested = run_uboot_script("boot.cmd", deep);
    ASSERT_FALSE(nested);
    EXPECT_NE(nested.error().message.find("nested at most 64 deep"), std::string::npos);
}

}  // namespace
}  // namespace bootmap
