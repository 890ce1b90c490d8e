#!/bin/sh
# Boot build/x86_64/jinux.iso through GRUB (Multiboot2) in QEMU and check
# that the default program ran and the kernel powered off with status 0.
# The default program is /sbin/init, which starts a shell on the serial
# console: it is given /bin/hello and exit as its input (a serial port
# never reports end of input). Prints TAP.
set -u
iso=${1:-build/x86_64/jinux.iso}
log=$(mktemp) out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
timeout 120 qemu-system-x86_64 -machine pc -cpu max -m 256M -smp 1 -display none \
	-monitor none -no-reboot -serial stdio -debugcon "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$iso" -boot d \
	> "$out" 2>&1 <<'EOF'
/bin/hello
exit
EOF
echo "1..2"
if grep -q "^Hello from Linux" "$out"; then
	echo "ok 1 - GRUB-booted Jinux ran init, whose shell ran /bin/hello"
else
	echo "not ok 1 - GRUB-booted Jinux ran init, whose shell ran /bin/hello # output: $(head -c 300 "$out")"
fi
if grep -q "^JINUX_EXIT 0$" "$log"; then
	echo "ok 2 - and exit powered off with status 0"
else
	echo "not ok 2 - and exit powered off with status 0 # log: $(tail -c 300 "$log")"
	exit 1
fi
