# Background jobs: $!, wait, wait's status, kill of a job.
sleep 0.2 &
p=$!
is "$(kill -0 $p && echo alive)" alive "a background job runs (kill -0 of \$!)"
wait $p
is $? 0 "wait for it returns its status 0"
(exit 3) &
wait $!
is $? 3 "wait returns a job's status 3"
sleep 10 &
p=$!
kill $p
wait $p
is $? 143 "a killed job: wait gives 143"
sleep 0.1 &
sleep 0.2 &
wait
is $? 0 "wait without arguments waits for all jobs"
out=$(kill -0 $p 2>&1)
is $? 1 "kill -0 of a reaped job fails"
