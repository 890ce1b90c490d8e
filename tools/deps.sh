#!/bin/sh
# Build dependencies of Jinux on Debian 12.
#
# Checks every tool and file the build, the launcher, the lint and the
# tests use. Anything missing is installed with apt-get when running as
# root; otherwise the script names the packages to install and fails.
# The Makefile runs it once (build/.deps-ok) before building anything.
set -u

missing=""

# need PACKAGE TEST...: PACKAGE is missing unless the test command succeeds.
need() {
	pkg=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		case " $missing " in
		*" $pkg "*) ;;
		*) missing="$missing $pkg" ;;
		esac
	fi
}

have() { command -v "$1"; }

# The busybox put into the initramfs must be static: Jinux has no dynamic
# loader yet. busybox-static installs it as /bin/busybox.
busybox_static() {
	[ -x /bin/busybox ] || return 1
	if command -v file >/dev/null 2>&1; then
		file -L /bin/busybox | grep -q 'statically linked'
	else
		! ldd /bin/busybox >/dev/null 2>&1
	fi
}

need make have make
need gcc have gcc
need binutils have ld
need musl-tools have musl-gcc
need qemu-system-x86 have qemu-system-x86_64
need grub-common have grub-mkrescue
need grub-pc-bin test -d /usr/lib/grub/i386-pc
need xorriso have xorriso
need mtools have mformat
need sparse have sparse
need cpio have cpio
need clang-tidy have clang-tidy
need file have file
need python3 have python3         # test/run.sh runs native cases through it
need linux-libc-dev test -f /usr/include/linux/version.h
need busybox-static busybox_static

if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root: apt-get install$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update || exit 1
# shellcheck disable=SC2086 # the package list is meant to be split
apt-get install -y --no-install-recommends $missing || exit 1

# Check again: a package may not provide what we expected.
if ! busybox_static; then
	echo "deps: /bin/busybox is not a static binary" >&2
	exit 1
fi
echo "deps: installed$missing" >&2
