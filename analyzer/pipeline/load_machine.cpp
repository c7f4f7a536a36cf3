#include "pipeline/load_machine.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "grammars/memparse.hpp"
#include "kernel/arm64_resources.hpp"
#include "kernel/arm64_uefi_memory.hpp"
#include "kernel/kmem.hpp"
#include "readers/boot_capture.hpp"
#include "readers/boot_log_reader.hpp"
#include "readers/bootloader_reader.hpp"
#include "readers/cmdline_edit.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/dts_reader.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/srat_dmesg_reader.hpp"
#include "readers/srat_reader.hpp"
#include "readers/input_kind.hpp"
#include "readers/iomem_reader.hpp"
#include "readers/memblock_debugfs_reader.hpp"
#include "readers/daxctl_reader.hpp"
#include "readers/libvirt_reader.hpp"
#include "vm/qemu_q35.hpp"
#include "readers/text_file.hpp"
#include "util/human_size.hpp"

namespace bootmap {

bool InputOptions::any_given() const {
    return !files.empty() || !boot.empty() || !iomem.empty() || !cmdline_files.empty() || !dmesg.empty() || !e820.empty() || !srat.empty() ||
           !dtb.empty() || !dts.empty() || !cmdline.empty() || !libvirt.empty() || !daxctl.empty();
}


namespace {

// A bare argument is read once to tell its kind; the reader then gets those bytes, not a second
// read: `bootmap lint <(ssh host cat /proc/iomem)` is a pipe that gives its bytes only once.
Result<TextFile> text_input(const std::string& path, const TextFile* preloaded) {
    if (!preloaded) return load_text_file(path);
    if (auto bad = check_text(preloaded->name, preloaded->contents)) return *bad;
    return *preloaded;
}

// What the ACPI tables that sit beside the SRAT in a dump describe, for a refusal that says so.
std::string acpi_table_purpose(std::string_view signature) {
    if (signature == "SLIT") return " (the distances between NUMA nodes)";
    if (signature == "HMAT") return " (memory latency and bandwidth between NUMA nodes)";
    if (signature == "APIC") return " (the interrupt controllers, MADT)";
    if (signature == "FACP") return " (the fixed hardware, FADT)";
    if (signature == "MCFG") return " (the PCI configuration windows)";
    return "";
}

std::string srat_format(std::string_view contents) {
    return detect_input_kind(contents) == InputKind::srat_iasl ? "ACPI SRAT (iasl -d text)" : "ACPI SRAT table";
}

Result<Machine> add_iomem(Machine machine, const std::string& path, const TextFile* preloaded = nullptr) {
    auto file = text_input(path, preloaded);
    if (!file) return file.error();
    auto tree = read_iomem(file.value().name, file.value().contents);
    if (!tree) return tree.error();
    machine.inputs_read.push_back({path, "/proc/iomem", "iomem"});
    if (machine.iomem)
        return InputError{SourceLocation{path}, fmt::format("a second iomem input; already have {}", machine.iomem->source),
                          "give one /proc/iomem dump per run"};
    machine.iomem = std::make_shared<const IomemTree>(std::move(tree).value());
    return machine;
}

// `keep_previous`: an earlier bootloader file gave the command line; its entries stay linted (every
// input given is used) and this file's default entry becomes the boot predicted.
// What a bootloader file says of the architecture (its kernel image, U-Boot's cpu, a device tree it
// hands over) decides it when --arch is not given; the report says so.
void apply_arch_hint(Machine& machine, const std::optional<ArchHint>& hint, bool arch_from_default) {
    if (!hint || !arch_from_default || machine.profile.arch != Arch::x86_64) return;
    machine.profile.arch = hint->arch;
    std::string caveat;
    if (hint->only_a_device_tree)
        caveat = ": an arm-family or RISC-V board, not x86 (give --arch arm or riscv64 for one)";
    else if (hint->arch == Arch::arm64 && hint->evidence.find("Image") != std::string::npos)
        caveat = "; RISC-V kernels are also named Image (give --arch riscv64 for one)";
    machine.assumptions.push_back(fmt::format("the architecture is {}, from {}: '{}'{}", arch_name(hint->arch), format_location(hint->where),
                                              hint->evidence, caveat));
}

Result<Machine> add_cmdlines(Machine machine, const std::string& path, Result<BootloaderCmdlines> found, bool verbose, std::string& log,
                             bool keep_previous, bool arch_from_default) {
    if (!found) return found.error();
    apply_arch_hint(machine, found.value().arch, arch_from_default);
    for (const auto& assumed : found.value().assumptions) machine.assumptions.push_back(fmt::format("{}: {}", path, assumed));
    if (found.value().cmdlines.empty() && found.value().format == BootloaderFormat::uboot_env) {
        machine.not_checked.push_back(fmt::format("{}: this U-Boot environment sets no bootargs, so U-Boot gives the kernel no command line of its "
                                                  "own: the one that boots is in what bootcmd runs (distro boot's extlinux.conf or boot.scr) or "
                                                  "in the device tree's /chosen/bootargs; give that file too",
                                                  path));
        return machine;
    }
    if (found.value().cmdlines.empty())
        return InputError{SourceLocation{path}, fmt::format("expected a kernel command line in this {}, found none",
                                                            bootloader_format_name(found.value().format)), {}};
    // The first is the default boot entry where the format says which one that is.
    auto& cmdlines = found.value().cmdlines;
    if (verbose)
        log += fmt::format("bootmap: {}: {} with {} command line{}; analysing '{}'\n", path, bootloader_format_name(found.value().format),
                           cmdlines.size(), cmdlines.size() == 1 ? "" : "s", cmdlines.front().entry.empty() ? "the only one" : cmdlines.front().entry);
    if (keep_previous && machine.cmdline) {
        machine.other_cmdlines.insert(machine.other_cmdlines.begin(), std::move(*machine.cmdline));
        if (verbose) log += fmt::format("bootmap: {}: the boot predicted; the earlier bootloader file's entries are linted too\n", path);
    } else {
        machine.other_cmdlines.clear();
    }
    machine.cmdline = std::move(cmdlines.front());
    machine.other_cmdlines.insert(machine.other_cmdlines.end(), std::make_move_iterator(cmdlines.begin() + 1), std::make_move_iterator(cmdlines.end()));
    return machine;
}

// A file an extlinux/syslinux file includes, by the name written there: next to the including file
// (syslinux reads from the configuration's directory), or where an absolute name says.
Result<std::optional<TextFile>> load_included_file(std::string_view including, std::string_view name) {
    namespace fs = std::filesystem;
    const fs::path written{std::string(name)};
    const fs::path path = written.is_absolute() ? written : fs::path(std::string(including)).parent_path() / written;
    std::error_code ec;
    if (fs::symlink_status(path, ec).type() == fs::file_type::not_found) return std::optional<TextFile>{};
    auto file = load_text_file(path.string());
    if (!file) return file.error();
    return std::optional<TextFile>{std::move(file).value()};
}

Result<Machine> add_cmdline_file(Machine machine, const std::string& path, const InputOptions& options, std::string& log, bool keep_previous,
                                 const TextFile* preloaded = nullptr) {
    auto file = text_input(path, preloaded);
    if (!file) return file.error();
    auto found = read_bootloader_cmdlines(file.value().name, file.value().contents, {nullptr, load_included_file});
    if (found) machine.inputs_read.push_back({path, std::string(bootloader_format_name(found.value().format)), "cmdline"});
    return add_cmdlines(std::move(machine), path, std::move(found), options.verbose, log, keep_previous, options.arch_from_default);
}

// The entry loader.conf's `default` names (the last file name that matches its glob, as
// systemd-boot sorts them) becomes the boot predicted; "@saved" and the like stay with the order given.
void choose_loader_default(Machine& machine, const LoaderDefault& loader, bool verbose, std::string& log) {
    std::vector<KernelCommandLine*> all{&*machine.cmdline};
    for (auto& c : machine.other_cmdlines) all.push_back(&c);
    std::optional<std::size_t> chosen;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::string name = std::filesystem::path(all[i]->source).filename().string();
        if (::fnmatch(loader.pattern.c_str(), name.c_str(), 0) == 0 || ::fnmatch((loader.pattern + ".conf").c_str(), name.c_str(), 0) == 0)
            if (!chosen || std::filesystem::path(all[*chosen]->source).filename().string() < name) chosen = i;
    }
    if (!chosen) {
        machine.assumptions.push_back(fmt::format("{}: default '{}' matches none of the entries given; the last file's entry is predicted",
                                                  format_location(loader.where), loader.pattern));
        return;
    }
    if (*chosen != 0) std::swap(*machine.cmdline, machine.other_cmdlines[*chosen - 1]);
    if (verbose) log += fmt::format("bootmap: {}: default '{}' chooses {}\n", format_location(loader.where), loader.pattern, machine.cmdline->source);
}

// The --cmdline-from files in order. Consecutive GRUB defaults files (/etc/default/grub, then its
// grub.d drop-ins) are one shell's input, as update-grub sources them: they give one command line.
Result<Machine> add_cmdline_files(Machine machine, const InputOptions& options, std::string& log, int& bootloader_files) {
    const auto& paths = options.cmdline_files;
    const bool verbose = options.verbose;
    std::vector<TextFile> files;
    for (const auto& path : paths) {
        auto file = text_input(path, nullptr);
        if (!file) return file.error();
        files.push_back(std::move(file).value());
    }
    // A U-Boot boot script given with the environment file it imports (armbianEnv.txt): the file's
    // variables are what the script's `env import` brings in, and the file is no boot entry of its own.
    std::vector<BootloaderFormat> formats;
    formats.reserve(files.size());
    for (const auto& f : files) formats.push_back(detect_bootloader_format(f.contents));
    for (std::size_t k = 0; k < files.size(); ++k) machine.inputs_read.push_back({paths[k], std::string(bootloader_format_name(formats[k])), "cmdline"});
    const bool script = std::find(formats.begin(), formats.end(), BootloaderFormat::uboot_script) != formats.end();
    std::map<std::string, std::string> imported;
    std::vector<bool> consumed(files.size(), false);
    if (script)
        for (std::size_t k = 0; k < files.size(); ++k)
            if (formats[k] == BootloaderFormat::uboot_env) {
                if (auto bad = check_text(files[k].name, files[k].contents)) return *bad;
                for (auto& [name, value] : uboot_env_variables(files[k].contents)) imported[name] = std::move(value);
                consumed[k] = true;
                if (verbose) log += fmt::format("bootmap: {}: the environment the boot script imports\n", paths[k]);
            }
    // systemd-boot's loader.conf names which of the entries given boots (a glob over their file names).
    std::optional<LoaderDefault> loader;
    for (std::size_t k = 0; k < files.size(); ++k)
        if (formats[k] == BootloaderFormat::systemd_boot_loader && files.size() > 1) {
            if (auto bad = check_text(files[k].name, files[k].contents)) return *bad;
            loader = systemd_boot_default(files[k].name, files[k].contents);
            consumed[k] = true;
        }
    // A U-Boot environment without bootargs beside the files its bootcmd boots from (distro boot's
    // extlinux.conf): it sets addresses and the DTB name, the command line is theirs.
    for (std::size_t k = 0; k < files.size(); ++k)
        if (formats[k] == BootloaderFormat::uboot_env && files.size() > 1 && !consumed[k] && !uboot_env_variables(files[k].contents).contains("bootargs")) {
            if (auto bad = check_text(files[k].name, files[k].contents)) return *bad;
            consumed[k] = true;
            if (verbose) log += fmt::format("bootmap: {}: a U-Boot environment without bootargs; the command line is the other files'\n", paths[k]);
        }
    for (std::size_t i = 0; i < files.size();) {
        if (consumed[i]) {
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        if (detect_bootloader_format(files[i].contents) == BootloaderFormat::grub_defaults)
            while (end < files.size() && detect_bootloader_format(files[end].contents) == BootloaderFormat::grub_defaults) ++end;
        Result<BootloaderCmdlines> found = InputError{};
        if (end - i == 1) {
            if (auto bad = check_text(files[i].name, files[i].contents)) return *bad;
            found = read_bootloader_cmdlines(files[i].name, files[i].contents, {script ? &imported : nullptr, load_included_file});
        } else {
            std::vector<NamedText> group;
            for (std::size_t k = i; k < end; ++k) {
                if (auto bad = check_text(files[k].name, files[k].contents)) return *bad;
                group.push_back(NamedText{files[k].name, files[k].contents});
            }
            found = read_grub_defaults_files(group);
            if (found)
                for (auto& c : found.value().cmdlines)
                    if (auto too_long = check_cmdline_size(c)) return *too_long;
            if (verbose) log += fmt::format("bootmap: {} GRUB defaults files sourced in one shell, as update-grub does\n", end - i);
        }
        auto next = add_cmdlines(std::move(machine), paths[end - 1], std::move(found), verbose, log, bootloader_files++ > 0, options.arch_from_default);
        if (!next) return next.error();
        machine = std::move(next).value();
        i = end;
    }
    if (loader && machine.cmdline) choose_loader_default(machine, *loader, verbose, log);
    return machine;
}

Result<Machine> add_e820(Machine machine, const std::string& path, const TextFile* preloaded = nullptr) {
    Result<E820Table> table = InputError{};
    if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
        table = read_e820_directory(path);
    } else {
        auto file = text_input(path, preloaded);
        if (!file) return file.error();
        table = read_e820_text(file.value().name, file.value().contents);
        // A boot log carries the SRAT lines too; an explicit --srat takes precedence.
        if (table && !machine.srat)
            if (auto srat = read_srat_from_dmesg(file.value().name, file.value().contents)) machine.srat = std::move(srat);
    }
    if (!table) return table.error();
    if (machine.firmware_e820)
        return InputError{SourceLocation{path}, fmt::format("a second firmware memory map; already have {}", machine.firmware_e820->source),
                          "give one e820 source per run"};
    std::error_code ec;
    machine.inputs_read.push_back({path, std::filesystem::is_directory(path, ec) ? "/sys/firmware/memmap directory" : "firmware memory map listing", "e820"});
    machine.firmware_e820 = std::move(table).value();
    return machine;
}

Result<Machine> add_device_tree(Machine machine, const InputOptions& options, const std::string& path, bool source, const TextFile* preloaded = nullptr);

// A kernel log: the firmware's e820 map and the SRAT when it is an x86 log, and what it says of its
// boot (kernel, command line, UEFI's edits) whatever the architecture. Refused only when it is no
// kernel log at all.
Result<Machine> add_dmesg(Machine machine, const std::string& path, const TextFile* preloaded = nullptr) {
    auto file = text_input(path, preloaded);
    if (!file) return file.error();
    BootLog log = read_boot_log(file.value().name, file.value().contents);
    auto table = read_e820_text(file.value().name, file.value().contents);
    auto srat = read_srat_from_dmesg(file.value().name, file.value().contents);
    const bool says_something = table || srat || log.kernel_release || log.machine_model || log.command_line || log.memory_block_size ||
                                !log.efi_memmap.empty();
    if (!says_something)
        return InputError{SourceLocation{file.value().name, 1, 0, std::nullopt},
                          "expected a kernel log: found none of its memory lines (BIOS-e820, ACPI: SRAT, EFI memory map) and no 'Linux version', "
                          "'Command line:' or 'Machine model:' line",
                          "pass the log of a whole boot (dmesg, journalctl -k -b, a serial console), or the output of grep \"\" "
                          "/sys/firmware/memmap/*/* with --e820"};
    if (machine.boot_log)
        return InputError{SourceLocation{path}, fmt::format("a second boot log; already have {}", machine.boot_log->source), "give one boot log per run"};
    if (table) {
        if (machine.firmware_e820)
            return InputError{SourceLocation{path}, fmt::format("a second firmware memory map; already have {}", machine.firmware_e820->source),
                              "give one e820 source per run"};
        machine.firmware_e820 = std::move(table).value();
    }
    // The SRAT lines of any architecture's log; an explicit --srat takes precedence.
    if (srat && !machine.srat) machine.srat = std::move(srat);
    if (log.command_line)
        if (auto logged = read_cmdline(file.value().name, *log.command_line)) machine.logged_cmdline = std::move(logged).value();
    machine.inputs_read.push_back({path, "kernel log", "boot log"});
    machine.boot_log = std::move(log);
    return machine;
}

// A capture's cmdline.txt: /proc/cmdline, one line and its newline.
Result<KernelCommandLine> read_capture_cmdline(const std::string& path) {
    auto file = load_text_file(path);
    if (!file) return file.error();
    std::string text = file.value().contents;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return read_cmdline(file.value().name, text);
}

// An arm64 boot through UEFI: memory came from the EFI memory map, which the boot's /proc/iomem
// shows region by region (less the tree's own no-map regions, found by replaying that boot); the
// stub put the kernel where "Kernel code" is, and the initrd in the reserved range its log frees.
Result<Machine> add_uefi_memory(Machine machine, const BootCaptureFiles& f, const IomemTree& iomem, const InputOptions& options) {
    std::shared_ptr<const DeviceTree> tree;
    if (f.dtb) {
        auto file = load_binary_file(*f.dtb);
        if (!file) return file.error();
        auto read = read_dtb(file.value().name, file.value().contents);
        if (!read) return read.error();
        tree = std::make_shared<const DeviceTree>(std::move(read).value());
    }
    const DtNode* chosen = tree ? tree->find("/chosen") : nullptr;
    const bool uefi_tree = chosen && (chosen->has("linux,uefi-mmap-start") || chosen->has("linux,uefi-system-table"));
    if (!uefi_tree && !(machine.boot_log && machine.boot_log->efi_firmware)) return machine;
    // That boot, as it ran: its command line, kernel and placements.
    KernelProfile profile = machine.profile;
    profile.arch = Arch::arm64;
    if (options.kernel_from_default && machine.boot_log && machine.boot_log->kernel_release)
        if (const auto v = parse_kernel_version(machine.boot_log->upstream_release.value_or(*machine.boot_log->kernel_release))) profile.version = *v;
    std::optional<KernelCommandLine> cmdline;
    if (f.cmdline) {
        auto c = read_capture_cmdline(*f.cmdline);
        if (!c) return c.error();
        cmdline = std::move(c).value();
    }
    BootPlacement& placement = machine.placement;
    if (auto image = arm64_kernel_image_from_iomem(iomem)) placement.kernel_image = image;
    if (machine.boot_log && machine.boot_log->initrd_freed) {
        // The reservation is whole pages around the initrd; the log counts the pages inside it.
        const std::uint64_t freed = *machine.boot_log->initrd_freed;
        for (const auto& e : iomem.entries) {
            const auto r = e.range();
            if (e.depth != 1 || e.name != "reserved" || !r) continue;
            if (r->size().bytes() >= freed && r->size().bytes() <= freed + 2 * (1ull << profile.page_shift)) {
                placement.initrd = std::pair{r->begin().value(), r->size().bytes()};
                break;
            }
        }
    }
    if (tree && !placement.fdt)
        if (const auto stub = efi_stub_tree_from_iomem(iomem, tree->total_size, std::uint64_t{1} << profile.page_shift)) {
            // Only the place: the size is the blob's that the next boot's stub makes.
            placement.fdt = std::pair{stub->fdt.first, std::uint64_t{0}};
            if (stub->memory_map.second) placement.efi_acpi_reclaim.push_back(stub->memory_map);
        }
    if (cmdline)
        for (const auto& p : cmdline->params)
            if (p.value && grammars::param_name_equals(p.name, "mem"))
                machine.assumptions.push_back(fmt::format("the captured boot ran with mem={}: the memory above that limit is not in its /proc/iomem, so "
                                                          "the next boot is predicted without it (capture a boot without mem=)",
                                                          *p.value));
    placement.firmware_memory = uefi_firmware_memory(arm64_memory_from_iomem(iomem), tree, cmdline ? &*cmdline : nullptr, profile, placement);
    placement.firmware_memory_source = iomem.source;
    return machine;
}

// --boot DIR: the current boot's log, firmware map, SRAT, command line and device tree. What the
// options give explicitly is loaded after it and takes its place (the command line, the tree).
// The capture's memory block size: the sysfs file, hex without 0x ("8000000"). What the kernel uses
// beats what the log printed.
Result<std::uint64_t> read_capture_block_size(const std::string& path) {
    auto file = load_text_file(path);
    if (!file) return file.error();
    const std::string text = file.value().contents.substr(0, file.value().contents.find('\n'));
    std::uint64_t value = 0;
    const bool hex = !text.empty() && text.size() <= 16 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    if (hex) value = std::stoull(text, nullptr, 16);
    if (!hex || value == 0 || (value & (value - 1)) != 0)
        return InputError{SourceLocation{path, 1, 1, std::nullopt},
                          fmt::format("expected the memory block size in hex as sysfs prints it (8000000), found '{}'", text), {}};
    return value;
}

// What the capture says of its boot beside the log (or instead of one).
BootLog& boot_log_of(Machine& machine, const std::string& source) {
    if (!machine.boot_log) {
        machine.boot_log = BootLog{};
        machine.boot_log->source = source;
    }
    return *machine.boot_log;
}

Result<Machine> add_boot_capture(Machine machine, const InputOptions& options) {
    auto files = find_boot_capture(options.boot);
    if (!files) return files.error();
    machine.inputs_read.push_back({options.boot, "bootmap capture directory", "capture"});
    const BootCaptureFiles& f = files.value();
    if (f.dmesg) {
        auto next = add_dmesg(std::move(machine), *f.dmesg);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!machine.firmware_e820 && f.firmware_memmap) {
        auto file = load_text_file(*f.firmware_memmap);
        if (!file) return file.error();
        auto table = read_e820_text(file.value().name, file.value().contents);
        if (!table) return table.error();
        machine.firmware_e820 = std::move(table).value();
    }
    if (f.srat && options.srat.empty()) {
        auto file = load_binary_file(*f.srat);
        if (!file) return file.error();
        auto srat = read_srat(file.value().name, file.value().contents);
        if (!srat) return srat.error();
        machine.inputs_read.push_back({file.value().name, srat_format(file.value().contents), "srat"});
        machine.srat = std::move(srat).value();  // the table itself beats the log's SRAT lines
    }
    if (f.cmdline && options.cmdline.empty() && options.cmdline_files.empty()) {
        auto cmdline = read_capture_cmdline(*f.cmdline);
        if (!cmdline) return cmdline.error();
        machine.cmdline = std::move(cmdline).value();
    }
    if (f.dtb && options.dtb.empty() && options.dts.empty()) {
        auto next = add_device_tree(std::move(machine), options, *f.dtb, false);
        if (!next) return next.error();
        machine = std::move(next).value();
        // Where the bootloader put the tree: early_init_fdt_reserve_self() reserved exactly the
        // blob, so the one reservation of its size is it (the next boot's loader puts it there again).
        if (f.memblock_reserved && options.fdt_at.empty()) {
            auto file = load_text_file(*f.memblock_reserved);
            if (!file) return file.error();
            auto reserved = read_memblock_debugfs(file.value().name, file.value().contents);
            if (!reserved) return reserved.error();
            std::optional<std::uint64_t> found;
            std::size_t matches = 0;
            for (const auto& r : reserved.value())
                if (r.size().bytes() == machine.device_tree->total_size) {
                    found = r.begin().value();
                    ++matches;
                }
            if (matches == 1) machine.placement.fdt = std::pair{*found, std::uint64_t{0}};
        }
    }
    if (f.iomem) {
        // The machine as it is now, read once: its dax devices, the PCI windows the next boot's RAM
        // buffers are placed around, and under UEFI the memory map the firmware gave.
        auto file = load_text_file(*f.iomem);
        if (!file) return file.error();
        auto iomem = read_iomem(file.value().name, file.value().contents);
        if (!iomem) return iomem.error();
        machine.booted_iomem = std::make_shared<const IomemTree>(std::move(iomem).value());
        if (!machine.firmware_e820) {
            const auto booted = machine.booted_iomem;
            auto next = add_uefi_memory(std::move(machine), f, *booted, options);
            if (!next) return next.error();
            machine = std::move(next).value();
        }
    }
    if (f.block_size) {
        auto block = read_capture_block_size(*f.block_size);
        if (!block) return block.error();
        boot_log_of(machine, *f.block_size).memory_block_size = block.value();
    }
    if (f.kernel_release && (!machine.boot_log || !machine.boot_log->kernel_release)) {
        auto file = load_text_file(*f.kernel_release);
        if (!file) return file.error();
        BootLog& log = boot_log_of(machine, *f.kernel_release);
        log.kernel_release = file.value().contents.substr(0, file.value().contents.find('\n'));
        log.release_where = SourceLocation{*f.kernel_release, 1, 1, std::nullopt};
    }
    return machine;
}

// "ADDR,SIZE" with memparse numbers ("0x48000000,1M"); SIZE optional when `size_optional`.
Result<std::pair<std::uint64_t, std::uint64_t>> parse_placement(std::string_view option, const std::string& text, bool size_optional) {
    const auto comma = text.find(',');
    const auto addr_text = text.substr(0, comma);
    const auto addr = grammars::memparse(addr_text);
    std::uint64_t size = 0;
    bool ok = !addr_text.empty() && addr.consumed == addr_text.size();
    if (comma != std::string::npos) {
        const auto size_text = text.substr(comma + 1);
        const auto parsed = grammars::memparse(size_text);
        ok = ok && !size_text.empty() && parsed.consumed == size_text.size();
        size = parsed.value;
    } else {
        ok = ok && size_optional;
    }
    if (!ok)
        return InputError{SourceLocation{std::string(option)}, fmt::format("expected ADDR{} (numbers as the kernel reads them: 0x48000000, 128M), found '{}'",
                                                                     size_optional ? "[,SIZE]" : ",SIZE", text), {}};
    if (size > UINT64_MAX - addr.value)
        return InputError{SourceLocation{std::string(option)},
                          fmt::format("expected a range inside the 64-bit address space, found {:#x} + {:#x}, which wraps past 2^64", addr.value, size), {}};
    return std::pair{addr.value, size};
}

Result<Machine> add_device_tree(Machine machine, const InputOptions& options, const std::string& path, bool source, const TextFile* preloaded) {
    if (machine.device_tree)
        return InputError{SourceLocation{path}, fmt::format("a second device tree; already have {}", machine.device_tree->source), "give one device tree per run"};
    Result<DeviceTree> tree = InputError{};
    std::string format = "DTS";
    if (source) {
        tree = read_dts(path, DtsOptions{options.include_dirs, true});
    } else {
        auto file = preloaded ? Result<TextFile>(*preloaded) : load_binary_file(path);
        if (!file) return file.error();
        tree = read_dtb(file.value().name, file.value().contents);
        format = file.value().contents.starts_with("\xd7\xb7\xab\x1e") ? "Android dt_table image" : "DTB";
    }
    if (!tree) return tree.error();
    machine.inputs_read.push_back({path, format, "device tree"});
    machine.device_tree = std::make_shared<const DeviceTree>(std::move(tree).value());
    return machine;
}

// A VM definition stands for what QEMU hands the kernel: the firmware map, the SRAT, the NVDIMMs,
// and the command line of <os><cmdline> (pointing into the XML) unless one is given.
Result<Machine> add_libvirt(Machine machine, const std::string& path, const TextFile* preloaded = nullptr) {
    auto file = text_input(path, preloaded);
    if (!file) return file.error();
    auto vm = read_libvirt_domain(file.value().name, file.value().contents);
    if (!vm) return vm.error();
    auto layout = qemu_q35_layout(vm.value());
    if (!layout) return layout.error();
    machine.inputs_read.push_back({path, "libvirt domain XML", "libvirt"});
    if (machine.firmware_e820)
        return InputError{SourceLocation{path}, fmt::format("a second firmware memory map; already have {}", machine.firmware_e820->source),
                          "give either the domain XML or the guest's boot log"};
    machine.firmware_e820 = std::move(layout.value().e820);
    if (!machine.srat && layout.value().srat) machine.srat = std::move(layout.value().srat);
    for (const auto& placed : layout.value().devices) {
        if (!placed.pmem) continue;
        const VmMemoryDevice& d = vm.value().memory_devices[placed.index];
        machine.pmem.push_back({d.alias, *placed.pmem, placed.node, d.where});
    }
    machine.assumptions = std::move(layout.value().assumptions);
    machine.assumptions.insert(machine.assumptions.begin(), "the firmware map and SRAT are what QEMU 7.2's q35 machine and SeaBIOS build for this domain");
    if (!machine.cmdline && vm.value().cmdline) {
        auto cmdline = read_cmdline(path, *vm.value().cmdline);
        if (!cmdline) return cmdline.error();
        KernelCommandLine c = std::move(cmdline).value();
        c.source = file.value().name;
        // Findings on it point at the characters in the XML (all at its start when entities were decoded).
        SourceLocation at = vm.value().cmdline_where;
        for (const char ch : c.text) {
            c.positions.push_back(at);
            if (!vm.value().cmdline_verbatim) continue;
            if (ch == '\n') {
                ++at.line;
                at.column = 1;
            } else {
                ++at.column;
            }
        }
        c.positions.push_back(at);
        machine.cmdline = std::move(c);
    }
    return machine;
}

Result<Machine> add_daxctl(Machine machine, const std::string& path, const TextFile* preloaded = nullptr) {
    auto file = text_input(path, preloaded);
    if (!file) return file.error();
    auto listing = read_daxctl_list(file.value().name, file.value().contents);
    if (!listing) return listing.error();
    if (machine.dax_listing)
        return InputError{SourceLocation{path}, fmt::format("a second daxctl listing; already have {}", machine.dax_listing->source), "give one listing per run"};
    machine.inputs_read.push_back({path, "daxctl list JSON", "daxctl"});
    machine.dax_listing = std::move(listing).value();
    return machine;
}

InputError not_yet(const std::string& path, std::string_view kind) {
    return InputError{SourceLocation{path}, fmt::format("reading {} input is not supported by this version of bootmap yet", kind),
                      "this version reads /proc/iomem dumps, command lines and bootloader files, boot logs, e820 maps, SRATs, device trees, libvirt domains and daxctl listings"};
}

// The kernel profile the options ask for: version, architecture, configuration overrides.
Result<KernelProfile> profile_from_options(const InputOptions& options) {
    auto version = parse_kernel_version(options.kernel);
    if (!version)
        return InputError{SourceLocation{"--kernel"}, fmt::format("expected a kernel version such as 6.1, found '{}'", options.kernel), {}};
    auto arch = parse_arch(options.arch);
    if (!arch) return InputError{SourceLocation{"--arch"}, fmt::format("expected an architecture such as x86_64 or arm64, found '{}'", options.arch), {}};
    KernelProfile profile;
    profile.version = *version;
    profile.arch = *arch;
    if (!options.page_size.empty()) {
        const auto parsed = grammars::memparse(options.page_size);
        if (parsed.consumed != options.page_size.size() || (parsed.value != (4u << 10) && parsed.value != (16u << 10) && parsed.value != (64u << 10)))
            return InputError{SourceLocation{"--page-size"}, fmt::format("expected 4K, 16K or 64K, found '{}'", options.page_size), {}};
        profile.page_shift = static_cast<unsigned>(std::countr_zero(parsed.value));
    }
    for (const auto& setting : options.kconfig) {
        std::string name = setting.substr(0, setting.find('='));
        if (name.rfind("CONFIG_", 0) == 0) name = name.substr(7);
        const std::string value = setting.find('=') == std::string::npos ? "" : setting.substr(setting.find('=') + 1);
        std::optional<bool>* target = name == "CMA"                   ? &profile.cma_config
                                      : name == "DMEM"                ? &profile.dmem_config
                                      : name == "DMA_RESTRICTED_POOL" ? &profile.restricted_dma_pool_config
                                      : name == "EFI_FAKE_MEMMAP"     ? &profile.efi_fake_mem_config
                                                                      : nullptr;
        if (!target || (value != "y" && value != "n"))
            return InputError{SourceLocation{"--kconfig"},
                              fmt::format("expected CMA=y|n, DMEM=y|n, DMA_RESTRICTED_POOL=y|n or EFI_FAKE_MEMMAP=y|n, found '{}'", setting),
                              "the kernel configuration options bootmap models are: CMA, DMEM (the dmem RFC patches), DMA_RESTRICTED_POOL, EFI_FAKE_MEMMAP"};
        *target = value == "y";
    }

    return profile;
}

// "0x240400000-0x2bfffffff" or "240400000-2bfffffff": a dax device's range as /proc/iomem prints it.
Result<AddrRange> parse_dax_range(const std::string& text) {
    const auto dash = text.find('-');
    auto number = [](std::string s) -> std::optional<std::uint64_t> {
        if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) s = s.substr(2);
        if (s.empty() || s.size() > 16 || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
        return std::stoull(s, nullptr, 16);
    };
    if (dash != std::string::npos) {
        auto first = number(text.substr(0, dash));
        auto last = number(text.substr(dash + 1));
        if (first && last)
            if (auto r = AddrRange::from_inclusive(PhysAddr{*first}, PhysAddr{*last})) return *r;
    }
    return InputError{SourceLocation{"--range"}, fmt::format("expected START-END in hex with an inclusive end (as /proc/iomem prints it), found '{}'", text),
                      {}};
}

// --dax-kmem, --dax-align and --dax-map: the devdax namespace planned over each pmem region.
Result<std::optional<DaxNamespaceOptions>> dax_plan_from_options(const InputOptions& options, std::uint64_t page_size) {
    if (options.dax_kmem || !options.dax_align.empty() || !options.dax_map.empty()) {
        DaxNamespaceOptions dax;
        dax.align = default_namespace_alignment(page_size);
        if (options.dax_map == "mem") dax.map = DevdaxMap::mem;
        if (!options.dax_align.empty()) {
            const auto parsed = grammars::memparse(options.dax_align);
            const std::uint64_t v = parsed.value;
            const auto allowed = namespace_alignments(page_size);
            if (parsed.consumed != options.dax_align.size() || std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
                std::string names;
                for (const auto a : allowed) names += (names.empty() ? "" : ", ") + human_size(ByteSize{a});
                return InputError{SourceLocation{"--dax-align"},
                                  fmt::format("expected {} (the alignments the kernel offers a namespace with {} pages), found '{}'", names,
                                              human_size(ByteSize{page_size}), options.dax_align),
                                  {}};
            }
            dax.align = v;
        }
        return std::optional<DaxNamespaceOptions>(dax);
    }
    return std::optional<DaxNamespaceOptions>();
}

// --kernel-image, --initrd, --fdt-at: where the bootloader put what the kernel reserves first.
std::optional<InputError> apply_placements(Machine& machine, const InputOptions& options) {
    for (const auto& [option, text, target, optional_size] :
         {std::tuple{"--kernel-image", &options.kernel_image, &machine.placement.kernel_image, false},
          {"--initrd", &options.initrd, &machine.placement.initrd, false},
          {"--fdt-at", &options.fdt_at, &machine.placement.fdt, true}}) {
        if (text->empty()) continue;
        auto parsed = parse_placement(option, *text, optional_size);
        if (!parsed) return parsed.error();
        *target = parsed.value();
    }
    for (const auto& bank : options.ram) {
        auto parsed = parse_placement("--ram", bank, false);
        if (!parsed) return parsed.error();
        const auto range = AddrRange::from_size(PhysAddr{parsed.value().first}, ByteSize{parsed.value().second});
        if (!range || range->size().bytes() == 0)
            return InputError{SourceLocation{"--ram"}, fmt::format("expected BASE,SIZE of a bank of RAM, found '{}'", bank), {}};
        machine.placement.ram.push_back(*range);
    }

    return std::nullopt;
}

// The inputs given by option, each read by its reader into the machine.
Result<Machine> add_named_inputs(Machine machine, const InputOptions& options, std::string& log, int& bootloader_files) {
    if (!options.boot.empty()) {
        auto next = add_boot_capture(std::move(machine), options);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.srat.empty()) {
        auto file = load_binary_file(options.srat);
        if (!file) return file.error();
        auto srat = read_srat(file.value().name, file.value().contents);
        if (!srat) return srat.error();
        machine.inputs_read.push_back({file.value().name, srat_format(file.value().contents), "srat"});
        machine.srat = std::move(srat).value();
    }
    if (!options.e820.empty()) {
        auto next = add_e820(std::move(machine), options.e820);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.dmesg.empty()) {
        auto next = add_dmesg(std::move(machine), options.dmesg);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.daxctl.empty()) {
        auto next = add_daxctl(std::move(machine), options.daxctl);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.libvirt.empty()) {
        auto next = add_libvirt(std::move(machine), options.libvirt);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    for (const auto& [path, source] : {std::pair{options.dtb, false}, {options.dts, true}}) {
        if (path.empty()) continue;
        auto next = add_device_tree(std::move(machine), options, path, source);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (auto error = apply_placements(machine, options)) return *error;
    if (!options.iomem.empty()) {
        auto next = add_iomem(std::move(machine), options.iomem);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.cmdline_files.empty()) {
        auto next = add_cmdline_files(std::move(machine), options, log, bootloader_files);
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    if (!options.cmdline.empty()) {
        auto cmdline = read_cmdline("--cmdline", options.cmdline);
        if (!cmdline) return cmdline.error();
        machine.cmdline = std::move(cmdline).value();
    }
    return machine;
}

// Bare arguments: each file's kind told from its content, then read as that kind.
Result<Machine> add_bare_files(Machine machine, const InputOptions& options, std::string& log, int& bootloader_files) {
    for (const auto& path : options.files) {
        if (std::error_code ec; std::filesystem::is_directory(path, ec)) {  // a copy of /sys/firmware/memmap
            if (options.verbose) log += fmt::format("bootmap: {}: detected as e820 (memmap directory)\n", path);
            auto next = add_e820(std::move(machine), path);
            if (!next) return next.error();
            machine = std::move(next).value();
            continue;
        }
        auto file = load_input_file(path);
        if (!file) return file.error();
        const InputKind kind = detect_input_kind(file.value().contents);
        if (kind == InputKind::srat_binary || kind == InputKind::srat_iasl) {
            if (options.verbose) log += fmt::format("bootmap: {}: detected as srat\n", path);
            auto srat = read_srat(file.value().name, file.value().contents);
            if (!srat) return srat.error();
            machine.inputs_read.push_back({path, srat_format(file.value().contents), "srat"});
            machine.srat = std::move(srat).value();
            continue;
        }
        if (options.verbose) log += fmt::format("bootmap: {}: detected as {}\n", path, input_kind_name(kind));
        Result<Machine> next = InputError{};
        switch (kind) {
            case InputKind::iomem: next = add_iomem(std::move(machine), path, &file.value()); break;
            case InputKind::kernel_cmdline:
                next = add_cmdline_file(std::move(machine), path, options, log, bootloader_files++ > 0, &file.value());
                break;
            case InputKind::dmesg: next = add_dmesg(std::move(machine), path, &file.value()); break;
            case InputKind::e820_memmap: next = add_e820(std::move(machine), path, &file.value()); break;
            case InputKind::dtb: next = add_device_tree(std::move(machine), options, path, false, &file.value()); break;
            case InputKind::dts: next = add_device_tree(std::move(machine), options, path, true); break;
            case InputKind::libvirt_xml: next = add_libvirt(std::move(machine), path, &file.value()); break;
            case InputKind::daxctl_json: next = add_daxctl(std::move(machine), path, &file.value()); break;
            case InputKind::unknown:
                if (options.skip_unknown_files) {
                    machine.skipped_inputs.push_back(path);
                    continue;
                }
                if (looks_like_dt_fragment(file.value().contents))
                    return InputError{SourceLocation{path, 1, 1, std::nullopt},
                                      "expected a whole device tree source; this is a fragment without '/dts-v1/;' (a .dtsi that a board's .dts includes)",
                                      "lint the board's .dts: bootmap lint BOARD.dts -I DIR (the directories its #include and /include/ lines need)"};
                if (const auto table = other_acpi_table(file.value().contents))
                    return InputError{SourceLocation{path, 1, 1, std::nullopt},
                                      fmt::format("expected an input that describes memory; this is the ACPI {} table{}, which holds no memory ranges",
                                                  *table, acpi_table_purpose(*table)),
                                      "of the ACPI tables bootmap reads the SRAT: give /sys/firmware/acpi/tables/SRAT or its iasl -d text"};
                return InputError{SourceLocation{path, 1, 1, std::nullopt}, "cannot tell what kind of input this is",
                                  "name its kind with an option such as --iomem FILE"};
            default: return not_yet(path, input_kind_name(kind));
        }
        if (!next) return next.error();
        machine = std::move(next).value();
    }
    return machine;
}

// The architecture a tree's CPU nodes name when it is not arm64: RISC-V harts ("riscv") and 32-bit
// arm cores (Cortex-A5 to A17, ARM9/11); the compatible that said it.
std::optional<std::pair<Arch, std::string>> cpu_architecture(const DeviceTree& tree) {
    static constexpr std::string_view kArm32[] = {"arm,cortex-a5", "arm,cortex-a7", "arm,cortex-a8", "arm,cortex-a9", "arm,cortex-a12",
                                                  "arm,cortex-a15", "arm,cortex-a17", "arm,arm926", "arm,arm1176", "arm,arm11mpcore",
                                                  "marvell,pj4", "qcom,krait", "qcom,scorpion"};
    const DtNode* cpus = tree.find("/cpus");
    if (!cpus) return std::nullopt;
    for (const auto& cpu : cpus->children) {
        const auto* compatible = cpu.property("compatible");
        if (!compatible) continue;
        for (const auto& c : compatible->strings()) {
            if (c == "riscv" || c.starts_with("riscv,")) return std::pair{Arch::riscv64, c};
            if (std::find(std::begin(kArm32), std::end(kArm32), c) != std::end(kArm32)) return std::pair{Arch::arm, c};
        }
    }
    return std::nullopt;
}

// What the inputs imply beyond themselves: a boot log's kernel and architecture, a tree's
// architecture and /chosen/bootargs, and that an unverified kernel is modelled from the nearest.
void apply_implied_defaults(Machine& machine, const InputOptions& options) {
    // A boot log names the kernel that ran and, by its firmware lines, the architecture: the profile
    // unless --kernel or --arch say otherwise.
    if (machine.boot_log) {
        if (options.kernel_from_default && machine.boot_log->kernel_release)
            if (const auto v = parse_kernel_version(machine.boot_log->upstream_release.value_or(*machine.boot_log->kernel_release)))
                machine.profile.version = *v;
        const auto& said = machine.boot_log->arch;
        if (options.arch_from_default && said && said->arch != Arch::x86_64 && !machine.boot_log->x86_firmware_map &&
            machine.profile.arch == Arch::x86_64) {
            machine.profile.arch = said->arch;
            machine.assumptions.push_back(fmt::format("the architecture is {}, from {}: '{}'{}", arch_name(said->arch), format_location(said->where),
                                                      said->evidence,
                                                      said->strength == 1 ? " (any device-tree board: give --arch arm or riscv64 for one)" : ""));
        }
    }
    // A device tree describes an arm-family machine unless --arch says otherwise; its
    // /chosen/bootargs is the command line when none is given.
    if (machine.device_tree) {
        if (machine.device_tree->is_overlay())
            machine.assumptions.push_back(fmt::format("{} is a device tree overlay, which the bootloader applies to a base tree: no boot is replayed "
                                                      "from it alone (merge it first: fdtoverlay -i base.dtb -o merged.dtb {})",
                                                      machine.device_tree->source, machine.device_tree->source));
        // arm64 unless a bootloader file named another device-tree architecture (zImage: arm); a
        // tree whose CPUs are RISC-V or 32-bit arm cores says which, and the report says so.
        if (options.arch_from_default && machine.profile.arch == Arch::x86_64) {
            machine.profile.arch = Arch::arm64;
            if (const auto cpu = cpu_architecture(*machine.device_tree)) {
                machine.profile.arch = cpu->first;
                machine.assumptions.push_back(fmt::format("the architecture is {}, from the device tree's CPUs ('{}'); its early memory is "
                                                          "replayed as arm64's, the device-tree boot bootmap models (give --arch to change it)",
                                                          arch_name(cpu->first), cpu->second));
            }
        }
        if (!machine.cmdline) {
            if (const DtNode* chosen = machine.device_tree->find("/chosen")) {
                if (const auto* args = chosen->property("bootargs"); args && !args->strings().empty()) {
                    auto cmdline = read_cmdline(machine.device_tree->source + ":/chosen/bootargs", args->strings().front());
                    if (cmdline) {
                        machine.cmdline = std::move(cmdline).value();
                        // Findings on it point at the property in the tree.
                        const SourceLocation at = chosen->location_of("bootargs");
                        if (!at.file.empty()) machine.cmdline->positions.assign(machine.cmdline->text.size() + 1, at);
                    }
                }
            }
        }
    }
    // The series the captures verify are Debian's 6.1 and 6.12; any other is modelled by the gates
    // --version lists, with what is known of the nearest.
    if (const KernelVersion v = machine.profile.version; !(v == KernelVersion{6, 1}) && !(v == KernelVersion{6, 12}))
        machine.assumptions.push_back(fmt::format("kernel {} is modelled as Debian's {} with the version gates that --version lists; only 6.1 and "
                                                  "6.12 are verified against real boots{}",
                                                  format_kernel_version(v), v < KernelVersion{6, 12} ? "6.1.192" : "6.12.118",
                                                  v > KernelVersion{6, 12} ? " (and 7.2's reserved memory and zones, except what `bootmap gates --kernel` "
                                                                             "marks 'era not replayed')"
                                                                           : ""));
}

// --cmdline-remove then --cmdline-add on the line given, else the one the boot log records.
std::optional<InputError> apply_cmdline_edits(Machine& machine, const InputOptions& options) {
    if (!options.cmdline_add.empty() || !options.cmdline_remove.empty()) {
        // The line being changed: the one given, else the one the boot log records.
        if (!machine.cmdline && machine.boot_log && machine.boot_log->command_line) {
            auto logged = read_cmdline(machine.boot_log->source, *machine.boot_log->command_line);
            if (!logged) return logged.error();
            machine.cmdline = std::move(logged).value();
            const SourceLocation at = machine.boot_log->command_line_where;
            machine.cmdline->positions.clear();
            for (std::size_t i = 0; i <= machine.cmdline->text.size(); ++i)
                machine.cmdline->positions.push_back(SourceLocation{at.file, at.line, static_cast<std::uint32_t>(at.column + i), std::nullopt});
        }
        auto edited = edit_cmdline(machine.cmdline.value_or(KernelCommandLine{"--cmdline-add", "", {}, {}, {}, {}}), options.cmdline_remove, options.cmdline_add);
        if (!edited) return edited.error();
        machine.cmdline = std::move(edited).value();
    }
    return std::nullopt;
}

}  // namespace

// --entry: the boot entry to predict among every command line the bootloader files gave, by its
// title or id (as the file names it), or by its index in the order read (0 first, as GRUB_DEFAULT
// counts). The others stay linted.
std::optional<InputError> select_entry(Machine& machine, const InputOptions& options, std::string& log) {
    if (options.entry.empty()) return std::nullopt;
    if (!machine.cmdline)
        return InputError{SourceLocation{"--entry"}, fmt::format("expected bootloader files with boot entries to choose '{}' from, found none", options.entry),
                          "give them with --cmdline-from FILE"};
    std::vector<KernelCommandLine*> all{&*machine.cmdline};
    for (auto& c : machine.other_cmdlines) all.push_back(&c);
    std::optional<std::size_t> chosen;
    for (std::size_t i = 0; i < all.size() && !chosen; ++i)
        if (all[i]->entry == options.entry) chosen = i;
    if (!chosen && !options.entry.empty() && std::all_of(options.entry.begin(), options.entry.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        options.entry.size() < 6) {
        const std::size_t index = std::stoul(options.entry);
        if (index < all.size()) chosen = index;
    }
    if (!chosen) {
        std::string names;
        for (std::size_t i = 0; i < all.size(); ++i)
            names += fmt::format("{}{}: '{}'", i == 0 ? "" : ", ", i, all[i]->entry.empty() ? all[i]->source : all[i]->entry);
        return InputError{SourceLocation{"--entry"}, fmt::format("expected one of the {} boot entries, found no entry '{}'", all.size(), options.entry),
                          "the entries: " + names};
    }
    if (*chosen != 0) std::swap(*machine.cmdline, machine.other_cmdlines[*chosen - 1]);
    if (options.verbose) log += fmt::format("bootmap: --entry {}: the boot predicted is '{}'\n", options.entry, machine.cmdline->entry);
    return std::nullopt;
}

Result<Machine> load_machine(const InputOptions& options, std::string& log) {
    Machine machine;
    auto profile = profile_from_options(options);
    if (!profile) return profile.error();
    machine.profile = profile.value();
    auto dax = dax_plan_from_options(options, std::uint64_t{1} << machine.profile.page_shift);
    if (!dax) return dax.error();
    machine.dax_kmem = dax.value();
    for (const auto& text : options.dax_ranges) {
        auto range = parse_dax_range(text);
        if (!range) return range.error();
        machine.dax_ranges.push_back(DaxDeviceListing{"--range", "devdax", {range.value()}, std::nullopt, std::nullopt, std::nullopt, SourceLocation{"--range " + text}});
    }
    int bootloader_files = 0;  // given so far: a later one keeps the earlier ones linted
    auto named = add_named_inputs(std::move(machine), options, log, bootloader_files);
    if (!named) return named.error();
    auto all = add_bare_files(std::move(named).value(), options, log, bootloader_files);
    if (!all) return all.error();
    machine = std::move(all).value();
    if (auto error = select_entry(machine, options, log)) return *error;
    apply_implied_defaults(machine, options);
    if (machine.profile.page_shift != 12 && machine.profile.arch != Arch::arm64)
        return InputError{SourceLocation{"--page-size"}, fmt::format("expected 4K: only arm64 kernels are built with 16K or 64K pages, found '{}'", options.page_size),
                          "give --arch arm64 (or an arm64 device tree or boot log)"};
    if (auto error = apply_cmdline_edits(machine, options)) return *error;
    return machine;
}

}  // namespace bootmap
