# Conformance tests: static musl programs that print TAP, run natively
# first and then inside Jinux (see docs/testing.md). tools/build.mk puts
# every TEST_BINS file into the initramfs as /test/<name>.
TEST_B := $(B)/test
TEST_PROGS := hello args brk mmap mprotect_segv exit_status uname clock efault ids misc \
	regs_preserved tls stack malloc fault_signal \
	sig_basic sig_frame sig_wait sig_timer sig_kill sig_default \
	mm_mmap_flags mm_mremap mm_madvise mm_stack mm_fork_cow mm_file mm_shared_file \
	pipe_basic pipe_sigpipe pipe_fork fd_dup poll_pipe
TEST_PROGS += futex_ops futex_wake thread_basic thread_cancel thread_stress thread_robust
# Process-model tests (docs/testing.md, "Process model").
TEST_PROGS += proc_fork proc_clone proc_exec proc_wait proc_pgrp proc_rlimit proc_misc proc_fs \
	proc_leak
# Credentials and capabilities (docs/security.md).
TEST_PROGS += cred_ids cred_caps
# File system: VFS, tmpfs, devfs (kernel/vfs).
TEST_PROGS += fs_basic fs_path fs_mount fs_fifo fs_select fs_copy fs_tmpfile fs_leak \
	fs_efault fs_perm fs_lock fs_pivot fs_openat2
# reboot(2) (docs/init.md): error cases everywhere, power-off on Jinux only.
TEST_PROGS += reboot
TEST_BINS := $(patsubst %,$(TEST_B)/%,$(TEST_PROGS))
# Data files for proc_exec, next to it as build/test/<name> and /test/<name>.
PROC_EXEC_DATA := $(patsubst %,$(TEST_B)/proc_exec_%,arg.sh sh.sh badinterp.sh noexec garbage)
$(PROC_EXEC_DATA): test/build.mk
TEST_BINS += $(PROC_EXEC_DATA)
$(TEST_B)/proc_exec_arg.sh:
	@mkdir -p $(@D)
	printf '#!/bin/busybox echo\n' >$@ && chmod 0755 $@
$(TEST_B)/proc_exec_sh.sh:
	@mkdir -p $(@D)
	printf '#!/bin/sh\nIFS="|"\necho "sh-script $$0 $$*"\nexit 7\n' >$@ && chmod 0755 $@
$(TEST_B)/proc_exec_badinterp.sh:
	@mkdir -p $(@D)
	printf '#!/no/such/interpreter\n' >$@ && chmod 0755 $@
$(TEST_B)/proc_exec_noexec:
	@mkdir -p $(@D)
	printf '#!/bin/sh\necho should not run\n' >$@ && chmod 0644 $@
$(TEST_B)/proc_exec_garbage:
	@mkdir -p $(@D)
	printf 'not a program\001\002\003\n' >$@ && chmod 0755 $@
# The BusyBox interpreter script, run by path as /test/bb_interp.sh.
TEST_BINS += $(TEST_B)/bb_interp.sh
$(TEST_B)/bb_interp.sh: test/busybox/interp.sh
	@mkdir -p $(@D)
	cp $< $@ && chmod 0755 $@
# The BusyBox file-system workload, /test/bb_workload.sh (test/run.sh
# compares its output with a native run of the same busybox).
TEST_BINS += $(TEST_B)/bb_workload.sh
$(TEST_B)/bb_workload.sh: test/busybox/workload.sh
	@mkdir -p $(@D)
	cp $< $@ && chmod 0755 $@
# Dynamically linked programs (docs/testing.md, "Dynamic programs"): musl's
# PT_INTERP /lib/ld-musl-x86_64.so.1, which the initramfs holds
# (tools/build.mk). dyn_hello is a PIE (ET_DYN), dyn_hello_nopie an ET_EXEC
# with an interpreter, dyn_args_static_pie the args test as a static PIE
# (musl-gcc's specs know no -static-pie: the start files are named here).
MUSL_LIBDIR := /usr/lib/x86_64-linux-musl
DYN_CFLAGS := -O2 -Wall -Wextra -Werror
# dyn_exec (static) runs damaged copies of dyn_hello and of the linker.
TEST_BINS += $(TEST_B)/dyn_exec
TEST_BINS += $(TEST_B)/dyn_hello $(TEST_B)/dyn_hello_nopie $(TEST_B)/dyn_args_static_pie
$(TEST_B)/dyn_hello: test/dyn_hello.c $(TEST_HDRS) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(DYN_CFLAGS) -fPIE -pie -o $@ $<
$(TEST_B)/dyn_hello_nopie: test/dyn_hello.c $(TEST_HDRS) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(DYN_CFLAGS) -fno-pie -no-pie -o $@ $<
$(TEST_B)/dyn_args_static_pie: test/args.c $(TEST_HDRS) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(DYN_CFLAGS) -fPIE -nostartfiles \
		-Wl,-static,-pie,--no-dynamic-linker,-z,text \
		$(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o "$$($(MUSL_CC) -print-file-name=crtbeginS.o)" \
		$< "$$($(MUSL_CC) -print-file-name=crtendS.o)" $(MUSL_LIBDIR)/crtn.o -o $@
TEST_CFLAGS := -static -O2 -Wall -Wextra -Werror
TEST_HDRS := $(wildcard test/lib/*.h)

$(TEST_B)/%: test/%.c $(TEST_HDRS) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(TEST_CFLAGS) -o $@ $<

ALL_TARGETS += $(TEST_BINS)

# make test-native | test-host | test-x86_64: the conformance and BusyBox
# cases on one target (native = this Linux machine, the reference).
.PHONY: test-native test-host test-x86_64
test-native: $(TEST_BINS)
	sh test/run.sh --target native

test-host test-x86_64: test-%: all
	sh test/run.sh --target $*
