#pragma once
// The kernel's sort() (lib/sort.c): an in-place bottom-up heapsort. It is not stable, and the order
// it leaves equal elements in is observable: reserved_mem gives every dynamic region the same key,
// so the order they are placed in is whatever this permutation makes of tree order. Two variants:
// 5.1's (one element popped per round, the sift-down path preferring the left child on ties), and
// the one with the double-pop rework and the "equal elements" change (commit 0e02ca29a563 and the
// sift-down fix after it), which leaves ties in another order. `cmp(a, b)` returns <0, 0 or >0
// like the kernel's comparators.

#include <cstddef>
#include <utility>
#include <vector>

namespace bootmap {

enum class KernelSortVariant { single_pop, double_pop };

template <class T, class Compare>
void kernel_heapsort(std::vector<T>& items, Compare cmp, KernelSortVariant variant = KernelSortVariant::single_pop) {
    const std::size_t num = items.size();
    std::size_t a = num / 2;  // next element to sift while building the heap
    std::size_t n = num;      // elements [n, num) are sorted
    if (a == 0) return;
    const bool double_pop = variant == KernelSortVariant::double_pop;
    std::size_t shift = 0;  // double-pop: after popping two, sift 1 << shift, then the root
    const auto parent = [](std::size_t i) { return (i - 1) / 2; };
    for (;;) {
        if (a != 0) {
            a -= double_pop ? (std::size_t{1} << shift) : 1;
        } else if (double_pop && n > 3) {
            // Pop the largest, then the larger of its two children.
            --n;
            std::swap(items[0], items[n]);
            shift = cmp(items[1], items[2]) <= 0 ? 1 : 0;
            a = std::size_t{1} << shift;
            --n;
            std::swap(items[a], items[n]);
        } else if (!double_pop && --n != 0) {
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
            const int order = cmp(items[c], items[d]);
            b = (double_pop ? order > 0 : order >= 0) ? c : d;
        }
        if (d == n) b = c;  // a last leaf without a sibling
        while (b != a && cmp(items[a], items[b]) >= 0) b = parent(b);
        c = b;
        while (b != a) {
            b = parent(b);
            std::swap(items[b], items[c]);
        }
    }
    if (double_pop) {
        // The last two or three: pop the root, then order the two left.
        --n;
        std::swap(items[0], items[n]);
        if (n == 2 && cmp(items[0], items[1]) > 0) std::swap(items[0], items[1]);
    }
}

}  // namespace bootmap
