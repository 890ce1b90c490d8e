# trap: handlers for signals sent to ourselves or by children, EXIT, ignoring.
got=
trap 'got=USR1' USR1
kill -USR1 $$
is "$got" USR1 "trap runs for USR1 sent to itself"
trap 'got=TERM' TERM
kill -TERM $$
is "$got" TERM "trap runs for TERM instead of dying"
trap 'got=fromchild' USR2
sh -c 'kill -USR2 $PPID'
is "$got" fromchild "trap runs for a signal sent by a child"
trap '' USR1
kill -USR1 $$
is $? 0 "an ignored signal does nothing"
trap - USR1 TERM USR2
is "$(sh -c 'trap "echo bye" EXIT; echo hi')" "hi
bye" "the EXIT trap runs at the end"
is "$(sh -c 'trap "echo caught; exit 3" INT; kill -INT $$; echo not reached')" caught \
	"an INT trap runs and exits"
sh -c 'trap "exit 3" INT; kill -INT $$; exit 0'
is $? 3 "with the trap's exit status"
trap '' INT
is "$(sh -c 'kill -INT $$; echo survived')" survived "ignored signals stay ignored in children"
trap - INT
