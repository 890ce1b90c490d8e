/*
 * Measurements of the host target's mechanics, printed as TAP comments by
 * a KTEST (never asserted: timings depend on the machine). The figures in
 * docs/host-target.md come from here.
 */
#include <jinux/console.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/time.h>
#include <jinux/user.h>
#include <jinux/vm_space.h>

#include "arch_hooks.h"

#define CODE_VA 0x400000UL
#define DATA_VA 0x10000000UL
#define ROUNDS 1000
#define BATCH 64

static void note(const char *what, uint64_t ns, unsigned n)
{
	char line[128];
	int len = ksnprintf(line, sizeof(line), "# host: %-40s %6llu ns\n", what,
			    (unsigned long long)(ns / n));
	console_write(line, (size_t)len);
}

KTEST(host_bench_prints_mechanism_costs)
{
	static const uint8_t code[] = {
		0x0f, 0x05, /* syscall */
		0xeb, 0xfc, /* jmp back */
	};
	uint64_t t0 = clock_monotonic_ns();
	struct vm_space *vs = vm_space_create();
	KASSERT(vs != NULL);
	note("vm_space_create (spawn + clean stub)", clock_monotonic_ns() - t0, 1);
	struct frame *f = frame_alloc();
	struct frame *d[BATCH];
	KASSERT(f != NULL);
	KASSERT_EQ(frame_write(f, 0, code, sizeof(code)), 0);
	KASSERT_EQ(vm_space_map(vs, CODE_VA, f, VM_READ | VM_EXEC), 0);
	struct user_context *ctx = user_context_create(vs);
	KASSERT(ctx != NULL);
	struct user_regs *r = user_context_regs(ctx);
	struct user_exit e;
	r->rip = CODE_VA;
	KASSERT_EQ(user_run(ctx, &e), 0);

	t0 = clock_monotonic_ns();
	for (int i = 0; i < ROUNDS; i++) {
		user_context_set_return(ctx, 0);
		user_run(ctx, &e);
	}
	note("syscall round trip (user_run)", clock_monotonic_ns() - t0, ROUNDS);

	for (int i = 0; i < BATCH; i++) {
		d[i] = frame_alloc();
		KASSERT(d[i] != NULL);
	}
	uint64_t scattered = 0, contiguous = 0, unmap = 0;
	for (int round = 0; round < 20; round++) {
		/* Every other page: 64 host mmaps in one stub stop. */
		t0 = clock_monotonic_ns();
		for (int i = 0; i < BATCH; i++)
			vm_space_map(vs, DATA_VA + (uintptr_t)(i * 2) * PAGE_SIZE, d[i], VM_READ);
		user_run(ctx, &e);
		scattered += clock_monotonic_ns() - t0;
		t0 = clock_monotonic_ns();
		vm_space_unmap(vs, DATA_VA, 2 * BATCH * PAGE_SIZE);
		user_run(ctx, &e);
		unmap += clock_monotonic_ns() - t0;
		/* Consecutive pages of consecutive frames: coalesced. */
		t0 = clock_monotonic_ns();
		for (int i = 0; i < BATCH; i++)
			vm_space_map(vs, DATA_VA + (frame_pfn(d[i]) - frame_pfn(d[0])) * PAGE_SIZE,
				     d[i], VM_READ);
		user_run(ctx, &e);
		contiguous += clock_monotonic_ns() - t0;
		vm_space_unmap(vs, DATA_VA, 2 * BATCH * PAGE_SIZE);
	}
	note("map 64 scattered pages + syscall", scattered, 20);
	note("map 64 contiguous pages + syscall", contiguous, 20);
	note("unmap 64 pages (one range) + syscall", unmap, 20);

	t0 = clock_monotonic_ns();
	for (int round = 0; round < 100; round++) {
		vm_space_map(vs, DATA_VA, d[0], VM_READ);
		user_run(ctx, &e);
	}
	note("map 1 page + syscall", clock_monotonic_ns() - t0, 100);

	/* A load from a missing page, resolved by mapping it. */
	static const uint8_t load[] = { 0x8b, 0x03, 0x0f, 0x05, 0xeb, 0xfa };
	KASSERT_EQ(frame_write(f, 0, load, sizeof(load)), 0);
	t0 = clock_monotonic_ns();
	for (int round = 0; round < 100; round++) {
		vm_space_unmap(vs, DATA_VA, PAGE_SIZE);
		r->rip = CODE_VA;
		r->rbx = DATA_VA;
		user_run(ctx, &e);   /* fault */
		vm_space_map(vs, DATA_VA, d[0], VM_READ);
		user_run(ctx, &e);   /* syscall */
	}
	note("unmap + fault + map + syscall", clock_monotonic_ns() - t0, 100);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);

	/* More contexts: a new host thread (injected clone) each, then the
	 * same threads again from the idle pool. */
	struct user_context *more[8];
	t0 = clock_monotonic_ns();
	for (int i = 0; i < 8; i++)
		KASSERT((more[i] = user_context_create(vs)) != NULL);
	note("user_context_create (new host thread)", clock_monotonic_ns() - t0, 8);
	for (int i = 0; i < 8; i++)
		user_context_destroy(more[i]);
	t0 = clock_monotonic_ns();
	for (int i = 0; i < 8; i++)
		KASSERT((more[i] = user_context_create(vs)) != NULL);
	note("user_context_create (idle host thread)", clock_monotonic_ns() - t0, 8);
	for (int i = 0; i < 8; i++)
		user_context_destroy(more[i]);

	t0 = clock_monotonic_ns();
	user_context_destroy(ctx);
	vm_space_destroy(vs);
	note("vm_space_destroy", clock_monotonic_ns() - t0, 1);
	frame_put(f);
	for (int i = 0; i < BATCH; i++)
		frame_put(d[i]);
}
