#pragma once

#include <string>

#include "proto/control.pb.h"

namespace vigil::brain {

// Prometheus text exposition (version 0.0.4) of what vigilctl status and
// stats show: per instance its state, priorities, tracker results and
// counters; the receive drops by reason. Label values are escaped, so an
// instance name cannot break the format.
std::string RenderMetrics(const control::Status& status,
                          const control::Stats& stats);

}  // namespace vigil::brain
