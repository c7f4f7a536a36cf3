#include "cli/input_options.hpp"

namespace bootmap::cli {

void add_input_options(CLI::App& command, InputOptions& options) {
    command.add_option("files", options.files, "Input files; their kind is detected from content");
    command.add_option("--boot", options.boot,
                       "The current boot: a directory written by `bootmap capture` (its log, command line, firmware map, SRAT, DT). "
                       "--cmdline/--cmdline-from and --dtb/--dts then describe the next boot; without them the next boot is the same")
        ->type_name("DIR");
    command.add_option("--iomem", options.iomem, "A /proc/iomem dump");
    command.add_option("--cmdline", options.cmdline, "A kernel command line, as a string");
    command.add_option("--cmdline-add", options.cmdline_add,
                       "Append to the command line (the one given, the boot's from --boot, or the log's): the next boot's change")
        ->type_name("TEXT");
    command.add_option("--cmdline-remove", options.cmdline_remove, "Drop every parameter of this name from the command line (before --cmdline-add)")
        ->type_name("NAME");
    command.add_option("--cmdline-from", options.cmdline_files,
                       "A file holding the kernel command line: /proc/cmdline copy or a bootloader file; repeat to combine files "
                       "(/etc/default/grub then its grub.d drop-ins: the last one's default entry is predicted, every entry is linted)")
        ->type_name("FILE");
    command.add_option("--entry", options.entry,
                       "The boot entry to predict among those the bootloader files give: its title or id, or its index (0 first, in the order read)");
    command.add_option("--dmesg", options.dmesg, "A kernel log (dmesg, journalctl -k)");
    command.add_option("--e820", options.e820, "An e820 map (dmesg lines or /sys/firmware/memmap)");
    command.add_option("--srat", options.srat, "An ACPI SRAT (binary table or iasl text)");
    command.add_option("--libvirt", options.libvirt, "A libvirt domain XML (virsh dumpxml): QEMU q35's e820 map, SRAT, NVDIMMs and <cmdline>")
        ->type_name("FILE");
    command.add_option("--daxctl", options.daxctl, "`daxctl list -M` output (JSON): device-DAX devices and their physical ranges, for the kmem audit")
        ->type_name("FILE");
    command.add_option("--dtb", options.dtb, "A flattened device tree blob");
    command.add_option("--dts", options.dts, "A device tree source (run through cpp and dtc)");
    command.add_option("-I,--include", options.include_dirs, "Include directory for --dts (#include and /include/)");
    command.add_option("--kernel-image", options.kernel_image, "Where the kernel image lies, as ADDR,SIZE ([_stext, _end); arm64)");
    command.add_option("--initrd", options.initrd, "Where the bootloader put the initrd, as ADDR,SIZE (else /chosen)");
    command.add_option("--ram", options.ram,
                       "A bank of RAM as BASE,SIZE, for a device tree whose /memory the bootloader fills in (repeatable; replaces /memory)")
        ->type_name("BASE,SIZE");
    command.add_option("--fdt-at", options.fdt_at, "Where the bootloader put the DTB, as ADDR[,SIZE] (SIZE defaults to the blob's)");
    command.add_option("--kernel", options.kernel, "Kernel version profile to model, e.g. 6.1 or 5.10 (default: a given boot log's own version, else 6.1)")
        ->capture_default_str()
        ->each([&options](const std::string&) { options.kernel_from_default = false; });
    command.add_option("--arch", options.arch, "Architecture: x86_64, arm64, arm, riscv64, powerpc64, s390x, loongarch64 (arm64 when a device tree is given)")
        ->capture_default_str()
        ->each([&options](const std::string&) { options.arch_from_default = false; });
    command.add_option("--kconfig", options.kconfig, "Kernel configuration differing from the profile's, as NAME=y|n (known: CMA, DMEM, DMA_RESTRICTED_POOL, EFI_FAKE_MEMMAP)");
    command.add_flag("--dax-kmem", options.dax_kmem,
                     "Plan each pmem region (memmap=nn!ss, e820 pmem, a VM's NVDIMMs) as a devdax namespace given to kmem, as "
                     "`ndctl create-namespace --mode=devdax` and `daxctl reconfigure-device --mode=system-ram` do");
    command.add_option("--dax-align", options.dax_align, "The devdax namespace alignment (ndctl --align): 4K, 2M (default) or 1G; with 64K pages 64K or 512M (default)")->type_name("SIZE");
    command.add_option("--page-size", options.page_size, "The kernel's page size: 4K (default), or on arm64 16K or 64K (CONFIG_ARM64_64K_PAGES: 512 MiB memory blocks)")->type_name("SIZE");
    command.add_option("--dax-map", options.dax_map, "Where the namespace keeps its page map (ndctl --map): dev (default, on the media) or mem")
        ->check(CLI::IsMember({"dev", "mem"}));
    command.add_flag("-v,--verbose", options.verbose, "Say which kind each input was detected as");
}

}  // namespace bootmap::cli
