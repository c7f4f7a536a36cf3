// End-to-end: the bootmap binary as a user runs it, with exit codes, streams and files checked.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include "analysis/rule_catalogue.hpp"
#include "model/version_gates.hpp"
#include "readers/live_machine.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

using test::Run;

Run run(const std::string& args, const std::filesystem::path& cwd = {}) { return test::run_bootmap(args, cwd); }

std::string fixture(const std::string& rel) { return (test::fixtures() / rel).string(); }

// The binary run from `dir`, for paths in output that are relative to where a user stands.
Run run_in(const std::filesystem::path& dir, const std::string& args) { return run(args, dir); }

TEST(Cli, AnalyzeCleanDumpExitsZeroWithTreeTotalsAndFindings) {
    auto r = run("analyze --iomem " + fixture("iomem/kernel/x86-2G.iomem"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Resource tree of"), std::string::npos);
    EXPECT_NE(r.out.find("sum = span"), std::string::npos);
    EXPECT_NE(r.out.find("[iomem-hole]"), std::string::npos);
    EXPECT_NE(r.out.find("x86-2G.iomem:"), std::string::npos);
}

TEST(Cli, ErrorFindingsExitOne) {
    auto r = run("analyze --no-tree --iomem " + fixture("iomem/rules/iomem-sibling-overlap.fires.iomem"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("iomem-sibling-overlap.fires.iomem:5:3: error:"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Resource tree of"), std::string::npos);
}

TEST(Cli, UnusableInputExitsTwoNamingFileAndLine) {
    auto r = run("analyze --iomem " + fixture("bad/iomem/missing-separator.iomem"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << "no partial report on stdout";
    EXPECT_NE(r.err.find("missing-separator.iomem:2:18: error: expected ' : '"), std::string::npos) << r.err;
}

TEST(Cli, MissingFileAndUsageErrorsExitTwo) {
    EXPECT_EQ(run("analyze --iomem /nonexistent/iomem").exit_code, 2);
    EXPECT_EQ(run("analyze --no-such-option").exit_code, 2);
    EXPECT_EQ(run("analyze --format yaml --iomem " + fixture("iomem/kernel/x86-2G.iomem")).exit_code, 2);
    EXPECT_EQ(run("analyze --kernel banana --iomem " + fixture("iomem/kernel/x86-2G.iomem")).exit_code, 2);
}

TEST(Cli, BareArgumentsAreRecognisedByContent) {
    auto r = run("analyze -v " + fixture("iomem/real/qemu-virt-arm64.iomem"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("detected as iomem"), std::string::npos) << r.err;
    auto unknown = run("analyze " + fixture("bad/unknown-kind.txt"));
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("cannot tell what kind of input"), std::string::npos) << unknown.err;
}

TEST(Cli, JsonReportIsVersionedAndComplete) {
    auto r = run("analyze --format json --iomem " + fixture("iomem/rules/iomem-ram-request-conflict.fires.iomem"));
    EXPECT_EQ(r.exit_code, 1);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema_version"], 2);
    EXPECT_EQ(j["iomem"]["entries"].size(), 5u);
    bool found = false;
    for (const auto& d : j["diagnostics"])
        if (d["rule"] == "iomem-ram-request-conflict") {
            found = true;
            EXPECT_EQ(d["location"]["line"], 4);
            EXPECT_EQ(d["related"][0]["location"]["line"], 3);
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(j["totals"]["bytes"]["Persistent Memory"], 0x1fffffffffull - 0x1400000000ull + 1 - 0x400000000ull);
}

TEST(Cli, OutputFileIsWrittenWholeAndLeftAloneOnFailure) {
    const auto path = std::filesystem::temp_directory_path() / ("bootmap-report-" + std::to_string(::getpid()) + ".json");
    auto ok = run("analyze --format json -o " + path.string() + " --iomem " + fixture("iomem/kernel/x86-2G.iomem"));
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_TRUE(ok.out.empty());
    const std::string first = test::slurp(path);
    EXPECT_TRUE(nlohmann::json::accept(first));
    auto bad = run("analyze --format json -o " + path.string() + " --iomem " + fixture("bad/iomem/empty.iomem"));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(test::slurp(path), first);
    std::filesystem::remove(path);
}

TEST(Cli, OutputToADeviceIsWrittenInPlace) {
    auto r = run("analyze --format json -o /dev/stdout --iomem " + fixture("iomem/kernel/x86-2G.iomem"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::accept(r.out));
    // A device is written, never replaced by renaming a temporary file over it.
    auto null = run("analyze --format json -o /dev/null --iomem " + fixture("iomem/kernel/x86-2G.iomem"));
    EXPECT_EQ(null.exit_code, 0) << null.err;
    EXPECT_TRUE(null.out.empty());
    EXPECT_TRUE(std::filesystem::is_character_file("/dev/null")) << "bootmap replaced /dev/null";
}

TEST(Cli, IomemEmitRoundTrips) {
    const auto file = fixture("iomem/real/hisilicon-kirin-arm64-phone.iomem");
    auto r = run("iomem --emit " + file);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, test::slurp(file));
}

TEST(Cli, PredictIomemIsTheIdentityAndOtherArtifactsNameTheirInputs) {
    const auto file = fixture("iomem/kernel/arm64-rmem-70.iomem");
    auto r = run("predict --iomem " + file + " --emit iomem");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, test::slurp(file));

    auto missing = run("predict --emit iomem --cmdline 'mem=1G'");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("needs --iomem"), std::string::npos) << missing.err;
    EXPECT_TRUE(missing.out.empty());

    auto e820 = run("predict --emit e820 --cmdline 'memmap=512M!1G'");
    EXPECT_EQ(e820.exit_code, 2);
    EXPECT_NE(e820.err.find("--e820, --dmesg or --libvirt"), std::string::npos) << e820.err;

    auto bogus = run("predict --emit bogus --iomem " + file);
    EXPECT_EQ(bogus.exit_code, 2);
    EXPECT_NE(bogus.err.find("expected one of: iomem, e820, numa, zones"), std::string::npos) << bogus.err;

    auto help = run("predict --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("memblock-reserved"), std::string::npos);
    EXPECT_NE(help.out.find("left out"), std::string::npos);
}

TEST(Cli, DmemPerNodeTableAndJson) {
    const std::string dir = fixture("kernel/x86-numa-2node");
    auto r = run("dmem 2G --srat " + dir + "/srat-b64.txt --e820 " + dir + "/firmware-memmap.txt --cmdline nokaslr --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["dmem"]["nodes"].size(), 2u);
    EXPECT_EQ(j["dmem"]["nodes"][0]["shortfall"], 128ull << 20);
    EXPECT_EQ(j["dmem"]["nodes"][1]["carved"], 2ull << 30);
    EXPECT_EQ(j["diagnostics"][0]["rule"], "dmem-shortfall");
    auto none = run("dmem 2G --cmdline nokaslr");
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("--e820 or --dmesg"), std::string::npos);
    auto stock = run("analyze --no-tree --e820 " + dir + "/firmware-memmap.txt --cmdline 'dmem=2G'");
    EXPECT_NE(stock.out.find("[cmdline-param-unknown-to-kernel]"), std::string::npos) << stock.out;
}

TEST(Cli, RulesListsTheCatalogue) {
    auto r = run("rules");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("iomem-ram-request-conflict"), std::string::npos);
}

// Only the command being run is set up; the top-level help still lists every command (the man page
// and the completions are made from it).
TEST(Cli, HelpListsEveryCommandThoughARunSetsUpOnlyItsOwn) {
    for (const std::string args : {"--help", "-h", "--config /dev/null --help"}) {
        const auto help = run(args);
        EXPECT_EQ(help.exit_code, 0) << args;
        for (const char* command : {"lint", "analyze", "map", "iomem", "predict", "kmem", "dmem", "dt", "diff", "explain", "rules", "gates", "capture"})
            EXPECT_NE(help.out.find(std::string("\n  ") + command + " "), std::string::npos) << args << ": " << command << "\n" << help.out;
    }
    const auto lint_help = run("lint --help");
    EXPECT_NE(lint_help.out.find("--batch"), std::string::npos) << lint_help.out;
    EXPECT_EQ(lint_help.out.find("\n  capture "), std::string::npos) << lint_help.out;
    // The version text is made only when asked for.
    EXPECT_NE(run("--version").out.find("kernel profiles"), std::string::npos);
    // A command's option given to another is an error, as it was when every command was set up.
    EXPECT_EQ(run("rules --emit iomem").exit_code, 2);
}

TEST(LiveMachine, HiddenAddressesAreRefusedWithAPlainExplanation) {
    LivePaths paths{fixture("bad/iomem/addresses-hidden-not-root.iomem"), "/nonexistent"};
    auto machine = read_live_machine(paths, KernelProfile{});
    ASSERT_FALSE(machine);
    EXPECT_NE(machine.error().message.find("hides addresses"), std::string::npos);
    EXPECT_NE(machine.error().hint.find("run bootmap as root"), std::string::npos);
}

TEST(LiveMachine, AnEmptyIomemIsExplainedNotParsed) {
    LivePaths paths{fixture("bad/iomem/empty.iomem"), "/nonexistent"};
    auto machine = read_live_machine(paths, KernelProfile{});
    ASSERT_FALSE(machine);
    EXPECT_NE(machine.error().message.find("exposes no resource tree"), std::string::npos);
}

TEST(LiveMachine, ReadsIomemAndCmdlineFromTheGivenPaths) {
    LivePaths paths{fixture("iomem/kernel/x86-memmap-pmem.iomem"), fixture("cmdline/x86-memmap-pmem.cmdline")};
    auto machine = read_live_machine(paths, KernelProfile{});
    ASSERT_TRUE(machine) << format_input_error(machine.error());
    EXPECT_EQ(machine.value().iomem->entries.size(), 32u);
    ASSERT_TRUE(machine.value().cmdline);
    EXPECT_EQ(machine.value().cmdline->text, "console=ttyS0 panic=-1 loglevel=7 nokaslr memmap=512M!1G");
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

TEST(CliDt, DtCommandPrintsTheLayoutAndFindingsWithSourceLines) {
    const auto dir = test::fixtures() / "dt/source";
    auto r = run_in(dir, "dt board.dts -I include/");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("Reserved memory (tree order):"), std::string::npos);
    EXPECT_NE(r.out.find("board.dts:15:4: error: 'modem@50100000'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("include/soc.dtsi:13:19: note: 'fw@50000000' is declared here"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("command line: console=ttyAMA0 cma=32M"), std::string::npos);  // from /chosen/bootargs
}

TEST(CliDt, PredictRmemFromADtbEqualsTheCapturedLines) {
    auto r = run("predict --dtb " + fixture("kernel/arm64-rmem-overlap/input.dtb") + " --emit rmem");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "OF: reserved mem: OVERLAP DETECTED!\n"
              "modem@58000000 (0x0000000058000000--0x000000005a000000) overlaps with adsp@59000000 (0x0000000059000000--0x000000005a000000)\n");
}

TEST(CliDt, DamagedBlobExitsTwoWithTheOffset) {
    auto r = run("dt " + fixture("bad/dtb/truncated-half.dtb"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("truncated-half.dtb:@0x4: error:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The whole bad-input corpus, end to end: every file of fixtures/bad/ is listed in MANIFEST.tsv
// with the option that reads it, where the error must point and how its message starts; the binary
// must exit 2, print nothing on stdout, and say exactly that on stderr.
TEST(BadInputCorpus, EveryFileIsRefusedByTheBinaryWithItsPlaceAndMessage) {
    std::istringstream manifest(test::slurp(test::fixtures() / "bad/MANIFEST.tsv"));
    std::set<std::string> listed;
    std::size_t checked = 0;
    for (std::string line; std::getline(manifest, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string option, file, place, message;
        std::getline(fields, option, '\t');
        std::getline(fields, file, '\t');
        std::getline(fields, place, '\t');
        std::getline(fields, message, '\t');
        listed.insert(file);
        const auto path = fixture(file);
        const auto r = run("analyze " + option + " '" + path + "'");
        EXPECT_EQ(r.exit_code, 2) << file;
        EXPECT_TRUE(r.out.empty()) << file;
        EXPECT_EQ(r.err.rfind(path + place + ": error: " + message, 0), 0u) << file << "\n" << r.err;
        ++checked;
    }
    // Nothing in fixtures/bad/ escapes the manifest.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(test::fixtures() / "bad")) {
        if (!entry.is_regular_file()) continue;
        const auto rel = std::filesystem::relative(entry.path(), test::fixtures()).string();
        if (rel == "bad/MANIFEST.tsv" || rel == "bad/unknown-kind.txt") continue;
        EXPECT_TRUE(listed.count(rel)) << rel << " is not in fixtures/bad/MANIFEST.tsv";
    }
    EXPECT_GE(checked, 100u);
}


// One parsed JSON line per machine of `lint --batch`.
std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

TEST(LintBatch, OneLinePerMachineInOrderWithEachMachinesOwnOutcome) {
    const auto fleet = fixture("batch/fleet");
    const auto r = run("lint --batch '" + fleet + "' -j 3");
    EXPECT_EQ(r.exit_code, 2) << "the worst machine: an unusable DTB";
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 5u) << r.out;
    std::vector<std::string> names;
    for (const auto& l : lines) names.push_back(l["machine"]);
    EXPECT_EQ(names, (std::vector<std::string>{"arm926-sep4020-board.iomem", "board-cma-misaligned.dtb", "qemu-2G-clean",
                                                "qemu-2G-memmap-over-kernel", "truncated.dtb"}));
    // A file is one input; a directory is one machine's inputs, read together.
    EXPECT_EQ(lines[2]["inputs"].size(), 2u);
    EXPECT_EQ(lines[2]["exit"], 0);
    EXPECT_TRUE(lines[2]["diagnostics"].empty());
    // The same boot log with memmap= over the kernel image: the command line and the log meet.
    EXPECT_EQ(lines[3]["exit"], 0);
    EXPECT_EQ(lines[3]["counts"]["warning"], 1);
    std::vector<std::string> rules_found;
    for (const auto& d : lines[3]["diagnostics"]) rules_found.push_back(d["rule"]);
    EXPECT_EQ(rules_found, (std::vector<std::string>{"cmdline-ram-removed", "cmdline-memmap-over-kernel-image"}));
    EXPECT_EQ(lines[1]["exit"], 1);
    EXPECT_EQ(lines[1]["diagnostics"][0]["rule"], "dt-rmem-init-failed");
    EXPECT_EQ(lines[0]["exit"], 0);
    EXPECT_GT(lines[0]["counts"]["note"].get<int>(), 0);
    // A broken input is that machine's error, with its place; the others still run.
    EXPECT_EQ(lines[4]["exit"], 2);
    EXPECT_EQ(lines[4]["error"]["byte_offset"], 56) << "the tag where the blob goes wrong";
    EXPECT_NE(lines[4]["error"]["message"].get<std::string>().find("libfdt"), std::string::npos);
    // Parallelism changes nothing in the output.
    EXPECT_EQ(run("lint --batch '" + fleet + "' -j 1").out, r.out);
    // -W and -E apply to every machine.
    const auto policy = json_lines(run("lint --batch '" + fleet + "' -W no-dt-rmem-init-failed -W no-dt-rmem-cma-misaligned -E cmdline-memmap-over-kernel-image").out);
    EXPECT_EQ(policy[1]["exit"], 0);
    EXPECT_EQ(policy[3]["exit"], 1);
    // The fleet's summary goes to stderr: machines by outcome, then each rule's machines and findings.
    EXPECT_NE(r.err.find("bootmap: 5 machines in "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2 with warnings or notes only, 1 with errors, 1 with unusable input"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("  cmdline-memmap-over-kernel-image   1 machine, 1 finding\n"), std::string::npos) << r.err;
    EXPECT_TRUE(run("lint -q --batch '" + fleet + "'").err.empty());
}

TEST(LintBatch, WritesTheFileAtomicallyAndRefusesWhatIsNotADirectory) {
    const auto dir = std::filesystem::temp_directory_path() / "bootmap-batch-test";
    std::filesystem::create_directories(dir);
    const auto out = (dir / "fleet.jsonl").string();
    const auto r = run("lint --batch '" + fixture("batch/fleet") + "' -o '" + out + "'");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(json_lines(test::slurp(out)).size(), 5u);
    const auto file = run("lint --batch '" + fixture("batch/fleet/truncated.dtb") + "'");
    EXPECT_EQ(file.exit_code, 2);
    EXPECT_NE(file.err.find("expected a directory of machines for --batch"), std::string::npos) << file.err;
    EXPECT_EQ(run("lint --batch '" + fixture("batch/fleet") + "' --format sarif").exit_code, 2);
    EXPECT_EQ(run("lint --batch '" + fixture("batch/fleet") + "' --write-baseline '" + (dir / "b.json").string() + "'").exit_code, 2);
    std::filesystem::remove_all(dir);
}

// The fleet's JSON Lines are read as they are by tools Debian ships: jq, and sqlite3's JSON functions
// (the queries README gives). Both count the same rules over the same machines.
TEST(LintBatch, JsonLinesAreQueriedByJqAndSqlite) {
    const auto dir = std::filesystem::temp_directory_path() / "bootmap-batch-query";
    std::filesystem::create_directories(dir);
    const auto out = (dir / "fleet.jsonl").string();
    run("lint -q --batch '" + fixture("batch/fleet") + "' -o '" + out + "'");
    const auto shell = [](const std::string& command) {
        std::string text;
        std::FILE* pipe = ::popen(command.c_str(), "r");
        if (!pipe) return text;
        std::array<char, 4096> buffer{};
        while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) text.append(buffer.data(), n);
        ::pclose(pipe);
        return text;
    };
    const std::string by_jq = shell("jq -r '.diagnostics[]?.rule' '" + out + "' | sort | uniq -c | awk '{print $2 \"|\" $1}'");
    const std::string by_sqlite = shell(
        "sqlite3 :memory: \"WITH machine(j) AS (SELECT value FROM json_each('[' || replace(rtrim(CAST(readfile('" + out +
        "') AS TEXT), char(10)), char(10), ',') || ']')) SELECT json_extract(d.value, '\\$.rule'), count(*) FROM machine, "
        "json_each(j, '\\$.diagnostics') AS d GROUP BY 1 ORDER BY 1;\"");
    EXPECT_NE(by_jq.find("iomem-hole|9\n"), std::string::npos) << by_jq;
    EXPECT_EQ(by_jq, by_sqlite);
    EXPECT_EQ(shell("jq -r 'select(.exit == 1) | .machine' '" + out + "'"), "board-cma-misaligned.dtb\n");
    std::filesystem::remove_all(dir);
}

// A scratch directory, emptied when created and removed at the end of the test.
struct ScratchDir {
    std::filesystem::path path;
    explicit ScratchDir(const std::string& name) : path(std::filesystem::temp_directory_path() / name) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~ScratchDir() { std::filesystem::remove_all(path); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    // A board.dts here (with the board-base.dtsi it includes) holding the overlap rule's firing case.
    [[nodiscard]] std::string overlap_board() const {
        std::filesystem::copy_file(test::fixtures() / "dt/rules/board-base.dtsi", path / "board-base.dtsi",
                                   std::filesystem::copy_options::overwrite_existing);
        return (path / "board.dts").string();
    }
};

// A team adopts bootmap on a tree with a known overlap: the baseline accepts it, lines moving above
// it keep it accepted, and only a new finding fails the run.
TEST(LintBaseline, AcceptsKnownFindingsAcrossLineMovesAndFailsOnNewOnes) {
    const ScratchDir dir("bootmap-baseline-test");
    const std::string board = dir.overlap_board(), baseline = (dir.path / "bootmap-baseline.json").string();
    const std::string original = test::slurp(test::fixtures() / "dt/rules/dt-rmem-overlap.fires.dts");
    const auto write = [&](const std::string& text) { std::ofstream(board, std::ios::trunc) << text; };
    write(original);
    ASSERT_EQ(run("lint '" + board + "'").exit_code, 1);

    const auto written = run("lint '" + board + "' --write-baseline '" + baseline + "'");
    EXPECT_EQ(written.exit_code, 0);
    EXPECT_TRUE(written.out.empty());
    EXPECT_NE(written.err.find("1 finding written to the baseline"), std::string::npos) << written.err;
    const auto file = nlohmann::json::parse(test::slurp(baseline));
    EXPECT_EQ(file["schema_version"], 1);
    ASSERT_EQ(file["findings"].size(), 1u);
    EXPECT_EQ(file["findings"][0]["rule"], "dt-rmem-overlap");

    // Two comment lines above the overlap: same finding, other line; still accepted.
    write("// vendor board\n// rev B\n" + original);
    const auto moved = run("lint '" + board + "' --baseline '" + baseline + "'");
    EXPECT_EQ(moved.exit_code, 0) << moved.out;
    EXPECT_EQ(moved.out, "0 errors, 0 warnings, 0 notes (1 more accepted by the baseline)\n");

    // A new region overlapping both fails the run, and only its two overlaps are reported.
    std::string grown = original;
    grown.insert(grown.find("\t};\n};"), "\t\tcdsp@59800000 { reg = <0x0 0x59800000 0x0 0x1000000>; no-map; };\n");
    write(grown);
    const auto fresh = run("lint '" + board + "' --baseline '" + baseline + "'");
    EXPECT_EQ(fresh.exit_code, 1);
    EXPECT_NE(fresh.out.find("'cdsp@59800000'"), std::string::npos) << fresh.out;
    EXPECT_NE(fresh.out.find("2 errors, 0 warnings, 0 notes (1 more accepted by the baseline)"), std::string::npos) << fresh.out;
    // SARIF marks each result new or unchanged.
    const auto sarif = nlohmann::json::parse(run("lint '" + board + "' --baseline '" + baseline + "' --format sarif").out);
    std::multiset<std::string> states;
    for (const auto& r : sarif["runs"][0]["results"]) states.insert(r["baselineState"].get<std::string>());
    EXPECT_EQ(states, (std::multiset<std::string>{"new", "new", "unchanged"}));

    // The table commands refuse a baseline rather than silently ignore it.
    EXPECT_EQ(run("kmem --range 0x240400000-0x2bfffffff --baseline '" + baseline + "'").exit_code, 2);

    // A broken baseline is unusable input.
    std::ofstream(baseline, std::ios::trunc) << "{\"findings\": 3}";
    const auto broken = run("lint '" + board + "' --baseline '" + baseline + "'");
    EXPECT_EQ(broken.exit_code, 2);
    EXPECT_NE(broken.err.find("expected a bootmap baseline"), std::string::npos) << broken.err;
}

// A project's .bootmap.toml, found from a subdirectory: its [lint] section applies to lint only, and
// a misspelt key is refused rather than ignored.
TEST(ConfigFile, NearestBootmapTomlSetsTheRunningCommandsOptions) {
    const auto dir = std::filesystem::temp_directory_path() / "bootmap-config-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "boards" / "rev-b");
    const auto write = [&](const std::string& text) { std::ofstream(dir / ".bootmap.toml", std::ios::trunc) << text; };
    const std::string args = "--cmdline 'nokaslr memmap=64M$16M' --dmesg '" + fixture("kernel/x86-2G/dmesg.txt") + "'";
    EXPECT_EQ(run_in(dir / "boards" / "rev-b", "lint " + args).exit_code, 0) << "a warning by default";

    write("[analyze]\nwerror = true\n[lint]\nE = [\"cmdline-memmap-over-kernel-image\"]\n");
    const auto raised = run_in(dir / "boards" / "rev-b", "lint " + args);
    EXPECT_EQ(raised.exit_code, 1) << raised.out << raised.err;
    EXPECT_NE(raised.out.find("error: memmap item '64M$16M' covers the kernel image"), std::string::npos) << raised.out;
    // The same setting given explicitly elsewhere: --config names the file.
    const auto other = dir / "other.toml";
    std::ofstream(other) << "[lint]\nwerror = true\n";
    EXPECT_EQ(run("lint " + args + " --config '" + other.string() + "'").exit_code, 1);

    write("[lint]\nwerrorr = true\n");
    const auto typo = run_in(dir / "boards" / "rev-b", "lint " + args);
    EXPECT_EQ(typo.exit_code, 2);
    EXPECT_NE(typo.err.find("lint.werrorr"), std::string::npos) << typo.err;
    std::filesystem::remove_all(dir);
}

// A comment in the file a finding points at accepts it, with a reason: in a DTS (as in any text
// format) and in a bootloader file; a suppression without a reason, or naming no rule, is refused.
TEST(InlineSuppression, ACommentWithAReasonAcceptsTheFindingOnTheNextLine) {
    const ScratchDir dir("bootmap-suppression-test");
    const std::string board = dir.overlap_board();
    const std::string original = test::slurp(test::fixtures() / "dt/rules/dt-rmem-overlap.fires.dts");
    const auto with_comment = [&](const std::string& comment) {
        std::string text = original;
        text.insert(text.find("\t\tadsp@"), "\t\t" + comment + "\n");
        std::ofstream(board, std::ios::trunc) << text;
    };
    with_comment("// bootmap: disable-next-line dt-rmem-overlap -- the DSP firmware reuses the modem's tail");
    const auto accepted = run("lint '" + board + "'");
    EXPECT_EQ(accepted.exit_code, 0) << accepted.out;
    EXPECT_EQ(accepted.out, "0 errors, 0 warnings, 0 notes (1 suppressed in the source)\n");
    const auto sarif = nlohmann::json::parse(run("lint '" + board + "' --format sarif").out);
    const auto& result = sarif["runs"][0]["results"][0];
    EXPECT_EQ(result["ruleId"], "dt-rmem-overlap");
    EXPECT_EQ(result["suppressions"][0]["kind"], "inSource");
    EXPECT_EQ(result["suppressions"][0]["justification"], "the DSP firmware reuses the modem's tail");

    with_comment("/* bootmap: disable-next-line dt-rmem-overlap */");
    const auto no_reason = run("lint '" + board + "'");
    EXPECT_EQ(no_reason.exit_code, 2);
    EXPECT_EQ(no_reason.err.rfind(board + ":6:6: error: expected a reason after ' -- ' in the suppression", 0), 0u) << no_reason.err;
    with_comment("// bootmap: disable-next-line dt-rmem-overlapp -- typo");
    const auto unknown = run("lint '" + board + "'");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("names 'dt-rmem-overlapp', which is no bootmap rule"), std::string::npos) << unknown.err;

    // /etc/default/grub: a shell comment above the line.
    const std::string grub = (dir.path / "grub").string();
    std::ofstream(grub) << "# bootmap: disable-next-line cmdline-memmap-over-kernel-image -- test rig, nokaslr on purpose\n"
                           "GRUB_CMDLINE_LINUX=\"nokaslr memmap=64M\\\\\\$16M\"\n";
    const auto grub_run = run("lint --cmdline-from '" + grub + "' --dmesg '" + fixture("kernel/x86-2G/dmesg.txt") + "' -E cmdline-memmap-over-kernel-image");
    EXPECT_EQ(grub_run.exit_code, 0) << grub_run.out << grub_run.err;
    EXPECT_NE(grub_run.out.find("(1 suppressed in the source)"), std::string::npos) << grub_run.out;
}

// Two real captures: what a command-line change did to /proc/iomem, as diff(1) exit codes.
TEST(LayoutDiff, TellsMovedResizedAppearedApartBetweenTwoCaptures) {
    const auto diff = [](const std::string& a, const std::string& b, const std::string& extra = "") {
        return run("diff '" + fixture("iomem/kernel/" + a) + "' '" + fixture("iomem/kernel/" + b) + "' " + extra);
    };
    const auto same = diff("x86-2G.iomem", "x86-2G.iomem");
    EXPECT_EQ(same.exit_code, 0);
    EXPECT_NE(same.out.find("0 changes"), std::string::npos);
    // mem=1536M: RAM ends earlier.
    const auto mem = nlohmann::json::parse(diff("x86-2G.iomem", "x86-mem-1536M.iomem", "--format json").out);
    ASSERT_EQ(mem["changes"].size(), 1u);
    EXPECT_EQ(mem["changes"][0]["kind"], "resized");
    EXPECT_EQ(mem["changes"][0]["path"], "System RAM");
    EXPECT_EQ(mem["changes"][0]["after"]["end"], "0x5fffffff");  // inclusive, as /proc/iomem prints it
    // crashkernel=256M: a child of RAM appears; crashkernel=256M@768M puts it elsewhere.
    const auto appeared = diff("x86-2G.iomem", "x86-crashkernel.iomem");
    EXPECT_EQ(appeared.exit_code, 1);
    EXPECT_NE(appeared.out.find("appeared  System RAM/Crash kernel  [mem 0x6f000000-0x7effffff] (256 MiB)"), std::string::npos) << appeared.out;
    const auto moved = nlohmann::json::parse(diff("x86-crashkernel.iomem", "x86-crashkernel-fixed-base.iomem", "--format json").out);
    ASSERT_EQ(moved["changes"].size(), 1u);
    EXPECT_EQ(moved["changes"][0]["kind"], "moved");
    EXPECT_EQ(moved["changes"][0]["before"]["start"], "0x6f000000");
    EXPECT_EQ(moved["changes"][0]["after"]["start"], "0x30000000");
    // Layouts of different kinds are not compared.
    const auto mixed = run("diff '" + fixture("iomem/kernel/x86-2G.iomem") + "' '" + fixture("kernel/x86-2G/dmesg.txt") + "'");
    EXPECT_EQ(mixed.exit_code, 2);
    EXPECT_NE(mixed.err.find("expected a layout of the same kind"), std::string::npos) << mixed.err;
}

// The two-step workflow from the command line: a capture's prediction of the next boot, with what it
// assumed on stderr and the artifact alone on stdout; diff takes capture directories.
TEST(Cli, BootCapturePredictsTheNextBootAndDiffReadsCaptures) {
    const std::string from = fixture("kernel-uefi/uefi-x86-2G");
    auto r = run("predict --boot " + from + " --cmdline 'crashkernel=256M' --emit iomem");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Crash kernel"), std::string::npos);
    EXPECT_NE(r.err.find("assumed: the EFI boot-services regions are not in this log"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("assumed"), std::string::npos);
    auto same = run("diff " + from + " " + from);
    EXPECT_EQ(same.exit_code, 0) << same.err << same.out;
    auto changed = run("diff " + from + " " + fixture("kernel-uefi/uefi-x86-memmap-pmem"));
    EXPECT_EQ(changed.exit_code, 1) << changed.err;
    EXPECT_NE(changed.out.find("appeared  Persistent Memory (legacy)  [mem 0x40000000-0x5fffffff]"), std::string::npos) << changed.out;
    EXPECT_NE(changed.out.find("uefi-x86-memmap-pmem/iomem.txt:14"), std::string::npos) << changed.out;
    auto missing = run("predict --boot " + fixture("kernel-uefi") + "/no-such-capture --emit iomem");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("expected a directory holding a boot's state"), std::string::npos) << missing.err;
}

// The user's own log says the memory block size of a large machine: kmem uses it, not the 128 MiB
// a small VM has.
TEST(Cli, KmemTakesTheMemoryBlockSizeTheLogPrinted) {
    const auto dir = std::filesystem::temp_directory_path() / ("bootmap-blocksize-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string log = test::slurp(test::fixtures() / "kernel/x86-6G/dmesg.txt");
    log.insert(log.find('\n') + 1, "[    0.000000] x86/mm: Memory block size: 2048MB\n");
    std::ofstream(dir / "dmesg.txt") << log;
    const auto big = run("kmem --dmesg " + (dir / "dmesg.txt").string() + " --range 0x240400000-0x2bfffffff");
    EXPECT_NE(big.out.find("memory block size 2 GiB"), std::string::npos) << big.out;
    EXPECT_NE(big.out.find("kmem-rejected-region"), std::string::npos) << big.out;
    const auto small = run("kmem --dmesg " + fixture("kernel/x86-6G/dmesg.txt") + " --range 0x240400000-0x2bfffffff");
    EXPECT_NE(small.out.find("memory block size 128 MiB"), std::string::npos) << small.out;
    std::filesystem::remove_all(dir);
}

// Two boot logs of one machine differ in what their command lines did, not in the firmware map they
// share: diff compares the maps those boots ended with.
TEST(Cli, DiffOfTwoBootLogsComparesTheMapsTheBootsEndedWith) {
    const auto r = run("diff " + fixture("kernel/x86-2G/dmesg.txt") + " " + fixture("kernel/x86-memmap-pmem/dmesg.txt"));
    EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
    EXPECT_NE(r.out.find("Persistent Memory (legacy)  [mem 0x40000000-0x5fffffff]"), std::string::npos) << r.out;
    // memblock=debug changes no map: the same machine, the same result.
    const auto same = run("diff " + fixture("kernel/x86-2G/dmesg.txt") + " " + fixture("kernel/x86-2G-mbdebug/dmesg.txt"));
    EXPECT_EQ(same.exit_code, 0) << same.out;
}

// Every bootloader file given is used: a second one does not silently drop the first one's findings.
TEST(Cli, EveryBootloaderFileGivenIsLinted) {
    const std::string bad = fixture("bootloader/written/default-grub-unescaped"), good = fixture("bootloader/written/default-grub-escaped");
    const auto alone = run("lint " + bad);
    EXPECT_EQ(alone.exit_code, 1) << alone.out;
    for (const std::string& args : {bad + " " + good, good + " " + bad}) {
        const auto both = run("lint " + args);
        EXPECT_EQ(both.exit_code, 1) << args << ": " << both.out;
        EXPECT_NE(both.out.find("default-grub-unescaped:5:30: error"), std::string::npos) << args << ": " << both.out;
    }
}

// A mistake in the settings file is reported at its line, like any input error.
TEST(Cli, SettingsFileErrorsNameTheirLine) {
    const auto dir = std::filesystem::temp_directory_path() / ("bootmap-config-line-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string input = fixture("iomem/kernel/x86-2G.iomem");
    const std::vector<std::pair<std::string, std::string>> cases = {{"[lint]\n# a comment\nwerror = fals\n", ".bootmap.toml:3:1: error: Could not convert"},
                                                                     {"[lint]\n  werrror = true\n", ".bootmap.toml:2:3: error:"},
                                                                     {"[lint\nwerror = true\n", ".bootmap.toml:1:1: error:"}};
    for (const auto& [text, expected] : cases) {
        std::ofstream(dir / ".bootmap.toml") << text;
        const auto r = run_in(dir, "lint " + input);
        EXPECT_EQ(r.exit_code, 2) << text;
        EXPECT_NE(r.err.find(expected), std::string::npos) << text << ": " << r.err;
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// README's version table is `bootmap gates --markdown`, byte for byte: the code's table is the one
// source, and a gate added or changed without the README fails here.
TEST(Docs, ReadmeVersionTableIsTheGateTable) {
    const std::string readme = test::slurp(test::fixtures().parent_path() / "README.md");
    const std::string begin = "<!-- bootmap gates --markdown: begin -->\n", end = "<!-- bootmap gates --markdown: end -->";
    const auto from = readme.find(begin), to = readme.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), version_gates_markdown());
    EXPECT_GE(version_gates().size(), 14u);
}

// README's rule tables are `bootmap rules --markdown`: the registry is the one source.
TEST(Docs, ReadmeRuleTablesAreTheCatalogue) {
    const std::string readme = test::slurp(test::fixtures().parent_path() / "README.md");
    const std::string begin = "<!-- bootmap rules --markdown: begin -->\n", end = "<!-- bootmap rules --markdown: end -->";
    const auto from = readme.find(begin), to = readme.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    const std::string tables = readme.substr(from + begin.size(), to - from - begin.size());
    EXPECT_EQ(tables, rule_catalogue_markdown());
    EXPECT_EQ(tables, run("rules --markdown").out);
    for (const auto& rule : rule_catalogue()) EXPECT_NE(tables.find("[`" + std::string(rule.id) + "`]"), std::string::npos) << rule.id;
}

// Every gate opens at its mainline release and not before; a stable backport opens it from its
// sublevel in that series only.
TEST(KernelVersions, GatesOpenWhereTheTableSays) {
    for (const auto& g : version_gates()) {
        EXPECT_TRUE(gate_open(g.gate, g.mainline)) << g.id;
        const KernelVersion before = g.mainline.minor > 0 ? KernelVersion{g.mainline.major, g.mainline.minor - 1, 0} : KernelVersion{g.mainline.major - 1, 19, 0};
        if (!g.stable) {
            EXPECT_FALSE(gate_open(g.gate, before)) << g.id;
            continue;
        }
        EXPECT_TRUE(gate_open(g.gate, *g.stable)) << g.id;
        EXPECT_FALSE(gate_open(g.gate, KernelVersion{g.stable->major, g.stable->minor, *g.stable->patch - 1})) << g.id;
    }
    // Every gate the code asks about has its own row (gate_record() has no row to fall back on).
    for (int g = 0; g <= static_cast<int>(Gate::memblock_rsv_kern); ++g) EXPECT_EQ(gate_record(static_cast<Gate>(g)).gate, static_cast<Gate>(g)) << g;
    EXPECT_EQ(version_gates().size(), static_cast<std::size_t>(Gate::memblock_rsv_kern) + 1);
    EXPECT_FALSE(gate_open(Gate::rmem_dynamic_array, KernelVersion{6, 12, 102}));
    EXPECT_TRUE(gate_open(Gate::rmem_restructured, KernelVersion{6, 12, 102}));
    EXPECT_FALSE(gate_open(Gate::hotplug_ram_nests, KernelVersion{5, 0, std::nullopt}));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A CI gate that passes must not mean "nothing could be checked": a command line that places
// memory, with nothing that says where the memory is, says so in one line, and that line goes
// when a memory map is given.
TEST(Cli, LintSaysWhatItCouldNotCheck) {
    const auto alone = run("lint " + fixture("bootloader/real/crashkernel-zero-hugepages.cmdline"));
    EXPECT_EQ(alone.exit_code, 0) << alone.err;
    EXPECT_NE(alone.out.find("Not checked:\n  crashkernel=0, hugepages=1: not checked against the machine's memory"), std::string::npos) << alone.out;
    const auto json = run("lint --format json " + fixture("bootloader/real/crashkernel-zero-hugepages.cmdline"));
    EXPECT_NE(json.out.find("\"not_checked\""), std::string::npos) << json.out;
    const auto with_map = run("lint --e820 " + fixture("kernel/x86-numa-2node/dmesg.txt") + " --cmdline-from " +
                              fixture("bootloader/real/crashkernel-zero-hugepages.cmdline"));
    EXPECT_EQ(with_map.out.find("Not checked:"), std::string::npos) << with_map.out;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// `bootmap dmem` prints the kernel's own lines for the parameter (the "dmem: parameter:" line, or
// the refusal and "Malformed early option"), as `predict --emit dmem` does.
TEST(Cli, DmemCommandPrintsTheParametersOwnLines) {
    const std::string e820 = fixture("kernel/x86-numa-2node/dmesg.txt");
    const auto ok = run("dmem 1G --e820 " + e820);
    EXPECT_NE(ok.out.find("  dmem: parameter: base address 0x0 size 0x40000000 align 0x8000000 resv_kernel 0\n  dmem: pre-defined region: 93\n"),
              std::string::npos)
        << ok.out;
    const auto refused = run("dmem 0x40200000:1G --e820 " + e820);
    EXPECT_EQ(refused.exit_code, 0) << refused.err;
    EXPECT_NE(refused.out.find("  dmem: 'size' is unaligned to 'align' in dmem=\n  Malformed early option 'dmem'\n"), std::string::npos) << refused.out;
    EXPECT_NE(refused.out.find("[cmdline-param-refused]"), std::string::npos) << refused.out;
    const auto predicted = run("predict --e820 " + e820 + " --kconfig DMEM=y --cmdline dmem=0x40200000:1G --emit dmem");
    EXPECT_NE(refused.out.find(predicted.out.substr(0, predicted.out.find('\n'))), std::string::npos);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The kernel keeps COMMAND_LINE_SIZE - 1 bytes: the replay uses that line (the crash kernel asked for
// at the end of an overlong line is never reserved) and the finding names what is lost.
TEST(Cli, AnOverlongCommandLineIsReplayedAsTheKernelCutsIt) {
    const std::string e820 = " --e820 " + fixture("kernel/x86-2G/firmware-memmap.txt");
    const auto cut = run("predict --emit iomem" + e820 + " --cmdline-from " + fixture("cmdline/rules/cmdline-too-long.fires.cmdline"));
    ASSERT_EQ(cut.exit_code, 0) << cut.err;
    EXPECT_EQ(cut.out.find("Crash kernel"), std::string::npos) << cut.out;
    const auto whole = run("predict --emit iomem" + e820 + " --cmdline-from " + fixture("cmdline/rules/cmdline-too-long.clean.cmdline"));
    EXPECT_NE(whole.out.find("Crash kernel"), std::string::npos) << whole.out;
    const auto lint = run("lint" + e820 + " " + fixture("cmdline/rules/cmdline-too-long.fires.cmdline"));
    EXPECT_NE(lint.out.find(":1:2048: warning: the command line is 2195 bytes; the kernel keeps the first 2047"), std::string::npos) << lint.out;
    EXPECT_NE(lint.out.find("'memmap=1M$149G' (cut to 'mem')"), std::string::npos) << lint.out;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// /etc/default/grub and a grub.d drop-in given as two --cmdline-from are sourced into one shell, as
// update-grub does: the drop-in's "$GRUB_CMDLINE_LINUX_DEFAULT ..." extends the first file's value,
// and each finding points into the file that wrote it.
TEST(Cli, GrubDefaultsAndTheirDropInsAreOneShell) {
    const std::string dir = test::fixtures().string() + "/bootloader/combined/";
    const auto r = run("analyze --cmdline-from " + dir + "default-grub --cmdline-from " + dir + "kdump-tools.cfg --no-tree");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("command line: mem=4G quiet crashkernal=384M-:128M mem=2G"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kdump-tools.cfg:2:57: warning: 'crashkernal' is not a kernel parameter"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kdump-tools.cfg:2:80: warning: 'mem=2G' is given again after 'mem=4G'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("default-grub:4:21: note: the earlier occurrence is here"), std::string::npos) << r.out;
    // The drop-in alone knows nothing of the first file's value.
    const auto alone = run("analyze --cmdline-from " + dir + "kdump-tools.cfg --no-tree");
    EXPECT_NE(alone.out.find("command line: crashkernal=384M-:128M mem=2G"), std::string::npos) << alone.out;
}

// --entry chooses the boot predicted among a grub.cfg's entries: by title or by index; an unknown
// one is refused with the entries listed.
TEST(Cli, EntryChoosesTheBootPredicted) {
    const std::string cfg = test::fixtures().string() + "/stock/grub-cfg/ubuntu2204-ovh.grub.cfg";
    const auto by_index = run("analyze -v --no-tree --cmdline-from " + cfg + " --entry 2");
    EXPECT_EQ(by_index.exit_code, 0) << by_index.err;
    EXPECT_NE(by_index.err.find("--entry 2: the boot predicted is 'Ubuntu, with Linux 5.15.0-100-generic (recovery mode)'"), std::string::npos)
        << by_index.err;
    EXPECT_NE(by_index.out.find("command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-100-generic root=LABEL=cloudimg-rootfs ro recovery"), std::string::npos) << by_index.out;
    EXPECT_NE(by_index.out.find(" nomodeset dis_ucode_ldr"), std::string::npos) << by_index.out;
    const auto by_title = run("analyze -v --no-tree --cmdline-from " + cfg + " --entry 'Ubuntu, with Linux 5.15.0-100-generic'");
    EXPECT_NE(by_title.err.find("the boot predicted is 'Ubuntu, with Linux 5.15.0-100-generic'"), std::string::npos) << by_title.err;
    const auto unknown = run("lint --cmdline-from " + cfg + " --entry 7");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("--entry: error: expected one of the 3 boot entries, found no entry '7'"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("0: 'Ubuntu', 1: 'Ubuntu, with Linux 5.15.0-100-generic'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A bootloader file says what machine it boots: the kernel image it loads, U-Boot's cpu and arch,
// the device tree it hands over. Without --arch that decides the profile, and the report says from
// where; x86 stays the default for what says nothing (a grub.cfg loading vmlinuz). An arm board's
// cma= was a false "needs CONFIG_CMA" warning under the x86 profile.
TEST(Cli, TheArchitectureIsInferredFromTheBootloaderFile) {
    const ScratchDir dir("bootmap-arch-hint");
    struct Case {
        std::string name, text, profile, evidence;
    };
    const std::vector<Case> cases = {
        {"extlinux.conf", "DEFAULT linux\nLABEL linux\n  KERNEL /boot/Image\n  APPEND root=/dev/mmcblk0p2 cma=256M\n", "arm64",
         "extlinux.conf:3:3: 'KERNEL /boot/Image'; RISC-V kernels are also named Image"},
        {"armhf.conf", "LABEL l\n  LINUX /boot/zImage\n  FDT /boot/dtbs/sun7i-a20-bananapi.dtb\n  APPEND root=/dev/mmcblk0p2 cma=128M\n", "arm",
         "armhf.conf:2:3: 'LINUX /boot/zImage'"},
        {"uEnv.txt", "arch=arm\nbootargs=root=/dev/mmcblk0p2 cma=128M\n", "arm64", "uEnv.txt:1:1: 'arch=arm'"},
        {"printenv.txt", "arch=arm\ncpu=armv7\nfdtfile=sun7i-a20-bananapi.dtb\nbootargs=root=/dev/mmcblk0p2 cma=128M\n", "arm",
         "printenv.txt:2:1: 'cpu=armv7'"},
        {"riscv.txt", "arch=riscv\nbootargs=root=/dev/mmcblk0p2 cma=128M\n", "riscv64", "riscv.txt:1:1: 'arch=riscv'"},
        {"board.conf", "label l0\n    linux /vmlinuz\n    fdtdir /\n    append root=/dev/mmcblk1p4 cma=64M\n", "arm64",
         "board.conf:3:5: 'fdtdir /': an arm-family or RISC-V board, not x86"},
        {"x86.cfg", "menuentry 'Debian' {\n\tlinux /boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda1 ro quiet\n}\n", "x86_64", ""},
    };
    for (const auto& c : cases) {
        std::ofstream(dir.path / c.name) << c.text;
        const auto analyzed = run("analyze --no-tree '" + (dir.path / c.name).string() + "'");
        EXPECT_EQ(analyzed.exit_code, 0) << c.name << ": " << analyzed.err;
        EXPECT_NE(analyzed.out.find("kernel profile 6.1 " + c.profile + "\n"), std::string::npos) << c.name << ": " << analyzed.out;
        if (!c.evidence.empty()) EXPECT_NE(analyzed.out.find("the architecture is " + c.profile + ", from "), std::string::npos) << analyzed.out;
        if (!c.evidence.empty()) EXPECT_NE(analyzed.out.find(c.evidence), std::string::npos) << c.name << ": " << analyzed.out;
        EXPECT_EQ(analyzed.out.find("needs CONFIG_CMA"), std::string::npos) << c.name << ": " << analyzed.out;
        // --arch wins over the file.
        const auto forced = run("analyze --no-tree --arch x86_64 '" + (dir.path / c.name).string() + "'");
        EXPECT_NE(forced.out.find("kernel profile 6.1 x86_64\n"), std::string::npos) << c.name;
    }
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A tree whose /memory the bootloader fills in: static carve-outs are still judged against each
// other (an overlap needs no RAM size), and --ram gives the banks, after which every check runs.
TEST(Cli, ATreeWithoutRamIsCheckedStaticallyAndRamCanBeGiven) {
    const std::string dts = test::fixtures().string() + "/dt/rules/dt-rmem-overlap.fires.no-memory.dts";
    const auto alone = run("lint " + dts);
    EXPECT_EQ(alone.exit_code, 1) << alone.err;
    EXPECT_NE(alone.out.find("[dt-rmem-overlap]"), std::string::npos) << alone.out;
    EXPECT_NE(alone.out.find("give the RAM with --ram BASE,SIZE) [dt-memory-unspecified]"), std::string::npos) << alone.out;
    EXPECT_EQ(alone.out.find("dt-rmem-outside-ram"), std::string::npos) << alone.out;
    // 1 GiB at 0x40000000 holds both regions; a bank below them leaves them outside RAM.
    const auto held = run("lint " + dts + " --ram 0x40000000,0x40000000");
    EXPECT_NE(held.out.find("[dt-rmem-overlap]"), std::string::npos) << held.out;
    EXPECT_EQ(held.out.find("dt-memory-unspecified"), std::string::npos) << held.out;
    EXPECT_EQ(held.out.find("dt-rmem-outside-ram"), std::string::npos) << held.out;
    // A bank that ends inside the modem region: it straddles the edge of RAM (no-map regions wholly
    // outside RAM are intended carve-outs and not reported).
    const auto outside = run("lint " + dts + " --ram 0x40000000,0x18800000");
    EXPECT_NE(outside.out.find("[dt-rmem-outside-ram]"), std::string::npos) << outside.out;
    const auto zones = run("predict " + dts + " --ram 0x40000000,0x40000000 --emit memblock-memory");
    EXPECT_EQ(zones.exit_code, 0) << zones.err;
    // The bank, split where the no-map regions sit.
    EXPECT_NE(zones.out.find("0: 0x0000000040000000..0x0000000057ffffff"), std::string::npos) << zones.out;
    EXPECT_NE(zones.out.find("2: 0x000000005a000000..0x000000007fffffff"), std::string::npos) << zones.out;
    const auto bad = run("lint " + dts + " --ram 0x40000000");
    EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Every entry of a bootloader file is judged with the same memory checks as the one predicted, on
// the machine's own map: the recovery entry's memmap= over a hole and its crash kernel that cannot
// fit in 2 GiB are errors, not only its typo.
TEST(Cli, EveryEntryGetsTheMemoryChecksOfTheBootPredicted) {
    const auto r = run("lint " + test::fixtures().string() + "/bootloader/entries/recovery-crashkernel.grub.cfg --dmesg " + test::fixtures().string() +
                       "/kernel/x86-2G/dmesg.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("recovery-crashkernel.grub.cfg:5:84: error: memmap item '1G@8G' declares RAM over [mem 0x200000000-0x23fffffff]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("recovery-crashkernel.grub.cfg:5:74: error: crashkernel=3G: the reservation fails"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[cmdline-unknown-memory-parameter]"), std::string::npos) << r.out;
    // Chosen with --entry, the same entry is the boot predicted and gets the same findings.
    const auto chosen = run("lint " + test::fixtures().string() + "/bootloader/entries/recovery-crashkernel.grub.cfg --entry 1 --dmesg " +
                            test::fixtures().string() + "/kernel/x86-2G/dmesg.txt");
    EXPECT_EQ(chosen.exit_code, 1);
    EXPECT_NE(chosen.out.find("crashkernel=3G: the reservation fails"), std::string::npos) << chosen.out;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The hint for a '$' GRUB expands in /etc/default/grub is what makes it through both layers: the
// user's "\$" only got past sh; "\\\$" (or '\$' in single quotes) reaches the kernel as '$'.
TEST(Cli, TheDollarHintInGrubDefaultsGoesThroughBothLayers) {
    const ScratchDir dir("bootmap-dollar-hint");
    std::ofstream(dir.path / "once") << "GRUB_CMDLINE_LINUX=\"memmap=16G\\$96G\"\n";
    const auto once = run("lint '" + (dir.path / "once").string() + "'");
    EXPECT_EQ(once.exit_code, 1);
    EXPECT_NE(once.out.find("GRUB expands '$96' to nothing: the kernel receives 'memmap=16GG'; write \\\\\\$ in /etc/default/grub inside double quotes"),
              std::string::npos)
        << once.out;
    for (const char* fixed : {"GRUB_CMDLINE_LINUX=\"memmap=16G\\\\\\$96G\"\n", "GRUB_CMDLINE_LINUX='memmap=16G\\$96G'\n"}) {
        std::ofstream(dir.path / "fixed", std::ios::trunc) << fixed;
        const auto r = run("analyze --no-tree '" + (dir.path / "fixed").string() + "'");
        EXPECT_NE(r.out.find("command line: memmap=16G$96G\n"), std::string::npos) << fixed << r.out;
        EXPECT_NE(r.out.find("0 errors, 0 warnings"), std::string::npos) << fixed << r.out;
    }
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A tree's CPU nodes name RISC-V or 32-bit arm cores: the profile follows and the report says so.
TEST(Cli, ATreesCpusNameItsArchitecture) {
    const std::vector<std::pair<std::string, std::string>> trees = {
        {"riscv-microchip-mpfs-sev-kit.dtb", "riscv64, from the device tree's CPUs ('riscv')"},
        {"arm32-st-stm32mp157c-dk2.dtb", "arm, from the device tree's CPUs ('arm,cortex-a7')"},
    };
    for (const auto& [tree, said] : trees) {
        const auto r = run("analyze --no-tree " + test::fixtures().string() + "/dt/real/" + tree);
        EXPECT_NE(r.out.find("the architecture is " + said), std::string::npos) << tree << r.out;
    }
    const auto arm64 = run("analyze --no-tree " + test::fixtures().string() + "/dt/real/hisilicon-hi6220-hikey.dtb");
    EXPECT_NE(arm64.out.find("kernel profile 6.1 arm64\n"), std::string::npos);
    EXPECT_EQ(arm64.out.find("the architecture is"), std::string::npos);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A 1 GiB arm64 board at 0x40000000 whose /reserved-memory holds `children` (DTS lines).
void write_board(const std::filesystem::path& path, const std::string& children) {
    std::ofstream(path) << "/dts-v1/;\n/ {\n\t#address-cells = <2>; #size-cells = <2>;\n"
                           "\tmemory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 0x0 0x40000000>; };\n"
                           "\treserved-memory {\n\t\t#address-cells = <2>; #size-cells = <2>; ranges;\n"
                        << children << "\t};\n};\n";
}

// Two regions of the same range: the finding and the predicted log agree that the kernel notices.
TEST(Cli, IdenticalRegionsAreAnOverlapTheKernelNotices) {
    const ScratchDir dir("bootmap-identical-regions");
    write_board(dir.path / "t.dts",
                "\t\ta@50000000 { reg = <0x0 0x50000000 0x0 0x1000000>; no-map; };\n"
                "\t\tb@50000000 { reg = <0x0 0x50000000 0x0 0x1000000>; no-map; };\n");
    const auto lint = run("lint " + (dir.path / "t.dts").string());
    EXPECT_NE(lint.out.find("(the kernel says OVERLAP DETECTED!) [dt-rmem-overlap]"), std::string::npos) << lint.out;
    EXPECT_EQ(lint.out.find("does not notice"), std::string::npos) << lint.out;
    const auto log = run("predict " + (dir.path / "t.dts").string() + " --emit rmem");
    EXPECT_NE(log.out.find("OF: reserved mem: OVERLAP DETECTED!"), std::string::npos) << log.out;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// dt-rmem-unplaceable says how short the window was when the kernel tried: what is reserved later
// (the default CMA area, a larger cma=) does not shrink the block it reports.
TEST(Cli, AnUnplaceableRegionIsMeasuredWhenTheKernelTriedIt) {
    const ScratchDir dir("bootmap-unplaceable-when");
    write_board(dir.path / "t.dts", "\t\tbig { size = <0x0 0x3f000000>; alignment = <0x0 0x1000000>; };\n");
    const std::string expected = "'big' (1008 MiB, aligned to 16 MiB) cannot be placed: [0x0-0x7fffffff]: largest free aligned block 976 MiB";
    for (const char* cmdline : {"", " --cmdline cma=0", " --cmdline cma=256M"}) {
        const auto r = run("lint " + (dir.path / "t.dts").string() + cmdline);
        EXPECT_NE(r.out.find(expected), std::string::npos) << cmdline << "\n" << r.out;
    }
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// systemd-boot: loader.conf's `default` glob chooses among the entries given with it; alone it is
// refused with what to give instead.
TEST(Cli, LoaderConfChoosesTheSystemdBootEntry) {
    const std::string dir = test::fixtures().string() + "/bootloader/systemd-boot/";
    const auto r = run("analyze -v --no-tree --cmdline-from " + dir + "loader.conf --cmdline-from " + dir + "entries/arch-lts.conf --cmdline-from " + dir +
                       "entries/arch.conf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("loader.conf:1:9: default 'arch-lts*' chooses"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("command line: root=/dev/sda2 rw mem=1G\n"), std::string::npos) << r.out;
    const auto alone = run("lint " + dir + "loader.conf");
    EXPECT_EQ(alone.exit_code, 2);
    EXPECT_NE(alone.err.find("expected a command line, found a systemd-boot loader.conf"), std::string::npos) << alone.err;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The text report shows the line a finding points into with a caret under its column, for a file
// and for a command line given as an option; JSON carries no excerpt.
TEST(TextReport, SourceLineWithACaretUnderTheColumn) {
    const auto given = test::run_bootmap("lint --cmdline 'quiet crashkernel=010M'");
    EXPECT_NE(given.out.find("--cmdline:1:19: warning:"), std::string::npos) << given.out;
    EXPECT_NE(given.out.find(" 1 | quiet crashkernel=010M\n   |                   ^\n"), std::string::npos) << given.out;
    const auto file = test::run_bootmap("lint --boot " + (test::fixtures() / "kernel/x86-4G-hugepages-1G-8").string());
    EXPECT_NE(file.out.find(" 1 | console=ttyS0 panic=-1 loglevel=7 nokaslr hugepagesz=1G hugepages=8\n   | " + std::string(66, ' ') + "^\n"),
              std::string::npos)
        << file.out;
    const auto json = test::run_bootmap("lint --format json --cmdline 'quiet crashkernel=010M'");
    EXPECT_EQ(json.out.find("quiet crashkernel=010M\\n"), std::string::npos);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Applies a SARIF result's fix (one replacement on one line) to `text`.
std::string apply_sarif_fix(std::string text, const nlohmann::json& fix) {
    const auto& replacement = fix.at("artifactChanges").at(0).at("replacements").at(0);
    const auto& region = replacement.at("deletedRegion");
    std::size_t line_start = 0;
    for (int line = 1; line < region.at("startLine").get<int>(); ++line) line_start = text.find('\n', line_start) + 1;
    const std::size_t at = line_start + region.at("startColumn").get<std::size_t>() - 1;
    const std::size_t deleted = region.at("endColumn").get<std::size_t>() - region.at("startColumn").get<std::size_t>();
    const std::string inserted = replacement.contains("insertedContent") ? replacement.at("insertedContent").at("text").get<std::string>() : "";
    return text.replace(at, deleted, inserted);
}

// Each SARIF fix, applied to the file, gives the command line the user meant: the '$' escaped for
// sh and GRUB reaches the kernel, the octal size becomes the decimal one; the finding is gone.
TEST(SarifFixes, AppliedTheyLeaveWhatTheUserMeant) {
    const auto dir = std::filesystem::temp_directory_path() / ("bootmap-fix-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "grub";
    std::string text = "GRUB_CMDLINE_LINUX=\"quiet memmap=4G$12G crashkernel=0256M cma=64\"\n";
    for (int round = 0; round < 3; ++round) {
        std::ofstream(file) << text;
        const auto sarif = nlohmann::json::parse(test::run_bootmap("lint --format sarif " + file.string()).out);
        const auto& results = sarif.at("runs").at(0).at("results");
        const auto fixed = std::find_if(results.begin(), results.end(), [](const nlohmann::json& r) { return r.contains("fixes"); });
        ASSERT_NE(fixed, results.end()) << text;
        text = apply_sarif_fix(text, fixed->at("fixes").at(0));
    }
    EXPECT_EQ(text, "GRUB_CMDLINE_LINUX=\"quiet memmap=4G\\\\\\$12G crashkernel=256M cma=64M\"\n");
    std::ofstream(file) << text;
    const auto clean = test::run_bootmap("lint --format json " + file.string());
    const auto report = nlohmann::json::parse(clean.out);
    EXPECT_EQ(report.at("cmdline"), "quiet memmap=4G$12G crashkernel=256M cma=64M") << clean.out;
    for (const auto& d : report.at("diagnostics")) EXPECT_EQ(d.at("rule"), "cmdline-param-unknown-to-kernel") << clean.out;  // Debian's x86 kernel lacks CMA
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bootmap
