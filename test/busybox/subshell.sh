# Subshells and groups: isolation of variables, exit statuses.
x=1
(x=2; [ "$x" = 2 ])
is $? 0 "a subshell sees its own assignment"
is "$x" 1 "and it does not leak to the parent"
(exit 7)
is $? 7 "a subshell's exit status is seen by the parent"
( (exit 4) )
is $? 4 "nested subshells pass the status up"
(exit 300)
is $? 44 "exit 300 is 44, the low 8 bits"
{ y=3; }
is "$y" 3 "a brace group runs in this shell"
is "$( (echo in; exit 0); echo after)" "in
after" "a subshell inside a substitution"
is "$(echo $$)" "$$" "\$\$ in a subshell is the parent shell's pid"
(set -e; false; echo no)
is $? 1 "set -e in a subshell stops it at the failure"
