#pragma once
// The one machine model every reader fills and every analysis reads. Each part is optional: a run
// analyses what its inputs describe and says what is missing for the rest.

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "grammars/kernel_cmdline.hpp"
#include "model/dax_namespace.hpp"
#include "model/kernel_profile.hpp"
#include "model/boot_log.hpp"
#include "model/dax_listing.hpp"
#include "model/device_tree.hpp"
#include "model/e820.hpp"
#include "core/address.hpp"
#include "core/source_location.hpp"
#include "model/iomem.hpp"
#include "model/srat.hpp"

namespace bootmap {

// A '$' that a bootloader's script layer expanded on the way to the kernel.
struct BootloaderExpansion {
    SourceLocation where;  // the '$' in the file the user edits
    std::string name;      // the variable name ("96" for a positional parameter)
    std::string value;     // what it became ("" when unset)
    std::string layer;     // "sh" (grub-mkconfig sourcing /etc/default/grub) or "GRUB" (grub.cfg)
};

struct KernelCommandLine {
    std::string source;  // file (or "/proc/cmdline", or "--cmdline")
    std::string text;    // as the kernel receives it, without the trailing newline
    std::vector<grammars::CmdlineParam> params;  // as the kernel splits it
    std::string entry;                            // boot entry it belongs to (menu entry, label); may be empty
    // Where each character of `text` came from; empty when `text` is line 1 of `source` verbatim.
    std::vector<SourceLocation> positions;
    std::vector<BootloaderExpansion> expansions;

    // The location in `source` of byte `offset` of `text`.
    [[nodiscard]] SourceLocation locate(std::size_t offset) const {
        if (offset < positions.size()) return positions[offset];
        if (!positions.empty()) return positions.back();
        return SourceLocation{source, 1, static_cast<std::uint32_t>(offset + 1), std::nullopt};
    }
};

// A RAM range as the firmware describes it to the kernel (arm64 UEFI: the EFI memory map, from which
// the stub's kernel builds memblock; regions it must not map are NOMAP).
struct FirmwareMemoryRange {
    AddrRange range;
    bool nomap = false;
};

// Where the bootloader put what the kernel reserves before anything else: facts of the boot, not
// of the tree (except the initrd, which bootloaders also write into /chosen).
struct BootPlacement {
    std::optional<std::pair<std::uint64_t, std::uint64_t>> kernel_image;  // [_stext, _end): base, size
    std::optional<std::pair<std::uint64_t, std::uint64_t>> initrd;        // base, size
    std::optional<std::pair<std::uint64_t, std::uint64_t>> fdt;           // base, size (0: the blob's own size)
    // Under UEFI the memory the firmware reports, which replaces the tree's /memory (the EFI stub
    // deletes those nodes); empty otherwise.
    std::vector<FirmwareMemoryRange> firmware_memory;
    std::string firmware_memory_source;
    // Under UEFI, firmware memory of type ACPI reclaim, which reserve_regions() reserves: base, size.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> efi_acpi_reclaim;
    // --ram: the banks the bootloader writes into /memory (U-Boot's fdt fixup replaces its reg),
    // for trees that leave it to the bootloader; they replace the tree's /memory.
    std::vector<AddrRange> ram;
};

// Persistent memory the platform describes (a VM's NVDIMMs): the range the NFIT gives the kernel.
struct PmemRegion {
    std::string name;  // the device's alias ("nvdimm0")
    AddrRange range;
    std::uint32_t node = 0;
    SourceLocation where;
};

// A file the machine was read from, and the format it was read as ("grub.cfg", "kernel log").
struct InputRead {
    std::string file;
    std::string format;
    std::string kind;  // what it gave the machine, as reports name it: "iomem", "cmdline", "boot log", ...
};

struct Machine {
    KernelProfile profile;
    // Every file read, in the order given: the report lists each with its format, so a file that
    // gave nothing visible (an environment without bootargs) is still seen to have been used.
    std::vector<InputRead> inputs_read;
    // Files given that are no input of any kind (in a fleet directory: a README, a note), when the
    // run skips them rather than refuse them (lint --batch): listed, not read.
    std::vector<std::string> skipped_inputs;
    // Shared with the report that analyses it: a dump of a million lines is kept once.
    std::shared_ptr<const IomemTree> iomem;
    std::optional<E820Table> firmware_e820;  // the map the firmware handed over, before any edits
    // What the log of a boot of this machine says besides the map: its kernel, command line, UEFI's
    // edits of the map. The firmware repeats those on the next boot.
    std::optional<BootLog> boot_log;
    std::optional<SratTable> srat;
    std::optional<KernelCommandLine> cmdline;           // the one this boot uses (a bootloader's default entry)
    std::vector<KernelCommandLine> other_cmdlines;     // the same file's other boot entries, linted too
    // Shared: what the kernel models derive from it points into its nodes and keeps it alive.
    std::shared_ptr<const DeviceTree> device_tree;
    BootPlacement placement;
    std::vector<PmemRegion> pmem;
    std::optional<DaxListing> dax_listing;  // `daxctl list -M`: device-DAX devices and their ranges
    std::vector<DaxDeviceListing> dax_ranges;  // dax devices given by their range (kmem --range)
    // A boot capture's /proc/iomem: the machine as it is now — its dax devices (audited when no dump
    // is analysed and no --dax-kmem plans the next boot's) and its PCI windows.
    std::shared_ptr<const IomemTree> booted_iomem;
    // A planned step (--dax-kmem): every pmem region made a devdax namespace and given to kmem.
    std::optional<DaxNamespaceOptions> dax_kmem;
    std::vector<std::string> assumptions;  // what deriving the machine from its inputs took for granted (a VM's firmware)
    // The command line the boot log records (the boot that ran), to weigh a change against it.
    std::optional<KernelCommandLine> logged_cmdline;
    std::vector<std::string> not_checked;  // what an input left uncheckable, said by the input's reader (a U-Boot environment without bootargs)
};

}  // namespace bootmap
