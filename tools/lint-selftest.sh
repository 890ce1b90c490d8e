#!/bin/bash
# Self-test of tools/lint.sh: in a scratch copy of the tree, plant one
# violation of each kind in a new kernel/ file and check that the lint
# rejects it with the right message; check that a clean file passes.
# Prints TAP.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jinux-lint.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -C "$tmp" -xf - || exit 2
scratch=kernel/lint_selftest_scratch.c

n=0
failed=0
# case NAME EXPECT BODY: lint the scratch file holding BODY. EXPECT is a
# regular expression the output must match, or "" for "must pass".
case_() {
	local name=$1 expect=$2 body=$3 out rc
	n=$((n + 1))
	printf '%s\n' "${body#$'\n'}" >"$tmp/$scratch"
	out=$(cd "$tmp" && bash tools/lint.sh "$scratch" 2>&1)
	rc=$?
	if [ -z "$expect" ]; then
		if [ $rc -eq 0 ]; then
			echo "ok $n - $name"
			return
		fi
	elif [ $rc -ne 0 ] && grep -qE "$expect" <<<"$out"; then
		echo "ok $n - $name"
		return
	fi
	echo "not ok $n - $name (lint status $rc)"
	sed 's/^/# /' <<<"$out"
	failed=$((failed + 1))
}

echo "1..6"

case_ "lint passes a clean component file" "" '
#include <jinux/types.h>
#include <jinux/uaccess.h>
#include <kernel/mm.h>

struct pair { int a, b; };

int lint_selftest_fn(struct vm_space *vs, uint64_t arg, int *bp);

/* Words like asm in comments and "asm(" in strings are fine. */
int lint_selftest_fn(struct vm_space *vs, uint64_t arg, int *bp)
{
	struct pair *p = container_of(bp, struct pair, b);
	const char *s = "asm(";
	char c;

	if (copy_from_user(vs, &c, user_ptr(arg), 1))
		return -1;
	return p->a + c + s[0];
}'

case_ "lint rejects inline assembly" \
	"lint_selftest_scratch.c:5:.*inline assembly" '
#include <jinux/types.h>
int lint_selftest_fn(void);
int lint_selftest_fn(void)
{
	__asm__ volatile("nop");
	return 0;
}'

case_ "lint rejects an integer-to-pointer cast" \
	"lint_selftest_scratch.c:5:[0-9]+: .*integer-to-pointer cast" '
#include <jinux/types.h>
char lint_selftest_fn(uint64_t x);
char lint_selftest_fn(uint64_t x)
{
	char *p = (char *)(uintptr_t)x;
	return *p;
}'

case_ "lint rejects a cast of a u64 to void *" \
	"lint_selftest_scratch.c:5:[0-9]+: .*integer-to-pointer cast" '
#include <jinux/types.h>
void *lint_selftest_fn(uint64_t x);
void *lint_selftest_fn(uint64_t x)
{
	return (void *)x;
}'

case_ "lint rejects including core internals" \
	"lint_selftest_scratch.c:2: #include \"\\.\\./\\.\\./core/common/arch_hooks.h\"" '
#include <jinux/types.h>
#include "../../core/common/arch_hooks.h"
int lint_selftest_fn(void);
int lint_selftest_fn(void)
{
	return 0;
}'

case_ "lint rejects dereferencing a __user pointer" \
	"lint_selftest_scratch.c:6:[0-9]+: .*dereference of noderef expression" '
#include <jinux/types.h>
#include <jinux/uaccess.h>
char lint_selftest_fn(uint64_t x);
char lint_selftest_fn(uint64_t x)
{
	return *(const char __user *)user_ptr(x);
}'

echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
