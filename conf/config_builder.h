#pragma once

#include <vector>

#include "conf/syntax_tree.h"
#include "proto/config.pb.h"

namespace vigil::conf {

// Turns the statement tree into the config message, checking every value and
// the relations between blocks. Never stops at the first problem.
config::Config BuildConfig(const std::vector<Node>& tree,
                           Diagnostics& diagnostics);

}  // namespace vigil::conf
