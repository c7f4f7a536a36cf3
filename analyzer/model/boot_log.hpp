#pragma once
// What a kernel log records about the boot it comes from, beyond the firmware's e820 map: the
// kernel that ran, its command line, and the edits that firmware (through the EFI stub) made to
// the memory map on the way. These are facts of the machine and its firmware: the next boot of the
// same machine sees them again, so a prediction replays them.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/source_location.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

// One descriptor of the EFI memory map as `efi=debug` prints it ("efi: mem07: [Boot Data |...]").
struct EfiMemoryDescriptor {
    std::string type;       // as printed, trimmed: "Conventional", "Boot Code", "Runtime Data", "MMIO", ...
    bool runtime = false;   // the RUN attribute
    AddrRange range;
    SourceLocation where;

    [[nodiscard]] bool boot_services() const { return type == "Boot Code" || type == "Boot Data"; }
};

// The architecture a log's own lines name: an arch-only line ("CPU: ARMv7 Processor", "SBI
// specification v1.0", "BIOS-e820:") beats the release or compiler on the Linux version line, which
// beats "Machine model:" (any device-tree board).
struct LoggedArch {
    Arch arch = Arch::x86_64;
    std::string evidence;  // the words that said it
    SourceLocation where;
    int strength = 0;  // 3 an arch-only line, 2 the version line, 1 a device-tree board
};

// An ACPI table where the firmware put it, as the kernel lists them at boot ("ACPI: RSDT 0x7FFE22D0 000038 ...").
struct AcpiTableSeen {
    std::string signature;
    AddrRange range;
};

struct BootLog {
    std::string source;
    std::optional<std::string> kernel_release;  // "6.1.0-56-amd64", from "Linux version ..."
    std::optional<std::string> upstream_release;  // "6.1.192", from the same line's "Debian 6.1.192-2": the sublevel an ABI name hides
    SourceLocation release_where;
    std::optional<std::string> command_line;    // "Command line: ..." (x86) or "Kernel command line: ..."
    SourceLocation command_line_where;
    bool x86_firmware_map = false;               // BIOS-e820 lines: an x86 boot
    std::optional<std::string> efi_firmware;     // "EFI v2.70 by EDK II": booted through UEFI
    std::optional<std::string> machine_model;    // arm: "Machine model: linux,dummy-virt"
    std::optional<LoggedArch> arch;
    // e820__reserve_setup_data(): each setup_data blob the boot loader (or EFI stub) passed became
    // a reserved-kern range ("e820: update [mem …] usable ==> usable", before the setup_data map).
    std::vector<AddrRange> setup_data;
    // efi_remove_e820_mmio() (v6.2+): EFI MMIO regions of 256 KiB or more dropped from e820.
    std::vector<AddrRange> efi_mmio_removed;
    // efi_arch_mem_reserve() (BGRT image, ESRT, MOK table): boot-services data kept for the OS,
    // turned from RAM into reserved after memblock was set up ("usable ==> reserved" after the
    // BIOS-area trim).
    std::vector<AddrRange> efi_reserved;
    std::vector<EfiMemoryDescriptor> efi_memmap;  // efi=debug: the map as the kernel received it
    std::optional<std::uint64_t> memory_block_size;  // "Memory block size: 2048MB" (large machines)
    std::optional<std::uint64_t> initrd_freed;       // "Freeing initrd memory: 1012K": the initrd's whole pages
    std::vector<AcpiTableSeen> acpi_tables;          // memory the firmware's ACPI tables live in
    // mem_init()'s "Memory: A/B available (NK kernel code, NK rwdata, NK rodata, NK init, NK bss, ...)":
    // the running kernel's image sizes, in bytes, in that order.
    std::optional<std::array<std::uint64_t, 5>> kernel_image_sizes;
};

}  // namespace bootmap
