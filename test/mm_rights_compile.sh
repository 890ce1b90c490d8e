#!/bin/sh
# test/mm_rights_compile.sh - static vmo rights are enforced by the compiler.
#
# Compiles small programs against kernel/include/kernel/vmo.h with the
# kernel's freestanding flags: each "good" one must compile, each "bad"
# one (an operation needing a right its handle type lacks, or a
# conversion that would add a right) must fail. Prints TAP.
set -u
cd "$(dirname "$0")/.." || exit 2
GCC_INC=$(gcc -print-file-name=include)
CFLAGS="-std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdinc -isystem $GCC_INC -Icore/include -Ikernel/include -fsyntax-only"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# try NAME WANT(ok|fail) BODY - compile BODY inside a function with
# handles r (vmo_r), rw (vmo_rw), rwx (vmo_rwx) and c (struct vmo_cap).
try() {
	n=$((n + 1))
	cat >"$tmp/t.c" <<EOC
#include <kernel/vmo.h>
int f(vmo_r r, vmo_rw rw, vmo_rwx rwx, struct vmo_cap c);
int f(vmo_r r, vmo_rw rw, vmo_rwx rwx, struct vmo_cap c)
{
	char b[1] = { 0 };
	(void)r; (void)rw; (void)rwx; (void)c; (void)b;
	$3;
	return 0;
}
EOC
	if gcc $CFLAGS "$tmp/t.c" >"$tmp/log" 2>&1; then got=ok; else got=fail; fi
	if [ "$got" = "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1 # compiled: $got, want $2"
		sed 's/^/#   /' "$tmp/log" | head -n 5
		failed=$((failed + 1))
	fi
}

try "reading through vmo_r compiles" ok 'return vmo_read(r, 0, b, 1)'
try "writing through vmo_rw compiles" ok 'return vmo_write(rw, 0, b, 1)'
try "writing through a vmo_cap compiles (checked at run time)" ok 'return vmo_write(c, 0, b, 1)'
try "restricting vmo_rwx to vmo_r compiles" ok 'vmo_r x = vmo_restrict_r(rwx); (void)x'
try "writing through vmo_r does not compile" fail 'return vmo_write(r, 0, b, 1)'
try "restricting vmo_r to vmo_rw (adding WRITE) does not compile" fail 'vmo_rw x = vmo_restrict_rw(r); (void)x'
try "assigning a vmo_r to a vmo_rw does not compile" fail 'vmo_rw x = r; (void)x'
try "passing a vmo_r where vmo_rw is wanted does not compile" fail 'return vmo_rw_write(r, 0, b, 1)'
echo "1..$n"
[ "$failed" -eq 0 ]
