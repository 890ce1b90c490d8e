#!/usr/bin/env python3
"""bench/run.py - the Jinux benchmark comparison (make bench).

Runs build/bench/jbench on five systems - Jinux on the host target, Jinux
x86_64 in QEMU, Debian's Linux in the same QEMU, User-Mode Linux, and this
machine natively - all from one initramfs; measures boot times, kernel
sizes, the smallest memory that boots to a BusyBox shell, and the resident
memory of an idle shell; prints one table and writes it to
bench/results/latest.md. See docs/bench.md.

  bench/run.py [--quick] [--systems LIST] [--no-install] [--out FILE]
  bench/run.py --only PROBES [--runs N] [--systems LIST]   (probe mode)

Timings are reported, never asserted.
"""

import argparse
import datetime
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = BB = LOGS = JBENCH = INIT = CPIO = None


def set_build(path):
    """Where the kernels and build/bench/* are (make's B)."""
    global B, BB, LOGS, JBENCH, INIT, CPIO
    B = os.path.abspath(path)
    BB = os.path.join(B, "bench")
    LOGS = os.path.join(BB, "logs")
    JBENCH = os.path.join(BB, "jbench")
    INIT = os.path.join(BB, "init")
    CPIO = os.path.join(BB, "bench.cpio")

BUSYBOX = "/bin/busybox"
UML = "/usr/bin/linux.uml"

# The same machine for Jinux x86_64 and Linux: what build/jinux uses.
QEMU_MACHINE = ["-machine", "pc", "-cpu", "max", "-smp", "1",
                "-display", "none", "-monitor", "none", "-no-reboot",
                "-serial", "stdio"]
MEM = "256M"
LINUX_APPEND = "console=ttyS0 rdinit=/init quiet panic=-1"

SYSTEMS = ["host", "x86_64", "linux", "uml", "native"]
TITLES = {"host": "Jinux-host", "x86_64": "Jinux-x86_64",
          "linux": "Linux-QEMU", "uml": "UML", "native": "native"}
# Ratio columns: (numerator, denominator). Times per operation, so a
# ratio below 1 means Jinux is faster.
RATIOS = [("x86_64", "linux"), ("host", "uml"), ("host", "native")]

PROBES = [
    ("null_syscall", "null syscall (getppid)"),
    ("fork_exit", "fork + exit + wait"),
    ("fork_exec", "fork + execve + wait (75 KB static binary)"),
    ("fork_exec_busybox", "fork + execve + wait (BusyBox true, 2 MB)"),
    ("mmap_touch16", "mmap + touch 16 pages + munmap"),
    ("thread_create", "thread create + join"),
    ("futex_pingpong", "futex ping-pong, 2 threads (round trip)"),
    ("signal_self", "signal to self + handler"),
    ("pipe_bw_64k", "pipe bandwidth (64 KiB per op)"),
    ("pipe_pingpong", "pipe ping-pong, 2 processes (round trip)"),
    ("tmpfs_open_close", "tmpfs open + close"),
    ("tmpfs_write_64k", "tmpfs write (64 KiB per op)"),
    ("tmpfs_read_64k", "tmpfs read (64 KiB per op)"),
    ("shell_pipelines", "BusyBox sh script, N pipelines (per script)"),
]


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running

class Run:
    """A finished launch: output lines, time of a marker line, status."""

    def __init__(self):
        self.lines = []
        self.marker_s = None
        self.exit_s = None
        self.status = None
        self.timed_out = False


def launch(cmd, timeout, marker="init: up", stdin=subprocess.DEVNULL,
           logname=None, env=None, idle=None):
    """Run cmd, time-stamping its stdout lines.

    It is killed after timeout seconds, or after idle seconds without a
    new line of output.
    """
    r = Run()
    last = [time.monotonic()]
    errf = open(os.path.join(LOGS, logname + ".err"), "wb") if logname \
        else subprocess.DEVNULL
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                         stderr=errf, env=env, start_new_session=True)

    def reader():
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
            if r.marker_s is None and marker and marker in line:
                r.marker_s = time.monotonic() - t0
            r.lines.append(line)
            last[0] = time.monotonic()

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    while r.status is None:
        try:
            r.status = p.wait(timeout=1)
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if now - t0 > timeout or (idle and now - last[0] > idle):
                r.timed_out = True
                kill_group(p)
                r.status = p.wait()
    r.exit_s = time.monotonic() - t0
    th.join(timeout=5)
    if logname:
        errf.close()
        with open(os.path.join(LOGS, logname + ".out"), "w") as f:
            f.write("\n".join(r.lines) + "\n")
    return r


def kill_group(p):
    try:
        os.killpg(p.pid, 9)
    except OSError:
        pass


def linux_kernel():
    k = sorted(glob.glob("/boot/vmlinuz-*"))
    return k[-1] if k else None


def command(system, args, mem=MEM):
    """The command line that runs /bin/jbench ARGS (or a raw command) on a system.

    args is the guest argv (absolute path first), or [] for an init that
    exits at once.
    """
    if system == "native":
        return args
    if system in ("host", "x86_64"):
        argv = args or ["/bin/jbench", "--hello"]
        return [os.path.join(B, "jinux"), "--target", system,
                "--initramfs", CPIO, "--timeout", "1800", "--"] + argv
    tail = (" -- " + " ".join(args)) if args else ""
    if system == "linux":
        return (["qemu-system-x86_64"] + QEMU_MACHINE +
                ["-m", mem, "-kernel", linux_kernel(), "-initrd", CPIO,
                 "-append", LINUX_APPEND + tail])
    if system == "uml":
        # root= and console= given, or UML appends them after "--".
        return ([UML, "mem=" + mem, "initrd=" + CPIO, "rdinit=/init",
                 "root=98:0", "console=tty0", "con=null", "con0=fd:0,fd:1",
                 "quiet"] +
                (["--"] + args if args else []))
    raise ValueError(system)


# ---------------------------------------------------------------- setup

def install_packages(avail, no_install):
    """Make linux-image-amd64 and user-mode-linux present, or say why not."""
    want = []
    if not linux_kernel():
        want.append(("linux", "linux-image-amd64"))
    if not os.access(UML, os.X_OK):
        want.append(("uml", "user-mode-linux"))
    if not shutil.which("qemu-system-x86_64"):
        for s in ("x86_64", "linux"):
            avail[s] = "qemu-system-x86_64 is not installed"
    if not want:
        return
    if no_install or os.geteuid() != 0:
        for s, pkg in want:
            avail[s] = "package %s not installed (%s)" % (
                pkg, "--no-install" if no_install else "not root")
        return
    for s, pkg in want:
        pol = subprocess.run(["apt-cache", "policy", pkg], capture_output=True,
                             text=True).stdout
        if "Candidate:" not in pol or "Candidate: (none)" in pol:
            avail[s] = "package %s has no install candidate" % pkg
            continue
        log("installing " + pkg)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        res = subprocess.run(["apt-get", "install", "-y",
                              "--no-install-recommends", pkg],
                             env=env, capture_output=True, text=True)
        if res.returncode != 0:
            avail[s] = "apt-get install %s failed: %s" % (
                pkg, (res.stderr.strip().splitlines() or ["?"])[-1])
    if "linux" not in avail and not linux_kernel():
        avail["linux"] = "no /boot/vmlinuz-* after installing"
    if "uml" not in avail and not os.access(UML, os.X_OK):
        avail["uml"] = "no %s after installing" % UML


def build_initramfs():
    """One archive for every system: /init, /bin/jbench, BusyBox, a script."""
    script = os.path.join(BB, "shell-ok.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\necho shell-ok\n")
    subprocess.run(["sh", os.path.join(ROOT, "tools/mkinitramfs.sh"), CPIO,
                    os.path.join(BB, "root"), "init=" + INIT,
                    "bin/jbench=" + JBENCH, "bin/busybox=" + BUSYBOX,
                    "bench/shell-ok.sh=" + script], check=True)


def tmpfs_dir():
    """A tmpfs directory on this machine for the native tmpfs probes."""
    with open("/proc/mounts") as f:
        mounts = {ln.split()[1]: ln.split()[2] for ln in f if len(ln.split()) > 2}
    for d in ("/dev/shm", "/run", "/tmp"):
        if mounts.get(d) == "tmpfs" and os.access(d, os.W_OK):
            return d
    return tempfile.gettempdir()


# ---------------------------------------------------------------- probes

def parse_probes(lines):
    """jbench's lines -> ({probe: result}, {begin key: value}, end word)."""
    res, begin, end = {}, {}, None
    for ln in lines:
        w = ln.split()
        if len(w) >= 2 and w[0] == "bench" and w[1] == "begin":
            begin = dict(kv.split("=", 1) for kv in w[2:] if "=" in kv)
        elif len(w) >= 3 and w[0] == "bench" and w[1] == "end":
            end = w[2]
        elif len(w) >= 3 and w[0] == "probe":
            if w[2] in ("unsupported", "failed"):
                res[w[1]] = {"state": w[2], "why": " ".join(w[3:])}
            elif len(w) >= 6:
                extra = dict(kv.split("=", 1) for kv in w[6:] if "=" in kv)
                res[w[1]] = {"state": "ok", "median": int(w[2]),
                             "min": int(w[3]), "max": int(w[4]),
                             "reps": int(w[5]),
                             "bytes": int(extra.get("bytes", 0))}
    return res, begin, end


def bench_args(system, quick):
    """jbench arguments: TCG is slow, so QEMU runs use a shorter budget."""
    if quick:
        a = ["--quick"]
    elif system in ("x86_64", "linux"):
        a = ["--reps", "5", "--budget-ms", "100"]
    else:
        a = ["--reps", "5", "--budget-ms", "200"]
    if system == "native":
        a += ["--dir", tmpfs_dir(), "--busybox", BUSYBOX,
              "--path", os.path.join(BB, "root", "bin")]
    return a


def run_bench(system, quick, probes=None, part=0):
    """All probes (or those named) on one system. A run that stops (a hang,
    a crash of the kernel) is resumed after the probe it stopped in, which
    is reported as failed."""
    left = probes or [k for k, _ in PROBES]
    res, begin, notes = {}, {}, []
    # A probe prints its line within the harness timeout (60 s quick,
    # 300 s full; its child is killed then); longer silence is a hang.
    idle = 150 if quick else 420
    while left:
        guest = ["/bin/jbench"] + bench_args(system, quick) + ["--only", ",".join(left)]
        cmd = [JBENCH] + guest[1:] if system == "native" else command(system, guest)
        log("benchmark on %s: %s" % (TITLES[system], " ".join(cmd)))
        t0 = time.monotonic()
        r = launch(cmd, timeout=1800, marker=None, idle=idle,
                   logname="bench-%s-%d" % (system, part))
        got, b, end = parse_probes(r.lines)
        begin = begin or b
        res.update(got)
        log("  %s: %d probes, end=%s, status %s, %.0f s" % (
            TITLES[system], len(got), end, r.status, time.monotonic() - t0))
        left = [k for k in left if k not in res]
        if end is not None or not left:
            break
        why = "timeout" if r.timed_out else "status-%s" % r.status
        notes.append("%s stopped the run (%s)" % (left[0], why))
        res[left[0]] = {"state": "failed", "why": "system-" + why}
        left = left[1:]
        part += 1
    note = None
    if notes:
        note = "; ".join(notes) + "; logs in build/bench/logs/bench-%s-*" % system
    return {"probes": res, "begin": begin, "note": note}


# ---------------------------------------------------------------- boot

def run_boot(system, times):
    """Launch -> "init: up", and launch -> exit, for an init that exits at once."""
    first, total, bad = [], [], 0
    for i in range(times):
        r = launch(command(system, []), timeout=120,
                   logname="boot-%s-%d" % (system, i))
        if r.marker_s is None or r.timed_out:
            bad += 1
            continue
        first.append(r.marker_s)
        total.append(r.exit_s)
    return {"first": first, "total": total, "bad": bad}


# ---------------------------------------------------------------- memory

def boots_to_shell(system, mib):
    """Does the system, given mib MiB, run a BusyBox shell script?"""
    args = ["/bin/busybox", "sh", "/bench/shell-ok.sh"]
    if system == "x86_64":
        # build/jinux has a fixed -m; this is its QEMU command with another.
        tmp = tempfile.mkdtemp(prefix="jbench-")
        cmd = (["qemu-system-x86_64"] + QEMU_MACHINE +
               ["-m", "%dM" % mib, "-debugcon", "file:" + os.path.join(tmp, "log"),
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", os.path.join(B, "x86_64", "jinux.elf"),
                "-initrd", CPIO, "-append", "-- " + " ".join(args)])
        r = launch(cmd, timeout=60, marker="shell-ok",
                   logname="mem-%s-%d" % (system, mib))
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        r = launch(command(system, args, mem="%dM" % mib), timeout=60,
                   marker="shell-ok", logname="mem-%s-%d" % (system, mib))
    return r.marker_s is not None


def min_memory(system, steps):
    """Smallest -m (MiB) that boots to a shell, by bisection in [2, 256]."""
    lo, hi = 2, 256
    if not boots_to_shell(system, hi):
        return None, "does not boot with %d MiB" % hi
    for _ in range(steps):
        if hi - lo <= max(1, hi // 16):
            break
        mid = (lo + hi) // 2
        if boots_to_shell(system, mid):
            hi = mid
        else:
            lo = mid
    return hi, "fails at %d MiB" % lo


def descendants(pid):
    kids = {}
    for st in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(st) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(s.split()[0]))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rollup(pid):
    """Rss and Pss (KiB) of one process, from smaps_rollup."""
    rss = pss = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for ln in f:
                if ln.startswith("Rss:"):
                    rss = int(ln.split()[1])
                elif ln.startswith("Pss:"):
                    pss = int(ln.split()[1])
    except OSError:
        pass
    return rss, pss


def idle_shell_memory(system):
    """Pss (and Rss) of the whole process tree of an idle BusyBox shell."""
    if system == "host":
        # The launcher's protocol: kernel words after the first "--".
        cmd = [os.path.join(B, "host", "jinux"), "-i", CPIO, "--", "--",
               "/bin/busybox", "sh"]
    else:
        cmd = command(system, ["/bin/busybox", "sh"])
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    got = []

    def reader():
        for raw in p.stdout:
            got.append(raw.decode("utf-8", "replace"))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    result = None
    try:
        p.stdin.write(b"echo shell-$((6*7))\n")
        p.stdin.flush()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("shell-42" in g for g in got):
            time.sleep(0.1)
        if any("shell-42" in g for g in got):
            time.sleep(2)
            pids = descendants(p.pid)
            sums = [rollup(x) for x in pids]
            result = {"rss": sum(s[0] for s in sums),
                      "pss": sum(s[1] for s in sums), "procs": len(pids)}
        p.stdin.close()
        p.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        if p.poll() is None:
            kill_group(p)
            p.wait()
    return result


# ---------------------------------------------------------------- report

def fmt_ns(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return "%.3g %s" % (ns / div, unit)
    return "%d ns" % ns


def cell(r):
    if r is None:
        return "n/a"
    if r["state"] != "ok":
        return "%s %s" % (r["state"], r["why"])
    spread = 100.0 * (r["max"] - r["min"]) / max(r["median"], 1)
    s = "%s ±%.0f%%" % (fmt_ns(r["median"]), spread / 2)
    if r["bytes"]:
        s += " (%.0f MiB/s)" % (r["bytes"] / (r["median"] / 1e9) / 2**20)
    return s


def ratio(a, b):
    if not a or not b or a.get("state") != "ok" or b.get("state") != "ok":
        return None
    return a["median"] / max(b["median"], 1)


def fmt_ratio(x):
    return "—" if x is None else "%.2f" % x


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain"],
                           capture_output=True, text=True).stdout.strip()
    return cpu, commit + (" (with uncommitted changes)" if dirty else "")


def size_of(path):
    try:
        return "%.2f MiB (%d bytes)" % (os.path.getsize(path) / 2**20,
                                        os.path.getsize(path))
    except OSError:
        return "n/a"


def report(args, avail, results, boots, mems, rss, elapsed, load):
    cpu, commit = machine()
    out = []
    add = out.append
    add("# Jinux benchmarks%s" % (" (quick mode: not measurements)" if args.quick else ""))
    add("")
    add("- Date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC"))
    add("- Machine: %s CPUs (`nproc`), %s" % (os.cpu_count(), cpu))
    add("- Commit: %s" % commit)
    add("- QEMU (Jinux-x86_64 and Linux-QEMU): TCG, `-machine pc -cpu max "
        "-m %s -smp 1`; Linux: %s; UML: `%s mem=%s`" % (
            MEM, os.path.basename(linux_kernel() or "n/a"), UML, MEM))
    add("- Whole run: %.0f s; load average (1 min) %.2f at the start, %.2f at the "
        "end (other work on the machine disturbs the figures)" % (
            elapsed, load, os.getloadavg()[0]))
    for s in SYSTEMS:
        if s in avail:
            add("- %s: n/a, %s" % (TITLES[s], avail[s]))
        elif s in results and results[s]["note"]:
            add("- %s: %s" % (TITLES[s], results[s]["note"]))
    add("")
    settings = sorted({"%s: reps=%s, budget %s ms, %s pipelines" % (
        TITLES[s], r["begin"].get("reps", "?"), r["begin"].get("budget_ms", "?"),
        r["begin"].get("pipelines", "?")) for s, r in results.items()})
    add("Time per operation, median of the repetitions ± half the spread "
        "(max − min) in percent of the median. Ratios divide times: below 1.00 "
        "Jinux is faster. Settings: " + "; ".join(settings) + ".")
    add("")
    hdr = ["probe"] + [TITLES[s] for s in SYSTEMS] + \
        ["%s / %s" % (TITLES[a], TITLES[b]) for a, b in RATIOS]
    add("| " + " | ".join(hdr) + " |")
    add("|" + "---|" * len(hdr))
    ratios_seen = []
    for key, title in PROBES:
        row = [title]
        get = {s: results.get(s, {}).get("probes", {}).get(key) for s in SYSTEMS}
        for s in SYSTEMS:
            row.append("n/a" if s in avail else
                       (cell(get[s]) if get[s] else "missing"))
        for a, b in RATIOS:
            x = ratio(get[a], get[b])
            row.append(fmt_ratio(x))
            if x is not None:
                ratios_seen.append((x, title, a, b))
        add("| " + " | ".join(row) + " |")
    add("")
    add("## Boot (wall time, median of %d launches)" % args.boots)
    add("")
    add("| | " + " | ".join(TITLES[s] for s in SYSTEMS[:4]) +
        " | Jinux-x86_64 / Linux-QEMU | Jinux-host / UML |")
    add("|---|---|---|---|---|---|---|")
    for what, k in (("launch → first init line", "first"),
                    ("launch → power-off (init exits at once)", "total")):
        row, med = [what], {}
        for s in SYSTEMS[:4]:
            b = boots.get(s)
            if s in avail or not b:
                row.append("n/a")
            elif not b[k]:
                row.append("failed (%d of %d)" % (b["bad"], args.boots))
            else:
                med[s] = statistics.median(b[k])
                row.append("%.3f s (%.3f–%.3f)" % (med[s], min(b[k]), max(b[k])))
        for a, b in (("x86_64", "linux"), ("host", "uml")):
            x = med[a] / med[b] if a in med and b in med else None
            row.append(fmt_ratio(x) + ("" if not x else " (%.1fx faster)" % (1 / x)))
        add("| " + " | ".join(row) + " |")
    add("")
    add("## Size and memory")
    add("")
    add("| | Jinux | Linux |")
    add("|---|---|---|")
    add("| x86_64 kernel image | build/x86_64/jinux.elf: %s | %s: %s |" % (
        size_of(os.path.join(B, "x86_64", "jinux.elf")),
        linux_kernel() or "vmlinuz", size_of(linux_kernel() or "")))
    add("| bootable ISO | build/x86_64/jinux.iso: %s | — |" % size_of(
        os.path.join(B, "x86_64", "jinux.iso")))
    add("| user-space kernel binary | build/host/jinux: %s | %s: %s |" % (
        size_of(os.path.join(B, "host", "jinux")), UML, size_of(UML)))
    for s, other in (("x86_64", "linux"),):
        m = [mems.get(s), mems.get(other)]
        add("| smallest `-m` booting to a BusyBox shell (QEMU) | %s | %s |" % tuple(
            "not measured" if v is None else
            ("%s MiB (%s)" % v if v[0] else "n/a (%s)" % v[1]) for v in m))
    rv = [rss.get("host"), rss.get("uml")]
    add("| resident memory, idle BusyBox shell (user-space kernel, whole "
        "process tree, Pss / Rss) | %s | %s |" % tuple(
            "not measured" if v is None else
            "%.1f MiB / %.1f MiB (%d processes)" % (v["pss"] / 1024, v["rss"] / 1024,
                                                     v["procs"]) for v in rv))
    add("")
    add("The Jinux column of the last row is the host target, the Linux column "
        "User-Mode Linux, both given 256 MiB.")
    add("")
    if ratios_seen:
        add("## Worst ratios")
        add("")
        for a, b in RATIOS:
            worst = sorted((x for x in ratios_seen if x[2:] == (a, b)),
                           reverse=True)[:3]
            if worst:
                add("- %s / %s: %s" % (TITLES[a], TITLES[b], "; ".join(
                    "%s %.2f" % (t, x) for x, t, _, _ in worst)))
        add("")
    add("Goals (issue 5, reported, never asserted): Jinux-x86_64 / Linux-QEMU ≤ 1.00 "
        "on every probe and boot to first init line ≥ 10x faster; Jinux-host / UML "
        "≤ 0.25 on every probe; Jinux-host / native null syscall ≤ 20.")
    for (a, b), goal in zip(RATIOS[:2], (1.0, 0.25)):
        xs = [x for x, _, p, q in ratios_seen if (p, q) == (a, b)]
        if xs:
            add("- %s / %s ≤ %.2f: %d of %d probes." % (
                TITLES[a], TITLES[b], goal, sum(x <= goal for x in xs), len(xs)))
    ns = [x for x, t, p, q in ratios_seen
          if (p, q) == ("host", "native") and t.startswith("null syscall")]
    if ns:
        add("- Jinux-host / native null syscall: %.1f (goal ≤ 20)." % ns[0])
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- probe mode

def probe_mode(args, chosen, avail):
    """--only: a few probes, --runs launches per system (interleaved, so
    that a slow phase of the machine hits every system alike); the median
    of the per-launch medians. No boot or memory figures; prints a short
    table and writes a file only when --out is given."""
    probes = [p for p in args.only.split(",") if p]
    known = {k for k, _ in PROBES}
    for p in probes:
        if p not in known:
            sys.exit("bench: unknown probe %s (one of %s)" % (p, ",".join(sorted(known))))
    systems = [s for s in SYSTEMS if s in chosen and s not in avail]
    meds = {(s, p): [] for s in systems for p in probes}
    for i in range(args.runs):
        for s in systems:
            got = run_bench(s, args.quick, probes, part=100 * (i + 1))["probes"]
            for p in probes:
                r = got.get(p)
                if r and r["state"] == "ok":
                    meds[(s, p)].append(r["median"])
    cpu, commit = machine()
    out = ["# Jinux probe run: %s" % ", ".join(probes), "",
           "- %s, commit %s, %d launches per system, load average %.2f" % (
               cpu, commit, args.runs, os.getloadavg()[0]), ""]
    pairs = [(a, b) for a, b in RATIOS if a in systems and b in systems]
    hdr = ["probe"] + [TITLES[s] for s in systems] + \
        ["%s / %s" % (TITLES[a], TITLES[b]) for a, b in pairs]
    out += ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    for p in probes:
        row, med = [p], {}
        for s in systems:
            xs = meds[(s, p)]
            if not xs:
                row.append("failed")
                continue
            med[s] = statistics.median(xs)
            row.append("%s (%s)" % (fmt_ns(med[s]), ", ".join(fmt_ns(x) for x in xs)))
        for a, b in pairs:
            row.append("%.2f" % (med[a] / med[b]) if a in med and b in med else "—")
        out.append("| " + " | ".join(row) + " |")
    text = "\n".join(out) + "\n"
    print(text)
    if args.out_given:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="jbench --quick, one boot each, no memory search")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help="comma-separated subset of " + ",".join(SYSTEMS))
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install the Linux kernel and UML")
    ap.add_argument("--boots", type=int, default=None,
                    help="launches per boot measurement (default 3, quick 1)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="the build directory (make's B; default build/)")
    ap.add_argument("--out", default=None,
                    help="the report (default bench/results/latest.md; "
                    "in probe mode none unless given)")
    ap.add_argument("--only", default=None,
                    help="probe mode: only these probes (comma-separated), "
                    "no boot or memory figures")
    ap.add_argument("--runs", type=int, default=3,
                    help="probe mode: launches per system (default 3)")
    args = ap.parse_args()
    args.out_given = args.out is not None
    if args.out is None:
        args.out = os.path.join(ROOT, "bench", "results", "latest.md")
    set_build(args.build)
    if args.boots is None:
        args.boots = 1 if args.quick else 3
    chosen = [s for s in args.systems.split(",") if s]
    for s in chosen:
        if s not in SYSTEMS:
            ap.error("unknown system " + s)
    start = time.monotonic()
    load = os.getloadavg()[0]
    os.makedirs(LOGS, exist_ok=True)
    for f in (JBENCH, INIT, os.path.join(B, "jinux")):
        if not os.path.exists(f):
            sys.exit("bench: %s is missing; run make all (or make bench)" % f)

    avail = {s: "not selected (--systems)" for s in SYSTEMS if s not in chosen}
    install_packages(avail, args.no_install)
    build_initramfs()
    if args.only:
        probe_mode(args, chosen, avail)
        return

    results, boots, mems, rss = {}, {}, {}, {}
    for s in SYSTEMS:
        if s not in avail:
            results[s] = run_bench(s, args.quick)
    for s in SYSTEMS[:4]:
        if s not in avail:
            log("boot time on " + TITLES[s])
            boots[s] = run_boot(s, args.boots)
    if not args.quick:
        for s in ("x86_64", "linux"):
            if s not in avail:
                log("smallest memory for a shell on " + TITLES[s])
                mems[s] = min_memory(s, steps=6 if s == "x86_64" else 5)
        for s in ("host", "uml"):
            if s not in avail:
                log("idle shell memory on " + TITLES[s])
                rss[s] = idle_shell_memory(s)

    text = report(args, avail, results, boots, mems, rss, time.monotonic() - start,
                  load)
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    log("written to " + os.path.relpath(args.out, os.getcwd()))


if __name__ == "__main__":
    main()
