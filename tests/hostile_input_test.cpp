// Hostile bytes and files that a fleet will hit: every output format stays well-formed whatever the
// input's bytes, a symlink loop or a FIFO is an answer (exit 2, or skipped in a batch), never an
// abort or a hang.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "test_support.hpp"
#include "report/atomic_file.hpp"
#include "util/utf8.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

struct Run {
    int exit_code;
    std::string out;
    std::string err;
};

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("bootmap-hostile-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

Run run(const std::string& args, const fs::path& dir) {
    const std::string cmd = "timeout 60 " + std::string(BOOTMAP_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::slurp(dir / "out"), test::slurp(dir / "err")};
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A 48 KB source of 3 000 repeated properties: dtc's annotated output of it grows without bound.
std::string runaway_dts() {
    std::string source = "/dts-v1/;\n/ {\n\tnode {\n";
    for (int i = 0; i < 3000; ++i) source += "\t\tp = \"xxxxxxxx\";\n";
    return source + "\t};\n};\n";
}

TEST(HostileInput, InvalidUtf8InANameLeavesEveryFormatWellFormed) {
    const fs::path dir = scratch("utf8");
    // A name with a lone 0xFF, a truncated sequence, an overlong '/', a surrogate and a control byte.
    write(dir / "bad.iomem", "00000000-00000fff : Reserved\n00100000-0fffffff : System RAM \xff \xe2\x82 \xc0\xaf \xed\xa0\x80 \x01\n");
    for (const char* format : {"json", "sarif"}) {
        const auto r = run(std::string("lint --format ") + format + " " + (dir / "bad.iomem").string(), dir);
        EXPECT_LE(r.exit_code, 1) << format << ": " << r.err;
        EXPECT_NO_THROW((void)nlohmann::json::parse(r.out)) << format;
        EXPECT_NE(r.out.find("System RAM \xEF\xBF\xBD"), std::string::npos) << format << ": the name keeps its readable part";
    }
    for (const auto& [args, what] : {std::pair{std::string("lint --format junit "), "junit"}, {std::string("map --format svg "), "svg"}}) {
        const auto r = run(args + (dir / "bad.iomem").string(), dir);
        EXPECT_LE(r.exit_code, 1) << what << ": " << r.err;
        pugi::xml_document doc;
        EXPECT_TRUE(doc.load_string(r.out.c_str())) << what;
    }
    const auto diff = run("diff --format json " + (dir / "bad.iomem").string() + " " + test::fixtures().string() + "/iomem/kernel/x86-2G.iomem", dir);
    EXPECT_EQ(diff.exit_code, 1) << diff.err;
    EXPECT_NO_THROW((void)nlohmann::json::parse(diff.out));
    const auto batch_dir = dir / "fleet";
    fs::create_directories(batch_dir);
    fs::copy_file(dir / "bad.iomem", batch_dir / "bad.iomem");
    const auto batch = run("lint --batch " + batch_dir.string(), dir);
    EXPECT_LE(batch.exit_code, 1) << batch.err;
    EXPECT_NO_THROW((void)nlohmann::json::parse(batch.out));
    fs::remove_all(dir);
}

TEST(HostileInput, Utf8RepairKeepsValidTextAndReplacesTheRest) {
    EXPECT_EQ(xml_safe_utf8("System RAM 日本 ✓ \t\n"), "System RAM 日本 ✓ \t\n");
    EXPECT_EQ(xml_safe_utf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(xml_safe_utf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong: two stray bytes
    EXPECT_EQ(xml_safe_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
    EXPECT_EQ(xml_safe_utf8("\x01"), "\xEF\xBF\xBD");  // not allowed in XML 1.0
    EXPECT_EQ(xml_safe_utf8("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
    EXPECT_EQ(xml_safe_utf8("\xf0\x9f\x98"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}

TEST(HostileInput, SymlinkLoopsAreRefusedWithTheirName) {
    const fs::path dir = scratch("loop");
    fs::create_symlink(dir / "b", dir / "a");
    fs::create_symlink(dir / "a", dir / "b");
    for (const std::string args : {"lint " + (dir / "a").string(), "lint --dmesg " + (dir / "a").string(), "lint --e820 " + (dir / "a").string(),
                                   "predict --boot " + (dir / "a").string() + " --emit iomem"}) {
        const auto r = run(args, dir);
        EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
        EXPECT_NE(r.err.find((dir / "a").string()), std::string::npos) << args << ": " << r.err;
        EXPECT_TRUE(r.out.empty()) << args;
    }
    fs::remove_all(dir);
}

TEST(HostileInput, ABatchSkipsFifosAndLoopsAndReadsCapturesAsBoots) {
    const fs::path dir = scratch("batch");
    const fs::path fleet = dir / "fleet";
    fs::create_directories(fleet / "host1");
    fs::copy_file(test::fixtures() / "iomem/kernel/x86-2G.iomem", fleet / "host1/iomem.txt");
    ASSERT_EQ(::mkfifo((fleet / "host1/pipe").c_str(), 0600), 0);
    ASSERT_EQ(::mkfifo((fleet / "pipe").c_str(), 0600), 0);
    fs::create_symlink(fleet / "loop2", fleet / "loop1");
    fs::create_symlink(fleet / "loop1", fleet / "loop2");
    fs::copy(test::fixtures() / "kernel-uefi/uefi-x86-2G", fleet / "uefi-host");
    // Files that are no input of any kind (a note beside a machine's files, a README in the fleet)
    // are listed as skipped, not fatal.
    write(fleet / "host1/block-size.txt", "128\n");
    write(fleet / "README", "Collected by the fleet job, one directory per host.\n");
    const auto r = run("lint --batch " + fleet.string(), dir);
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    std::istringstream lines(r.out);
    std::string line;
    std::vector<std::string> machines;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        machines.push_back(j["machine"]);
        if (j["machine"] == "uefi-host") EXPECT_EQ(j["inputs"], nlohmann::json::array({(fleet / "uefi-host").string()}));
        if (j["machine"] == "host1") {
            EXPECT_EQ(j["inputs"].size(), 1u);
            EXPECT_EQ(j["skipped"], nlohmann::json::array({(fleet / "host1/block-size.txt").string()}));
            EXPECT_EQ(j["counts"]["note"], 7);
        }
        if (j["machine"] == "README") {
            EXPECT_EQ(j["exit"], 0);
            EXPECT_TRUE(j["inputs"].empty());
            EXPECT_EQ(j["skipped"], nlohmann::json::array({(fleet / "README").string()}));
        }
    }
    EXPECT_EQ(machines, (std::vector<std::string>{"README", "host1", "uefi-host"}));
    fs::remove_all(dir);
}

// A pipe gives its bytes once: an input given as `<(cmd)` or a FIFO is read once, its kind told and
// its contents read from those same bytes.
TEST(HostileInput, APipeIsReadOnce) {
    const fs::path dir = scratch("pipe");
    for (const auto& [fixture, expected] : {std::pair{"iomem/kernel/x86-2G.iomem", "iomem-hole"}, {"kernel/x86-2G/dmesg.txt", "0 errors"}}) {
        const fs::path fifo = dir / "fifo";
        fs::remove(fifo);
        ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
        // The writer in the background, as a shell runs `<(cat FILE)`.
        const std::string cmd = "(cat " + (test::fixtures() / fixture).string() + " > " + fifo.string() + " &); timeout 60 " + std::string(BOOTMAP_BINARY) +
                                " lint " + fifo.string() + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
        const int status = std::system(cmd.c_str());
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) <= 1) << fixture;
        const std::string out = test::slurp(dir / "out");
        EXPECT_NE(out.find(expected), std::string::npos) << fixture << ": " << out << test::slurp(dir / "err");
        EXPECT_EQ(test::slurp(dir / "err").find("empty"), std::string::npos) << fixture;
    }
    fs::remove_all(dir);
}

// -o keeps the mode of the file it replaces and gives a new one what the umask allows; a full device
// is an error that says so.
TEST(HostileInput, OutputFilesKeepTheirModeAndAFullDeviceIsNamed) {
    const fs::path dir = scratch("mode");
    const std::string input = (test::fixtures() / "iomem/kernel/x86-2G.iomem").string();
    const fs::path out = dir / "report.json";
    const std::string cmd = "umask 077; " + std::string(BOOTMAP_BINARY) + " lint --format json " + input + " -o " + out.string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    struct stat st {};
    ASSERT_EQ(::stat(out.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::chmod(out.c_str(), 0640), 0);
    ASSERT_EQ(run("lint --format json " + input + " -o " + out.string(), dir).exit_code, 0);
    ASSERT_EQ(::stat(out.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    if (fs::exists("/dev/full")) {
        const std::string full = std::string(BOOTMAP_BINARY) + " lint " + input + " >/dev/full 2>" + (dir / "err").string();
        const int status = std::system(full.c_str());
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
        EXPECT_NE(test::slurp(dir / "err").find("cannot write the report to standard output"), std::string::npos);
    }
    fs::remove_all(dir);
}

// A placement that wraps past 2^64 is refused where it is given, not replayed.
TEST(HostileInput, WrappingPlacementsAreRefused) {
    const fs::path dir = scratch("wrap");
    const std::string dtb = (test::fixtures() / "kernel/arm64-1G/machine.dtb").string();
    for (const std::string option : {"--kernel-image 0xffffffffffff0000,1M", "--initrd 0xfffffffffffff000,0x2000", "--fdt-at 0xffffffffffffffff,2"}) {
        const auto r = run("predict --dtb " + dtb + " " + option + " --emit memblock-reserved", dir);
        EXPECT_EQ(r.exit_code, 2) << option;
        EXPECT_NE(r.err.find("wraps past 2^64"), std::string::npos) << option << ": " << r.err;
        EXPECT_TRUE(r.out.empty()) << option;
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A dump nested 40 000 deep by containment (printed at the kernel's five levels): every command
// answers without recursion running out of stack, and diff stays linear (no path copies per level).
TEST(HostileInput, DeepNestingIsWalkedWithoutRecursion) {
    const fs::path dir = scratch("deep");
    std::string dump;
    constexpr int kDepth = 40000;
    for (int i = 0; i < kDepth; ++i)
        dump += std::string(static_cast<std::size_t>(std::min(2 * i, 10)), ' ') + fmt::format("{:08x}-{:08x} : r{}\n", i * 16, (1ull << 40) - 1 - i * 16ull, i);
    write(dir / "deep.iomem", dump);
    std::string renamed = dump;
    renamed.replace(renamed.rfind("r39999"), 6, "rX");
    write(dir / "renamed.iomem", renamed);
    const std::string file = (dir / "deep.iomem").string();
    for (const std::string& command : std::vector<std::string>{"lint", "analyze", "analyze --format json", "analyze --format sarif", "map", "iomem --emit", "diff " + file}) {
        const auto r = run(command + " " + file, dir);
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << command << " exited " << r.exit_code << ": " << r.err.substr(0, 300);
        EXPECT_FALSE(r.out.empty()) << command;
    }
    const auto diff = run("diff " + file + " " + (dir / "renamed.iomem").string(), dir);
    EXPECT_EQ(diff.exit_code, 1) << diff.err;
    // The innermost path is shown with its middle elided, and as what it is: a rename, two changes.
    EXPECT_NE(diff.out.find("vanished  r0/r1/r2/…/r39997/r39998/r39999  "), std::string::npos) << diff.out.substr(0, 400);
    EXPECT_NE(diff.out.find("appeared  r0/r1/r2/…/r39997/r39998/rX  "), std::string::npos) << diff.out.substr(0, 400);
    EXPECT_NE(diff.out.find("\n2 changes"), std::string::npos) << diff.out.substr(0, 400);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// pmem or RAM reaching towards 2^64: memory exists only below the end of physical memory (x86_64:
// 2^46), so memory blocks stay bounded and kmem's add fails as the kernel's does.
TEST(HostileInput, MemoryBeyondPhysicalAddressingIsBounded) {
    const fs::path dir = scratch("huge");
    const std::string log = (test::fixtures() / "kernel/x86-2G/dmesg.txt").string();
    const auto blocks = run("predict --emit memory-blocks --dax-kmem --cmdline 'memmap=4E!4G' --dmesg " + log, dir);
    ASSERT_EQ(blocks.exit_code, 0) << blocks.err;
    EXPECT_LT(std::count(blocks.out.begin(), blocks.out.end(), '\n'), (std::int64_t{1} << 46) / (std::int64_t{128} << 20) + 1);
    const auto kmem = run("predict --emit kmem --dax-kmem --cmdline 'memmap=4E!4G' --dmesg " + log, dir);
    ASSERT_EQ(kmem.exit_code, 0) << kmem.err;
    EXPECT_NE(kmem.out.find("exceeds maximum addressable range [0x0-0x3fffffffffff]"), std::string::npos) << kmem.out;
    EXPECT_NE(kmem.out.find("kmem: probe of dax2.0 failed with error -7"), std::string::npos) << kmem.out;
    const auto iomem = run("predict --emit iomem --dax-kmem --cmdline 'memmap=4E!4G' --dmesg " + log, dir);
    EXPECT_EQ(iomem.out.find("dax2.0"), std::string::npos) << iomem.out;  // released when the add failed
    write(dir / "e820.txt", "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
                            "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x3fffffffffffffff] usable\n");
    const auto ram = run("predict --emit memory-blocks --e820 " + (dir / "e820.txt").string(), dir);
    ASSERT_EQ(ram.exit_code, 0) << ram.err;
    EXPECT_LT(std::count(ram.out.begin(), ram.out.end(), '\n'), (std::int64_t{1} << 46) / (std::int64_t{128} << 20) + 1);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Values at the edges get the kernel's answer: crashkernel=0 asks for nothing (the kernel says
// nothing either); a fixed base whose end wraps is named as such, with the kernel's own line.
TEST(HostileInput, EdgeValuesOfCrashkernelGetTheKernelsAnswer) {
    const fs::path dir = scratch("crash");
    const std::string log = (test::fixtures() / "kernel/x86-2G/dmesg.txt").string();
    const auto zero = run("lint --dmesg " + log + " --cmdline crashkernel=0", dir);
    EXPECT_EQ(zero.exit_code, 0) << zero.out;
    EXPECT_EQ(zero.out.find("crashkernel"), std::string::npos) << zero.out;
    const auto wrap = run("lint --dmesg " + log + " --cmdline crashkernel=1G@0xfffffffffff00000", dir);
    EXPECT_EQ(wrap.exit_code, 1) << wrap.out;
    EXPECT_NE(wrap.out.find("would end past the top of the 64-bit address space"), std::string::npos) << wrap.out;
    EXPECT_NE(wrap.out.find("'crashkernel reservation failed - memory is in use.'"), std::string::npos) << wrap.out;
    EXPECT_EQ(wrap.out.find("-0x3fefffff]"), std::string::npos) << wrap.out;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A bare argument has the limits of what it turns out to be: a text file over the binary limit
// (64 MiB) reads as --dmesg would, and a device of zeros is refused at its first block.
TEST(HostileInput, BareArgumentsHaveTheLimitsOfTheirKind) {
    const fs::path dir = scratch("limits");
    const auto zeros = run("lint /dev/zero", dir);
    EXPECT_EQ(zeros.exit_code, 2);
    EXPECT_NE(zeros.err.find("/dev/zero:1:1: error: expected text, found a NUL byte at offset 0"), std::string::npos) << zeros.err;
    std::string log = "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
                      "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007ffdefff] usable\n";
    const std::string filler = "[    1.000000] a kernel message that pads the log to beyond sixty-four mebibytes\n";
    while (log.size() <= (std::size_t{65} << 20)) log += filler;
    write(dir / "big-dmesg.txt", log);
    const auto big = run("lint " + (dir / "big-dmesg.txt").string(), dir);
    EXPECT_EQ(big.exit_code, 0) << big.err;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// dtc and cpp run with limits: a 48 KB source of 3 000 repeated properties makes dtc's annotated
// output grow without bound (it took 11 s, 1 GiB and a 528 MB temporary file); now it is stopped at
// 64 MiB of output and the file is refused with the reason.
TEST(HostileInput, HelpersAreStoppedAtTheirLimits) {
    const fs::path dir = scratch("dtc");
    const std::string source = runaway_dts();
    write(dir / "dup.dts", source);
    const auto r = run("lint " + (dir / "dup.dts").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("dtc was stopped on this source: its output grew past 64 MiB"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Killing bootmap while dtc works leaves neither a running dtc nor a file behind: the helper gets a
// parent-death signal, and its input and output are anonymous memory files.
TEST(HostileInput, KillingBootmapKillsItsHelperAndLeavesNoFile) {
    const fs::path dir = scratch("kill");
    const std::string source = runaway_dts();
    const fs::path dts = dir / "slow-for-dtc.dts";
    write(dts, source);
    fs::create_directories(dir / "tmp");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::setenv("TMPDIR", (dir / "tmp").c_str(), 1);
        const int null_fd = ::open("/dev/null", O_WRONLY);
        ::dup2(null_fd, 1);
        ::dup2(null_fd, 2);
        ::execl(BOOTMAP_BINARY, BOOTMAP_BINARY, "lint", dts.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // The dtc bootmap started (after cpp); once bootmap is killed it has no parent to ask.
    pid_t helper = 0;
    for (int i = 0; i < 300 && helper == 0; ++i) {
        ::usleep(10000);
        std::ifstream children(fmt::format("/proc/{}/task/{}/children", pid, pid));
        for (pid_t child = 0; children >> child;)
            if (test::slurp(fmt::format("/proc/{}/comm", child)).starts_with("dtc")) helper = child;
    }
    ASSERT_NE(helper, 0) << "dtc never started";
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    bool gone = false;
    for (int i = 0; i < 300 && !gone; ++i) {
        gone = ::kill(helper, 0) != 0 || test::slurp(fmt::format("/proc/{}/stat", helper)).find(") Z") != std::string::npos;
        if (!gone) ::usleep(10000);
    }
    EXPECT_TRUE(gone) << "dtc outlived bootmap";
    EXPECT_TRUE(fs::is_empty(dir / "tmp"));
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A report cut short by a kill during the write (here: the file-size limit's signal, which kills the
// writer at a known point) leaves the old file as it was and nothing else in the directory.
TEST(HostileInput, AWriterKilledMidReportLeavesNoFileBehind) {
    const fs::path dir = scratch("killed-write");
    write(dir / "report.json", "old report\n");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const struct rlimit limit{1u << 20, 1u << 20};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        (void)write_file_atomically((dir / "report.json").string(), std::string(4u << 20, 'x'));
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ) << "the writer was expected to die mid-write";
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{"report.json"});
    EXPECT_EQ(test::slurp(dir / "report.json"), "old report\n");
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// /etc/default/grub appending to GRUB_CMDLINE_LINUX line after line is read in time linear in the
// file (it was quadratic: 20 000 lines took 2.5 s), and what each line appended keeps its place: a
// duplicate is reported where it was written, not at the '$' of a later line. A result past 64 KiB
// is refused as --cmdline refuses it.
TEST(HostileInput, ASelfAppendingGrubFileKeepsThePlacesOfWhatItAppends) {
    const fs::path dir = scratch("self-append");
    std::string text = "GRUB_CMDLINE_LINUX=\"quiet\"\n";
    for (int i = 2; i <= 6000; ++i) {
        if (i == 5)
            text += "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX mem=3G\"\n";
        else if (i == 9)
            text += "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} mem=2G\"\n";
        else
            text += fmt::format("GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX f{}=1\"\n", i);
    }
    write(dir / "grub", text);
    const auto r = run("lint --cmdline-from " + (dir / "grub").string(), dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("grub:9:43: warning: 'mem=2G' is given again after 'mem=3G'"), std::string::npos) << r.out.substr(0, 2000);
    EXPECT_NE(r.out.find("grub:5:41: note: the earlier occurrence is here"), std::string::npos) << r.out.substr(0, 2000);
    // Past 64 KiB the result is no command line, as with --cmdline: the same limit, however it arrives.
    for (int i = 6001; i <= 20000; ++i) text += fmt::format("GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX f{}=1\"\n", i);
    write(dir / "grub", text);
    const auto big = run("lint --cmdline-from " + (dir / "grub").string(), dir);
    EXPECT_EQ(big.exit_code, 2);
    EXPECT_NE(big.err.find("grub:1:21: error: expected a command line of at most 65536 bytes, found 16"), std::string::npos) << big.err;
    const auto given = run("lint --cmdline '" + std::string(70000, 'x') + "'", dir);
    EXPECT_EQ(given.exit_code, 2);
    EXPECT_NE(given.err.find("expected a command line of at most 65536 bytes, found 70000"), std::string::npos) << given.err;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace bootmap
