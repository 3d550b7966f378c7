#pragma once

#include <linux/netlink.h>

#include <cstddef>

namespace vigil {

// Calls `visit(const nlmsghdr*)` for each whole netlink message in a
// received buffer, stopping at a truncated or malformed one. (The NLMSG_OK
// macros mix signed and unsigned lengths.)
template <typename Visit>
void ForEachNetlinkMessage(const char* data, size_t size, Visit visit) {
  size_t at = 0;
  while (size - at >= sizeof(nlmsghdr)) {
    const auto* header = reinterpret_cast<const nlmsghdr*>(data + at);
    if (header->nlmsg_len < sizeof(nlmsghdr) || header->nlmsg_len > size - at)
      return;
    visit(header);
    at += NLMSG_ALIGN(header->nlmsg_len);
    if (at > size) return;
  }
}

}  // namespace vigil
