#include "kernel/x86_efi.hpp"

namespace bootmap {

namespace {
// efi_remove_e820_mmio() keeps smaller MMIO regions: they may be ECAM or other non-window space.
constexpr std::uint64_t kMmioRemoveMin = std::uint64_t{256} << 10;
}  // namespace

std::optional<X86EfiBoot> x86_efi_boot(const BootLog& log) {
    if (!log.efi_firmware && log.efi_memmap.empty()) return std::nullopt;
    X86EfiBoot efi;
    efi.setup_data = log.setup_data;
    efi.reserved = log.efi_reserved;
    efi.memmap_known = !log.efi_memmap.empty();
    for (const auto& md : log.efi_memmap) {
        if (md.boot_services()) efi.boot_services.push_back(md.range);
        if (md.type == "MMIO" && md.range.size().bytes() >= kMmioRemoveMin) efi.mmio_removed.push_back(md.range);
    }
    // A 6.2+ log names what it removed even without efi=debug.
    if (efi.mmio_removed.empty()) efi.mmio_removed = log.efi_mmio_removed;
    return efi;
}

void e820_reserve_setup_data(E820Model& model, const std::vector<AddrRange>& setup_data) {
    if (setup_data.empty()) return;
    for (const auto& r : setup_data) model.range_update(r.begin(), r.size(), e820_type::ram, e820_type::reserved_kern);
    model.update_table();
}

void efi_remove_e820_mmio(E820Model& model, const X86EfiBoot& efi, const KernelProfile& profile) {
    if (!profile.has(Gate::efi_mmio_leaves_e820)) return;
    for (const auto& r : efi.mmio_removed) model.range_remove(r.begin(), r.size(), e820_type::reserved, true);
}

void efi_arch_mem_reserve(E820Model& model, const std::vector<AddrRange>& ranges) {
    for (const auto& r : ranges) {
        model.range_update(r.begin(), r.size(), e820_type::ram, e820_type::reserved);
        model.update_table();
    }
}

void efi_reserve_boot_services(Memblock& memblock, const X86EfiBoot& efi) {
    for (const auto& r : efi.boot_services) memblock.reserve(r.begin().value(), r.size().bytes());
}

}  // namespace bootmap
