#include "readers/dts_reader.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "grammars/dtc_annotations.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/text_file.hpp"
#include "util/subprocess.hpp"

namespace bootmap {
namespace {

SourceLocation to_location(const grammars::DtcPlace& place) { return SourceLocation{place.file, place.line, place.column, std::nullopt}; }

std::vector<SourceLocation> to_locations(const std::vector<grammars::DtcPlace>& places) {
    std::vector<SourceLocation> out;
    out.reserve(places.size());
    for (const auto& p : places) out.push_back(to_location(p));
    return out;
}

// The first error line of a tool's stderr as an InputError; the whole text when none parses.
// A helper stopped at one of its limits (run_process): the source makes it work without bound.
InputError stopped_error(const std::string& path, std::string_view tool, const std::string& why) {
    return InputError{SourceLocation{path}, fmt::format("{} was stopped on this source: {}", tool, why),
                      "a device tree source this costly to compile is hostile or broken (thousands of repeated properties, runaway "
                      "macros); check it with dtc by hand"};
}

InputError tool_error(const std::string& path, std::string_view tool, const std::string& stderr_text) {
    std::istringstream lines(stderr_text);
    std::string line;
    while (std::getline(lines, line)) {
        auto e = grammars::parse_dtc_error_line(line);
        if (!e) e = grammars::parse_cpp_error_line(line);
        if (!e) continue;
        // cpp's "fatal error: NAME: No such file or directory" for an #include <...> of the kernel's headers.
        std::string hint;
        if (e->message.find("No such file or directory") != std::string::npos)
            hint = e->message.starts_with("dt-bindings/")
                       ? "give the directory that holds dt-bindings/ with -I DIR (a kernel tree's include/, or scripts/dtc/include-prefixes/)"
                       : "give the directory that holds it with -I DIR";
        return InputError{to_location(e->place), e->message, hint};
    }
    auto text = stderr_text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    // dtc names a missing /include/ without a place: find the line that asks for it.
    const auto open = text.find("Couldn't open \"");
    if (open != std::string::npos) {
        const auto name_start = open + 15;
        const auto name = text.substr(name_start, text.find('"', name_start) - name_start);
        std::ifstream in(path);
        std::string source_line;
        for (std::uint32_t number = 1; std::getline(in, source_line); ++number)
            if (source_line.find("/include/") != std::string::npos && source_line.find(name) != std::string::npos)
                return InputError{SourceLocation{path, number, static_cast<std::uint32_t>(source_line.find("/include/") + 1), std::nullopt},
                                  fmt::format("cannot open the included file \"{}\"", name), "give its directory with -I DIR"};
    }
    return InputError{SourceLocation{path}, fmt::format("{} refused the source: {}", tool, text.empty() ? "no message" : text), {}};
}

struct Annotations {
    std::map<std::string, std::vector<SourceLocation>> nodes;       // by path
    std::map<std::string, std::vector<SourceLocation>> properties;  // by path + "\n" + name
};

Annotations parse_annotations(const std::string& text) {
    Annotations out;
    std::vector<std::string> stack;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto parsed = grammars::parse_dtc_annotated_line(line);
        if (!parsed) continue;
        switch (parsed->kind) {
            case grammars::DtcAnnotatedLine::Kind::node_open: {
                std::string path;
                if (parsed->name == "/")
                    path = "/";
                else
                    path = (stack.empty() || stack.back() == "/" ? std::string() : stack.back()) + "/" + parsed->name;
                stack.push_back(path);
                auto& places = out.nodes[path];
                if (places.empty()) places = to_locations(parsed->places);
                break;
            }
            case grammars::DtcAnnotatedLine::Kind::node_close:
                if (!stack.empty()) stack.pop_back();
                break;
            case grammars::DtcAnnotatedLine::Kind::property:
                if (!stack.empty()) out.properties[stack.back() + "\n" + parsed->name] = to_locations(parsed->places);
                break;
        }
    }
    return out;
}

void apply(DtNode& node, const Annotations& annotations) {
    if (const auto it = annotations.nodes.find(node.path); it != annotations.nodes.end() && !it->second.empty()) node.where = it->second;
    for (auto& p : node.properties)
        if (const auto it = annotations.properties.find(node.path + "\n" + p.name); it != annotations.properties.end() && !it->second.empty())
            p.where = it->second;
    for (auto& c : node.children) apply(c, annotations);
}

}  // namespace

Result<DeviceTree> read_dts(const std::string& path, const DtsOptions& options) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return InputError{SourceLocation{path}, "cannot read the device tree source: no such file", {}};
    // The text checks every text input gets (size, NUL bytes, binary, UTF-16) before any tool runs.
    auto text = load_text_file(path);
    if (!text) return text.error();
    if (auto bad = check_text(path, text.value().contents)) return *bad;
    if (text.value().contents.find_first_not_of(" \t\r\n") == std::string::npos)
        return InputError{SourceLocation{path, 1, 1, std::nullopt}, "expected a device tree source ('/dts-v1/;' and a root node), found an empty file", {}};
    // The preprocessed source goes to dtc as an anonymous file (no temporary file on disk).
    std::string source_for_dtc = path;
    std::string preprocessed;
    if (options.preprocess) {
        std::vector<std::string> cpp{"cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-D__DTS__"};
        const auto own_dir = std::filesystem::path(path).parent_path().string();
        cpp.push_back("-I" + (own_dir.empty() ? std::string(".") : own_dir));
        for (const auto& dir : options.include_dirs) cpp.push_back("-I" + dir);
        cpp.push_back(path);
        auto run = run_process(cpp);
        if (!run) return InputError{SourceLocation{path}, "cannot run the C preprocessor (cpp) for the device tree source", "install the Debian package 'cpp'"};
        if (run->stopped) return stopped_error(path, "the C preprocessor", *run->stopped);
        if (run->exit_status != 0) return tool_error(path, "the C preprocessor", run->err);
        preprocessed = std::move(run->out);
        source_for_dtc = helper_input_path(0);
    }
    std::vector<std::string_view> dtc_inputs;
    if (options.preprocess) dtc_inputs.emplace_back(preprocessed);
    std::vector<std::string> include_args;
    for (const auto& dir : options.include_dirs) {
        include_args.push_back("-i");
        include_args.push_back(dir);
    }
    std::vector<std::string> to_dtb{"dtc", "-q", "-I", "dts", "-O", "dtb"};
    to_dtb.insert(to_dtb.end(), include_args.begin(), include_args.end());
    to_dtb.push_back(source_for_dtc);
    const auto compiled = run_process(to_dtb, {}, dtc_inputs);
    if (!compiled) return InputError{SourceLocation{path}, "cannot run dtc for the device tree source", "install the Debian package 'device-tree-compiler'"};
    if (compiled->stopped) return stopped_error(path, "dtc", *compiled->stopped);
    if (compiled->exit_status != 0) return tool_error(path, "dtc", compiled->err);
    auto tree = read_dtb(path, compiled->out);
    if (!tree) return tree.error();

    std::vector<std::string> annotate{"dtc", "-q", "-I", "dts", "-O", "dts", "-T", "-T"};
    annotate.insert(annotate.end(), include_args.begin(), include_args.end());
    annotate.push_back(source_for_dtc);
    const auto annotated = run_process(annotate, {}, dtc_inputs);
    if (annotated && annotated->stopped) return stopped_error(path, "dtc", *annotated->stopped);
    if (!annotated || annotated->exit_status != 0) return tool_error(path, "dtc", annotated ? annotated->err : std::string());
    auto result = std::move(tree).value();
    apply(result.root, parse_annotations(annotated->out));
    // /memreserve/ lines carry no annotation; the source file is the best place to point at.
    for (auto& m : result.memreserve) m.where = SourceLocation{path};
    return result;
}

}  // namespace bootmap
