# Conformance tests: static musl programs that print TAP, run natively
# first and then inside Jinux (see docs/testing.md). tools/build.mk puts
# every TEST_BINS file into the initramfs as /test/<name>.
TEST_B := $(B)/test
TEST_PROGS := hello args brk mmap mprotect_segv exit_status uname clock efault ids misc \
	regs_preserved tls stack malloc fault_signal \
	sig_basic sig_frame sig_wait sig_timer sig_kill sig_default \
	mm_mmap_flags mm_mremap mm_madvise mm_stack mm_fork_cow \
	pipe_basic pipe_sigpipe pipe_fork fd_dup poll_pipe
TEST_PROGS += futex_ops futex_wake thread_basic thread_cancel thread_stress thread_robust
TEST_BINS := $(patsubst %,$(TEST_B)/%,$(TEST_PROGS))
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
