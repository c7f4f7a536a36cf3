#include "analysis/device_memory.hpp"

#include <re2/re2.h>

namespace bootmap {
namespace {

bool is_device_memory(const std::string& name) {
    static const RE2 pattern(R"(^(Persistent Memory( \(legacy\))?|Soft Reserved|hmem\.\d+|dax\d+\.\d+|namespace\d+\.\d+|pmem\d+)$)");
    return RE2::FullMatch(name, pattern);
}

void walk(const IomemTree& tree, std::size_t index, ByteSize& ram, bool& dax, bool& ns, bool& hmem) {
    const auto& e = tree.entries[index];
    if (e.name.rfind("System RAM", 0) == 0) {
        if (const auto r = e.range()) ram = ByteSize{ram.bytes() + r->size().bytes()};
        return;  // what lies below onlined RAM is the RAM's business
    }
    if (e.name.rfind("dax", 0) == 0) dax = true;
    if (e.name.rfind("namespace", 0) == 0 || e.name.rfind("pmem", 0) == 0) ns = true;
    if (e.name.rfind("hmem", 0) == 0) hmem = true;
    for (const auto c : tree.children(index)) walk(tree, c, ram, dax, ns, hmem);
}

void collect(const IomemTree& tree, std::size_t index, std::vector<DeviceMemoryRange>& out) {
    const auto& e = tree.entries[index];
    if (is_device_memory(e.name)) {
        const auto r = e.range();
        if (!r) return;
        ByteSize ram;
        bool dax = false, ns = false, hmem = false;
        for (const auto c : tree.children(index)) walk(tree, c, ram, dax, ns, hmem);
        if (e.name.rfind("dax", 0) == 0) dax = true;
        if (e.name.rfind("hmem", 0) == 0) hmem = true;
        DeviceMemoryRange d;
        d.name = e.name;
        d.line = e.line;
        d.range = *r;
        d.onlined = ram;
        d.device = ByteSize{r->size().bytes() > ram.bytes() ? r->size().bytes() - ram.bytes() : 0};
        d.owner = dax ? "device-dax" : ns ? "pmem namespace (fsdax or devdax)" : hmem ? "hmem" : "no driver in the dump";
        out.push_back(std::move(d));
        return;
    }
    for (const auto c : tree.children(index)) collect(tree, c, out);
}

}  // namespace

std::vector<DeviceMemoryRange> device_memory(const IomemTree& tree) {
    std::vector<DeviceMemoryRange> out;
    for (const auto root : tree.roots) collect(tree, root, out);
    return out;
}

}  // namespace bootmap
