/*
 * Backtraces by walking the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer): each frame holds the caller's rbp and the
 * return address above it. Addresses are printed raw; resolve them with
 * addr2line -f -e build/x86_64/jinux.elf.
 */
#include <jinux/log.h>

#include "arch_hooks.h"
#include "x86.h"

#define MAX_FRAMES 24

static bool plausible_frame(uint64_t rbp)
{
	return rbp >= DIRECT_MAP && IS_ALIGNED(rbp, 8) && rbp < UINT64_MAX - 16;
}

static bool kernel_text(uint64_t addr)
{
	return addr >= (uint64_t)_text && addr < (uint64_t)_etext;
}

/**
 * x86_backtrace_from() - print return addresses up the chain from @rbp.
 * @rsp: the stack pointer of the interrupted code, or 0. A function that
 * set up no frame of its own (a leaf) has its return address at @rsp;
 * that guess is marked with '?'.
 */
void x86_backtrace_from(uint64_t rsp, uint64_t rbp)
{
	if (rsp >= DIRECT_MAP && IS_ALIGNED(rsp, 8) && kernel_text(*(uint64_t *)rsp))
		pr_err("  %016lx ?", (unsigned long)*(uint64_t *)rsp);
	for (int i = 0; i < MAX_FRAMES && plausible_frame(rbp); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (!kernel_text(ret))
			break;
		pr_err("  %016lx", (unsigned long)ret);
		if (frame[0] <= rbp) /* stacks grow down: callers are higher */
			break;
		rbp = frame[0];
	}
}

void arch_backtrace(void)
{
	pr_err("backtrace:");
	x86_backtrace_from(0, (uint64_t)__builtin_frame_address(0));
}
