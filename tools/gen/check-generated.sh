#!/bin/sh
# Fail if a generated file in the tree differs from what its generator
# makes now (docs/abi.md, kernel/syscall/names.c). Prints TAP.
set -u
n=0 fail=0
check() {
	n=$((n + 1))
	tmp=$(mktemp)
	sh "$2" > "$tmp"
	if cmp -s "$tmp" "$1"; then
		echo "ok $n - $1 is up to date"
	else
		echo "not ok $n - $1 is stale: run sh $2 > $1"
		fail=1
	fi
	rm -f "$tmp"
}
check docs/abi.md tools/gen/abi-table.sh
check kernel/syscall/names.c tools/gen/syscall-names.sh
echo "1..$n"
exit $fail
