#include "readers/srat_dmesg_reader.hpp"

#include <re2/re2.h>

#include "readers/text_lines.hpp"

namespace bootmap {

std::optional<SratTable> read_srat_from_dmesg(std::string_view source_name, std::string_view text) {
    static const RE2 cpu(R"re(SRAT: PXM ([0-9]+) -> APIC 0x([0-9a-fA-F]+) -> Node [0-9]+)re");
    static const RE2 mem(R"re(SRAT: Node [0-9]+ PXM ([0-9]+) \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\]( hotplug)?( non-volatile)?)re");
    SratTable t;
    t.source = std::string(source_name);
    t.revision = 3;  // the log shows full proximity domains
    TextLines lines(text);
    bool memory_seen = false;
    while (auto line = lines.next()) {
        re2::StringPiece input(line->text.data(), line->text.size());
        std::uint32_t pxm = 0;
        std::string apic, start, end, hotplug, nv;
        if (!memory_seen && RE2::PartialMatch(input, cpu, &pxm, &apic)) {
            if (apic.size() > 8) continue;
            t.cpus.push_back({static_cast<std::uint8_t>(apic.size() > 2 ? 2 : 0), pxm, static_cast<std::uint32_t>(std::stoul(apic, nullptr, 16)), true,
                              line->offset});
        } else if (RE2::PartialMatch(input, mem, &pxm, &start, &end, &hotplug, &nv)) {
            if (start.size() > 16 || end.size() > 16) continue;
            const std::uint64_t s = std::stoull(start, nullptr, 16), e = std::stoull(end, nullptr, 16);
            // A zero-length entry prints its end as start - 1.
            const std::uint64_t length = e + 1 - s;
            std::uint32_t flags = 1;
            if (!hotplug.empty()) flags |= 2;
            if (!nv.empty()) flags |= 4;
            t.memory.push_back({pxm, s, length, flags, line->offset, line->number});
            memory_seen = true;
        } else if (memory_seen && !t.memory.empty() && line->text.find("SRAT") == std::string_view::npos) {
            // The SRAT block of the first boot in the log is over.
            if (line->text.find("NUMA") == std::string_view::npos) break;
        }
    }
    if (t.memory.empty()) return std::nullopt;
    return t;
}

}  // namespace bootmap
