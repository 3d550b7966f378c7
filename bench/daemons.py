"""vigil and keepalived, started on the same keepalived.conf in a lab host,
with what the benchmark reads from them: their processes, CPU time and
proportional set size."""

import os
import signal

from lab import descendants, run, wait_until


def cpu_ns(pid):
    """On-CPU time of every thread of pid, in nanoseconds (schedstat)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
    except FileNotFoundError:
        pass
    return total


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


class Daemon:
    def __init__(self, lab, host, config):
        self.lab, self.host, self.config = lab, host, config
        self.process = None

    def processes(self):
        return descendants(self.process.pid) if self.process else []

    def cpu_ns(self):
        return sum(cpu_ns(p) for p in self.processes())

    def pss_kb(self):
        return sum(pss_kb(p) for p in self.processes())

    def crash(self):
        """SIGKILL of the whole tree, children first (see the crash test)."""
        pids = self.processes()
        for pid in reversed(pids):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)

    def wait_ready(self, expected_processes):
        wait_until(10, f"{self.name} on {self.host} started",
                   lambda: len(self.processes()) >= expected_processes)


class Vigil(Daemon):
    name = "vigil"
    PROCESSES = 4  # vigild, vigil-launcher, vigil-vrrp, vigil-checker

    def __init__(self, lab, host, config, build):
        super().__init__(lab, host, config)
        self.vigild = os.path.join(build, "netagent", "vigild")

    def start(self):
        self.process = self.lab.spawn(self.host, [
            self.vigild, "-n", "-l", "-f", self.config,
            "-p", self.lab.path(f"{self.host}.vigil.pid"),
            "--chroot-dir", "/run/vigil/empty",
            "--control-socket", self.lab.path(f"{self.host}.ctl")],
            f"{self.host}.vigil.log")
        self.wait_ready(self.PROCESSES)
        return self


class Keepalived(Daemon):
    name = "keepalived"
    PROCESSES = 2  # parent, VRRP child

    def start(self):
        for suffix in ("kpid", "vpid"):
            path = self.lab.path(f"{self.host}.{suffix}")
            if os.path.exists(path):
                os.unlink(path)
        self.process = self.lab.spawn(self.host, [
            "keepalived", "-n", "-l", "-P", "-f", self.config,
            "-p", self.lab.path(f"{self.host}.kpid"),
            "-r", self.lab.path(f"{self.host}.vpid")],
            f"{self.host}.keepalived.log")
        self.wait_ready(self.PROCESSES)
        return self


def versions(build):
    vigil = run(os.path.join(build, "netagent", "vigild"), "--version").stdout.strip()
    keepalived = run("keepalived", "--version", check=False)
    return {"vigil": vigil,
            "keepalived": (keepalived.stdout + keepalived.stderr).splitlines()[0]}
