#include "crashkernel_param.hpp"

#include "memparse.hpp"

namespace bootmap::grammars {
namespace {

constexpr std::string_view kName = "crashkernel=";

bool ends_with_at(std::string_view text, std::size_t end, std::string_view suffix) {
    return end >= suffix.size() && text.substr(end - suffix.size(), suffix.size()) == suffix;
}

// get_last_crashkernel(): a plain search of the raw text, so "crashkernel=" inside another word counts.
std::optional<std::size_t> last_occurrence(std::string_view cmdline, CrashkernelKind kind) {
    std::optional<std::size_t> found;
    for (std::size_t p = cmdline.find(kName); p != std::string_view::npos; p = cmdline.find(kName, p + 1)) {
        std::size_t end = cmdline.find(' ', p);
        if (end == std::string_view::npos) end = cmdline.size();
        const bool high = ends_with_at(cmdline, end, ",high");
        const bool low = ends_with_at(cmdline, end, ",low");
        if ((kind == CrashkernelKind::plain && !high && !low) || (kind == CrashkernelKind::high && high) ||
            (kind == CrashkernelKind::low && low))
            found = p;
    }
    return found;
}

char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

void fail(CrashkernelSetting& s, std::size_t where, std::string message) {
    s.valid = false;
    s.error_offset = where;
    s.warning = std::move(message);
}

void parse_ranges(std::string_view v, std::size_t base_offset, std::uint64_t system_ram, CrashkernelSetting& s) {
    s.range_list = true;
    const std::uint64_t total = (system_ram + (128ull << 20) - 1) / (128ull << 20) * (128ull << 20);
    std::size_t cur = 0;
    s.size = 0;
    for (;;) {
        auto start = memparse(v.substr(cur));
        if (start.consumed == 0) return fail(s, base_offset + cur, "crashkernel: Memory value expected");
        cur += start.consumed;
        if (at(v, cur) != '-') return fail(s, base_offset + cur, "crashkernel: '-' expected");
        ++cur;
        std::uint64_t end = UINT64_MAX;
        if (at(v, cur) != ':') {
            auto e = memparse(v.substr(cur));
            if (e.consumed == 0) return fail(s, base_offset + cur, "crashkernel: Memory value expected");
            cur += e.consumed;
            end = e.value;
            if (end <= start.value) return fail(s, base_offset + cur, "crashkernel: end <= start");
        }
        if (at(v, cur) != ':') return fail(s, base_offset + cur, "crashkernel: ':' expected");
        ++cur;
        auto size = memparse(v.substr(cur));
        if (size.consumed == 0) return fail(s, base_offset + cur, "Memory value expected");
        cur += size.consumed;
        if (size.value >= total) return fail(s, base_offset + cur, "crashkernel: invalid size");
        if (total >= start.value && total < end) {
            s.size = size.value;
            break;
        }
        if (at(v, cur++) != ',') break;
    }
    s.valid = true;
    if (s.size == 0) {
        s.zero_from_ranges = true;
        s.warning = "crashkernel size resulted in zero bytes";
        return;
    }
    while (cur < v.size() && v[cur] != ' ' && v[cur] != '@') ++cur;
    if (at(v, cur) == '@') {
        ++cur;
        auto b = memparse(v.substr(cur));
        if (b.consumed == 0) return fail(s, base_offset + cur, "Memory value expected after '@'");
        s.base = b.value;
    }
}

}  // namespace

CrashkernelSetting parse_crashkernel(std::string_view cmdline, std::uint64_t system_ram, CrashkernelKind kind) {
    CrashkernelSetting s;
    const auto p = last_occurrence(cmdline, kind);
    if (!p) return s;
    s.found = true;
    s.offset = *p;
    s.value_offset = *p + kName.size();
    const std::string_view v = cmdline.substr(s.value_offset);
    const std::size_t o = s.value_offset;
    if (kind != CrashkernelKind::plain) {
        const std::string_view suffix = kind == CrashkernelKind::high ? ",high" : ",low";
        auto size = memparse(v);
        if (size.consumed == 0) {
            fail(s, o, "crashkernel: memory value expected");
            return s;
        }
        s.size = size.value;
        if (v.substr(size.consumed, suffix.size()) != suffix) {
            fail(s, o + size.consumed, std::string("crashkernel: unrecognized char: ") + at(v, size.consumed));
            return s;
        }
        const std::size_t after = size.consumed + suffix.size();
        if (at(v, after) != ' ' && at(v, after) != '\0') {
            fail(s, o + after, std::string("crashkernel: unrecognized char: ") + at(v, after));
            return s;
        }
        s.valid = true;
        return s;
    }
    const auto colon = v.find(':');
    const auto space = v.find(' ');
    if (colon != std::string_view::npos && (space == std::string_view::npos || colon < space)) {
        parse_ranges(v, o, system_ram, s);
        return s;
    }
    auto size = memparse(v);
    if (size.consumed == 0) {
        fail(s, o, "crashkernel: memory value expected");
        return s;
    }
    s.size = size.value;
    if (at(v, size.consumed) == '@') {
        s.base = memparse(v.substr(size.consumed + 1)).value;
    } else if (at(v, size.consumed) != ' ' && at(v, size.consumed) != '\0') {
        fail(s, o + size.consumed, std::string("crashkernel: unrecognized char: ") + at(v, size.consumed));
        return s;
    }
    s.valid = true;
    return s;
}

}  // namespace bootmap::grammars
