#pragma once
// The kernel's sort() (lib/sort.c since 5.1): an in-place bottom-up heapsort. It is not stable, and
// the order it leaves equal elements in is observable: reserved_mem gives every dynamic region the
// same key, so the order they are placed in is whatever this permutation makes of tree order.
// `cmp(a, b)` returns <0, 0 or >0 like the kernel's comparators.

#include <cstddef>
#include <utility>
#include <vector>

namespace bootmap {

template <class T, class Compare>
void kernel_heapsort(std::vector<T>& items, Compare cmp) {
    const std::size_t num = items.size();
    std::size_t a = num / 2;  // next element to sift while building the heap
    std::size_t n = num;      // elements [n, num) are sorted
    if (a == 0) return;
    const auto parent = [](std::size_t i) { return (i - 1) / 2; };
    for (;;) {
        if (a != 0) {
            --a;
        } else if (--n != 0) {
            std::swap(items[0], items[n]);
        } else {
            break;
        }
        // Follow the larger child all the way down (one comparison per level), then climb back to
        // where the sifted element belongs and rotate the path.
        std::size_t b = a;
        std::size_t c = 0;
        std::size_t d = 0;
        for (;;) {
            c = 2 * b + 1;
            d = c + 1;
            if (d >= n) break;
            b = cmp(items[c], items[d]) >= 0 ? c : d;
        }
        if (d == n) b = c;  // a last leaf without a sibling
        while (b != a && cmp(items[a], items[b]) >= 0) b = parent(b);
        c = b;
        while (b != a) {
            b = parent(b);
            std::swap(items[b], items[c]);
        }
    }
}

}  // namespace bootmap
