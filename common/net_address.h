#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

namespace vigil {

// IPv4 address in network byte order, as carried on the wire and in protos.
std::string FormatIpv4(uint32_t network_order);
std::optional<uint32_t> ParseIpv4(absl::string_view text);
// Formats 4 or 16 raw bytes; "?" for anything else.
std::string FormatAddressBytes(absl::string_view bytes);

}  // namespace vigil
