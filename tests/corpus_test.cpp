// Every real file in fixtures/ (the shared corpus and the stock bootloader files) is linted and held
// to fixtures/CORPUS.md: the format it is read as, the exit code, every error and warning, and a
// reason for each. A false alarm on a real file is a bug; this is where one shows.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

struct CorpusRow {
    std::string format;
    int exit_code = 0;
    std::string findings;  // "error rule ×N, warning rule ×M" in that order, or "refused: MESSAGE"
    std::string why;
};

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// The table's rows: "| `path` | format | exit | findings | why |".
std::map<std::string, CorpusRow> corpus_table(const fs::path& file) {
    std::map<std::string, CorpusRow> rows;
    const std::string text = test::slurp(file);
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find('\n', at);
        const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? text.size() : end + 1;
        if (!line.starts_with("| `")) continue;
        std::vector<std::string> cells;
        for (std::size_t from = 1; from < line.size();) {
            const auto bar = line.find(" | ", from);
            if (bar == std::string::npos) {
                cells.push_back(trim(line.substr(from, line.size() - from - 1)));
                break;
            }
            cells.push_back(trim(line.substr(from, bar - from)));
            from = bar + 2;
        }
        EXPECT_EQ(cells.size(), 5u) << line;
        if (cells.size() != 5) continue;
        const std::string path = cells[0].substr(1, cells[0].size() - 2);
        EXPECT_FALSE(rows.contains(path)) << "listed twice: " << path;
        rows[path] = CorpusRow{cells[1], std::stoi(cells[2]), cells[3], cells[4]};
    }
    return rows;
}

// The corpus: every file under these folders but their notes; a copy of /sys/firmware/memmap (a
// `.tree` folder) is one input.
std::set<std::string> corpus_files(const fs::path& fixtures) {
    static const char* const kRoots[] = {"iomem/real", "dmesg/real", "dmesg/any-arch", "dmesg/excerpts", "e820/real",
                                         "srat/real",  "bootloader/real", "dt/real", "dt/real-dts", "stock"};
    static const std::set<std::string> kNotes = {"SOURCES.md", "README.md", "EXPECTED-RULES.txt"};
    std::set<std::string> files;
    for (const char* root : kRoots)
        for (auto it = fs::recursive_directory_iterator(fixtures / root); it != fs::recursive_directory_iterator(); ++it) {
            const std::string name = it->path().filename().string();
            if (it->is_directory() && name.ends_with(".tree")) {
                files.insert(fs::relative(it->path(), fixtures).string());
                it.disable_recursion_pending();
            } else if (it->is_regular_file() && !kNotes.contains(name)) {
                files.insert(fs::relative(it->path(), fixtures).string());
            }
        }
    return files;
}

std::string findings_of(const nlohmann::json& report) {
    std::map<std::pair<std::string, std::string>, int> counts;
    for (const auto& d : report.at("diagnostics")) {
        const std::string severity = d.at("severity");
        if (severity == "error" || severity == "warning") ++counts[{severity, d.at("rule").get<std::string>()}];
    }
    std::string out;
    for (const auto& [key, n] : counts) out += (out.empty() ? "" : ", ") + key.first + " " + key.second + " ×" + std::to_string(n);
    return out;
}

TEST(Corpus, EveryRealFileIsReadAsTheTableSaysAndEachFindingHasItsReason) {
    const fs::path fixtures = test::fixtures();
    const auto table = corpus_table(fixtures / "CORPUS.md");
    const auto files = corpus_files(fixtures);
    ASSERT_GT(files.size(), 250u);
    for (const auto& file : files) EXPECT_TRUE(table.contains(file)) << file << " is not in fixtures/CORPUS.md";
    for (const auto& [file, row] : table) EXPECT_TRUE(files.contains(file)) << file << " is in fixtures/CORPUS.md but not in fixtures/";

    for (const auto& [file, row] : table) {
        if (!files.contains(file)) continue;
        const std::string path = (fixtures / file).string();
        const auto run = test::run_bootmap("lint --format json '" + path + "'");
        EXPECT_EQ(run.exit_code, row.exit_code) << file << "\n" << run.err;
        if (row.exit_code != 0) EXPECT_FALSE(row.why.empty()) << file << ": a refusal or an error needs its reason in the table";
        if (run.exit_code == 2) {
            // Refused: with the message the table quotes, at a place in the file.
            ASSERT_TRUE(row.findings.starts_with("refused: ")) << file;
            EXPECT_NE(run.err.find(row.findings.substr(9)), std::string::npos) << file << "\n" << run.err;
            // The file, or the file it includes where the include fails.
            EXPECT_NE(run.err.find(fs::path(file).parent_path().string() + "/"), std::string::npos) << file << ": the refusal names the file\n" << run.err;
            continue;
        }
        const auto report = nlohmann::json::parse(run.out, nullptr, false);
        ASSERT_FALSE(report.is_discarded()) << file;
        std::string format;
        for (const auto& input : report.at("inputs"))
            if (input.at("file") == path) format = input.value("format", "");
        EXPECT_EQ(format, row.format) << file;
        EXPECT_EQ(findings_of(report), row.findings) << file;
        if (!row.findings.empty()) EXPECT_FALSE(row.why.empty()) << file << ": every error and warning on a real file needs its reason";
    }
    // README's table of formats gives, for each, how many files of this corpus are read as it: the
    // formats the corpus is read as, each with its count; a format without a real file says "—".
    std::map<std::string, int> counted;
    for (const auto& [file, row] : table)
        if (row.exit_code != 2 && !row.format.empty()) ++counted[row.format];
    const std::string readme = test::slurp(fixtures.parent_path() / "README.md");
    const auto begin = readme.find("<!-- formats:begin -->"), end = readme.find("<!-- formats:end -->");
    ASSERT_NE(begin, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    std::map<std::string, int> listed;
    const std::string list = readme.substr(begin, end - begin);
    for (std::size_t at = list.find("\n| "); at != std::string::npos; at = list.find("\n| ", at + 1)) {
        const std::string line = list.substr(at + 1, list.find('\n', at + 1) - at - 1);
        std::vector<std::string> cells;
        for (std::size_t from = 1; from < line.size();) {
            const auto bar = line.find('|', from);
            if (bar == std::string::npos) break;
            cells.push_back(trim(line.substr(from, bar - from)));
            from = bar + 1;
        }
        if (cells.size() < 3 || cells[0] == "format" || cells[0].starts_with("---")) continue;
        if (cells[2] != "—") listed[cells[0]] = std::stoi(cells[2]);
    }
    EXPECT_EQ(listed, counted) << "README's formats table (between the formats:begin/end markers) gives the real files read as each format";
}

}  // namespace
}  // namespace bootmap
