# Pipelines: data through several stages, statuses, SIGPIPE, reads.
is "$(seq 1 1000 | grep 7 | wc -l)" 271 "seq 1 1000 | grep 7 | wc -l is 271"
is "$(echo hello | tr a-z A-Z)" HELLO "echo | tr"
true | false
is $? 1 "a pipeline's status is its last command's (1)"
false | true
is $? 0 "a pipeline's status is its last command's (0)"
is "$(yes | head -n 3 | tr -d '\n')" yyy "yes | head: yes ends by SIGPIPE"
is "$(seq 1 100000 | tail -n 1)" 100000 "100000 lines through a pipe"
is "$(echo a b c | { read x y z; echo $z$y$x; })" cba "read from a pipe in a group"
is "$(seq 1 5 | while read l; do printf %s $l; done)" 12345 "a while-read loop at the end of a pipe"
is "$(seq 1 300 | sort -rn | head -n 1)" 300 "a four-stage pipeline"
