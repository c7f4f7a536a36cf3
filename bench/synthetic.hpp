#pragma once
// Large synthetic inputs of realistic shape, generated at bench time and never stored: a /proc/iomem
// dump, a boot log's e820 lines, a binary SRAT, a device tree with many reserved-memory children,
// and a memblock fragmented over many nodes. Deterministic: the same size gives the same input.

#include <libfdt.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernel/memblock.hpp"

namespace bootmap::bench {

// Top-level RAM, reserved and PCI windows with children two and three levels deep.
inline std::string synthetic_iomem(std::size_t lines) {
    std::string out;
    out.reserve(lines * 40);
    std::uint64_t addr = 0x1000;
    std::size_t written = 0;
    while (written < lines) {
        const std::uint64_t size = 0x100000;  // 1 MiB per top-level block
        const char* name = (written % 3 == 0) ? "System RAM" : (written % 3 == 1 ? "Reserved" : "PCI Bus 0000:00");
        fmt::format_to(std::back_inserter(out), "{:08x}-{:08x} : {}\n", addr, addr + size - 1, name);
        ++written;
        for (std::uint64_t child = 0; child < 4 && written < lines; ++child) {
            const std::uint64_t c = addr + child * 0x40000;
            fmt::format_to(std::back_inserter(out), "  {:08x}-{:08x} : reserved\n", c, c + 0x1ffff);
            ++written;
            if (written < lines) {
                fmt::format_to(std::back_inserter(out), "    {:08x}-{:08x} : 0000:00:{:02x}.0\n", c, c + 0xfff, child);
                ++written;
            }
        }
        addr += size + 0x1000;  // leave a hole between blocks
    }
    return out;
}

// Boot RAM and then `devices` pmem regions, each with a namespace and a dax device whose capacity
// kmem onlined (a start off the memory-block boundary, so every device strands something).
inline std::string synthetic_pmem_iomem(std::size_t devices) {
    std::string out = "00001000-0009fbff : System RAM\n00100000-7fffffff : System RAM\n100000000-47fffffff : System RAM\n";
    std::uint64_t addr = 0x480000000;
    for (std::size_t i = 0; i < devices; ++i) {
        const std::uint64_t size = 16ull << 30, dax = addr + (130ull << 20);
        fmt::format_to(std::back_inserter(out), "{:x}-{:x} : Persistent Memory\n  {:x}-{:x} : namespace{}.0\n  {:x}-{:x} : dax{}.0\n    {:x}-{:x} : System RAM (kmem)\n",
                       addr, addr + size - 1, addr, dax - 1, i, dax, addr + size - 1, i, addr + (2ull << 30), addr + size - 1);
        addr += size;
    }
    return out;
}

// A boot log whose firmware map has `entries` e820 lines (usable and reserved alternating, with
// the timestamps and the surrounding lines a real log has).
inline std::string synthetic_e820_dmesg(std::size_t entries) {
    std::string out = "[    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)\n"
                      "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet\n"
                      "[    0.000000] BIOS-provided physical RAM map:\n";
    out.reserve(entries * 64 + 512);
    std::uint64_t addr = 0;
    for (std::size_t i = 0; i < entries; ++i) {
        const std::uint64_t size = i % 2 == 0 ? 0x3ff000 : 0x1000;
        fmt::format_to(std::back_inserter(out), "[    0.000000] BIOS-e820: [mem 0x{:016x}-0x{:016x}] {}\n", addr, addr + size - 1,
                       i % 2 == 0 ? "usable" : "reserved");
        addr += size;
    }
    out += "[    0.000000] NX (Execute Disable) protection: active\n";
    return out;
}

// A generated grub.cfg with `entries` menu entries (one `linux` line each, memory parameters that
// every entry's checks replay), as update-grub writes them.
inline std::string synthetic_grub_cfg(std::size_t entries) {
    std::string out = "set default=\"0\"\nset timeout=5\n";
    out.reserve(entries * 200 + 64);
    for (std::size_t i = 0; i < entries; ++i)
        fmt::format_to(std::back_inserter(out),
                       "menuentry 'Debian GNU/Linux, entry {}' --class debian {{\n\tlinux /boot/vmlinuz-6.1.0-{}-amd64 root=UUID=1234 ro quiet "
                       "crashkernel=256M memmap={}M\\$4G hugepages={}\n\tinitrd /boot/initrd.img-6.1.0-{}-amd64\n}}\n",
                       i, i % 60, 64 + i % 64, i % 8, i % 60);
    return out;
}

// An ACPI SRAT (revision 3) with one enabled memory affinity entry per node and one processor
// entry per node, checksum correct.
inline std::string synthetic_srat(std::size_t nodes) {
    std::string t(48, '\0');
    auto put = [&t](std::size_t at, std::uint64_t value, std::size_t bytes) {
        for (std::size_t b = 0; b < bytes; ++b) t[at + b] = static_cast<char>((value >> (8 * b)) & 0xff);
    };
    std::memcpy(t.data(), "SRAT", 4);
    t[8] = 3;
    std::memcpy(t.data() + 10, "BOCHS ", 6);
    std::memcpy(t.data() + 16, "BXPCSRAT", 8);
    put(36, 1, 4);
    const std::uint64_t per_node = 4ull << 30;
    for (std::size_t n = 0; n < nodes; ++n) {
        std::string cpu(16, '\0');
        cpu[0] = 0;
        cpu[1] = 16;
        cpu[2] = static_cast<char>(n & 0xff);
        cpu[3] = static_cast<char>(n & 0xff);  // APIC id
        cpu[4] = 1;                             // enabled
        t += cpu;
        const std::size_t at = t.size();
        t.append(40, '\0');
        t[at] = 1;
        t[at + 1] = 40;
        put(at + 2, n, 4);
        put(at + 8, 0x100000000ull + n * per_node, 8);
        put(at + 16, per_node, 8);
        put(at + 28, 1, 4);  // enabled
    }
    put(4, t.size(), 4);
    unsigned sum = 0;
    for (const char c : t) sum += static_cast<unsigned char>(c);
    t[9] = static_cast<char>((256 - sum % 256) % 256);
    return t;
}

// A DTB with 16 GiB of memory and `children` reserved-memory regions: half static (reg, every
// other one no-map), half dynamic (size and alignment only).
inline std::string synthetic_dtb(std::size_t children) {
    std::vector<char> buf(4096 + children * 256);
    void* fdt = buf.data();
    const auto cells = [](std::initializer_list<std::uint64_t> values) {
        std::string out;
        for (const auto v : values) {
            const fdt32_t hi = cpu_to_fdt32(static_cast<std::uint32_t>(v >> 32)), lo = cpu_to_fdt32(static_cast<std::uint32_t>(v));
            out.append(reinterpret_cast<const char*>(&hi), 4).append(reinterpret_cast<const char*>(&lo), 4);
        }
        return out;
    };
    const auto u32 = [](std::uint32_t v) {
        const fdt32_t be = cpu_to_fdt32(v);
        return std::string(reinterpret_cast<const char*>(&be), 4);
    };
    const auto prop = [&](const char* name, const std::string& value) { fdt_property(fdt, name, value.data(), static_cast<int>(value.size())); };
    fdt_create(fdt, static_cast<int>(buf.size()));
    fdt_finish_reservemap(fdt);
    fdt_begin_node(fdt, "");
    prop("#address-cells", u32(2));
    prop("#size-cells", u32(2));
    fdt_property_string(fdt, "compatible", "linux,dummy-virt");
    fdt_begin_node(fdt, "memory@40000000");
    fdt_property_string(fdt, "device_type", "memory");
    prop("reg", cells({0x40000000, 16ull << 30}));
    fdt_end_node(fdt);
    fdt_begin_node(fdt, "reserved-memory");
    prop("#address-cells", u32(2));
    prop("#size-cells", u32(2));
    fdt_property(fdt, "ranges", nullptr, 0);
    for (std::size_t i = 0; i < children; ++i) {
        if (i % 2 == 0) {
            const std::uint64_t base = 0x80000000ull + (i / 2) * 0x20000;
            fdt_begin_node(fdt, fmt::format("static@{:x}", base).c_str());
            prop("reg", cells({base, 0x10000}));
            if (i % 4 == 0) fdt_property(fdt, "no-map", nullptr, 0);
        } else {
            fdt_begin_node(fdt, fmt::format("dynamic-{}", i / 2).c_str());
            prop("size", cells({0x10000}));
            prop("alignment", cells({0x10000}));
        }
        fdt_end_node(fdt);
    }
    fdt_end_node(fdt);
    fdt_begin_node(fdt, "chosen");
    fdt_end_node(fdt);
    fdt_end_node(fdt);
    fdt_finish(fdt);
    return std::string(buf.data(), fdt_totalsize(fdt));
}

// 64 nodes of 4 GiB each and `ranges` reserved ranges scattered over them (never touching, so
// none merge): the fragmented memblock a big machine has after early boot.
inline Memblock fragmented_memblock(std::size_t ranges, int nodes = 64) {
    Memblock mb{KernelProfile{}};
    mb.allow_resize();
    const std::uint64_t per_node = 4ull << 30;
    for (int n = 0; n < nodes; ++n) mb.add_node(0x100000000ull + static_cast<std::uint64_t>(n) * per_node, per_node, n);
    const std::uint64_t span = per_node * static_cast<std::uint64_t>(nodes);
    const std::uint64_t stride = span / ranges;
    for (std::size_t i = 0; i < ranges; ++i) mb.reserve(0x100000000ull + i * stride, std::max<std::uint64_t>(4096, stride / 4 / 4096 * 4096));
    return mb;
}

}  // namespace bootmap::bench
