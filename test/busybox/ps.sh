# procfs under BusyBox: ps lists itself and the shell running it, pidof
# finds a background job, killall ends it by name (on Jinux only: natively
# other sleep processes may exist). Mounts /proc if it is not there.
[ -e /proc/self/stat ] || { mkdir -p /proc; mount -t proc proc /proc; }
out=$(busybox ps)
is "$(echo "$out" | head -n 1 | awk '{print $1}')" PID "ps prints its header"
is "$(echo "$out" | grep -q -E 'busybox ps|[{]ps[}]' && echo yes)" yes "ps lists itself"
is "$(echo "$out" | awk -v p=$$ '$1 == p' | grep -q sh && echo yes)" yes "ps lists the shell"
is "$(busybox ps -o pid,comm | awk -v p=$$ '$1 == p {print "found"}')" found "ps -o pid,comm"
sleep 30 &
job=$!
is "$(pidof sleep | tr ' ' '\n' | grep -x "$job")" "$job" "pidof finds the background sleep"
if uname -r | grep -q jinux; then
	killall sleep
	wait "$job"
	is "$?" 143 "killall sleep ends it (SIGTERM)"
	is "$(grep -c . /proc/mounts | awk '$1 > 0 {print "yes"}')" yes "/proc/mounts reads"
	is "$(mount | grep -c '^proc on /proc type proc')" 1 "mount lists proc"
else
	kill "$job"
	wait "$job"
fi
