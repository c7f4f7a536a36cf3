#pragma once
// Large JSON documents written a piece at a time: the document is built with a marker in place of
// each large array, and each element is serialised on its own into the sink, laid out as the
// pretty printer lays out the whole (keys sorted, two spaces). Memory stays at one element.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/output_sink.hpp"

namespace bootmap {

// dump(2) with invalid UTF-8 replaced: every JSON bootmap writes is well-formed.
inline std::string dump_pretty(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

// The large arrays of a report (a million-line dump's entries, its findings; a 1M-line dump: 1.8 GiB
// and 9 s when built as one document).
class StreamedArrays {
public:
    template <class Items, class ToJson>
    nlohmann::json add(const Items& items, ToJson to_json) {
        const std::size_t index = writers_.size();
        writers_.push_back([&items, to_json](OutputSink& sink, std::size_t indent) {
            std::string& out = sink.buffer();
            if (items.empty()) {
                out += "[]";
                return;
            }
            const std::string pad(indent + 2, ' ');
            out += "[\n";
            bool first = true;
            for (const auto& item : items) {
                if (!first) out += ",\n";
                first = false;
                out += pad;
                if constexpr (std::is_invocable_v<ToJson, const typename Items::value_type&, const std::string&, std::string&>) {
                    to_json(item, pad, out);  // writes itself, laid out as dump() would
                } else {
                    for (const char c : dump_pretty(to_json(item))) {
                        out.push_back(c);
                        if (c == '\n') out += pad;
                    }
                }
                sink.flush_if_full();
            }
            out += "\n" + std::string(indent, ' ') + "]";
        });
        return marker(index);
    }

    // The document's text with every marker replaced by its array, into the sink.
    void write(const nlohmann::json& root, OutputSink& sink) const {
        const std::string text = dump_pretty(root);
        // The markers in the order the printer placed them (keys are sorted).
        std::vector<std::pair<std::size_t, std::size_t>> placed;  // offset in text, writer
        for (std::size_t i = 0; i < writers_.size(); ++i)
            if (const auto at = text.find(dump_pretty(marker(i))); at != std::string::npos) placed.emplace_back(at, i);
        std::sort(placed.begin(), placed.end());
        std::size_t from = 0;
        for (const auto& [at, i] : placed) {
            sink.append(std::string_view(text).substr(from, at - from));
            const auto line_start = text.rfind('\n', at);
            const std::size_t indent = text.find_first_not_of(' ', line_start + 1) - (line_start + 1);
            writers_[i](sink, indent);
            sink.flush_if_full();
            from = at + dump_pretty(marker(i)).size();
        }
        sink.append(std::string_view(text).substr(from));
    }

private:
    // A string no input can put in a report: its control characters are escaped in any name.
    static nlohmann::json marker(std::size_t index) { return "\u0001bootmap-array-" + std::to_string(index) + "\u0001"; }

    std::vector<std::function<void(OutputSink&, std::size_t)>> writers_;
};

}  // namespace bootmap
