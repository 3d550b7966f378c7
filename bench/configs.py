"""keepalived.conf text that both daemons read: instances with one VIP each,
optionally tracking a script."""

from dataclasses import dataclass


@dataclass
class Instance:
    name: str
    interface: str
    vrid: int
    vips: list
    interval: float = None  # None: render()'s


def ipv4_instances(count):
    """Up to 255 instances on eth0, each with its own IPv4 VIP."""
    assert count <= 255
    found = []
    for vrid in range(1, count + 1):
        vip = f"198.51.100.{vrid}" if vrid <= 200 else f"192.0.2.{vrid - 100}"
        found.append(Instance(f"VI_{vrid}", "eth0", vrid, [vip]))
    return found


def ipv6_instances(count, interfaces):
    """Spread over eth0..eth{interfaces-1}, 250 per interface, IPv6 VIPs."""
    found = []
    for index in range(count):
        i, vrid = divmod(index, 250)
        assert i < interfaces
        found.append(Instance(f"VI6_{i}_{vrid + 1}", f"eth{i}", vrid + 1,
                              [f"2001:db8:{i}::{1000 + vrid}"]))
    return found


def many_vips(count, interface="eth0", interval=None):
    """One instance on `interface` with `count` IPv6 VIPs. They differ in the
    fourth group, not the last 24 bits: each distinct low 24 bits is another
    solicited-node multicast group, and the kernel (6.x) walks every group
    of the interface for each one it joins, which alone took 26 s for
    10,000 VIPs here."""
    assert count <= 65535
    # RFC 9568 (erratum 8300): an IPv6 advert's first address is link-local.
    return [Instance("VI_MANY", interface, 1, ["fe80::100"] +
                     [f"2001:db8:100:{n:x}::1" for n in range(1, count)], interval)]


def render(router_id, instances, priority, interval, script=None, weight=0,
           vip_lifetime=None):
    lines = ["global_defs {", f"    router_id {router_id}"]
    if vip_lifetime is not None:  # vigil only; keepalived ignores it, with a warning
        lines.append(f"    vip_lifetime {vip_lifetime}")
    lines.append("}")
    if script:
        lines += ["vrrp_script check {", f'    script "{script}"',
                  "    interval 1", "    timeout 1", "    fall 1", "    rise 1",
                  f"    weight {weight}", "}"]
    for inst in instances:
        lines += [f"vrrp_instance {inst.name} {{", "    state BACKUP",
                  f"    interface {inst.interface}",
                  f"    virtual_router_id {inst.vrid}",
                  f"    priority {priority}", "    version 3",
                  f"    advert_int {inst.interval or interval}",
                  "    virtual_ipaddress {",
                  f"        {inst.vips[0]}", "    }"]
        if len(inst.vips) > 1:  # not in the adverts, which hold only so many
            lines.append("    virtual_ipaddress_excluded {")
            lines += [f"        {vip}" for vip in inst.vips[1:]]
            lines.append("    }")
        if script:
            lines += ["    track_script {", "        check", "    }"]
        lines.append("}")
    return "\n".join(lines) + "\n"
