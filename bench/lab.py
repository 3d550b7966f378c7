"""A two-host lab in network namespaces for the benchmark: hosts a and b,
each with eth0..ethN-1 on bridges in a bridge namespace, and the daemons
(vigil or keepalived) that run in them. Only 192.0.2.0/24, 198.51.100.0/24
and 2001:db8::/32 are used, inside namespaces the lab created; processes are
stopped by their own PIDs, and everything goes on exit."""

import os
import signal
import subprocess
import tempfile
import time

HOST_INDEX = {"a": 1, "b": 2}


def run(*args, check=True, input=None):
    return subprocess.run(args, check=check, capture_output=True, text=True,
                          input=input)


def wait_until(limit, what, predicate, step=0.005):
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {limit} s waiting for {what}")
        time.sleep(step)


def descendants(pid):
    """pid and every process below it."""
    found, queue = [], [pid]
    while queue:
        p = queue.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    queue.extend(int(c) for c in f.read().split())
        except FileNotFoundError:
            pass
    return found


class Lab:
    def __init__(self, name, interfaces=1, napi_threads=False):
        self.name = name
        self.interfaces = interfaces
        self.napi_threads = napi_threads
        self.dir = tempfile.mkdtemp(prefix=f"vigil-bench-{name}.")
        os.chmod(self.dir, 0o755)
        self.processes = []

    def ns(self, host):
        return f"{self.name}-{host}"

    def exec(self, host, *args, check=True, input=None):
        return run("ip", "netns", "exec", self.ns(host), *args, check=check,
                   input=input)

    def create(self):
        run("ip", "netns", "add", self.ns("br"))
        self._plain_switch()
        for i in range(self.interfaces):
            self.exec("br", "ip", "link", "add", f"br{i}", "type", "bridge")
            self.exec("br", "ip", "link", "set", f"br{i}", "up")
        for host, n in HOST_INDEX.items():
            run("ip", "netns", "add", self.ns(host))
            self.exec(host, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0",
                      "net.ipv6.conf.all.accept_dad=0")
            self.exec(host, "ip", "link", "set", "lo", "up")
            for i in range(self.interfaces):
                self._add_port(host, n, i)
        return self

    def _plain_switch(self):
        """The bridges stand in for a switch, which runs no firewall. With
        br_netfilter loaded (it is here) a bridge hands each frame to
        iptables, and that work runs in the sending daemon's softirq (measured
        at 50 x 10 ms: ~0.7 us of vigil's 9 per advert, ~1.5 of keepalived's
        32)."""
        for family in ("iptables", "ip6tables", "arptables"):
            self.exec("br", "sysctl", "-qw", f"net.bridge.bridge-nf-call-{family}=0",
                      check=False)

    def _add_port(self, host, n, i):
        port = f"{self.name}{host}{i}"
        run("ip", "link", "add", port, "type", "veth", "peer", "name", f"eth{i}",
            "netns", self.ns(host))
        run("ip", "link", "set", port, "netns", self.ns("br"))
        self.exec("br", "ip", "link", "set", port, "master", f"br{i}", "up")
        if i == 0:
            self.exec(host, "ip", "addr", "add", f"192.0.2.{n}/24", "dev", "eth0")
        self.exec(host, "ip", "addr", "add", f"2001:db8:{i}::{n}/64", "dev",
                  f"eth{i}", "nodad")
        self.exec(host, "ip", "link", "set", f"eth{i}", "up")
        if self.napi_threads:
            self._receive_in_thread("br", port)
            self._receive_in_thread(host, f"eth{i}")

    def _receive_in_thread(self, ns, device):
        """A veth hands a frame to its peer's stack in the sender's softirq,
        so the sending daemon pays for the bridge and the other host's
        receive path, work a NIC and another machine would do. With GRO on
        (rx-udp-gro-forwarding lets frames from a socket through) the veth
        queues frames for NAPI, and with threaded NAPI that runs in a kernel
        thread of its own: the sender pays for its send path only."""
        self.exec(ns, "ethtool", "-K", device, "gro", "on", "rx-udp-gro-forwarding", "on")
        self.exec(ns, "sh", "-c", f"echo 1 > /sys/class/net/{device}/threaded")

    def mac(self, host, interface="eth0"):
        return self.exec(host, "cat", f"/sys/class/net/{interface}/address").stdout.strip()

    def spawn(self, host, args, log):
        out = open(os.path.join(self.dir, log), "ab")
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(host), *args],
                             stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(p)
        return p

    def path(self, name):
        return os.path.join(self.dir, name)

    def destroy(self):
        for p in self.processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.processes:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for host in [*HOST_INDEX, "br"]:
            run("ip", "netns", "del", self.ns(host), check=False)
        if not os.environ.get("BENCH_KEEP"):
            subprocess.run(["rm", "-rf", self.dir], check=False)

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc):
        self.destroy()


class Capture:
    """tcpdump on the bridges, written to pcap files, nanosecond stamps."""

    def __init__(self, lab, name, bridges=None, filter_expr="ip proto 112 or ip6 proto 112 or arp or icmp6"):
        self.lab = lab
        self.files = []
        self.procs = []
        for i in range(bridges or lab.interfaces):
            path = lab.path(f"{name}-br{i}.pcap")
            err = lab.path(f"{name}-br{i}.tcpdump")
            with open(err, "wb") as e:
                p = subprocess.Popen(
                    ["ip", "netns", "exec", lab.ns("br"), "tcpdump", "-i", f"br{i}",
                     "-w", path, "-s", "200", "-B", "32768", "-U", "--immediate-mode",
                     "--time-stamp-precision=nano", filter_expr],
                    stdout=subprocess.DEVNULL, stderr=e)
            self.files.append(path)
            self.procs.append((p, err))
        for p, err in self.procs:
            wait_until(5, "tcpdump", lambda: "listening on" in open(err).read())

    def stop(self):
        for p, _ in self.procs:
            p.send_signal(signal.SIGINT)
        for p, _ in self.procs:
            p.wait(timeout=10)
        return self.files
