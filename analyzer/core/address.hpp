#pragma once
// Physical addresses, byte sizes and page frame numbers as distinct types: adding two addresses or
// passing a size where an address is expected does not compile.

#include <algorithm>
#include <compare>
#include <cstdint>
#include <optional>

namespace bootmap {

class ByteSize {
public:
    constexpr ByteSize() = default;
    constexpr explicit ByteSize(std::uint64_t bytes) : bytes_(bytes) {}
    [[nodiscard]] constexpr std::uint64_t bytes() const { return bytes_; }
    constexpr auto operator<=>(const ByteSize&) const = default;

    // Sums of sizes are checked: a total that wraps 64 bits is a bug in the caller's data, not a number.
    [[nodiscard]] constexpr std::optional<ByteSize> checked_add(ByteSize other) const {
        if (bytes_ > UINT64_MAX - other.bytes_) return std::nullopt;
        return ByteSize{bytes_ + other.bytes_};
    }

private:
    std::uint64_t bytes_ = 0;
};

class PhysAddr {
public:
    constexpr PhysAddr() = default;
    constexpr explicit PhysAddr(std::uint64_t value) : value_(value) {}
    [[nodiscard]] constexpr std::uint64_t value() const { return value_; }
    constexpr auto operator<=>(const PhysAddr&) const = default;

    [[nodiscard]] constexpr std::optional<PhysAddr> checked_add(ByteSize size) const {
        if (value_ > UINT64_MAX - size.bytes()) return std::nullopt;
        return PhysAddr{value_ + size.bytes()};
    }
    // Distance from `from` to this address; only meaningful when from <= *this.
    [[nodiscard]] constexpr ByteSize distance_from(PhysAddr from) const { return ByteSize{value_ - from.value_}; }

private:
    std::uint64_t value_ = 0;
};

class Pfn {
public:
    constexpr explicit Pfn(std::uint64_t value) : value_(value) {}
    [[nodiscard]] constexpr std::uint64_t value() const { return value_; }
    [[nodiscard]] static constexpr Pfn of(PhysAddr addr, unsigned page_shift) { return Pfn{addr.value() >> page_shift}; }
    constexpr auto operator<=>(const Pfn&) const = default;

private:
    std::uint64_t value_;
};

// A half-open range [begin, end) of physical addresses. Construction is checked, so a range never wraps
// and never has end < begin. Formats that print inclusive ends convert at their edge.
class AddrRange {
public:
    constexpr AddrRange() = default;

    [[nodiscard]] static constexpr std::optional<AddrRange> from_bounds(PhysAddr begin, PhysAddr end) {
        if (end < begin) return std::nullopt;
        return AddrRange{begin, end};
    }
    [[nodiscard]] static constexpr std::optional<AddrRange> from_size(PhysAddr begin, ByteSize size) {
        auto end = begin.checked_add(size);
        if (!end) return std::nullopt;
        return AddrRange{begin, *end};
    }
    // From an inclusive [first, last] pair as /proc/iomem and `[mem a-b]` print it. A range whose last
    // byte is the top of the 64-bit space cannot be held half-open and is refused.
    [[nodiscard]] static constexpr std::optional<AddrRange> from_inclusive(PhysAddr first, PhysAddr last) {
        if (last < first || last.value() == UINT64_MAX) return std::nullopt;
        return AddrRange{first, PhysAddr{last.value() + 1}};
    }

    [[nodiscard]] constexpr PhysAddr begin() const { return begin_; }
    [[nodiscard]] constexpr PhysAddr end() const { return end_; }
    [[nodiscard]] constexpr PhysAddr last() const { return PhysAddr{end_.value() - 1}; }  // precondition: !empty()
    [[nodiscard]] constexpr ByteSize size() const { return end_.distance_from(begin_); }
    [[nodiscard]] constexpr bool empty() const { return begin_ == end_; }
    [[nodiscard]] constexpr bool contains(PhysAddr a) const { return begin_ <= a && a < end_; }
    [[nodiscard]] constexpr bool contains(const AddrRange& r) const { return begin_ <= r.begin_ && r.end_ <= end_; }
    [[nodiscard]] constexpr bool overlaps(const AddrRange& r) const { return begin_ < r.end_ && r.begin_ < end_; }
    [[nodiscard]] constexpr std::optional<AddrRange> intersect(const AddrRange& r) const {
        if (!overlaps(r)) return std::nullopt;
        return AddrRange{std::max(begin_, r.begin_), std::min(end_, r.end_)};
    }
    constexpr auto operator<=>(const AddrRange&) const = default;

private:
    constexpr AddrRange(PhysAddr b, PhysAddr e) : begin_(b), end_(e) {}
    PhysAddr begin_{};
    PhysAddr end_{};
};

}  // namespace bootmap
