#pragma once
// Replays what an x86 kernel does to the firmware's e820 map during setup_arch() (6.1): the early
// parameters mem= and memmap= in command-line order (parse_memopt(), parse_memmap_one()), the
// user-defined map of e820__finish_early_params(), e820_add_kernel_range() (when the image's place
// is known) and trim_bios_range(); under UEFI also the setup_data blobs, the EFI MMIO removal and
// the EFI reservations that follow memblock setup (kernel/x86_efi.hpp).

#include <cstddef>
#include <optional>
#include <vector>

#include "grammars/kernel_cmdline.hpp"
#include "grammars/memory_params.hpp"
#include "kernel/e820.hpp"
#include "kernel/x86_efi.hpp"

namespace bootmap {

// One mem= or memmap= item as the kernel handled it.
struct E820ParamEffect {
    std::size_t param_index = 0;   // into the tokenized command line
    bool is_mem = false;           // mem= (else a memmap= item)
    grammars::MemParam mem;
    grammars::MemmapItem item;
    std::vector<E820Edit> edits;   // what it did to the table
};

struct X86E820Setup {
    bool userdef = false;                  // the kernel prints a user-defined map
    bool invalid_user_map = false;         // e820__update_table() refused it: "Invalid user supplied memory map" panic
    std::optional<E820Table> user_map;     // as printed under "user-defined physical RAM map:"
    // e820_add_kernel_range(): the known image location (nokaslr) was not all RAM, so the kernel
    // warned ".text .data .bss are not marked as E820_TYPE_RAM!" and made it RAM again.
    std::optional<AddrRange> kernel_range_restored;
    E820Table final_map;                   // after trim_bios_range(): what memblock is built from
    E820Table resource_map;                // after the EFI reservations: what /proc/iomem's e820 entries come from
    std::vector<E820ParamEffect> effects;
};

X86E820Setup replay_x86_e820(const E820Table& firmware, const std::vector<grammars::CmdlineParam>& params, const KernelProfile& profile,
                             const X86EfiBoot* efi = nullptr);

}  // namespace bootmap
