#pragma once
// What kind of input a file is, judged by its content, for arguments given without --iomem/--dmesg/...

#include <optional>
#include <string>
#include <string_view>

namespace bootmap {

enum class InputKind { unknown, iomem, kernel_cmdline, dmesg, e820_memmap, srat_binary, srat_iasl, dtb, dts, libvirt_xml, daxctl_json };

std::string_view input_kind_name(InputKind kind);

// Looks at magic numbers for binary formats and at the first non-blank lines for text formats.
InputKind detect_input_kind(std::string_view contents);

// An ACPI table other than the SRAT (a SLIT, an HMAT), as the binary table or its `iasl -d` text:
// its signature, so that the refusal can say what the file is and which table bootmap reads instead.
std::optional<std::string> other_acpi_table(std::string_view contents);

// Device tree source without '/dts-v1/;' (a .dtsi another file includes): nodes, labels, /memreserve/.
bool looks_like_dt_fragment(std::string_view contents);

}  // namespace bootmap
