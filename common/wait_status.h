#pragma once

#include <string>

namespace vigil {

// A waitpid status in words: "exited with status 1", "killed by signal 9";
// SIGSYS says it was a seccomp filter.
std::string DescribeWaitStatus(int status);

}  // namespace vigil
