#!/usr/bin/env python3
"""test/interactive.py - drive Jinux's default session through a pseudo-terminal.

    test/interactive.py [--target host|x86_64]... [--verbose]

Boots `build/jinux --target T` without a command (init, then an
interactive BusyBox ash on the console) with its standard input, output
and error on a pty, as a person at a terminal would, and checks what a
person would see: a prompt, command output, ^C ending a foreground job,
job control (&, jobs, fg, ^Z, bg, kill %1), line editing, end of file
from ^D, that `exit` powers off with status 0 and leaves the terminal's
settings as they were, and (a second boot) that `poweroff` does too.
Default: both targets. Prints TAP.

Timeouts are generous (x86_64 runs under TCG) and are not assertions:
a step that times out fails with what the screen showed. This drives
Jinux specifically; there is no native run.
"""
import argparse
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JINUX = os.path.join(ROOT, "build", "jinux")
PROMPT = re.compile(r"/ # $")
CURSOR_QUERY = "\x1b[6n"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CSI_START = re.compile(r"\x1b(\[[0-9;?]*)?$")
# Seconds to wait for one expected output; a pause before a key that
# must reach a job (not the shell) once the job has started.
STEP_TIMEOUT = {"host": 30, "x86_64": 120}
SETTLE = {"host": 1.0, "x86_64": 3.0}
ANSWER_PAUSE = {"host": 0.3, "x86_64": 1.0}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in diag.splitlines()[-15:]:
                print("#   " + line)
        sys.stdout.flush()
        return cond


class Session:
    """A launcher run on a pty, with an expect-like reader."""

    def __init__(self, target, verbose):
        self.target = target
        self.verbose = verbose
        self.timeout = STEP_TIMEOUT[target]
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.termios_before = termios.tcgetattr(self.slave)
        # A new session without a controlling terminal: the pty is only
        # the launcher's stdin/stdout/stderr, so no job-control signal of
        # the host can reach it.
        self.proc = subprocess.Popen(
            [JINUX, "--target", target, "--timeout", str(20 * self.timeout)],
            stdin=self.slave, stdout=self.slave, stderr=self.slave,
            start_new_session=True, close_fds=True)
        self.seen = ""      # everything read, carriage returns removed
        self.pos = 0        # where the next expect() starts looking
        self.answered = 0   # cursor-position queries answered
        self.partial = ""   # an escape sequence not complete yet

    def _read(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.master], [], [], min(left, 0.5))
        if not r:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:        # EIO: every writer has gone
            time.sleep(0.05)
            return self.proc.poll() is None
        text = self.partial + data.decode("utf-8", "replace").replace("\r", "")
        # A serial console delivers an escape sequence a few bytes at a
        # time: keep an unfinished one for the next read.
        m = CSI_START.search(text)
        self.partial = text[m.start():] if m else ""
        text = text[:m.start()] if m else text
        # ash asks where the cursor is (ESC [6n) as a terminal would be
        # asked; answer like one, and keep escape sequences out of the text.
        for _ in range(text.count(CURSOR_QUERY)):
            col = len(self.seen.rsplit("\n", 1)[-1]) + 1
            os.write(self.master, ("\x1b[1;%dR" % col).encode())
            self.answered += 1
        text = CSI.sub("", text)
        self.seen += text
        if self.verbose:
            sys.stdout.write(text)
            sys.stdout.flush()
        return True

    def expect(self, pattern, timeout=None):
        """Wait for @pattern (regex) after the last match; the match or None."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = rx.search(self.seen, self.pos)
            if m:
                self.pos = m.end()
                return m
            if not self._read(deadline):
                return None

    def prompt(self):
        """Wait for the shell's prompt at the end of the output so far.

        ash's line editor follows the prompt with a cursor-position query
        and takes keys typed before the answer as part of it: wait (a
        little) for that query too, as a terminal answers it at once.
        """
        asked = self.answered
        deadline = time.monotonic() + self.timeout
        while True:
            m = PROMPT.search(self.seen, self.pos)
            if m and m.end() == len(self.seen):
                self.pos = m.end()
                break
            if not self._read(deadline):
                return False
        grace = time.monotonic() + 2 * SETTLE[self.target]
        while self.answered == asked and self._read(grace):
            pass
        # BusyBox reads the answer with up to 16 bytes that follow it and
        # drops those: let it take the answer alone, as a person's next
        # key would come long after a terminal's answer.
        pause = time.monotonic() + ANSWER_PAUSE[self.target]
        while self._read(pause):
            pass
        return True

    def send(self, keys):
        os.write(self.master, keys.encode())

    def settle(self):
        """Let a job just started get going before a key meant for it."""
        deadline = time.monotonic() + SETTLE[self.target]
        while self._read(deadline):
            pass

    def tail(self):
        return self.seen[-600:]

    def wait_exit(self):
        deadline = time.monotonic() + self.timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(deadline)
        try:
            return self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


def run_target(tap, target, verbose):
    s = Session(target, verbose)
    t = target
    try:
        if not tap.ok(s.expect(r"Jinux init: ") and s.prompt(),
                      "%s: init starts a shell and it shows the prompt" % t, s.tail()):
            return
        s.send("echo hi\r")
        tap.ok(s.expect(r"\nhi\n") and s.prompt(), "%s: echo hi prints hi" % t, s.tail())

        s.send("sleep 100\r")
        s.expect(r"sleep 100\n")
        s.settle()
        s.send("\x03")
        tap.ok(s.expect(r"\^C") and s.prompt(),
               "%s: Ctrl-C ends a foreground sleep 100 and the prompt comes back" % t,
               s.tail())

        s.send("sleep 100 &\r")
        ok = s.prompt()
        s.send("jobs\r")
        tap.ok(ok and s.expect(r"\[1\]\+ +Running +sleep 100") and s.prompt(),
               "%s: sleep 100 & starts a job that jobs lists as Running" % t, s.tail())

        s.send("fg\r")
        s.expect(r"fg\nsleep 100\n")
        s.settle()
        s.send("\x1a")
        tap.ok(s.expect(r"\[1\]\+ +Stopped +sleep 100") and s.prompt(),
               "%s: fg, then Ctrl-Z stops it and the prompt comes back" % t, s.tail())

        s.send("bg\r")
        tap.ok(s.expect(r"\[1\] sleep 100") and s.prompt(),
               "%s: bg resumes it in the background" % t, s.tail())
        s.send("jobs\r")
        tap.ok(s.expect(r"\[1\]\+ +Running +sleep 100") and s.prompt(),
               "%s: jobs lists it as Running again" % t, s.tail())

        killed_at = s.pos
        s.send("kill %1\r")
        ok = s.prompt()
        # ash reports the job's end at the first prompt after it died:
        # the one after kill itself if the job was quick to go.
        ended = ok and bool(re.search(r"Terminated +sleep 100", s.seen[killed_at:]))
        for _ in range(5):
            if ended or not ok:
                break
            mark = s.pos
            s.send("jobs\r")
            ok = ok and s.prompt()
            if ok and re.search(r"Terminated +sleep 100", s.seen[mark:]):
                ended = True
                break
            s.settle()
        mark = s.pos
        s.send("jobs\r")
        ok = ended and s.prompt() and "sleep 100" not in s.seen[mark:]
        tap.ok(ok, "%s: kill %%1 terminates it and the job table empties" % t, s.tail())

        # The shell's own line editor (raw mode): backspace sends DEL.
        s.send("echo abcX\x7f\x7fd\r")
        tap.ok(s.expect(r"\nabd\n") and s.prompt(),
               "%s: backspace edits the shell's command line" % t, s.tail())

        # The kernel's line discipline (canonical mode, under `read`):
        # erase, kill (^U) and the echo of both.
        s.send("read x; echo \"got:$x\"\r")
        s.settle()
        s.send("zzz\x15abcX\x7f\x7fd\r")
        tap.ok(s.expect(r"got:abd\n") and s.prompt(),
               "%s: the tty line discipline applies erase and kill in canonical mode" % t,
               s.tail())

        s.send("cat\r")
        s.settle()
        s.send("line one\r")
        ok = s.expect(r"line one\nline one\n")
        s.send("\x04")
        tap.ok(ok and s.prompt(), "%s: cat echoes a line and Ctrl-D ends it" % t, s.tail())

        s.send("exit\r")
        status = s.wait_exit()
        tap.ok(status == 0, "%s: exit powers off with status 0" % t,
               "status %s\n%s" % (status, s.tail()))
        after = termios.tcgetattr(s.slave)
        tap.ok(after == s.termios_before,
               "%s: the terminal's settings are restored after power-off" % t,
               "before %s\nafter  %s" % (s.termios_before, after))
    finally:
        s.close()


def run_poweroff(tap, target, verbose):
    """A second boot: BusyBox's poweroff asks init (SIGUSR2) to power off."""
    s = Session(target, verbose)
    try:
        ok = s.expect(r"Jinux init: ") and s.prompt()
        s.send("sleep 100 &\r")
        ok = ok and s.prompt()
        s.send("poweroff\r")
        status = s.wait_exit() if ok else None
        tap.ok(status == 0, "%s: poweroff at the prompt, with a job running, powers off "
               "with status 0" % target, "status %s\n%s" % (status, s.tail()))
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", action="append", choices=["host", "x86_64"])
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    if not os.access(JINUX, os.X_OK):
        print("Bail out! %s not built (run make)" % JINUX)
        return 2
    tap = Tap()
    for target in args.target or ["host", "x86_64"]:
        print("# interactive session on %s" % target)
        run_target(tap, target, args.verbose)
        run_poweroff(tap, target, args.verbose)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
