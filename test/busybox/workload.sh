# A file-system workload for BusyBox, run the same way natively and on
# each Jinux target: busybox sh workload.sh DIR. It builds a tree in
# DIR/wl with mkdir, echo, cp, mv and ln -s, then walks and transforms it
# (find, ls -la, grep -r, sed, awk, sort, uniq, tar and gzip round trips)
# and prints only what must be the same everywhere: sorted listings with
# dates, owners, inode numbers and directory sizes left out, and md5sums.
# test/run.sh compares the output with the native run's line by line.
set -e
top=${1:?usage: workload.sh DIR}

# Every command is BusyBox's own, even natively where PATH has others.
for a in awk basename cat cmp cp cut echo find gunzip grep gzip head ln ls md5sum \
	mkdir mv printf rm sed sort stat tail tar touch tr uniq wc; do
	eval "$a() { busybox $a \"\$@\"; }"
done

umask 022
export TZ=UTC
mkdir -p "$top"
cd "$top"
rm -rf wl
mkdir wl
cd wl

# ---- build a tree
mkdir -p src/a/b/c src/d docs empty
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	echo "line $i of file $i: alpha beta gamma" >"src/a/f$i.txt"
	for j in 1 2 3; do
		echo "f$i row $j $((i * j)) $((i % 4))" >>"src/a/f$i.txt"
	done
done
printf 'red\ngreen\nblue\ngreen\nred\nred\nyellow\n' >src/d/colors
printf '#!/bin/sh\necho hi\n' >src/d/script.sh
i=0
while [ $i -lt 200 ]; do
	echo "$i $((i * i % 97)) word$((i % 13))"
	i=$((i + 1))
done >src/a/b/c/table
cp src/d/colors docs/colors.copy
cp -r src/a/b docs/b-copy
mv docs/colors.copy docs/colours
mv src/a/f12.txt src/d/
ln -s ../src/d/colors docs/colors.link
ln -s a/b/c src/deep
ln -s /nonexistent docs/dangling
ln src/d/colors src/d/colors.hard
echo appended >>src/d/colors.hard
: >empty/zero

echo "== find"
find . | sort
echo "== find -type f"
find . -type f | sort
echo "== find -type l"
find . -type l | sort
echo "== find -name"
find src -name 'f1*.txt' | sort
echo "== ls -la"
# mode, links, size (not for directories: it depends on the file system),
# name; not the caller's directory (the ".." of ".")
ls -laR . | awk '
	/^total / { next }
	/:$/ { dir = $0 }
	NF >= 9 {
		if (dir == ".:" && $9 == "..")
			next
		size = $5
		if (substr($1, 1, 1) == "d")
			size = "-"
		name = $9
		for (i = 10; i <= NF; i++)
			name = name " " $i
		print $1, $2, size, name
		next
	}
	{ print }'
echo "== readlink"
for l in docs/colors.link src/deep docs/dangling; do
	echo "$l -> $(busybox readlink "$l")"
done
cat src/deep/table | head -n 3

echo "== stat"
stat -c '%a %h %s %F %N' docs/colours docs/colors.link src/d/colors.hard empty/zero
echo "== times"
touch -t 202001020304.05 docs/colours
touch -r docs/colours src/a/f1.txt
cp -p docs/colours ../colours.p
cp -a docs/b-copy ../b-copy.a
touch -t 201905060708.09 ../b-copy.a/c/table
stat -c '%y %n' docs/colours src/a/f1.txt ../colours.p ../b-copy.a/c/table
[ docs/colours -nt src/a/b/c/table ] || echo "older than the new file"
rm -rf ../colours.p ../b-copy.a

echo "== grep -r"
grep -r green . | sort
grep -rl 'row 3' src | sort
grep -rc word7 src/a/b | sort
echo "== sed"
sed -e 's/alpha/ALPHA/' -e '/row 2/d' src/a/f3.txt
sed -n '5,8p' src/a/b/c/table
sed -i 's/blue/BLUE/' src/d/colors
cat src/d/colors src/d/colors.hard
echo "== awk"
awk '{ s[$3] += $2 } END { for (k in s) print k, s[k] }' src/a/b/c/table | sort
awk -F: 'NR == 1 { print NF, $2 }' src/a/f7.txt
echo "== sort and uniq"
sort src/d/colors | uniq -c
sort -n -k2 src/a/b/c/table | head -n 5
sort -r src/d/colors | uniq
cut -d' ' -f3 src/a/b/c/table | sort | uniq -c | sort -k1,1n -k2 | tail -n 3
echo "== tar"
tar cf ../wl.tar src docs
mkdir ../untar
(cd ../untar && tar xf ../wl.tar)
tar tf ../wl.tar | sort
(cd ../untar && find . | sort)
stat -c '%y %n' ../untar/docs/colours
for f in $(find src docs -type f | sort); do
	cmp "$f" "../untar/$f"
done
busybox readlink ../untar/docs/colors.link
echo "== gzip"
cp src/a/b/c/table ../table
gzip ../table
[ ! -e ../table ] && [ -e ../table.gz ] && echo "gzip replaced the file"
gzip -t ../table.gz && echo "gzip -t ok"
gunzip ../table.gz
cmp ../table src/a/b/c/table && echo "gunzip round trip ok"
gzip -c <../table | gunzip -c | md5sum
gzip -c <../wl.tar >../wl.tar.gz
gunzip -c ../wl.tar.gz | cmp - ../wl.tar && echo "tar.gz round trip ok"
echo "== wc"
wc -l src/a/b/c/table
cat src/a/*.txt | wc -c
echo "== md5sum"
for f in $(find . ../untar -type f | sort); do
	md5sum "$f"
done
echo "== rm"
rm -r src/a
find . | sort | wc -l
cd ..
rm -rf wl untar wl.tar wl.tar.gz table
find . -name 'wl*' | wc -l
echo "== done"
