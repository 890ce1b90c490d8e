# Command substitution: forms, nesting, trailing newlines, status, size.
is "$(echo hello)" hello "\$(...) substitutes the output"
is "`echo back`" back "backquotes substitute too"
is "$(echo $(echo nested))" nested "substitutions nest"
x=$(printf 'a\nb\n\n\n')
is "$x" "a
b" "trailing newlines are removed, inner ones kept"
$(exit 5)
is $? 5 "a bare substitution's status is the command's"
is "$(exit 3; echo no)" "" "exit inside a substitution ends only it"
is "$((6 * 7))" 42 "arithmetic expansion"
big=$(seq 1 2000)
is "${#big}" 8892 "8.9 KB of output (more than a pipe buffer) arrives whole"
is "$(sh -c 'echo $PPID')" "$$" "a shell in a substitution is our child"
