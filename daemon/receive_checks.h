#pragma once

#include "daemon/instance_spec.h"
#include "daemon/vrrp_packet.h"

namespace vigil::brain {

// The receive checks that need the instance's configuration (RFC 3768 7.1 and
// RFC 9568 7.1: R1, R2, R7, R8, R9). R6 (VRID lookup) is the caller's, and the
// packet-only checks are DecodeAdvert's.
// `own_address` is the instance's source address: a unicast instance accepts
// adverts sent to it, a multicast one only those sent to the group.
vrrp::DropReason CheckAdvertForInstance(const vrrp::Advert& advert,
                                        const vrrp::Envelope& envelope,
                                        const InstanceSpec& instance,
                                        uint8_t local_priority,
                                        const IpAddress& own_address);

}  // namespace vigil::brain
