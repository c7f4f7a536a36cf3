#pragma once
// Reads what a kernel log (dmesg, journalctl -k, a serial console) records of its boot besides the
// firmware's e820 map: the kernel release, the command line, UEFI's edits of the memory map
// (setup_data, EFI MMIO removal, EFI reservations), the EFI memory map of efi=debug. Only the first
// boot in the log counts; lines it does not know are skipped.

#include <string_view>

#include "model/boot_log.hpp"

namespace bootmap {

BootLog read_boot_log(std::string_view source_name, std::string_view text);

}  // namespace bootmap
