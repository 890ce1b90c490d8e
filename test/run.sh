#!/bin/sh
# test/run.sh - run the conformance and integration tests on one target.
#
#   test/run.sh --target native|host|x86_64 [--only GLOB] [--verbose]
#
# native runs build/test/<name> directly on this Linux machine (the
# reference); host and x86_64 run /test/<name> inside Jinux through the
# launcher, one boot per case. Every case checks the exit status, and
# TAP-producing programs must also print a plan with all checks "ok".
# Prints one TAP line per case, then "N passed, N failed"; exits 1 on any
# failure. Each case's full output is kept in build/test-out/<target>/.
set -u

TARGET=native
ONLY='*'
VERBOSE=0
while [ $# -gt 0 ]; do
	case $1 in
	--target) TARGET=${2:?--target needs a value}; shift 2 ;;
	--target=*) TARGET=${1#--target=}; shift ;;
	--only) ONLY=${2:?--only needs a glob}; shift 2 ;;
	--verbose|-v) VERBOSE=1; shift ;;
	-h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case $TARGET in
native|host|x86_64) ;;
*) echo "run.sh: unknown target '$TARGET'" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$ROOT/build}
OUT=$B/test-out/$TARGET
BAD=$B/test-bad
GUEST_TIMEOUT=60
BUSYBOX=${BUSYBOX:-/bin/busybox}
mkdir -p "$OUT" "$BAD"
NATIVE_EXEC='
import os, sys
try:
    os.execv(sys.argv[1], sys.argv[1:])
except OSError as e:
    print("execv: %s" % e, file=sys.stderr)
    sys.exit(127 if e.errno == 2 else 126)
'

n=0
passed=0
failed=0
skipped=0

# launch LOG ADDSPEC GUESTPATH ARGS... - run one program on the target with
# stdout+stderr in LOG (carriage returns from a serial console removed);
# ADDSPEC is empty or launcher --add specs HOSTFILE:GUESTPATH, separated by
# commas. Returns its status.
launch() {
	log=$1 add=$2
	shift 2
	if [ "$TARGET" = native ]; then
		prog=$1
		shift
		case $prog in
		/test/*) prog=$B/test/${prog#/test/} ;;
		/bad/*) prog=$BAD/${prog#/bad/} ;;
		esac
		# execv(2) without a shell's ENOEXEC fallback, statuses like a shell's.
		timeout -s KILL $((GUEST_TIMEOUT + 30)) python3 -c "$NATIVE_EXEC" \
			"$prog" "$@" >"$log.raw" 2>&1 </dev/null
	elif [ -n "$add" ]; then
		# shellcheck disable=SC2046 # one --add per comma-separated spec
		timeout -s KILL $((GUEST_TIMEOUT + 30)) "$B/jinux" --target "$TARGET" \
			--timeout "$GUEST_TIMEOUT" $(echo "$add" | tr ',' '\n' | sed 's/^/--add /') \
			-- "$@" >"$log.raw" 2>&1 </dev/null
	else
		timeout -s KILL $((GUEST_TIMEOUT + 30)) "$B/jinux" --target "$TARGET" \
			--timeout "$GUEST_TIMEOUT" -- "$@" >"$log.raw" 2>&1 </dev/null
	fi
	st=$?
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
	return $st
}

# tap_complete LOG - the output holds a plan 1..N, N "ok" lines, no "not ok".
# On failure it sets $why for check().
tap_complete() {
	plan=$(grep -E '^1\.\.[0-9]+$' "$1" | tail -n 1 | sed 's/^1\.\.//')
	oks=$(grep -cE '^ok [0-9]+' "$1")
	nots=$(grep -cE '^not ok [0-9]+' "$1")
	if [ -z "$plan" ]; then
		why="no TAP plan (died early?)"
	elif [ "$nots" -ne 0 ]; then
		why="$nots TAP checks failed: $(grep -E '^not ok' "$1" | head -n 3 | tr '\n' ';')"
	elif [ "$oks" -ne "$plan" ]; then
		why="plan 1..$plan but $oks checks passed"
	else
		return 0
	fi
	return 1
}

# report NAME RESULT(pass|fail|skip) WHY LOG - one TAP line for the case.
report() {
	n=$((n + 1))
	case $2 in
	pass) passed=$((passed + 1)); echo "ok $n - $1" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $3" ;;
	fail)
		failed=$((failed + 1))
		echo "not ok $n - $1 # $3"
		[ -f "$4" ] && head -n 40 "$4" | sed 's/^/#   /'
		;;
	esac
	if [ "$VERBOSE" = 1 ] && [ "$2" = pass ] && [ -f "$4" ]; then
		sed 's/^/#   /' "$4"
	fi
}

# check_output KIND LOG - KIND is one or more of tap, line=TEXT, has=TEXT
# joined by ';'. Sets $why to the first failure.
check_output() {
	rest=$1
	while [ -n "$rest" ] && [ -z "$why" ]; do
		k=${rest%%;*}
		case $rest in *';'*) rest=${rest#*;} ;; *) rest= ;; esac
		case $k in
		tap) tap_complete "$2" || true ;;
		line=*) grep -qxF -- "${k#line=}" "$2" || why="no output line '${k#line=}'" ;;
		has=*) grep -qF -- "${k#has=}" "$2" || why="output lacks '${k#has=}'" ;;
		esac
	done
}

# check NAME WANT_STATUS KIND [ADDSPEC] -- GUESTPATH ARGS...
# WANT_STATUS may list alternatives: 126|139.
# KIND: tap (TAP output must be complete), plain (status only),
# line=TEXT / has=TEXT (output holds exactly that line / that text), or
# several of these joined by ';'.
check() {
	name=$1 want=$2 kind=$3 add=
	shift 3
	if [ "$1" != -- ]; then
		add=$1
		shift
	fi
	shift
	# shellcheck disable=SC2254 # --only is a glob on purpose
	case $name in $ONLY) ;; *) return 0 ;; esac
	log=$OUT/$(echo "$name" | tr -c 'A-Za-z0-9_.\n-' _).log
	start=$(date +%s)
	launch "$log" "$add" "$@"
	st=$?
	secs=$(($(date +%s) - start))
	why=
	ok_status=0
	for w in $(echo "$want" | tr '|' ' '); do
		[ "$st" = "$w" ] && ok_status=1
	done
	if [ "$ok_status" = 0 ]; then
		why="exit status $st, want $want"
		case $st in
		124|137) why="$why (timed out after ${secs}s?)" ;;
		129|13[0-9]|1[4-9][0-9]) why="$why (signal $((st - 128)))" ;;
		esac
	else
		check_output "$kind" "$log"
	fi
	if [ -n "$why" ]; then
		report "$name" fail "$why (${secs}s)" "$log"
	else
		report "$name" pass "" "$log"
	fi
}

# make_bad_inputs - malformed executables for the exec failure cases.
make_bad_inputs() {
	good=$B/test/hello
	head -c 4096 /dev/urandom >"$BAD/random"
	{ printf '\177ELF'; head -c 4092 /dev/urandom; } >"$BAD/elf_magic_random"
	head -c 100 "$good" >"$BAD/truncated"
	cp "$good" "$BAD/bad_phoff"
	printf '\360\377\377\377\377\377\377\177' |
		dd of="$BAD/bad_phoff" bs=1 seek=32 conv=notrunc 2>/dev/null
	cp "$good" "$BAD/bad_phnum"
	printf '\377\377' | dd of="$BAD/bad_phnum" bs=1 seek=56 conv=notrunc 2>/dev/null
	# First program header (at e_phoff 64 in our binaries): a PT_LOAD whose
	# file offset runs off the end of the file.
	cp "$good" "$BAD/bad_segment"
	printf '\000\360\377\377\377\377\377\377' |
		dd of="$BAD/bad_segment" bs=1 seek=72 conv=notrunc 2>/dev/null
	printf 'this is just text\nnot a program\n' >"$BAD/text"
	chmod 0755 "$BAD"/*
}

conformance() {
	check hello 0 "tap;line=hello, world;line=hello on stderr" -- /test/hello
	check args 0 tap -- /test/args one "two words" three
	check brk 0 tap -- /test/brk
	check mmap 0 tap -- /test/mmap
	for mode in write-readonly read-none read-unmapped; do
		check "mprotect_segv $mode dies with SIGSEGV" 139 tap -- /test/mprotect_segv "$mode"
	done
	for m in null-read:139 noncanon:139 exec-nx:139 hlt:139 port-io:139 ud2:132 \
		int3:133 div0:136; do
		check "fault_signal ${m%:*} kills with status ${m#*:}" "${m#*:}" tap -- \
			/test/fault_signal "${m%:*}"
	done
	for st in 0 1 42 255; do
		check "exit_status $st from main" "$st" tap -- /test/exit_status "$st"
	done
	check "exit_status 300 keeps the low 8 bits" 44 tap -- /test/exit_status 300
	check "exit_status 42 via exit_group" 42 tap -- /test/exit_status 42 exit_group
	check "exit_status 7 via exit of the only thread" 7 tap -- /test/exit_status 7 exit
	check "exit_status 42 with an argument holding spaces" 42 tap -- \
		/test/exit_status 42 return "two words"
	check uname 0 tap -- /test/uname
	check clock 0 tap -- /test/clock
	check efault 0 tap -- /test/efault
	check ids 0 tap -- /test/ids
	check cred_ids 0 tap -- /test/cred_ids
	check cred_caps 0 tap -- /test/cred_caps
	check misc 0 tap -- /test/misc
	check regs_preserved 0 tap -- /test/regs_preserved
	check tls 0 tap -- /test/tls
	check stack 0 tap -- /test/stack
	check malloc 0 tap -- /test/malloc
	check sig_basic 0 tap -- /test/sig_basic
	check sig_frame 0 tap -- /test/sig_frame
	check sig_wait 0 tap -- /test/sig_wait
	check sig_timer 0 tap -- /test/sig_timer
	check sig_kill 0 tap -- /test/sig_kill
	for m in abort:134 term:143 kill:137 quit:131 unblock:138 resethand:139 blocked:139 \
		ignored:0; do
		check "sig_default ${m%:*} gives status ${m#*:}" "${m#*:}" tap -- \
			/test/sig_default "${m%:*}"
	done
	check mm_mmap_flags 0 tap -- /test/mm_mmap_flags
	check mm_mremap 0 tap -- /test/mm_mremap
	check mm_madvise 0 tap -- /test/mm_madvise
	check mm_stack 0 tap -- /test/mm_stack
	check "mm_stack overflow dies with SIGSEGV" 139 plain -- /test/mm_stack overflow
	check mm_fork_cow 0 tap -- /test/mm_fork_cow
	check_leak mm_file /test/mm_file
	check_leak mm_shared_file /test/mm_shared_file
	check pipe_basic 0 tap -- /test/pipe_basic
	for m in default:141 handler:0 blocked:0; do
		check "pipe_sigpipe ${m%:*} gives status ${m#*:}" "${m#*:}" tap -- \
			/test/pipe_sigpipe "${m%:*}"
	done
	check pipe_fork 0 tap -- /test/pipe_fork
	check fd_dup 0 tap -- /test/fd_dup
	check poll_pipe 0 tap -- /test/poll_pipe
	check futex_ops 0 tap -- /test/futex_ops
	check futex_wake 0 tap -- /test/futex_wake
	check thread_basic 0 tap -- /test/thread_basic
	check thread_cancel 0 tap -- /test/thread_cancel
	check "thread_stress 8 threads x 10000" 0 tap -- /test/thread_stress 10000
	check thread_robust 0 tap -- /test/thread_robust
}

busybox() {
	check "busybox echo" 0 "line=hello world" -- /bin/busybox echo hello world
	check "busybox uname -a says Linux on x86_64" 0 "has=Linux;has=x86_64" -- \
		/bin/busybox uname -a
	check "busybox true" 0 plain -- /bin/busybox true
	check "busybox false" 1 plain -- /bin/busybox false
}

# check_leak NAME GUESTPATH ARGS... - check NAME 0 tap; on Jinux it runs
# with --loglevel 6 and the kernel's power-off line must show as many free
# frames, heap bytes and tasks as before the first process started.
check_leak() {
	name=$1
	shift
	# shellcheck disable=SC2254 # --only is a glob on purpose
	case $name in $ONLY) ;; *) return 0 ;; esac
	if [ "$TARGET" = native ]; then
		check "$name" 0 tap -- "$@"
		return
	fi
	log=$OUT/$(echo "$name" | tr -c 'A-Za-z0-9_.\n-' _).log
	start=$(date +%s)
	timeout -s KILL $((GUEST_TIMEOUT + 30)) "$B/jinux" --target "$TARGET" \
		--timeout "$GUEST_TIMEOUT" --loglevel 6 -- "$@" >"$log.raw" 2>&1 </dev/null
	st=$?
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
	why=
	[ "$st" = 0 ] || why="exit status $st, want 0"
	[ -n "$why" ] || tap_complete "$log" || true
	if [ -z "$why" ]; then
		line=$(grep 'memory at power-off:' "$log" | tail -n 1)
		# shellcheck disable=SC2046 # six numbers, one word each
		set -- $(echo "$line" | sed -nE 's/.*: ([0-9]+) free frames \(([0-9]+) at start\), ([0-9]+) heap bytes \(([0-9]+)\), ([0-9]+) tasks \(([0-9]+)\).*/\1 \2 \3 \4 \5 \6/p')
		if [ $# -ne 6 ]; then
			why="no 'memory at power-off' line at --loglevel 6"
		elif [ "$1" != "$2" ] || [ "$3" != "$4" ] || [ "$5" != "$6" ]; then
			why="leak: ${line#*power-off: }"
		fi
	fi
	if [ -n "$why" ]; then
		report "$name" fail "$why ($(($(date +%s) - start))s)" "$log"
	else
		report "$name" pass "" "$log"
	fi
}

# proc_model - the process-model tests (docs/testing.md, "Process model"),
# each also a leak check (proc_rlimit holds the RLIMIT_NPROC fork storm).
proc_model() {
	for t in fork clone exec wait pgrp rlimit misc; do
		check_leak "proc_$t" "/test/proc_$t"
	done
	check_leak "proc_fs" /test/proc_fs one "two words"
	check_leak "proc_leak: 200 forks and reaps leave no frames, heap or tasks" /test/proc_leak
	check_leak "proc_leak zombies: the kernel frees unreaped and running children" \
		/test/proc_leak zombies
}

# bb_script NAME - test/busybox/NAME.sh behind the helpers of tap.sh, run
# as "busybox sh -c TEXT NAME" (sh cannot open a script file before the
# VFS); comments and indentation are dropped to keep QEMU's command line short.
bb_script() {
	text=$(cd "$ROOT/test/busybox" && sed -e 's/^[[:space:]]*//' -e '/^#/d' tap.sh "$1.sh" &&
		echo done_testing)
	check "busybox script $1" 0 tap -- /bin/busybox sh -c "$text" "$1"
}

# busybox_scripts - shell features over the process model (docs/testing.md).
busybox_scripts() {
	for s in subst subshell exitcodes trap jobs pipeline ps; do
		bb_script "$s"
	done
	check "busybox sh -c exits 42" 42 plain -- /bin/busybox sh -c 'exit 42'
	check "busybox sh -c 'seq 1 1000 | grep 7 | wc -l' prints 271" 0 "line=271" -- \
		/bin/busybox sh -c 'seq 1 1000 | grep 7 | wc -l'
	check "busybox #!/bin/sh script run by path" 0 tap -- /test/bb_interp.sh one "two words"
	script=/test/bb_interp.sh
	[ "$TARGET" = native ] && script=$B/test/bb_interp.sh
	check "busybox sh reads a script file" 0 tap -- /bin/busybox sh "$script" one "two words"
}

# bb_workload - test/busybox/workload.sh (a tree built, walked, archived
# and summed with BusyBox tools) must print on the target exactly what it
# prints natively with the same busybox; natively it runs in a temp dir.
bb_workload() {
	name="busybox workload matches the native run"
	# shellcheck disable=SC2254 # --only is a glob on purpose
	case $name in $ONLY) ;; *) return 0 ;; esac
	log=$OUT/bb_workload.log
	ref=$B/test-out/bb_workload.native
	tmp=$(mktemp -d)
	start=$(date +%s)
	why=
	(cd "$tmp" && "$BUSYBOX" sh "$ROOT/test/busybox/workload.sh" "$tmp/top") >"$ref" 2>&1 ||
		why="native run failed"
	rm -rf "$tmp"
	if [ -z "$why" ]; then
		if [ "$TARGET" = native ]; then
			cp "$ref" "$log"
		else
			launch "$log" "" /bin/busybox sh /test/bb_workload.sh /tmp/bb_workload ||
				why="exit status $?"
		fi
	fi
	grep -qx '== done' "$log" 2>/dev/null || why=${why:-"did not finish"}
	# The kernel's own messages (e.g. "jinux: ... unimplemented") are not output.
	grep -v '^jinux: ' "$log" >"$log.out" 2>/dev/null
	if [ -z "$why" ] && ! diff -u "$ref" "$log.out" >"$log.diff"; then
		why="output differs from the native run ($(grep -c '^[-+][^-+]' "$log.diff") lines)"
		cat "$log.diff" >>"$log"
	fi
	rm -f "$log.diff" "$log.out"
	report "$name" "$([ -z "$why" ] && echo pass || echo fail)" \
		"$why ($(($(date +%s) - start))s)" "$log"
}

# fs_tests - the file-system calls over the VFS (kernel/vfs).
fs_tests() {
	# On Jinux the kernel's memory must also be back where it started.
	for t in basic path mount fifo select copy tmpfile leak efault perm lock pivot openat2; do
		check_leak "fs_$t" "/test/fs_$t"
	done
	bb_workload
}

# power_tests - reboot(2) and init (docs/init.md). Powering off is
# checked on Jinux only: natively it would stop this machine.
power_tests() {
	check reboot 0 tap -- /test/reboot
	[ "$TARGET" = native ] && return 0
	for m in power-off halt restart; do
		check "reboot $m powers off with status 0" 0 plain -- /test/reboot "$m"
	done
	check "busybox poweroff -f powers off with status 0" 0 plain -- /bin/busybox poweroff -f
	# x86_64's serial console never reports end of input: host only.
	[ "$TARGET" = host ] || return 0
	check "default program: /sbin/init, its shell reads EOF, power-off with 0" 0 \
		"has=Jinux init: " --
}

bad_inputs() {
	make_bad_inputs
	for f in random elf_magic_random truncated bad_phoff bad_phnum text; do
		check "exec of $f fails with 126" 126 plain "$BAD/$f:/bad/$f" -- /bad/$f
	done
	# Linux finds this one only after the point of no return and kills the
	# process with SIGSEGV; a loader that validates first reports 126.
	check "exec of bad_segment fails with 126 (Linux: SIGSEGV)" '126|139' plain \
		"$BAD/bad_segment:/bad/bad_segment" -- /bad/bad_segment
	check "exec of a missing file fails with 127" 127 plain -- /test/no-such-program
}

# Dynamically linked programs and PIEs (kernel/exec/elf.c): the program and
# musl's dynamic linker /lib/ld-musl-x86_64.so.1 (in the initramfs, and on
# this machine from the musl package); dyn_exec checks the interpreter errors.
dyn_tests() {
	check dyn_hello 0 "tap;line=hello from a dynamic program" -- \
		/test/dyn_hello one "two words"
	check "dyn_hello_nopie (ET_EXEC with an interpreter)" 0 \
		"tap;line=hello from a dynamic program" -- /test/dyn_hello_nopie one "two words"
	check "dyn_args_static_pie (the args test as a static PIE)" 0 tap -- \
		/test/dyn_args_static_pie one "two words" three
	check dyn_exec 0 tap -- /test/dyn_exec
	# Debian's own bash, linked against glibc: ld-linux maps libtinfo and
	# libc with file-backed MAP_PRIVATE mmaps (kernel/mm/filemap.c).
	glibc=/lib64/ld-linux-x86-64.so.2,/lib/x86_64-linux-gnu/libc.so.6
	glibc=$glibc,/lib/x86_64-linux-gnu/libtinfo.so.6,/usr/bin/bash
	check "Debian bash (glibc, dynamic) runs a script" 0 "line=bash ok 42 sub 123 bb" \
		"$(echo "$glibc" | sed -E 's#([^,]+)#\1:\1#g')" -- /usr/bin/bash -c \
		'echo "bash ok $((6 * 7)) $(echo sub) $(for i in 1 2 3; do printf $i; done) $(/bin/busybox echo bb)"'
}

if [ "$TARGET" != native ] && [ ! -x "$B/jinux" ]; then
	echo "run.sh: $B/jinux not built (run make)" >&2
	exit 2
fi
for t in hello args brk mmap mprotect_segv exit_status uname clock efault ids misc \
	regs_preserved tls stack malloc fault_signal \
	sig_basic sig_frame sig_wait sig_timer sig_kill sig_default \
	mm_mmap_flags mm_mremap mm_madvise mm_stack mm_fork_cow \
	pipe_basic pipe_sigpipe pipe_fork fd_dup poll_pipe \
	futex_ops futex_wake thread_basic thread_cancel thread_stress thread_robust \
	cred_ids cred_caps; do
	if [ ! -x "$B/test/$t" ]; then
		echo "run.sh: $B/test/$t not built (run make)" >&2
		exit 2
	fi
done

echo "# Jinux conformance tests, target $TARGET"
conformance
busybox
bad_inputs
dyn_tests
proc_model
busybox_scripts
fs_tests
power_tests
echo "1..$n"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
