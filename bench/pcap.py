"""Reads a pcap file (tcpdump -w) and yields the frames the benchmark needs:
VRRP adverts (IPv4 and IPv6), gratuitous ARPs and unsolicited neighbour
advertisements, each with its capture time. Standard library only."""

import ipaddress
import struct
from dataclasses import dataclass

VRRP = 112
ICMPV6 = 58


@dataclass
class Advert:
    time: float
    source: str      # sender's IP address
    vrid: int
    priority: int
    interval_cs: int  # VRRPv3; 0 for v2


@dataclass
class Announcement:
    time: float
    address: str     # the address announced (GARP sender / NA target)
    mac: str         # the frame's source MAC


def _records(path):
    with open(path, "rb") as f:
        header = f.read(24)
        magic = struct.unpack("<I", header[:4])[0]
        endian, scale = {0xA1B2C3D4: ("<", 1e-6), 0xA1B23C4D: ("<", 1e-9),
                         0xD4C3B2A1: (">", 1e-6), 0x4D3CB2A1: (">", 1e-9)}[magic]
        linktype = struct.unpack(endian + "I", header[20:24])[0]
        if linktype != 1:
            raise ValueError(f"{path}: link type {linktype}, not Ethernet")
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            sec, frac, caplen, _ = struct.unpack(endian + "IIII", record)
            yield sec + frac * scale, f.read(caplen)


def _ipv4(data):
    return str(ipaddress.IPv4Address(bytes(data)))


def _ipv6(data):
    return str(ipaddress.IPv6Address(bytes(data)))


def _parse(time, frame):
    ethertype = struct.unpack("!H", frame[12:14])[0]
    payload = frame[14:]
    mac = ":".join(f"{b:02x}" for b in frame[6:12])
    if ethertype == 0x0806 and len(payload) >= 28:
        return Announcement(time, _ipv4(payload[14:18]), mac)
    if ethertype == 0x0800 and len(payload) >= 28 and payload[9] == VRRP:
        header = (payload[0] & 0x0F) * 4
        vrrp = payload[header:]
        return _advert(time, _ipv4(payload[12:16]), vrrp)
    if ethertype == 0x86DD and len(payload) >= 48:
        next_header, source, body = payload[6], payload[8:24], payload[40:]
        if next_header == VRRP:
            return _advert(time, _ipv6(source), body)
        if next_header == ICMPV6 and body[0] == 136 and len(body) >= 24:
            return Announcement(time, _ipv6(body[8:24]), mac)
    return None


def _advert(time, source, vrrp):
    version = vrrp[0] >> 4
    interval = (struct.unpack("!H", vrrp[4:6])[0] & 0x0FFF) if version == 3 else 0
    return Advert(time, source, vrrp[1], vrrp[2], interval)


def read(path):
    """Adverts and announcements in capture order."""
    for time, frame in _records(path):
        item = _parse(time, frame) if len(frame) >= 14 else None
        if item is not None:
            yield item
