#include "analysis/device_memory.hpp"

#include <re2/re2.h>

namespace bootmap {
namespace {

bool is_device_memory(const std::string& name) {
    static const RE2 pattern(R"(^(Persistent Memory( \(legacy\))?|Soft Reserved|hmem\.\d+|dax\d+\.\d+|namespace\d+\.\d+|pmem\d+)$)");
    return RE2::FullMatch(name, pattern);
}

// What is below a device range: RAM onlined from it (whose own children are the RAM's business) and
// which drivers hold it.
struct Below {
    ByteSize ram;
    bool dax = false, ns = false, hmem = false;
};

Below below(const IomemTree& tree, std::size_t index) {
    Below out;
    for (const auto c : tree.children(index))
        tree.walk(c, [&](std::size_t i) {
            const auto& e = tree.entries[i];
            if (e.name.rfind("System RAM", 0) == 0) {
                if (const auto r = e.range()) out.ram = ByteSize{out.ram.bytes() + r->size().bytes()};
                return false;
            }
            if (e.name.rfind("dax", 0) == 0) out.dax = true;
            if (e.name.rfind("namespace", 0) == 0 || e.name.rfind("pmem", 0) == 0) out.ns = true;
            if (e.name.rfind("hmem", 0) == 0) out.hmem = true;
            return true;
        });
    return out;
}

// A device range, or nullopt when the entry is none (or its bounds make no range).
std::optional<DeviceMemoryRange> device_range(const IomemTree& tree, std::size_t index) {
    const auto& e = tree.entries[index];
    const auto r = e.range();
    if (!r) return std::nullopt;
    Below b = below(tree, index);
    if (e.name.rfind("dax", 0) == 0) b.dax = true;
    if (e.name.rfind("hmem", 0) == 0) b.hmem = true;
    DeviceMemoryRange d;
    d.name = e.name;
    d.line = e.line;
    d.range = *r;
    d.onlined = b.ram;
    d.device = ByteSize{r->size().bytes() > b.ram.bytes() ? r->size().bytes() - b.ram.bytes() : 0};
    d.owner = b.dax ? "device-dax" : b.ns ? "pmem namespace (fsdax or devdax)" : b.hmem ? "hmem" : "no driver in the dump";
    return d;
}

}  // namespace

std::vector<DeviceMemoryRange> device_memory(const IomemTree& tree) {
    std::vector<DeviceMemoryRange> out;
    // The outermost device ranges: what lies below one belongs to it.
    for (const auto root : tree.roots)
        tree.walk(root, [&](std::size_t i) {
            if (!is_device_memory(tree.entries[i].name)) return true;
            if (auto d = device_range(tree, i)) out.push_back(std::move(*d));
            return false;
        });
    return out;
}

}  // namespace bootmap
