#pragma once
// What a command was given to read: the input options every command shares (--iomem, --cmdline, ...,
// bare files), as plain values. The command line binds them (cli/input_options.hpp); the pipeline
// reads them into the machine model (pipeline/load_machine.hpp).

#include <string>
#include <vector>

namespace bootmap {

struct InputOptions {
    std::vector<std::string> files;  // bare arguments: kind detected from content
    std::string iomem, dmesg, e820, srat, dtb, dts, libvirt, daxctl;
    // --cmdline-from, repeatable: bootloader files combined in order (the last one's default entry
    // is the boot predicted; every entry of every file is linted).
    std::vector<std::string> cmdline_files;
    std::string entry;  // --entry: the boot entry to predict, by title, id or index
    std::string cmdline;             // --cmdline "string"
    std::vector<std::string> cmdline_add;     // --cmdline-add "text": appended to the command line
    std::vector<std::string> cmdline_remove;  // --cmdline-remove NAME: every NAME and NAME=... dropped
    std::string boot;                // --boot DIR: the current boot's state (bootmap capture)
    std::string kernel = "6.1";
    bool kernel_from_default = true;  // --kernel not given: a boot log's own version decides
    std::string arch = "x86_64";
    bool arch_from_default = true;  // --arch not given
    std::vector<std::string> include_dirs;  // -I for --dts
    std::string kernel_image, initrd, fdt_at;  // ADDR,SIZE placements
    std::vector<std::string> ram;              // --ram BASE,SIZE (repeatable): the banks a bootloader fills /memory with
    std::vector<std::string> kconfig;  // NAME=y|n overrides of the profile's kernel configuration
    bool dax_kmem = false;             // --dax-kmem: plan every pmem region as devdax given to kmem
    std::string dax_align;             // --dax-align SIZE (4K, 2M or 1G)
    std::string dax_map;               // --dax-map dev|mem
    std::vector<std::string> dax_ranges;  // kmem --range START-END: dax devices given by their range
    std::string page_size;             // --page-size 4K|16K|64K (arm64's CONFIG_ARM64_*_PAGES)
    bool verbose = false;
    // lint --batch: a bare file that is no input of any kind is listed in the machine's
    // skipped_inputs instead of failing the machine.
    bool skip_unknown_files = false;

    [[nodiscard]] bool any_given() const;
};

}  // namespace bootmap
