"""The benchmark's cases. Each runs one daemon (vigil or keepalived) in a
fresh lab, once, and returns its figures; vrrp_bench.py repeats and compares.
Timings come from the wire (pcap stamps on the bridge), never from logs."""

import ipaddress
import json
import os
import signal
import subprocess
import sys
import time

import configs
import pcap
from lab import Capture, Lab, wait_until

MASTER, BACKUP = 100, 85


def skew(priority, interval):
    return (256 - priority) * interval / 256


def master_down(priority, interval):
    return 3 * interval + skew(priority, interval)


class Pair:
    """Hosts a (master, priority 100) and b (backup, 85) on the same config."""

    def __init__(self, lab, make, instances, interval, **render):
        self.lab, self.instances, self.interval = lab, instances, interval
        self.vips = {ipaddress.ip_address(v) for inst in instances for v in inst.vips}
        self.daemons = {}
        for host, priority in (("a", MASTER), ("b", BACKUP)):
            path = lab.path(f"{host}.conf")
            options = dict(render)
            if callable(options.get("script")):
                options["script"] = options["script"](host)  # per host
            with open(path, "w") as f:
                f.write(configs.render(f"bench_{host}", instances, priority,
                                       interval, **options))
            self.daemons[host] = make(lab, host, path)

    def held(self, host):
        out = self.lab.exec(host, "ip", "-o", "addr", "show").stdout
        return {ipaddress.ip_address(line.split()[3].split("/")[0])
                for line in out.splitlines()}

    def holds_all(self, host):
        return self.vips <= self.held(host)

    def holds_none(self, host):
        return not (self.vips & self.held(host))

    def poll_step(self):
        """Listing thousands of addresses competes with the kernel's adds."""
        return 0.02 if len(self.vips) < 100 else 1.0

    def start(self, check_backup=True):
        self.daemons["a"].start()
        wait_until(60, "a holds every VIP", lambda: self.holds_all("a"), self.poll_step())
        self.daemons["b"].start()
        # b has heard a: give it three of a's adverts.
        time.sleep(3 * self.interval + 0.5)
        if check_backup and not self.holds_none("b"):
            raise RuntimeError("b holds VIPs while a is master")

    def first_from(self, items, source, after=0.0):
        for item in items:
            if isinstance(item, pcap.Advert) and item.source == source and item.time > after:
                return item
        return None


def _adverts(files):
    items = []
    for path in files:
        items.extend(pcap.read(path))
    items.sort(key=lambda i: i.time)
    return items


def _handover_gaps(items, old, new):
    """Per VRID: seconds from old's last advert to new's first advert."""
    last_old, gaps = {}, {}
    for item in items:
        if not isinstance(item, pcap.Advert):
            continue
        if item.source == old and item.vrid not in gaps:
            last_old[item.vrid] = (item.time, item.priority)
        elif item.source == new and item.vrid not in gaps and item.vrid in last_old:
            gaps[item.vrid] = (item.time - last_old[item.vrid][0], last_old[item.vrid][1])
    return gaps


# After a takeover both daemons send a second burst of GARP/NA
# garp_master_delay (5 s) later; until then what they still have to send
# is in memory (vigil's agent: ~0.4 MB at 1,000 instances).
SETTLED = 6.0


def crash_takeover(make, interval, count):
    """SIGKILL of the master's whole tree: backup's first advert minus the
    master's last, less Master_Down_Interval (ms, per instance)."""
    with Lab("vbc", interfaces=1) as lab:
        pair = Pair(lab, make, configs.ipv4_instances(count), interval)
        pair.start()
        capture = Capture(lab, "crash")
        time.sleep(2 * interval + 0.2)
        pair.daemons["a"].crash()
        wait_until(10 + 4 * interval, "b holds every VIP", lambda: pair.holds_all("b"), 0.01)
        time.sleep(interval + 0.2)
        items = _adverts(capture.stop())
        gaps = _handover_gaps(items, "192.0.2.1", "192.0.2.2")
        expected = master_down(BACKUP, interval)
        pair.daemons["b"].stop()
        if len(gaps) != count:
            raise RuntimeError(f"takeover seen for {len(gaps)} of {count} instances")
        return [(gap - expected) * 1000 for gap, _ in gaps.values()]


def graceful_takeover(make, interval):
    """SIGTERM of the master: from its priority-0 advert to the backup's first
    advert (ms); the RFC says Skew_Time."""
    with Lab("vbg", interfaces=1) as lab:
        pair = Pair(lab, make, configs.ipv4_instances(1), interval)
        pair.start()
        capture = Capture(lab, "stop")
        time.sleep(interval + 0.2)
        pair.daemons["a"].stop()
        wait_until(10, "b holds the VIP", lambda: pair.holds_all("b"), 0.01)
        items = _adverts(capture.stop())
        zero = next(i for i in items if isinstance(i, pcap.Advert)
                    and i.source == "192.0.2.1" and i.priority == 0)
        first = pair.first_from(items, "192.0.2.2", zero.time)
        pair.daemons["b"].stop()
        return [(first.time - zero.time) * 1000]


def check_failover(make, interval):
    """The master's checked service fails (weight -30: 100 -> 70 < 85): from
    the failure to the backup's first gratuitous ARP for the VIP (ms)."""
    with Lab("vbk", interfaces=1) as lab:
        for host in ("a", "b"):
            open(lab.path(f"service-up-{host}"), "w").close()
            with open(lab.path(f"check-{host}.sh"), "w") as f:
                f.write(f"#!/bin/sh\ntest -e {lab.path(f'service-up-{host}')}\n")
            os.chmod(lab.path(f"check-{host}.sh"), 0o755)
        pair = Pair(lab, make, configs.ipv4_instances(1), interval,
                    script=lambda host: lab.path(f"check-{host}.sh"), weight=-30)
        pair.start()
        capture = Capture(lab, "check")
        time.sleep(interval + 0.3)
        failed = time.time()
        os.unlink(lab.path("service-up-a"))
        wait_until(15, "b holds the VIP", lambda: pair.holds_all("b"), 0.005)
        time.sleep(0.2)
        items = _adverts(capture.stop())
        backup_mac = lab.mac("b")
        garp = next(i for i in items if isinstance(i, pcap.Announcement)
                    and i.time > failed and i.mac == backup_mac
                    and i.address == pair.instances[0].vips[0])
        for d in pair.daemons.values():
            d.stop()
        return [(garp.time - failed) * 1000]


def _tx_packets(pid, interface):
    """Frames sent on `interface` in the namespace of process pid."""
    with open(f"/proc/{pid}/net/dev") as f:
        for line in f:
            name, _, counters = line.partition(":")
            if name.strip() == interface:
                return int(counters.split()[9])
    raise RuntimeError(f"no {interface} in /proc/{pid}/net/dev")


def cpu_per_advert(make, interval, count, seconds, **render):
    """The master's CPU time (all its processes) per advert it sent (µs),
    once both GARP bursts are over. What the lab does with a frame is kept
    off the sender: adverts are counted from the interface's counter, not
    captured (tcpdump's cost per frame would fall on the sender, most on a
    daemon that sends each advert with a system call of its own), and the
    bridge and the other host receive in NAPI threads (Lab napi_threads),
    not in the sender's softirq."""
    with Lab("vbp", interfaces=1, napi_threads=True) as lab:
        pair = Pair(lab, make, configs.ipv4_instances(count), interval, **render)
        daemon = pair.daemons["a"].start()
        wait_until(30, "a holds every VIP", lambda: pair.holds_all("a"), 0.02)
        time.sleep(SETTLED)
        pid = daemon.process.pid
        sent_before, before = _tx_packets(pid, "eth0"), daemon.cpu_ns()
        time.sleep(seconds)
        used = daemon.cpu_ns() - before
        adverts = _tx_packets(pid, "eth0") - sent_before
        daemon.stop()
        # Nothing else leaves a settled master; more frames would be counted
        # as adverts.
        expected = count * seconds / interval
        if abs(adverts - expected) > 0.02 * expected + count:
            raise RuntimeError(f"{adverts} frames sent, {expected:.0f} adverts expected")
        return [used / 1000 / adverts], {"adverts": adverts,
                                         "cpu_percent": used / 1e9 / seconds * 100}


def advert_timing(make, interval, count, seconds):
    """Per-instance intervals between the master's adverts (ms)."""
    with Lab("vbi", interfaces=1) as lab:
        pair = Pair(lab, make, configs.ipv4_instances(count), interval)
        pair.daemons["a"].start()
        wait_until(30, "a holds every VIP", lambda: pair.holds_all("a"), 0.02)
        time.sleep(1.0)
        capture = Capture(lab, "timing", filter_expr="ip proto 112")
        time.sleep(seconds)
        items = _adverts(capture.stop())
        pair.daemons["a"].stop()
        return _intervals(items)


def _intervals(items, start=0.0, end=float("inf"), until=None):
    """Per VRID, ms between consecutive adverts, for those that overlap
    [start, end]. With `until` (when the capture stopped), an instance
    silent from before `end` to then counts that silence too, a lower bound."""
    last, intervals = {}, []
    for item in items:
        if item.vrid in last and item.time >= start and last[item.vrid] <= end:
            intervals.append((item.time - last[item.vrid]) * 1000)
        last[item.vrid] = item.time
    if until is not None:
        intervals += [(until - t) * 1000 for t in last.values() if t < end]
    return intervals


def _addresses_on(pid, prefix):
    """IPv6 addresses starting with `prefix` (32 hex digits' start) in the
    namespace of process pid: /proc, no process started, cheap to poll."""
    with open(f"/proc/{pid}/net/if_inet6") as f:
        return sum(1 for line in f if line.startswith(prefix))


def advert_timing_during_adds(make, interval, count, vips):
    """advert_timing while another instance of the same daemon, on eth1,
    becomes master and adds `vips` IPv6 VIPs: the intervals (ms) that overlap
    the time from that instance's first advert to its last VIP's add. keepalived
    adds VIPs in its VRRP process; vigil's brain leaves netlink to its agent."""
    with Lab("vbj", interfaces=2) as lab:
        # advert_int 2: it becomes master 7.2 s after start, well after
        # the small instances' start-up.
        big = configs.many_vips(vips, interface="eth1", interval=2)
        small = configs.ipv4_instances(count)
        pair = Pair(lab, make, small + big, interval)
        added = lab.path("added.txt")
        listener = lab.spawn("a", [sys.executable, LISTENER, added], "listener.log")
        wait_until(5, "address listener", lambda: os.path.exists(added))
        daemon = pair.daemons["a"].start()
        wanted = {ipaddress.ip_address(v) for inst in small for v in inst.vips}
        wait_until(30, "a holds the small instances' VIPs",
                   lambda: wanted <= pair.held("a"), 0.02)
        time.sleep(1.0)
        capture = Capture(lab, "adds", filter_expr="ip proto 112 or ip6 proto 112")
        wait_until(60, "a holds the big instance's VIPs",
                   lambda: _addresses_on(daemon.process.pid, "20010db80100") >= vips - 1,
                   0.2)
        time.sleep(2.0)  # keepalived's adverts resume ~0.3 s after its last add
        until = time.time()
        files = capture.stop()
        listener.send_signal(signal.SIGTERM)
        listener.wait(timeout=10)
        # Not stopped: removing 10,000 IPv6 VIPs takes the kernel minutes.
        daemon.crash()
        with open(added) as f:
            adds = [float(line.split()[0]) for line in f
                    if line.split()[1].startswith("2001:db8:100:")]
        big_adverts = [i for i in pcap.read(files[1]) if isinstance(i, pcap.Advert)]
        if not big_adverts or len(adds) < vips - 1:
            raise RuntimeError(f"big instance: {len(big_adverts)} adverts, "
                               f"{len(adds)} of {vips - 1} adds seen")
        start, end = big_adverts[0].time, max(adds)
        intervals = _intervals(list(pcap.read(files[0])), start, end, until)
        return intervals, {"adding_ms": (end - start) * 1000,
                           "intervals": len(intervals)}


def memory(make, count):
    """PSS summed over the master's processes once it holds every VIP and
    its announcements are over: what it holds while nothing happens (kB)."""
    with Lab("vbm", interfaces=4) as lab:
        pair = Pair(lab, make, configs.ipv6_instances(count, 4), 1)
        pair.daemons["a"].start()
        wait_until(60, "a holds every VIP", lambda: pair.holds_all("a"), 0.05)
        time.sleep(SETTLED)
        pss = pair.daemons["a"].pss_kb()
        pair.daemons["a"].stop()
        return [pss]


LISTENER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "addr_listener.py")


def cut_off(lab, host):
    """Takes `host`'s port off the bridge (a partition): its link stays up,
    so unlike a crash the host keeps its VIPs and its daemon runs on
    untouched. In this lab every host shares one kernel and its rtnetlink
    lock, so a crashed master whose thousands of VIPs expire or are removed
    would slow the backup's adds; on two machines it could not."""
    lab.exec("br", "ip", "link", "set", f"{lab.name}{host}0", "nomaster")


def vip_takeover(make, count):
    """One instance with `count` IPv6 VIPs at 100 ms; the master is cut off.
    From the backup's first advert: when the last VIP had become usable (ms,
    from rtnetlink notifications in the backup's namespace: the kernel
    announces an IPv6 address when its DAD, skipped or not, is done), when
    every VIP had had its first NA and when half of them had (ms, from the
    wire): how long the median VIP's neighbours kept sending to the old
    master."""
    with Lab("vbv", interfaces=1) as lab:
        pair = Pair(lab, make, configs.many_vips(count), 0.1)
        pair.start()
        added = lab.path("added.txt")
        listener = lab.spawn("b", [sys.executable, LISTENER, added], "listener.log")
        wait_until(5, "address listener", lambda: os.path.exists(added))
        capture = Capture(lab, "vips", filter_expr="ip6 proto 112 or icmp6")
        time.sleep(0.3)
        cut_off(lab, "a")
        cut = time.time()
        wait_until(120, "b holds every VIP", lambda: pair.holds_all("b"), pair.poll_step())
        time.sleep(0.5)
        items = _adverts(capture.stop())
        times = _added_times(added, listener)
        takeover = next(i.time for i in items
                        if isinstance(i, pcap.Advert) and i.time > cut)
        mac = lab.mac("b")
        first_na = {}
        for i in items:
            if isinstance(i, pcap.Announcement) and i.mac == mac and i.time > cut:
                first_na.setdefault(i.address, i.time)
        wanted = {str(v) for v in pair.vips}
        # Not stopped: removing thousands of IPv6 VIPs one by one takes the
        # kernel minutes (a walk of its routes per address); the namespaces'
        # deletion drops them in one go.
        for d in pair.daemons.values():
            d.crash()
        if not wanted <= first_na.keys() or not wanted <= times.keys():
            raise RuntimeError(f"NA seen for {len(wanted & first_na.keys())}, "
                               f"add for {len(wanted & times.keys())} of {count} VIPs")
        announced = sorted(first_na[v] - takeover for v in wanted)
        return {"applied": [(max(times[v] for v in wanted) - takeover) * 1000],
                "announced": [announced[-1] * 1000],
                "half announced": [announced[len(announced) // 2] * 1000]}


ADD_ADDRESSES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "add_addresses.py")


def kernel_address_floor(count):
    """The kernel alone, no daemon: the VIPs of vip_takeover(count) added the
    way vigil's agent adds them (add_addresses.py) on a host of the same lab,
    with the same address listener. ms from the first request until the
    kernel had handled the last and until the last address was usable: what
    no daemon can beat on this kernel."""
    vips = configs.many_vips(count)[0].vips
    with Lab("vba", interfaces=1) as lab:
        added = lab.path("added.txt")
        listener = lab.spawn("b", [sys.executable, LISTENER, added], "listener.log")
        wait_until(5, "address listener", lambda: os.path.exists(added))
        figures = json.loads(lab.exec("b", sys.executable, ADD_ADDRESSES, "eth0",
                                      input="\n".join(vips)).stdout)
        time.sleep(0.5)
        times = _added_times(added, listener)
    wanted = {str(ipaddress.ip_address(v)) for v in vips}
    if not wanted <= times.keys():
        raise RuntimeError(f"add seen for {len(wanted & times.keys())} of {count}")
    usable = max(times[v] for v in wanted) - figures["start"]
    return {"returned": [figures["returned"]], "usable": [usable * 1000]}


def _added_times(path, listener):
    """Stops the address listener, once the caller has given it a moment to
    read what the kernel announced: when each address was first added."""
    listener.send_signal(signal.SIGTERM)
    listener.wait(timeout=10)
    times = {}
    with open(path) as f:
        for line in f:
            t, address = line.split(maxsplit=1)
            if address.startswith("lost"):
                raise RuntimeError(f"address listener: {address.strip()}")
            times.setdefault(address.strip(), float(t))
    return times


def _perf_report(data, *options):
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none",
                          "--percent-limit", "0.5", *options],
                         check=True, capture_output=True, text=True).stdout
    # perf pads its symbol column to the longest name (a few hundred
    # characters for a template); the report is read by people.
    lines = [" ".join(l.split()) for l in out.splitlines()
             if l.strip() and not l.startswith("#")]
    return [l.removesuffix(" - -") for l in lines]  # empty IPC columns


def profile_brain(build, interval, count, seconds, out):
    """perf record of vigil-vrrp while it is master of `count` instances;
    the report (its own time per symbol, then time with callees) goes to
    `out`. The lab's receive work runs in NAPI threads, as in the CPU cases,
    so the profile is the brain's own."""
    from daemons import Vigil, cpu_ns
    with Lab("vbf", interfaces=1, napi_threads=True) as lab:
        pair = Pair(lab, lambda l, h, c: Vigil(l, h, c, build),
                    configs.ipv4_instances(count), interval)
        vigil = pair.daemons["a"].start()
        wait_until(30, "a holds every VIP", lambda: pair.holds_all("a"), 0.02)
        time.sleep(SETTLED)
        brain = next(p for p in vigil.processes()
                     if open(f"/proc/{p}/comm").read().strip() == "vigil-vrrp")
        data = lab.path("perf.data")
        sent, cpu = _tx_packets(brain, "eth0"), cpu_ns(brain)
        subprocess.run(["perf", "record", "-F", "4999", "-g", "-o", data,
                        "-p", str(brain), "--", "sleep", str(seconds)],
                       check=True, capture_output=True)
        cpu, sent = cpu_ns(brain) - cpu, _tx_packets(brain, "eth0") - sent
        own = _perf_report(data, "--no-children", "--sort", "dso,symbol")
        total = _perf_report(data, "--children", "--sort", "symbol")
        vigil.stop()
    with open(out, "w") as f:
        f.write(f"# perf record -F 4999 -g of vigil-vrrp, master of {count} "
                f"instances at {interval * 1000:g} ms, {seconds} s\n"
                f"# the brain alone meanwhile: {cpu / 1e9:.3f} s of CPU, {sent} "
                f"frames sent, {cpu / 1000 / max(sent, 1):.2f} us per frame\n"
                "# (bench/run.sh --profile FILE; bench/cases.py profile_brain)\n\n"
                "## Own time per symbol (overhead, object, symbol)\n\n")
        f.write("\n".join(own) + "\n\n## With callees (children, self, symbol)\n\n")
        f.write("\n".join(total[:60]) + "\n")
