#!/bin/bash
# The privilege line, as a check: kernel/ (the unprivileged components)
# may not use inline assembly, may not turn integers into pointers, may
# not include core internals, and may not dereference user pointers.
# core/common gets the sparse check too. See docs/lint.md.
#
#   tools/lint.sh              check the whole tree (make lint)
#   tools/lint.sh FILE...      check only these kernel/ files (self-test)
#
# Prints one "file:line: message" per violation; exits 1 if any.
set -u
cd "$(dirname "$0")/.." || exit 2

GCC_INC=$(gcc -print-file-name=include)
FLAGS=(-ffreestanding -nostdinc -isystem "$GCC_INC" -Icore/include
       -Ikernel/include -std=gnu11)
# Compiler headers a freestanding component may include.
FREESTANDING_HDRS="stdint.h stddef.h stdbool.h stdarg.h stdalign.h stdnoreturn.h limits.h"
JOBS=$(nproc 2>/dev/null || echo 2)

failed=0
fail() {
	echo "$1"
	failed=1
}

if [ $# -gt 0 ]; then
	kernel_files=("$@")
	common_files=()
else
	mapfile -t kernel_files < <(find kernel -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
	mapfile -t common_files < <(find core/common -type f -name '*.c' | LC_ALL=C sort)
fi
kernel_c=()
for f in "${kernel_files[@]}"; do
	case $f in *.c) kernel_c+=("$f") ;; esac
done

# strip_c FILE: the file with comments, string and character literals
# blanked out, line numbers kept, so that words in them are not matched.
strip_c() {
	awk '
	BEGIN { st = 0 }    # 0 code, 1 block comment, 2 string, 3 char
	{
		out = ""; n = length($0); i = 1
		while (i <= n) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (st == 1) {
				if (d == "*/") { st = 0; i += 2; out = out "  "; continue }
				out = out " "
			} else if (st == 2 || st == 3) {
				if (c == "\\") { out = out "  "; i += 2; continue }
				if ((st == 2 && c == "\"") || (st == 3 && c == "'\''")) st = 0
				out = out " "
			} else if (d == "/*") { st = 1; out = out "  "; i += 2; continue
			} else if (d == "//") { break
			} else {
				if (c == "\"") st = 2
				else if (c == "'\''") st = 3
				out = out c
			}
			i++
		}
		if (st >= 2) st = 0     # literals do not span lines
		print out
	}' "$1"
}

# (a) No assembly in components: no assembler sources, and no asm
# statements (checked textually here, including code under #if, and on
# the syntax tree by clang-tidy below).
check_asm() {
	local f hits
	while IFS= read -r f; do
		fail "$f:1: assembler source file in kernel/ (assembly belongs in core/)"
	done < <(find kernel -type f \( -name '*.S' -o -name '*.s' -o -name '*.asm' \) | LC_ALL=C sort)
	for f in "${kernel_files[@]}"; do
		hits=$(strip_c "$f" | grep -nE '(^|[^A-Za-z0-9_])(asm|__asm|__asm__)([^A-Za-z0-9_]|$)')
		[ -n "$hits" ] || continue
		while IFS=: read -r line _; do
			fail "$f:$line: inline assembly in kernel/ (assembly belongs in core/)"
		done <<<"$hits"
	done
}

# include_ok FILE WHAT: is "#include WHAT" in FILE allowed?
include_ok() {
	local f=$1 inc=$2 name target
	case $inc in
	\<*\>)
		name=${inc#<}
		name=${name%>}
		case $name in
		*..*) return 1 ;;
		jinux/*|kernel/*|uapi/*) return 0 ;;
		esac
		case " $FREESTANDING_HDRS " in
		*" $name "*) return 0 ;;
		esac
		return 1
		;;
	\"*\")
		name=${inc#\"}
		name=${name%\"}
		target=$(realpath -m "$(dirname "$f")/$name")
		case $target in
		"$PWD"/kernel/*) return 0 ;;
		esac
		return 1
		;;
	esac
	return 1    # computed includes (#include MACRO) are not allowed
}

# (c) Components include only the core API, their own headers and the
# compiler's freestanding headers.
check_includes() {
	local f line inc
	for f in "${kernel_files[@]}"; do
		while IFS=: read -r line inc; do
			inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*(<[^>]*>|"[^"]*"|[^[:space:]]*).*/\1/' <<<"$inc")
			include_ok "$f" "$inc" && continue
			fail "$f:$line: #include $inc: components may include only <jinux/...>, <kernel/...>, <uapi/...>, files inside kernel/ and freestanding compiler headers"
		done < <(strip_c "$f" | grep -nE '^[[:space:]]*#[[:space:]]*include' |
			 while IFS=: read -r l _; do printf '%s:%s\n' "$l" "$(sed -n "${l}p" "$f")"; done)
	done
}

# (a, b) On the syntax tree: asm statements and integer-to-pointer casts.
# The only sanctioned conversion, user_ptr(), lives in core/include, which
# the header filter leaves out; kernel/ headers are checked.
check_tidy() {
	[ ${#kernel_c[@]} -gt 0 ] || return 0
	local out
	out=$(printf '%s\0' "${kernel_c[@]}" |
	      xargs -0 -r -n 4 -P "$JOBS" sh -c 'clang-tidy --quiet \
		--checks="-*,performance-no-int-to-ptr,hicpp-no-assembler" \
		--warnings-as-errors="*" --header-filter="^kernel/" \
		"$@" -- '"${FLAGS[*]}" tidy 2>/dev/null)
	local rc=$?
	out=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning):' <<<"$out" |
	      sed -E "s|^$PWD/||; s/integer to pointer cast pessimizes optimization opportunities/integer-to-pointer cast in kernel\/ (use user_ptr() for user addresses)/; s/do not use inline assembler in safety-critical code/inline assembly in kernel\/ (assembly belongs in core\/)/" |
	      LC_ALL=C sort -u)
	if [ -n "$out" ]; then
		fail "$out"
	elif [ $rc -ne 0 ]; then
		fail "kernel/: clang-tidy failed (status $rc) without a diagnostic"
	fi
}

# (d) Sparse: __user pointers are noderef and in their own address space,
# so a dereference or a cast that drops __user is reported. Every sparse
# warning counts: the code must be sparse-clean.
check_sparse() {
	local out
	local f
	# One file at a time: a warning's continuation lines stay with it.
	out=$( { for f in "${kernel_c[@]}"; do
			sparse "${FLAGS[@]}" "$f"
		 done
		 for f in "${common_files[@]}"; do
			sparse "${FLAGS[@]}" -Icore/common "$f"
		 done
	       } 2>&1)
	[ -z "$out" ] || fail "$(sed -E 's/$/ [sparse]/' <<<"$out")"
}

check_asm
check_includes
check_tidy
check_sparse

if [ $failed -ne 0 ]; then
	echo "lint: FAILED" >&2
	exit 1
fi
echo "lint: ok (${#kernel_files[@]} kernel files, ${#common_files[@]} core/common files)" >&2
