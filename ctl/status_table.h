#pragma once

#include <string>

#include "proto/control.pb.h"

namespace vigil::ctl {

// vigilctl status as a table: one line per instance, then one indented line
// per tracker with its part in the priority.
std::string FormatStatus(const control::Status& status);

// vigilctl stats: per-instance counters, then the receive drops.
std::string FormatStats(const control::Stats& stats);

// --json output (and keepalived.json): field names as in the .proto,
// every field even when zero, indented.
std::string ToJson(const google::protobuf::MessageLite& message);

// vigilctl watch: one line per transition.
std::string FormatTransition(const control::Transition& transition);

}  // namespace vigil::ctl
