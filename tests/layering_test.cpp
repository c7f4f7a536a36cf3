// The layers of analyzer/CMakeLists.txt, held on the #include graph: a header may include its own
// layer and those below it, never one above. CMake stops a call that climbs only when it cannot link;
// this stops the include before the call is written.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

// Bottom to top. Folders of one rank may include each other (core and util share a library, as do
// readers and vm; predict and capture both sit on report).
const std::map<std::string, int>& layer_ranks() {
    static const std::map<std::string, int> ranks{
        {"core", 0}, {"util", 0},    {"grammars", 1}, {"model", 2},   {"readers", 3}, {"vm", 3},
        {"kernel", 4}, {"analysis", 5}, {"report", 6}, {"predict", 7}, {"capture", 7}, {"pipeline", 8}, {"cli", 9},
    };
    return ranks;
}

// The includes of `text` (a file of folder `layer`) that climb: "file:line: folder -> included".
std::vector<std::string> climbing_includes(const std::string& label, const std::string& layer, const std::string& text) {
    static const std::regex include_line(R"(^\s*#\s*include\s*"([a-z_0-9]+)/[^"]+")");
    std::vector<std::string> out;
    const int own = layer_ranks().at(layer);
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        ++line_no;
        std::smatch m;
        if (std::regex_search(line, m, include_line)) {
            const auto it = layer_ranks().find(m[1].str());
            if (it == layer_ranks().end())
                out.push_back(label + ":" + std::to_string(line_no) + ": includes from unknown folder " + m[1].str());
            else if (it->second > own)
                out.push_back(label + ":" + std::to_string(line_no) + ": " + layer + " -> " + m[1].str());
        }
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return out;
}

std::optional<std::string> layer_of(const fs::path& root, const fs::path& file) {
    const fs::path rel = fs::relative(file, root);
    if (rel.begin() == rel.end()) return std::nullopt;
    const std::string top = rel.begin()->string();
    if (top == "grammars") return top;
    if (top != "analyzer") return std::nullopt;
    auto it = rel.begin();
    ++it;
    if (it == rel.end() || std::next(it) == rel.end()) return std::nullopt;  // analyzer/CMakeLists.txt
    return it->string();
}

}  // namespace

TEST(Layering, EveryIncludeStaysInItsLayerOrBelow) {
    const fs::path root = bootmap::test::fixtures().parent_path();
    std::vector<std::string> violations;
    std::size_t files = 0;
    for (const char* top : {"analyzer", "grammars"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            const fs::path& p = entry.path();
            if (!entry.is_regular_file() || (p.extension() != ".hpp" && p.extension() != ".cpp")) continue;
            const auto layer = layer_of(root, p);
            ASSERT_TRUE(layer.has_value()) << p;
            ASSERT_TRUE(layer_ranks().contains(*layer)) << "a folder with no layer: " << *layer << " (" << p << ")";
            ++files;
            const auto found = climbing_includes(fs::relative(p, root).string(), *layer, bootmap::test::slurp(p));
            violations.insert(violations.end(), found.begin(), found.end());
        }
    }
    EXPECT_GT(files, 100u) << "the source tree was not found under " << root;
    EXPECT_TRUE(violations.empty()) << [&] {
        std::string s;
        for (const auto& v : violations) s += v + "\n";
        return s;
    }();
}

// The check itself: the back-edges this project once had are each caught.
TEST(Layering, TheCheckCatchesTheBackEdgesThatExisted) {
    EXPECT_EQ(climbing_includes("m.hpp", "model", "#include \"kernel/kmem.hpp\"\n").size(), 1u);
    EXPECT_EQ(climbing_includes("r.cpp", "readers", "#include <x>\n  #include \"kernel/e820.hpp\"\n").size(), 1u);
    EXPECT_EQ(climbing_includes("a.hpp", "analysis", "#include \"report/e820_format.hpp\"\n").size(), 1u);
    EXPECT_EQ(climbing_includes("p.cpp", "predict", "#include \"cli/input_options.hpp\"\n").size(), 1u);
    EXPECT_EQ(climbing_includes("x.cpp", "kernel", "#include \"nowhere/x.hpp\"\n").size(), 1u);
    EXPECT_TRUE(climbing_includes("k.cpp", "kernel", "#include \"model/e820.hpp\"\n#include \"grammars/memparse.hpp\"\n").empty());
    EXPECT_TRUE(climbing_includes("c.cpp", "cli", "#include \"predict/artifact.hpp\"\n").empty());
}
