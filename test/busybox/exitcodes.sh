# Exit statuses: builtins, child shells, signals, missing and bad commands.
true
is $? 0 "true is 0"
false
is $? 1 "false is 1"
! true
is $? 1 "! true is 1"
sh -c 'exit 42'
is $? 42 "a child shell's exit 42"
sh -c 'kill -TERM $$'
is $? 143 "a child killed by SIGTERM is 143"
sh -c 'kill -KILL $$'
is $? 137 "a child killed by SIGKILL is 137"
out=$(/no/such/command 2>&1)
is $? 127 "a missing command is 127"
out=$(/ 2>&1)
is $? 126 "a directory as a command is 126"
false && echo no
is $? 1 "false && ... is 1"
true || echo no
is $? 0 "true || ... is 0"
f() { return 9; }
f
is $? 9 "a function's return status"
