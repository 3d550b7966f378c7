#!/usr/bin/env python3
"""vigil against keepalived on the same keepalived.conf, in the same run, on
the same two-host namespace lab. Prints a table and writes JSON.

  bench/run.sh            every case, 5 repetitions (about 40 minutes)
  bench/run.sh --smoke    one repetition of three small cases (seconds)
  bench/run.sh --profile bench/profile-brain.txt   perf profile of vigil-vrrp
"""

import argparse
import functools
import json
import os
import platform
import statistics
import sys
import time

import cases
from daemons import Keepalived, Vigil, versions


def percentile(values, p):
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(samples):
    return {"median": statistics.median(samples), "mean": statistics.fmean(samples),
            "min": min(samples), "max": max(samples),
            "p99": percentile(samples, 99), "n": len(samples)}


# name, what is measured, unit, the function, the figure compared, target
# (a predicate on vigil's summary and the ratio), the target's text.
def case_table(smoke):
    c = cases
    if smoke:
        return [
            ("crash 100ms x1", "backup's first advert - master's last - MDI", "ms",
             functools.partial(c.crash_takeover, interval=0.1, count=1), "p99",
             lambda v, r: v["p99"] <= 1.0, "p99 <= MDI + 1 ms"),
            ("cpu 10x100ms", "CPU per advert sent", "us",
             functools.partial(c.cpu_per_advert, interval=0.1, count=10, seconds=2),
             "median", None, "report only"),
            ("memory 1", "PSS of all processes", "kB",
             functools.partial(c.memory, count=1), "median", None, "report only"),
        ]
    return [
        ("crash 1s x1", "backup's first advert - master's last - MDI", "ms",
         functools.partial(c.crash_takeover, interval=1, count=1), "p99",
         lambda v, r: v["p99"] <= 1.0, "p99 <= MDI + 1 ms"),
        ("crash 100ms x1", "same", "ms",
         functools.partial(c.crash_takeover, interval=0.1, count=1), "p99",
         lambda v, r: v["p99"] <= 1.0, "p99 <= MDI + 1 ms"),
        ("crash 10ms x1", "same", "ms",
         functools.partial(c.crash_takeover, interval=0.01, count=1), "p99",
         lambda v, r: v["p99"] <= 1.0, "p99 <= MDI + 1 ms"),
        ("crash 1s x255", "same, every instance", "ms",
         functools.partial(c.crash_takeover, interval=1, count=255), "p99",
         lambda v, r: v["p99"] <= 1.0, "p99 <= MDI + 1 ms"),
        ("stop 1s", "priority-0 advert to backup's first advert", "ms",
         functools.partial(c.graceful_takeover, interval=1), "median", None,
         "Skew_Time (668 ms)"),
        ("check 1s", "service failure to backup's GARP", "ms",
         functools.partial(c.check_failover, interval=1), "median",
         lambda v, r: r is not None and r <= 1 / 3, "ratio <= 1/3"),
        ("cpu 255x1s", "CPU per advert sent", "us",
         functools.partial(c.cpu_per_advert, interval=1, count=255, seconds=20),
         "median", lambda v, r: r is not None and r <= 0.25, "ratio <= 1/4"),
        # vigil's VIP leases (vip_lifetime, a safety keepalived lacks) are
        # about half its CPU here: the same case without them.
        ("cpu 255x1s no lease", "CPU per advert sent, vip_lifetime 0", "us",
         functools.partial(c.cpu_per_advert, interval=1, count=255, seconds=20,
                           vip_lifetime=0),
         "median", None, "report only"),
        ("cpu 50x10ms", "CPU per advert sent", "us",
         functools.partial(c.cpu_per_advert, interval=0.01, count=50, seconds=10),
         "median", lambda v, r: r is not None and r <= 0.25, "ratio <= 1/4"),
        ("timing 255x10ms", "interval between adverts", "ms",
         functools.partial(c.advert_timing, interval=0.01, count=255, seconds=5),
         "p99", lambda v, r: v["p99"] <= 10.5 and abs(v["mean"] - 10) <= 0.02,
         "p99 <= 10.5 ms, mean 10 ms +- 0.2%"),
        ("timing 255x10ms+adds", "interval between adverts while 10,000 VIPs are added",
         "ms", functools.partial(c.advert_timing_during_adds, interval=0.01, count=255,
                                 vips=10000),
         "p99", lambda v, r: v["p99"] <= 10.5 and abs(v["mean"] - 10) <= 0.02,
         "p99 <= 10.5 ms, mean 10 ms +- 0.2%"),
        ("memory 1", "PSS of all processes", "kB",
         functools.partial(c.memory, count=1), "median",
         lambda v, r: r is not None and r <= 1, "ratio <= 1"),
        *[(f"vips {n}", {"applied": "backup's first advert to the last VIP usable",
                          "announced": "backup's first advert to every VIP's first NA",
                          "half announced": "backup's first advert to half the VIPs' first NA"},
           "ms", functools.partial(c.vip_takeover, count=n), "median",
           {"applied": lambda v, r: v["max"] <= 100,
            "announced": lambda v, r: v["max"] <= 50,
            "half announced": None},
           {"applied": "<= 100 ms", "announced": "<= 50 ms",
            "half announced": "report only"}) for n in (1000, 10000)],
        *[(f"memory {n}", "PSS of all processes", "kB",
           functools.partial(c.memory, count=n), "median",
           lambda v, r: r is not None and r <= 1, "ratio <= 1")
          for n in (500, 1000)],
    ]


# Figures of the kernel alone, no daemon, measured in the same run: the
# floor under a target that no daemon can reach on this kernel.
def floor_table(smoke):
    if smoke:
        return []
    return [(f"vips {n} kernel alone",
             {"returned": "first request to the last handled",
              "usable": "first request to the last VIP usable"},
             functools.partial(cases.kernel_address_floor, count=n))
            for n in (1000, 10000)]


def run_floors(table, reps, only):
    results = {}
    for name, what, fn in table:
        if only and only not in name:
            continue
        samples = {}
        for _ in range(reps):
            for key, values in fn().items():
                samples.setdefault(key, []).extend(values)
        results[name] = {key: {"what": what[key], **summary(values)}
                         for key, values in samples.items()}
        for key, s in results[name].items():
            print(f"{name} {key}: median {s['median']:.2f} ms "
                  f"({s['min']:.2f}-{s['max']:.2f})", flush=True)
    return results


def run_case(fn, make, reps):
    """{figure's name: samples} ("" for a case with one figure), extras."""
    samples, extras = {}, []
    for _ in range(reps):
        result = fn(make)
        if isinstance(result, tuple):
            result, extra = result
            extras.append(extra)
        for key, values in (result if isinstance(result, dict) else {"": result}).items():
            samples.setdefault(key, []).extend(values)
    return samples, extras


def rows(table):
    """A case with several figures is a row per figure: `what`, `unit`,
    `target` and its text are then dicts by figure name."""
    for name, what, unit, fn, figure, target, target_text in table:
        if not isinstance(what, dict):
            yield name, "", what, unit, fn, figure, target, target_text
            continue
        for key in what:
            yield (f"{name} {key}", key, what[key], unit, fn, figure,
                   target[key], target_text[key])


HEADER = ("| case | figure | vigil median (min-max) | keepalived median (min-max) "
          "| vigil p99 | keepalived p99 | ratio | target | met |")


def table_row(name, e):
    """One case's row, printed as it completes and in the Markdown table."""
    v, k = e["vigil"], e["keepalived"]
    ratio = f"{e['ratio']:.2f}" if e["ratio"] is not None else "-"
    met = {None: "-", True: "yes", False: "no"}[e["met"]]
    return (f"| {name} | {e['figure']} {e['unit']} | {v['median']:.2f} "
            f"({v['min']:.2f}-{v['max']:.2f}) | {k['median']:.2f} "
            f"({k['min']:.2f}-{k['max']:.2f}) | {v['p99']:.2f} | {k['p99']:.2f} "
            f"| {ratio} | {e['target']} | {met} |")


def markdown(results):
    """The figures as a Markdown table, for bench/RESULTS.md."""
    lines = [HEADER, "|---|---|---|---|---|---|---|---|---|"]
    lines += [table_row(name, e) for name, e in results["cases"].items()]
    if results.get("floors"):
        lines += ["", "| kernel alone | figure | median (min-max) |", "|---|---|---|"]
        for name, figures in results["floors"].items():
            for key, f in figures.items():
                lines.append(f"| {name} | {key} ms | {f['median']:.2f} "
                             f"({f['min']:.2f}-{f['max']:.2f}) |")
    return "\n".join(lines) + "\n"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "?")
    return {"host": platform.node(), "kernel": platform.release(),
            "cpu": cpu, "cores": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--reps", type=int)
    parser.add_argument("--only", help="run cases whose name contains this")
    parser.add_argument("--build", default=os.environ.get("VIGIL_BUILD", "build"))
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--profile", metavar="FILE",
                        help="only profile vigil-vrrp (perf) and write the report")
    args = parser.parse_args()
    reps = args.reps or (1 if args.smoke else 5)
    build = os.path.abspath(args.build)
    if args.profile:
        cases.profile_brain(build, interval=0.01, count=255, seconds=5,
                            out=args.profile)
        return 0
    makers = {"vigil": lambda lab, host, conf: Vigil(lab, host, conf, build),
              "keepalived": Keepalived}
    results = {"machine": machine(), "versions": versions(build),
               "repetitions": reps, "cases": {}}
    print(HEADER, flush=True)
    done = {}  # a case's samples, shared by its rows
    for name, key, what, unit, fn, figure, target, target_text in rows(case_table(args.smoke)):
        if args.only and args.only not in name:
            continue
        entry = {"what": what, "unit": unit, "figure": figure, "target": target_text}
        for daemon, make in makers.items():
            if (id(fn), daemon) not in done:
                done[(id(fn), daemon)] = run_case(fn, make, reps)
            samples, extras = done[(id(fn), daemon)]
            entry[daemon] = summary(samples[key])
            if extras:
                entry[daemon]["extra"] = extras
        v, k = entry["vigil"][figure], entry["keepalived"][figure]
        ratio = v / k if k > 0 else None
        entry["ratio"] = ratio
        entry["met"] = None if target is None else bool(target(entry["vigil"], ratio))
        results["cases"][name] = entry
        print(table_row(name, entry), flush=True)
    results["floors"] = run_floors(floor_table(args.smoke), reps, args.only)
    text = json.dumps(results, indent=2)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
        with open(os.path.splitext(args.json)[0] + "-table.md", "w") as f:
            f.write(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
