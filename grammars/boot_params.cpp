#include "boot_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace bootmap::grammars {
namespace {

// sscanf("%lu%n"): optional leading blanks, an optional sign, decimal digits.
std::optional<std::pair<std::uint64_t, std::size_t>> scan_decimal(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t digits = i;
    std::uint64_t v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + static_cast<std::uint64_t>(s[i++] - '0');
    if (i == digits) return std::nullopt;
    return std::make_pair(v, i);
}

std::string text(std::string_view s) { return std::string(s); }

}  // namespace

CmaParam parse_cma(std::string_view value) {
    CmaParam c;
    auto size = memparse(value);
    c.size = size.value;
    std::size_t p = size.consumed;
    if (p >= value.size() || value[p] != '@') return c;  // anything else after the size is ignored
    auto base = memparse(value.substr(p + 1));
    c.base = base.value;
    p += 1 + base.consumed;
    if (p >= value.size() || value[p] != '-') {
        c.limit = c.base + c.size;
        c.fixed = true;
        return c;
    }
    c.limit = memparse(value.substr(p + 1)).value;
    c.fixed = c.base + c.size == c.limit;
    return c;
}

HugepageSizes hugepage_sizes_x86_64(bool gbpages) {
    HugepageSizes s{{2ull << 20}, 2ull << 20};
    if (gbpages) s.supported.push_back(1ull << 30);
    return s;
}

namespace {

// hugepages=N or hugepages=NODE:N,NODE:N,...: the total and the per-node counts, or where the value
// stops making sense.
struct HugepagesValue {
    std::uint64_t count = 0;
    std::vector<std::pair<int, std::uint64_t>> nodes;
    std::optional<std::string_view> invalid_at;
};

HugepagesValue parse_hugepages_value(std::string_view value) {
    HugepagesValue out;
    std::string_view rest = value;
    while (!rest.empty()) {
        auto n = scan_decimal(rest);
        if (!n) return {0, {}, rest};
        if (n->second < rest.size() && rest[n->second] == ':') {
            const int node = static_cast<int>(n->first);
            rest.remove_prefix(n->second + 1);
            auto pages = scan_decimal(rest);
            if (!pages || n->first >= 1024) return {0, {}, rest};
            out.nodes.emplace_back(node, pages->first);
            out.count += pages->first;
            if (pages->second >= rest.size() || rest[pages->second] != ',') break;
            rest.remove_prefix(pages->second + 1);
        } else {
            if (rest.data() != value.data()) return {0, {}, rest};
            out.count = n->first;
            break;
        }
    }
    return out;
}

// The state mm/hugetlb.c keeps while its early parameters are parsed, one handler per parameter.
class HugetlbParser {
public:
    explicit HugetlbParser(const HugepageSizes& sizes) : sizes_(sizes) {}

    // hugepagesz_setup()
    void hugepagesz(const NamedValue& p, ParamVerdict& v) {
        parsed_valid_ = false;
        const std::uint64_t size = memparse(p.value).value;
        if (!supported(size)) {
            refuse(v, fmt::format("HugeTLB: unsupported hugepagesz={}", p.value));
        } else if (auto h = find_hstate(size)) {
            if (!parsed_default_ || !cfg_.default_size || *cfg_.default_size != size || cfg_.requests[*h].count) {
                refuse(v, fmt::format("HugeTLB: hugepagesz={} specified twice, ignoring", p.value));
            } else {
                parsed_hstate_ = h;
                parsed_valid_ = true;
            }
        } else {
            parsed_hstate_ = add_hstate(size);
            parsed_valid_ = true;
        }
    }

    // default_hugepagesz_setup()
    void default_hugepagesz(const NamedValue& p, ParamVerdict& v) {
        parsed_valid_ = false;
        const std::uint64_t size = memparse(p.value).value;
        if (parsed_default_) {
            refuse(v, fmt::format("HugeTLB: default_hugepagesz previously specified, ignoring {}", p.value));
        } else if (!supported(size)) {
            refuse(v, fmt::format("HugeTLB: unsupported default_hugepagesz={}", p.value));
        } else {
            const std::size_t h = hstate_for(size);
            parsed_valid_ = parsed_default_ = true;
            cfg_.default_size = size;
            if (pending_default_) {
                cfg_.requests[h].count = *pending_default_;
                pending_default_.reset();
            }
        }
    }

    // hugepages_setup()
    void hugepages(const NamedValue& p, ParamVerdict& v) {
        if (!parsed_valid_) {
            refuse(v, fmt::format("HugeTLB: hugepages={} does not follow a valid hugepagesz, ignoring", p.value));
            parsed_valid_ = true;
            return;
        }
        const std::int64_t target = parsed_hstate_ ? static_cast<std::int64_t>(*parsed_hstate_) : -1;
        if (last_target_ && *last_target_ == target) {
            refuse(v, fmt::format("HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring hugepages={}", p.value));
            return;
        }
        const HugepagesValue value = parse_hugepages_value(p.value);
        if (value.invalid_at) {
            refuse(v, fmt::format("HugeTLB: Invalid hugepages parameter {}", text(*value.invalid_at)));
        } else if (target < 0) {
            pending_default_ = value.count;
        } else {
            cfg_.requests[static_cast<std::size_t>(target)].count = value.count;
            cfg_.requests[static_cast<std::size_t>(target)].per_node = value.nodes;
        }
        last_target_ = target;
    }

    // hugetlb_init() gives a hugepages= that preceded every hugepagesz= to the default size when
    // nothing claimed it.
    HugetlbConfig finish() {
        if (pending_default_) {
            const std::uint64_t size = cfg_.default_size.value_or(sizes_.default_size);
            const std::size_t h = hstate_for(size);
            if (!cfg_.requests[h].count) cfg_.requests[h].count = *pending_default_;
        }
        return std::move(cfg_);
    }

    void record(std::size_t index, ParamVerdict v) { cfg_.verdicts.emplace_back(index, std::move(v)); }

private:
    static void refuse(ParamVerdict& v, std::string message) {
        v.accepted = false;
        v.messages.push_back(std::move(message));
    }
    [[nodiscard]] bool supported(std::uint64_t size) const {
        return std::find(sizes_.supported.begin(), sizes_.supported.end(), size) != sizes_.supported.end();
    }
    [[nodiscard]] std::optional<std::size_t> find_hstate(std::uint64_t size) const {
        for (std::size_t i = 0; i < cfg_.requests.size(); ++i)
            if (cfg_.requests[i].page_size == size) return i;
        return std::nullopt;
    }
    std::size_t add_hstate(std::uint64_t size) {
        cfg_.requests.push_back({size, 0, {}});
        return cfg_.requests.size() - 1;
    }
    std::size_t hstate_for(std::uint64_t size) {
        if (const auto h = find_hstate(size)) return *h;
        return add_hstate(size);
    }

    const HugepageSizes& sizes_;
    HugetlbConfig cfg_;
    bool parsed_valid_ = true;
    bool parsed_default_ = false;
    std::optional<std::size_t> parsed_hstate_;      // index into cfg_.requests
    std::optional<std::uint64_t> pending_default_;  // hugepages= before any hugepagesz=
    std::optional<std::int64_t> last_target_;       // -1: the pending default; otherwise an hstate
};

}  // namespace

HugetlbConfig parse_hugetlb(const std::vector<NamedValue>& params, const HugepageSizes& sizes) {
    HugetlbParser parser(sizes);
    for (const auto& p : params) {
        ParamVerdict v;
        if (p.name == "hugepagesz")
            parser.hugepagesz(p, v);
        else if (p.name == "default_hugepagesz")
            parser.default_hugepagesz(p, v);
        else if (p.name == "hugepages")
            parser.hugepages(p, v);
        else
            continue;
        parser.record(p.index, std::move(v));
    }
    return parser.finish();
}

HugetlbCma parse_hugetlb_cma(std::string_view value, std::uint64_t gigantic_page) {
    HugetlbCma c;
    std::string_view s = value;
    while (!s.empty()) {
        auto n = scan_decimal(s);
        if (!n) break;
        if (n->second < s.size() && s[n->second] == ':') {
            if (n->first >= 1024) break;
            s.remove_prefix(n->second + 1);
            auto size = memparse(s);
            c.per_node.emplace_back(static_cast<int>(n->first), size.value);
            c.size += size.value;
            s.remove_prefix(size.consumed);
            if (!s.empty() && s.front() == ',') {
                s.remove_prefix(1);
            } else {
                break;
            }
        } else {
            c.size = memparse(value).value;
            break;
        }
    }
    if (c.size && c.size < gigantic_page) {
        c.verdict.accepted = false;
        c.verdict.messages.push_back(fmt::format("hugetlb_cma: cma area should be at least {} MiB", gigantic_page >> 20));
    }
    return c;
}

CoreParam parse_kernelcore(std::string_view value, bool allow_mirror) {
    CoreParam c;
    if (allow_mirror && value.substr(0, 6) == "mirror" && (value.size() == 6 || value[6] == ',')) {
        c.mirror = true;
        return c;
    }
    auto n = simple_strtoull(value);
    if (n.consumed < value.size() && value[n.consumed] == '%') {
        c.percent = n.value;
        if (n.value > 100) c.verdict.messages.push_back(fmt::format("a percentage of {} (above 100) triggers a kernel WARN", n.value));
        return c;
    }
    c.bytes = memparse(value).value;
    return c;
}

NumaParam parse_numa(std::string_view value) {
    NumaParam n;
    if (value.substr(0, 3) == "off") n.off = true;
    if (value.substr(0, 5) == "fake=") n.fake = text(value.substr(5));
    if (value.substr(0, 6) == "noacpi") n.noacpi = true;
    if (!n.off && !n.fake && !n.noacpi && value.substr(0, 6) != "nohmat") {
        n.verdict.accepted = false;
        n.verdict.messages.push_back(fmt::format("numa={} is not a value x86 numa_setup() knows (off, fake=, noacpi, nohmat): ignored", value));
    }
    return n;
}

EfiFakeMem parse_efi_fake_mem(std::string_view value) {
    constexpr std::size_t kMaxFakeMem = 8;  // CONFIG_EFI_MAX_FAKE_MEM default
    EfiFakeMem e;
    std::string_view p = value;
    while (!p.empty()) {
        auto size = memparse(p);
        p.remove_prefix(size.consumed);
        if (p.empty() || p.front() != '@') break;
        auto start = memparse(p.substr(1));
        p.remove_prefix(1 + start.consumed);
        if (p.empty() || p.front() != ':') break;
        auto attr = simple_strtoull(p.substr(1));
        p.remove_prefix(1 + attr.consumed);
        if (e.ranges.size() >= kMaxFakeMem) break;
        e.ranges.push_back({start.value, size.value, attr.value});
        if (!p.empty() && p.front() == ',') p.remove_prefix(1);
    }
    if (!p.empty()) {
        e.verdict.accepted = !e.ranges.empty();
        e.verdict.error_offset = static_cast<std::size_t>(p.data() - value.data());
        e.verdict.messages.push_back(fmt::format("efi_fake_mem stops silently at '{}': the rest is ignored", text(p)));
    }
    std::sort(e.ranges.begin(), e.ranges.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    for (const auto& r : e.ranges)
        e.verdict.messages.push_back(
            fmt::format("efi_fake_mem: add attr={:#018x} to [mem {:#018x}-{:#018x}]", r.attribute, r.start, r.start + r.size - 1));
    return e;
}

ReserveParam parse_reserve(std::string_view value) {
    constexpr std::size_t kMaxReserve = 4;
    ReserveParam r;
    std::string_view p = value;
    // get_option(): an int (simple_strtol, base 0, truncated to 32 bits) and whether a ',' follows.
    auto option = [&](std::uint32_t& out) -> int {
        const bool negative = !p.empty() && p.front() == '-';
        auto n = simple_strtoull(negative ? p.substr(1) : p);
        if (n.consumed == 0) return 0;
        out = static_cast<std::uint32_t>(negative ? 0 - n.value : n.value);
        if (n.value > UINT32_MAX)
            r.verdict.messages.push_back(fmt::format("reserve= reads 32-bit integers: {:#x} becomes {:#x}", n.value, out));
        p.remove_prefix(n.consumed + (negative ? 1 : 0));
        if (!p.empty() && p.front() == ',') {
            p.remove_prefix(1);
            return 2;
        }
        return 1;
    };
    for (;;) {
        std::uint32_t start = 0, num = 0;
        if (option(start) != 2) break;
        if (option(num) == 0) break;
        if (r.ranges.size() < kMaxReserve) r.ranges.emplace_back(start, num);
    }
    if (!p.empty()) {
        r.verdict.accepted = !r.ranges.empty();
        r.verdict.error_offset = static_cast<std::size_t>(p.data() - value.data());
        r.verdict.messages.push_back(fmt::format("reserve= takes plain integers with no K/M/G suffix; it stops at '{}'", text(p)));
    }
    return r;
}

ReserveMem parse_reserve_mem(std::string_view value) {
    ReserveMem r;
    auto size = memparse(value);
    std::size_t p = size.consumed;
    auto malformed = [&] {
        r.verdict.accepted = false;
        r.verdict.messages.push_back("reserve_mem: empty or malformed parameter");
        return r;
    };
    if (size.value == 0 || p >= value.size() || value[p] != ':') return malformed();
    auto align = memparse(value.substr(p + 1));
    p += 1 + align.consumed;
    if (p >= value.size() || value[p] != ':') return malformed();
    r.name = text(value.substr(p + 1));
    if (r.name.empty() || r.name.size() > 15) return malformed();
    r.size = size.value;
    r.align = std::max<std::uint64_t>(align.value, 64);
    return r;
}

DmemParam parse_dmem(std::string_view value, std::uint64_t section_size) {
    DmemParam d;
    auto refuse = [&](std::string message, std::size_t at) {
        d.verdict.accepted = false;
        d.verdict.malformed_early = true;
        d.verdict.error_offset = at;
        if (!message.empty()) d.verdict.messages.push_back(std::move(message));
        return d;
    };
    std::size_t p = 0;
    if (p < value.size() && value[p] == '!') {
        d.resv_kernel = true;
        ++p;
    }
    auto size = memparse(value.substr(p));
    if (size.consumed == 0) return refuse("", p);
    p += size.consumed;
    if (size.value == 0) return refuse("dmem: 'size' of 0 defined in dmem=, or {invalid} param", 0);
    d.size = size.value;
    while (p < value.size()) {
        const char indicator = value[p];
        if (indicator != '@' && indicator != ':') return refuse(fmt::format("dmem: unknown indicator: {} in dmem=", indicator), p);
        std::uint64_t& slot = indicator == '@' ? d.base : d.align;
        if (slot != 0) return refuse("", p);
        auto n = memparse(value.substr(p + 1));
        if (n.consumed == 0) return refuse("", p + 1);
        if (n.value == 0) return refuse("dmem: 'addr' or 'align' should not be set to 0", p + 1);
        slot = n.value;
        p += 1 + n.consumed;
    }
    if (d.align == 0) d.align = section_size;
    if (d.align < section_size)
        return refuse(fmt::format("dmem: 'align' should be {:#x} at least to be aligned to memory section.", section_size), 0);
    if ((d.align & (d.align - 1)) != 0) return refuse("dmem: 'align' should be power of 2.", 0);
    if (d.base & (d.align - 1)) return refuse("dmem: 'addr' is unaligned to 'align' in dmem=", 0);
    if (d.size & (d.align - 1)) return refuse("dmem: 'size' is unaligned to 'align' in dmem=", 0);
    if (d.base >= d.base + d.size) return refuse("dmem: 'addr + size' overflow in dmem=", 0);
    if (d.resv_kernel && d.base) return refuse("dmem: take a certain base address for kernel is illegal", 0);
    d.verdict.messages.push_back(fmt::format("dmem: parameter: base address {:#x} size {:#x} align {:#x} resv_kernel {}", d.base, d.size, d.align,
                                             d.resv_kernel ? 1 : 0));
    return d;
}

}  // namespace bootmap::grammars
