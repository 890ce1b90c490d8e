#!/bin/sh
# Build an initramfs: a newc cpio archive, reproducible (sorted names,
# owner 0:0, fixed times and inode numbers).
#
#   tools/mkinitramfs.sh OUT.cpio STAGING_DIR [GUEST_PATH=HOST_FILE]...
#
# STAGING_DIR is emptied and filled with /dev, /proc, /tmp and the given
# files (mode 0755 if the host file is executable, else 0644), plus a /bin
# symlink to busybox for each of its applets when /bin/busybox is given,
# then packed into OUT.cpio. Names in the archive have no leading "/" or "./".
set -eu
out=$1
dir=$2
shift 2

rm -rf "$dir"
mkdir -p "$dir/dev" "$dir/proc" "$dir/tmp"
for pair in "$@"; do
	guest=${pair%%=*}
	host=${pair#*=}
	guest=${guest#/}
	mkdir -p "$dir/$(dirname "$guest")"
	cp "$host" "$dir/$guest"
	if [ -x "$host" ]; then
		chmod 0755 "$dir/$guest"
	else
		chmod 0644 "$dir/$guest"
	fi
done
# BusyBox applets as symlinks in /bin (what `busybox --install -s /bin`
# would do), so that /bin/sh, #!/bin/sh scripts and plain applet names work.
if [ -x "$dir/bin/busybox" ]; then
	for applet in $("$dir/bin/busybox" --list); do
		[ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
	done
fi
chmod 0755 "$dir" "$dir/dev" "$dir/proc"
chmod 1777 "$dir/tmp"
find "$dir" -exec touch -h -d @0 {} +

(cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio -o -H newc --owner 0:0 --renumber-inodes --ignore-devno --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
