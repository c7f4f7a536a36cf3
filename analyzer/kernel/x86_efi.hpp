#pragma once
// What an x86 kernel booted through UEFI does to the e820 map and memblock beyond a BIOS boot
// (6.1 and 6.12): e820__reserve_setup_data() for the blobs the EFI stub passes, efi_init()'s
// efi_remove_e820_mmio() (v6.2+), efi_reserve_boot_services() and efi_arch_mem_reserve(). The
// ranges come from the current boot's log: firmware and stub put them at the same places on every
// boot of the same machine (the captures of one machine with different command lines agree).

#include <vector>

#include "core/address.hpp"
#include "kernel/e820.hpp"
#include "kernel/memblock.hpp"
#include "model/boot_log.hpp"

namespace bootmap {

struct X86EfiBoot {
    std::vector<AddrRange> setup_data;
    std::vector<AddrRange> mmio_removed;   // what efi_remove_e820_mmio() drops, on a kernel that does
    std::vector<AddrRange> reserved;       // efi_arch_mem_reserve() ranges, after memblock setup
    std::vector<AddrRange> boot_services;  // EFI_BOOT_SERVICES_{CODE,DATA}: memblock-reserved until late in boot
    bool memmap_known = false;             // the log had efi=debug's map: boot services and MMIO are known
};

// nullopt for a boot that did not go through UEFI (or a log that does not say).
std::optional<X86EfiBoot> x86_efi_boot(const BootLog& log);

// e820__reserve_setup_data() (the kernel's double underscore is reserved in C++): each blob RAM →
// reserved-kern, then the table is sanitized. Runs after the command line's edits
// (parse_early_param() comes first in setup_arch()).
void e820_reserve_setup_data(E820Model& model, const std::vector<AddrRange>& setup_data);
// efi_remove_e820_mmio(): from v6.2 (07eab0901ede, "efi/x86: Remove EfiMemoryMappedIO from E820
// map") EFI MMIO regions of 256 KiB or more leave e820, so they never reach /proc/iomem.
void efi_remove_e820_mmio(E820Model& model, const X86EfiBoot& efi, const KernelProfile& profile);
// efi_arch_mem_reserve(): RAM → reserved and sanitize, for each range kept for the OS.
void efi_arch_mem_reserve(E820Model& model, const std::vector<AddrRange>& ranges);
// efi_reserve_boot_services(): boot services code and data stay reserved in memblock until
// efi_free_boot_services(), long after the early allocations (the crash kernel among them).
void efi_reserve_boot_services(Memblock& memblock, const X86EfiBoot& efi);

}  // namespace bootmap
