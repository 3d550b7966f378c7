"""Run inside a host's namespace: the kernel's own cost of adding addresses,
with no daemon. Adds the IPv6 addresses read from stdin (one per line) to an
interface the way vigil's agent does (RTM_NEWADDR, IFA_F_NODAD, /128, 128
requests per sendmsg, no acknowledgement asked: the kernel has handled a batch
when sendmsg returns, and only errors come back) and prints, as JSON, when it
sent the first request ("start", time.time()) and the ms until the last
sendmsg returned ("returned"). When each address became usable is for
addr_listener.py to record, as in the benchmark's VIP case. Standard library
only.

  add_addresses.py INTERFACE < ADDRESSES
"""

import ipaddress
import json
import socket
import struct
import sys
import time

from addr_listener import SO_RCVBUFFORCE, messages

RTM_NEWADDR, IFA_LOCAL, IFA_ADDRESS = 20, 2, 1
NLM_F_REQUEST, NLM_F_CREATE, NLM_F_EXCL = 1, 0x400, 0x200
NLMSG_ERROR = 2
IFA_F_NODAD = 0x02
BATCH = 128


def attribute(kind, payload):
    data = struct.pack("HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def new_address(seq, index, address):
    raw = ipaddress.IPv6Address(address).packed
    body = struct.pack("BBBBI", socket.AF_INET6, 128, IFA_F_NODAD, 0, index)
    body += attribute(IFA_LOCAL, raw) + attribute(IFA_ADDRESS, raw)
    flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL
    return struct.pack("IHHII", 16 + len(body), RTM_NEWADDR, flags, seq, 0) + body


def errors(data):
    """The error code of each error message in one datagram."""
    for kind, at, _ in messages(data):
        if kind == NLMSG_ERROR:
            yield struct.unpack_from("i", data, at + 16)[0]


def main():
    interface, wanted = sys.argv[1], sys.stdin.read().split()
    index = socket.if_nametoindex(interface)
    requests = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    requests.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    batches = [b"".join(new_address(first + i + 1, index, a)
                        for i, a in enumerate(wanted[first:first + BATCH]))
               for first in range(0, len(wanted), BATCH)]
    start, began = time.time(), time.monotonic()
    for batch in batches:
        requests.send(batch)
    returned = time.monotonic()
    while True:
        try:
            data = requests.recv(1 << 20, socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
        for error in errors(data):
            if error:
                sys.exit(f"RTM_NEWADDR failed: errno {-error}")
    print(json.dumps({"start": start, "returned": (returned - began) * 1000}))


if __name__ == "__main__":
    main()
