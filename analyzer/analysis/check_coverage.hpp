#pragma once
// What the inputs did not let bootmap check, one line per reason, so that a clean CI gate never
// means "nothing could be checked": a command line that places memory (crashkernel=, cma=,
// memmap=, ...) given without anything that says what the machine's memory is.

#include <string>
#include <vector>

#include "model/machine.hpp"

namespace bootmap {

std::vector<std::string> unchecked_for_lack_of_inputs(const Machine& machine);

}  // namespace bootmap
