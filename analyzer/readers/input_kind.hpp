#pragma once
// What kind of input a file is, judged by its content, for arguments given without --iomem/--dmesg/...

#include <string_view>

namespace bootmap {

enum class InputKind { unknown, iomem, kernel_cmdline, dmesg, e820_memmap, srat_binary, srat_iasl, dtb, dts, libvirt_xml, daxctl_json };

std::string_view input_kind_name(InputKind kind);

// Looks at magic numbers for binary formats and at the first non-blank lines for text formats.
InputKind detect_input_kind(std::string_view contents);

}  // namespace bootmap
