#pragma once
// The RAM part of /proc/iomem an arm64 kernel builds (arch/arm64/kernel/setup.c,
// request_standard_resources() and reserve_memblock_reserved_regions()): one top-level resource per
// memblock memory region, "System RAM", or "reserved" when it is NOMAP; "Crash kernel" inside it;
// then "reserved" children for the memblock reservations, split around what is already there.
// Only reservations the configuration makes are placed as children: the kernel's own early
// allocations are not predicted.

#include "kernel/arm64_boot.hpp"
#include "model/iomem.hpp"

namespace bootmap {

IomemTree arm64_configured_iomem(const Arm64Boot& boot, const KernelProfile& profile);

// /sys/kernel/debug/memblock/reserved as it stays after boot, limited to what the inputs decide: the
// DTB where its place was given, and the configured reservations (the kernel image's reservation
// shrinks when init memory is freed, and the initrd is freed once unpacked).
MemblockType arm64_lasting_reservations(const Arm64Boot& boot, const KernelProfile& profile);

// The inverse, for a dump of a boot that went through UEFI: its top-level "System RAM" and
// "reserved" entries are the memblock memory regions the EFI memory map gave, the "reserved" ones
// NOMAP. Empty when the dump has none.
std::vector<FirmwareMemoryRange> arm64_memory_from_iomem(const IomemTree& iomem);
// [_stext, _end) from "Kernel code" and "Kernel data", as base and size; nullopt without them.
std::optional<std::pair<std::uint64_t, std::uint64_t>> arm64_kernel_image_from_iomem(const IomemTree& iomem);

// Where the EFI stub put the tree it handed over (allocate_new_fdt_and_exit_boot(): a 64 KiB-aligned
// allocation, the blob packed at its start) and, right below it, the ACPI-reclaim pool holding the
// memory map it installed as a configuration table (efi_get_memory_map()), which reserve_regions()
// keeps reserved. In the boot's /proc/iomem the two are one "reserved" entry ending at the blob's
// last page: found by the blob's size and the 64 KiB alignment of both allocations.
struct EfiStubTree {
    std::pair<std::uint64_t, std::uint64_t> fdt;           // base, size (the blob's total size)
    std::pair<std::uint64_t, std::uint64_t> memory_map;    // base, size; size 0 when none sits below
};
std::optional<EfiStubTree> efi_stub_tree_from_iomem(const IomemTree& iomem, std::uint64_t fdt_size, std::uint64_t page);

}  // namespace bootmap
