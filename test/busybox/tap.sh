# TAP helpers for the BusyBox script tests: test/run.sh puts this in front
# of each script and runs the whole as "busybox sh -c TEXT".
# is GOT WANT DESCRIPTION - one check; done_testing - the plan and status.
n=0
fails=0
is() {
	n=$((n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $n - $3"
	else
		fails=$((fails + 1))
		echo "not ok $n - $3 # got '$1', want '$2'"
	fi
}
done_testing() {
	echo "1..$n"
	[ "$fails" -eq 0 ]
	exit
}
