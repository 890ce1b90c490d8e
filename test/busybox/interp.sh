#!/bin/sh
# An interpreter script run by path: the kernel starts /bin/sh with the
# script's path and arguments. Self-contained TAP (no helpers).
if [ "$1" = one ] && [ "$2" = "two words" ]; then
	echo "ok 1 - the arguments reach the script"
else
	echo "not ok 1 - the arguments reach the script # got '$1' '$2'"
fi
case $0 in
*/bb_interp.sh) echo "ok 2 - \$0 is the script's path" ;;
*) echo "not ok 2 - \$0 is the script's path # got '$0'" ;;
esac
echo "1..2"
