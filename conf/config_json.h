#pragma once

#include <string>

#include "proto/config.pb.h"

namespace vigil::conf {

// The normalised configuration as JSON, for `vigild --dump-config`: every
// field, defaults included, addresses as text, passwords masked.
std::string ConfigToJson(const config::Config& config);

}  // namespace vigil::conf
