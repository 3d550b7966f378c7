"""Run inside a host's namespace: records when each address is added, from
rtnetlink's RTM_NEWADDR notifications, as `time address` lines in the file
named on the command line (written on SIGTERM). The file exists, empty, once
the socket listens. Standard library only."""

import ipaddress
import signal
import socket
import struct
import sys
import time

RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR = 0x10, 0x100
RTM_NEWADDR, IFA_LOCAL, IFA_ADDRESS = 20, 2, 1
SO_RCVBUFFORCE = 33


def messages(data):
    """(type, offset, length) of each netlink message in one datagram."""
    at = 0
    while at + 16 <= len(data):
        length, kind = struct.unpack_from("IH", data, at)
        if length < 16:
            return
        yield kind, at, length
        at += (length + 3) & ~3


def addresses(data):
    """The address of each RTM_NEWADDR message in one datagram."""
    for kind, at, length in messages(data):
        if kind == RTM_NEWADDR:
            family = data[at + 16]
            found = {}
            a = at + 16 + 8
            while a + 4 <= at + length:
                alen, atype = struct.unpack_from("HH", data, a)
                if alen < 4:
                    break
                found[atype] = bytes(data[a + 4:a + alen])
                a += (alen + 3) & ~3
            raw = found.get(IFA_LOCAL) or found.get(IFA_ADDRESS)
            if raw:
                yield str(ipaddress.ip_address(raw)) if family in (2, 10) else ""


def main():
    out_path = sys.argv[1]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    # A takeover of thousands of VIPs notifies thousands of times at once.
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
    sock.bind((0, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR))
    seen = []
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    open(out_path, "w").close()
    sock.settimeout(0.05)
    while not stop:
        try:
            data = sock.recv(1 << 20)
        except socket.timeout:
            continue
        except OSError as e:  # ENOBUFS: notifications were lost
            seen.append((time.time(), f"lost: {e}"))
            continue
        now = time.time()
        seen.extend((now, address) for address in addresses(data))
    with open(out_path, "w") as f:
        f.writelines(f"{t:.6f} {a}\n" for t, a in seen)


if __name__ == "__main__":
    main()
