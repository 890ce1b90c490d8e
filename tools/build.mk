# Tools: the default initramfs, the launcher, and the lint entry points.
#
#   build/initramfs.cpio   /sbin/init, /bin/hello, /bin/busybox (+ applet symlinks), /test/<name> for every
#                          conformance test in TEST_BINS, musl's dynamic linker
#                          /lib/ld-musl-x86_64.so.1, empty /dev /proc /tmp
#   build/jinux            the launcher (tools/jinux), see docs/building.md

# busybox-static installs it here; it must be a static binary.
BUSYBOX ?= /bin/busybox
# musl's dynamic linker, which is also its libc (Debian's musl package;
# /lib/ld-musl-x86_64.so.1 is a symlink to it): the interpreter of the
# dynamically linked tests, installed as a real file.
MUSL_LDSO ?= /usr/lib/x86_64-linux-musl/libc.so
INITRAMFS := $(B)/initramfs.cpio
INITRAMFS_DIR := $(B)/initramfs
INITRAMFS_FILES := sbin/init=$(USER_B)/init bin/hello=$(USER_B)/hello bin/busybox=$(BUSYBOX) \
	lib/ld-musl-x86_64.so.1=$(MUSL_LDSO) \
	$(foreach t,$(TEST_BINS),test/$(notdir $(t))=$(t))

# The file list, rewritten only when it changes, so that removing a test
# also rebuilds the archive.
INITRAMFS_LIST := $(B)/initramfs.list
$(shell mkdir -p $(B) && echo '$(INITRAMFS_FILES)' | cmp -s - $(INITRAMFS_LIST) || \
	echo '$(INITRAMFS_FILES)' >$(INITRAMFS_LIST))

# Order-only: the file comes from a package tools/deps.sh installs.
$(BUSYBOX) $(MUSL_LDSO): | $(DEPS_STAMP)

$(INITRAMFS): tools/mkinitramfs.sh $(INITRAMFS_LIST) $(USER_BINS) $(BUSYBOX) $(MUSL_LDSO) $(TEST_BINS) $(DEPS_STAMP)
	sh tools/mkinitramfs.sh $@ $(INITRAMFS_DIR) $(INITRAMFS_FILES)

$(B)/jinux: tools/jinux
	@mkdir -p $(@D)
	install -m 0755 $< $@

ALL_TARGETS += $(INITRAMFS) $(B)/jinux

.PHONY: initramfs
initramfs: $(INITRAMFS)

lint: $(DEPS_STAMP)
	@bash tools/lint.sh

ktest: all
	$(B)/jinux --target $(TARGET) --timeout 300 --ktest
