#!/bin/bash
# make check: every test Jinux has, in one run.
#
# Stages run in order and each runs even if an earlier one failed: lint,
# lint self-test, the builds (both targets, then the sanitized host
# kernel), the kernel unit tests (host, host with ASan+UBSan, x86_64 in
# QEMU), the GRUB boot, an interactive shell session through a pty on
# both targets (test/interactive.py), and the conformance + BusyBox
# suite (test/run.sh) natively, on both targets, and on the host target
# with ASan+UBSan. A stage counts
# one test per TAP "ok"/"not ok" line it prints, or, if it prints none,
# one test passed or failed by its exit status. The last line is the
# total: "N passed, N failed".
#
# Stage logs are kept in build/check/<stage>.log.
# Environment: CHECK_KTEST_TIMEOUT, CHECK_QEMU_TIMEOUT, CHECK_SUITE_TIMEOUT
# (seconds) bound the test stages.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
cd "$(dirname "$0")/.." || exit 2
# We run make ourselves; do not inherit a parent make's job server.
unset MAKEFLAGS MFLAGS MAKELEVEL
JOBS=$(nproc 2>/dev/null || echo 2)
KTEST_TIMEOUT=${CHECK_KTEST_TIMEOUT:-60}
QEMU_TIMEOUT=${CHECK_QEMU_TIMEOUT:-120}
SUITE_TIMEOUT=${CHECK_SUITE_TIMEOUT:-1200}

logdir=build/check
mkdir -p "$logdir"
total_pass=0
total_fail=0
failed_stages=()

# A summary line of a stage's own, hidden so that ours is the only one.
hide_summary() {
	sed -u -E 's/^([0-9]+ passed, [0-9]+ failed)$/# \1/'
}

# stage NAME SHOW CMD...: run CMD, log its output, count its tests.
# SHOW is "all" to echo the whole output, "tap" for TAP lines and
# diagnostics only, "quiet" to echo only the tail when it fails.
stage() {
	local name=$1 show=$2 log=$logdir/$1.log rc pass fail
	shift 2
	echo "# ---- $name: $*"
	local start=$SECONDS
	case $show in
	all) "$@" </dev/null 2>&1 | hide_summary | tee "$log" ;;
	tap) "$@" </dev/null 2>&1 | hide_summary | tee "$log" |
		grep -E '^(not )?ok |^#|^Bail out' ;;
	*) "$@" </dev/null >"$log" 2>&1 ;;
	esac
	rc=${PIPESTATUS[0]}
	pass=$(grep -cE '^ok( |$)' "$log")
	fail=$(grep -cE '^not ok( |$)' "$log")
	if [ $((pass + fail)) -eq 0 ]; then
		if [ "$rc" -eq 0 ]; then pass=1; else fail=1; fi
	elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		# All its tests passed but the run itself failed (a crash,
		# a timeout): that is a failure too.
		fail=1
	fi
	if [ "$rc" -ne 0 ] && [ "$show" = quiet ]; then
		tail -n 30 "$log" | sed 's/^/#   /'
	fi
	echo "# ---- $name: $pass passed, $fail failed (status $rc, $((SECONDS - start))s)"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	[ "$fail" -eq 0 ] || failed_stages+=("$name")
}

stage lint quiet bash tools/lint.sh
stage lint-selftest all bash tools/lint-selftest.sh
stage generated all sh tools/gen/check-generated.sh
stage vmo-rights all sh test/mm_rights_compile.sh
stage build quiet make -j"$JOBS" all
stage build-sanitized quiet make -j"$JOBS" SANITIZE=1 build/host-san/jinux build/host-san/jinux-stub
stage ktest-host tap build/jinux --target host --timeout "$KTEST_TIMEOUT" --ktest
# The guest KTESTs make few system calls: once more with notification from the start.
stage ktest-host-notify tap env JINUX_HOST_TRAP=notify \
	build/jinux --target host --timeout "$KTEST_TIMEOUT" --ktest
stage ktest-host-san tap env JINUX_HOST_BIN=build/host-san/jinux \
	build/jinux --target host --timeout "$KTEST_TIMEOUT" --ktest
stage ktest-x86_64 tap build/jinux --target x86_64 --timeout "$QEMU_TIMEOUT" --ktest
stage iso-boot all sh tools/iso-test.sh
# init and an interactive BusyBox shell on both targets, typed at through a pty.
stage interactive tap timeout -k 10 600 python3 test/interactive.py
# The benchmark program in quick mode (docs/bench.md): it must run; timings are not checked.
for t in host x86_64; do stage "bench-quick-$t" all build/jinux --target "$t" --timeout "$QEMU_TIMEOUT" --add build/bench/jbench:/bin/jbench -- /bin/jbench --quick; done
if [ -f test/run.sh ]; then
	# Run it by its #! line if it is executable, else with sh.
	suite=(sh test/run.sh)
	[ -x test/run.sh ] && suite=(test/run.sh)
	for t in native host x86_64; do
		stage "suite-$t" tap timeout -k 10 "$SUITE_TIMEOUT" "${suite[@]}" --target "$t"
	done
	# The same cases once more under ASan + UBSan (the launcher picks
	# the host kernel from JINUX_HOST_BIN).
	stage suite-host-san tap env JINUX_HOST_BIN=build/host-san/jinux \
		timeout -k 10 "$SUITE_TIMEOUT" "${suite[@]}" --target host
	# The host target picks its system-call trap per process
	# (docs/host-target.md): run the cases with each one fixed, too.
	for trap in ptrace notify; do
		stage "suite-host-$trap" tap env JINUX_HOST_TRAP=$trap \
			timeout -k 10 "$SUITE_TIMEOUT" "${suite[@]}" --target host
	done
else
	echo "# ---- suite: skipped, test/run.sh does not exist yet"
fi

if [ ${#failed_stages[@]} -gt 0 ]; then
	echo "# failed stages: ${failed_stages[*]} (logs in $logdir/)"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
