#include "memory_params.hpp"

namespace bootmap::grammars {

MemParam parse_mem_param(std::string_view value) {
    MemParam p;
    if (value == "nopentium") {
        p.nopentium = true;  // 32-bit only; x86_64 warns and ignores it
        return p;
    }
    p.size = memparse(value);
    p.valid = p.size.value != 0;  // "mem={invalid}" must not remove all memory
    return p;
}

namespace {

MemmapItem parse_item(std::string_view item) {
    MemmapItem m;
    m.length = item.size();
    if (item.substr(0, 8) == "exactmap") {  // strncmp(p, "exactmap", 8): any tail is ignored
        m.kind = MemmapItem::Kind::exactmap;
        m.parsed = 8;
        return m;
    }
    m.size = memparse(item);
    if (m.size.consumed == 0) return m;  // invalid: nothing happens
    std::size_t p = m.size.consumed;
    if (p >= item.size() || (item[p] != '@' && item[p] != '#' && item[p] != '$' && item[p] != '!' && item[p] != '%')) {
        m.kind = MemmapItem::Kind::limit;
        m.parsed = p;
        return m;
    }
    m.indicator = item[p];
    m.start = memparse(item.substr(p + 1));  // an empty address parses as 0 and is used
    p += 1 + m.start.consumed;
    switch (m.indicator) {
        case '@': m.new_type = 1; break;   // E820_TYPE_RAM
        case '#': m.new_type = 3; break;   // E820_TYPE_ACPI
        case '$': m.new_type = 2; break;   // E820_TYPE_RESERVED
        case '!': m.new_type = 12; break;  // E820_TYPE_PRAM
        default: break;
    }
    if (m.indicator != '%') {
        m.kind = MemmapItem::Kind::add;
        m.parsed = p;
        return m;
    }
    if (p < item.size() && item[p] == '-') {
        auto t = simple_strtoull(item.substr(p + 1));
        m.old_type = t.value;
        p += 1 + t.consumed;
    }
    if (p < item.size() && item[p] == '+') {
        auto t = simple_strtoull(item.substr(p + 1));
        m.new_type = t.value;
        p += 1 + t.consumed;
    }
    m.parsed = p;
    if (p != item.size()) {
        m.kind = MemmapItem::Kind::rejected;  // the '%' form checks for trailing text before acting
        return m;
    }
    if (m.old_type && m.new_type) m.kind = MemmapItem::Kind::update;
    else if (m.new_type) m.kind = MemmapItem::Kind::add;
    else m.kind = MemmapItem::Kind::remove;
    m.parsed = p;
    return m;
}

}  // namespace

std::vector<MemmapItem> parse_memmap_param(std::string_view value) {
    std::vector<MemmapItem> items;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = value.find(',', pos);
        const std::string_view text = value.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        MemmapItem item = parse_item(text);
        item.offset = pos;
        items.push_back(item);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return items;
}

}  // namespace bootmap::grammars
