#pragma once
// A libvirt domain XML (virsh dumpxml, /etc/libvirt/qemu/NAME.xml): the parts that decide the guest's
// memory layout, read with pugixml, each value with its line and column.

#include <string_view>

#include "core/input_error.hpp"
#include "model/vm_definition.hpp"

namespace bootmap {

Result<VmDefinition> read_libvirt_domain(std::string_view source_name, std::string_view xml);

}  // namespace bootmap
