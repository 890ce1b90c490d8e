/*
 * KTESTs for the host target: the software page table and frame
 * references, guests running code written through the direct map, system
 * calls, faults, exceptions, FPU state, preemption and kicks.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/user.h>
#include <jinux/vm_space.h>

#include "arch_hooks.h"

#define CODE_VA 0x400000UL
#define DATA_VA 0x600000UL

KTEST(host_heap_counts_bytes_in_use)
{
	size_t before = heap_bytes_in_use();
	char *p = kzalloc(100);
	KASSERT(p != NULL);
	KASSERT(heap_bytes_in_use() >= before + 100);
	KASSERT_EQ(p[99], 0);
	kfree(p);
	KASSERT_EQ(heap_bytes_in_use(), before);
	KASSERT(kmalloc(0) == NULL);
}

KTEST(host_vm_space_map_query_unmap_keeps_refcounts)
{
	struct vm_space *vs = vm_space_create();
	KASSERT(vs != NULL);
	struct frame *a = frame_alloc(), *b = frame_alloc();
	KASSERT(a && b);
	KASSERT_EQ(vm_space_map(vs, CODE_VA, a, VM_READ | VM_EXEC), 0);
	KASSERT_EQ(vm_space_map(vs, CODE_VA + PAGE_SIZE, a, VM_READ), 0);
	KASSERT_EQ(vm_space_map(vs, 0x7fefff000000UL, b, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(frame_refcount(a), 3);
	KASSERT_EQ(vm_space_mapped_pages(vs), 3);

	struct frame *f;
	unsigned prot;
	KASSERT_EQ(vm_space_query(vs, CODE_VA + 123, &f, &prot), 0);
	KASSERT(f == a);
	KASSERT_EQ(prot, VM_READ | VM_EXEC);
	KASSERT_EQ(vm_space_query(vs, CODE_VA + 2 * PAGE_SIZE, NULL, NULL), -ENOENT);
	KASSERT_EQ(vm_space_query(vs, 0, NULL, NULL), -ENOENT);

	/* Replacing a mapping drops the old frame. */
	KASSERT_EQ(vm_space_map(vs, CODE_VA + PAGE_SIZE, b, VM_READ), 0);
	KASSERT_EQ(frame_refcount(a), 2);
	KASSERT_EQ(frame_refcount(b), 3);
	KASSERT_EQ(vm_space_protect(vs, CODE_VA, 2 * PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(vm_space_query(vs, CODE_VA + PAGE_SIZE, NULL, &prot), 0);
	KASSERT_EQ(prot, VM_READ | VM_WRITE);

	KASSERT_EQ(vm_space_map(vs, CODE_VA + 1, a, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, USER_VA_MAX, a, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, 0, a, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, CODE_VA, a, 0x10), -EINVAL);
	KASSERT_EQ(vm_space_unmap(vs, CODE_VA, 5), -EINVAL);

	KASSERT_EQ(vm_space_unmap(vs, USER_VA_MIN, USER_VA_MAX - USER_VA_MIN), 0);
	KASSERT_EQ(vm_space_mapped_pages(vs), 0);
	KASSERT_EQ(frame_refcount(a), 1);
	KASSERT_EQ(frame_refcount(b), 1);
	/* Destroy drops what is still mapped. */
	KASSERT_EQ(vm_space_map(vs, DATA_VA, a, VM_READ), 0);
	vm_space_destroy(vs);
	KASSERT_EQ(frame_refcount(a), 1);
	frame_put(a);
	frame_put(b);
}

/* A vm_space with @code at CODE_VA (read+exec) and a context at it. */
struct guest_fixture {
	struct vm_space *vs;
	struct user_context *ctx;
	size_t frames_before;
};

/* Asked for anew after every exit: it may fetch registers (host: a stop). */
#define REGS(fx) user_context_regs((fx)->ctx)

static bool fixture_init(struct guest_fixture *fx, const void *code, size_t len)
{
	fx->frames_before = frames_free();
	fx->vs = vm_space_create();
	if (!fx->vs)
		return false;
	struct frame *f = frame_alloc();
	if (!f || frame_write(f, 0, code, len) ||
	    vm_space_map(fx->vs, CODE_VA, f, VM_READ | VM_EXEC))
		return false;
	frame_put(f);
	fx->ctx = user_context_create(fx->vs);
	if (!fx->ctx)
		return false;
	REGS(fx)->rip = CODE_VA;
	return true;
}

static bool fixture_fini(struct guest_fixture *fx)
{
	user_context_destroy(fx->ctx);
	vm_space_destroy(fx->vs);
	return frames_free() == fx->frames_before;
}

KTEST(host_guest_runs_code_and_makes_syscalls)
{
	static const uint8_t code[] = {
		0xb8, 0x2a, 0x00, 0x00, 0x00, /* mov $42, %eax */
		0xbf, 0x07, 0x00, 0x00, 0x00, /* mov $7, %edi */
		0x0f, 0x05,                   /* syscall */
		0x48, 0x89, 0xc7,             /* mov %rax, %rdi */
		0x48, 0x89, 0xde,             /* mov %rbx, %rsi */
		0xb8, 0x3c, 0x00, 0x00, 0x00, /* mov $60, %eax */
		0x0f, 0x05,                   /* syscall */
	};
	struct guest_fixture fx;
	struct user_exit e;
	KASSERT(fixture_init(&fx, code, sizeof(code)));
	REGS(&fx)->rbx = 0x1122334455667788ULL;
	REGS(&fx)->fs_base = 0x12345000;

	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(REGS(&fx)->rax, 42);
	KASSERT_EQ(REGS(&fx)->rdi, 7);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 12);
	KASSERT_EQ(REGS(&fx)->rcx, CODE_VA + 12);   /* as the syscall instruction sets it */
	KASSERT_EQ(REGS(&fx)->fs_base, 0x12345000);

	/* The result is delivered and execution continues after it. */
	REGS(&fx)->rax = 99;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(REGS(&fx)->rax, 60);
	KASSERT_EQ(REGS(&fx)->rdi, 99);
	KASSERT_EQ(REGS(&fx)->rsi, 0x1122334455667788ULL);
	KASSERT(fixture_fini(&fx));
}

KTEST(host_guest_sees_direct_map_writes_and_new_mappings)
{
	static const uint8_t code[] = {
		0x8b, 0x03,       /* mov (%rbx), %eax */
		0x0f, 0x05,       /* syscall */
		0xeb, 0xfa,       /* jmp back to the load */
	};
	struct guest_fixture fx;
	struct user_exit e;
	KASSERT(fixture_init(&fx, code, sizeof(code)));
	struct frame *d = frame_alloc();
	KASSERT(d != NULL);
	uint32_t v = 0xabcd1234;
	KASSERT_EQ(frame_write(d, 8, &v, 4), 0);
	KASSERT_EQ(vm_space_map(fx.vs, DATA_VA, d, VM_READ), 0);
	REGS(&fx)->rbx = DATA_VA + 8;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(REGS(&fx)->rax, 0xabcd1234);

	/* A change through the direct map is seen at once. */
	v = 0x5555;
	KASSERT_EQ(frame_write(d, 8, &v, 4), 0);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(REGS(&fx)->rax, 0x5555);

	/* Unmapped again: the load faults. */
	KASSERT_EQ(vm_space_unmap(fx.vs, DATA_VA, PAGE_SIZE), 0);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.fault_addr, DATA_VA + 8);
	frame_put(d);
	KASSERT(fixture_fini(&fx));
}

KTEST(host_guest_page_faults_report_address_and_access)
{
	static const uint8_t code[] = {
		0x8b, 0x03,                   /* 0: mov (%rbx), %eax */
		0x89, 0x03,                   /* 2: mov %eax, (%rbx) */
		0x0f, 0x05,                   /* 4: syscall */
	};
	struct guest_fixture fx;
	struct user_exit e;
	KASSERT(fixture_init(&fx, code, sizeof(code)));
	REGS(&fx)->rbx = DATA_VA + 0x10;

	/* Read of a missing page. */
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.fault_addr, DATA_VA + 0x10);
	KASSERT_EQ(e.fault_access, VM_READ);
	KASSERT(!e.fault_present);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA);

	/* Map it read-only: the read passes, the write faults as a write. */
	struct frame *d = frame_alloc();
	KASSERT(d != NULL);
	KASSERT_EQ(vm_space_map(fx.vs, DATA_VA, d, VM_READ), 0);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.fault_addr, DATA_VA + 0x10);
	KASSERT_EQ(e.fault_access, VM_WRITE);
	KASSERT(e.fault_present);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 2);

	/* Make it writable: the store lands in the frame. */
	KASSERT_EQ(vm_space_protect(fx.vs, DATA_VA, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	REGS(&fx)->rax = 0x77;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	uint32_t v;
	KASSERT_EQ(frame_read(d, 0x10, &v, 4), 0);
	KASSERT_EQ(v, 0x77);

	/* Jumping to a page without exec is an exec fault. */
	REGS(&fx)->rip = DATA_VA;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.fault_addr, DATA_VA);
	KASSERT_EQ(e.fault_access, VM_EXEC);
	KASSERT(e.fault_present);
	frame_put(d);
	KASSERT(fixture_fini(&fx));
}

KTEST(host_guest_exceptions_map_to_vectors)
{
	static const uint8_t code[] = {
		0x0f, 0x0b,       /* 0: ud2 */
		0xcc,             /* 2: int3 */
		0x31, 0xc9,       /* 3: xor %ecx, %ecx */
		0xf7, 0xf1,       /* 5: div %ecx */
		0xf4,             /* 7: hlt */
		0xcd, 0x80,       /* 8: int $0x80 */
	};
	struct guest_fixture fx;
	struct user_exit e;
	KASSERT(fixture_init(&fx, code, sizeof(code)));

	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.vector, X86_EXC_UD);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA);
	REGS(&fx)->rip += 2;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.vector, X86_EXC_BP);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 3);   /* a trap: after the int3 */
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.vector, X86_EXC_DE);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 5);
	REGS(&fx)->rip += 2;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.vector, X86_EXC_GP);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 7);
	REGS(&fx)->rip += 1;
	REGS(&fx)->rax = 20;
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.vector, X86_EXC_GP);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA + 8);
	KASSERT_EQ(REGS(&fx)->rax, 20);
	KASSERT(fixture_fini(&fx));
}

KTEST(host_guest_fpu_state_is_per_context)
{
	static const uint8_t code[] = {
		0x66, 0x48, 0x0f, 0x7e, 0xc0, /* movq %xmm0, %rax */
		0x0f, 0x05,                   /* syscall */
		0xeb, 0xf7,                   /* jmp to start */
	};
	struct guest_fixture fx;
	struct user_exit e;
	struct user_fpu fpu;
	KASSERT(fixture_init(&fx, code, sizeof(code)));
	user_fpu_get(fx.ctx, &fpu);
	uint16_t fcw;
	uint32_t mxcsr;
	memcpy(&fcw, fpu.bytes, 2);
	memcpy(&mxcsr, fpu.bytes + 24, 4);
	KASSERT_EQ(fcw, 0x37f);
	KASSERT_EQ(mxcsr, 0x1f80);

	uint64_t x = 0x0123456789abcdefULL;
	memcpy(fpu.bytes + 160, &x, 8);               /* xmm0 */
	user_fpu_set(fx.ctx, &fpu);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(REGS(&fx)->rax, x);

	/* A second context on the same space has its own xmm0. */
	struct user_context *c2 = user_context_create(fx.vs);
	KASSERT(c2 != NULL);
	user_context_regs(c2)->rip = CODE_VA;
	KASSERT_EQ(user_run(c2, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(user_context_regs(c2)->rax, 0);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(REGS(&fx)->rax, x);
	user_fpu_get(fx.ctx, &fpu);
	uint64_t y;
	memcpy(&y, fpu.bytes + 160, 8);
	KASSERT_EQ(y, x);
	user_context_destroy(c2);
	KASSERT(fixture_fini(&fx));
}

static void kick_later(struct timer *t)
{
	task_kick(*(struct task **)(t + 1));
}

KTEST(host_guest_loop_is_preempted_and_kicked)
{
	static const uint8_t code[] = { 0xeb, 0xfe };  /* jmp . */
	struct guest_fixture fx;
	struct user_exit e;
	KASSERT(fixture_init(&fx, code, sizeof(code)));

	uint64_t t0 = clock_monotonic_ns();
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_INTERRUPT);
	KASSERT_EQ(REGS(&fx)->rip, CODE_VA);
	KASSERT(clock_monotonic_ns() - t0 < 1000 * NSEC_PER_MSEC);

	/* A kick from a timer callback ends the run too. */
	struct {
		struct timer t;
		struct task *task;
	} k = { .task = task_current() };
	timer_init(&k.t, kick_later);
	timer_arm(&k.t, clock_monotonic_ns() + 2 * NSEC_PER_MSEC);
	KASSERT_EQ(user_run(fx.ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_INTERRUPT);
	KASSERT(fixture_fini(&fx));
}

struct syscaller {
	struct guest_fixture fx;
	unsigned done;
	bool finished;
	struct wait_queue *wq;
};

/* Runs its guest through 200 system calls, counting them. */
static void syscaller_task(void *arg)
{
	struct syscaller *s = arg;
	struct user_exit e;
	for (unsigned i = 0; i < 200; i++) {
		REGS(&s->fx)->rax = i;
		if (user_run(s->fx.ctx, &e) || e.kind != USER_EXIT_SYSCALL ||
		    REGS(&s->fx)->rax != 39 || REGS(&s->fx)->rdi != i)
			break;
		s->done++;
	}
	s->finished = true;
	wait_queue_wake_all(s->wq);
}

KTEST(host_guests_of_two_tasks_run_concurrently)
{
	static const uint8_t code[] = {
		0x48, 0x89, 0xc7,             /* mov %rax, %rdi (last result) */
		0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39, %eax */
		0x0f, 0x05,                   /* syscall */
		0xeb, 0xf4,                   /* jmp to start */
	};
	struct wait_queue wq = WAIT_QUEUE_INIT;
	struct syscaller s[2];
	memset(s, 0, sizeof(s));
	unsigned tasks_before = tasks_alive();
	for (int i = 0; i < 2; i++) {
		KASSERT(fixture_init(&s[i].fx, code, sizeof(code)));
		s[i].wq = &wq;
		/* The first run returns the number with rdi = rax = 0. */
		REGS(&s[i].fx)->rax = 0;
	}
	for (int i = 0; i < 2; i++)
		KASSERT(task_create("syscaller", syscaller_task, &s[i]) != NULL);
	wait_event(&wq, s[0].finished && s[1].finished);
	/* Let the finished tasks exit. */
	while (tasks_alive() != tasks_before)
		task_yield();
	KASSERT_EQ(s[0].done, 200);
	KASSERT_EQ(s[1].done, 200);
	KASSERT(fixture_fini(&s[1].fx));
	KASSERT(fixture_fini(&s[0].fx));
}

/*
 * Threads of one address space. One page of code with three entry
 * points: a loop that never stops by itself, a system-call loop (as in
 * the test above) and a loop that keeps loading from (%rbx).
 */
#define SPIN_OFF 0
#define SYSCALL_OFF 16
#define LOAD_OFF 32

static const uint8_t thread_code[] = {
	0x48, 0xff, 0xc0,             /* 0: inc %rax */
	0xeb, 0xfb,                   /*    jmp 0 */
	0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
	0x48, 0x89, 0xc7,             /* 16: mov %rax, %rdi */
	0xb8, 0x27, 0x00, 0x00, 0x00, /*     mov $39, %eax */
	0x0f, 0x05,                   /*     syscall */
	0xeb, 0xf4,                   /*     jmp 16 */
	0x90, 0x90, 0x90, 0x90,
	0x8b, 0x03,                   /* 32: mov (%rbx), %eax */
	0xeb, 0xfc,                   /*     jmp 32 */
};

/* A task running a context until it stops for anything but an interrupt,
 * or until told to stop (and kicked). */
struct spinner {
	struct user_context *ctx;
	struct task *task;
	struct wait_queue *wq;
	bool stop, finished;
	int err;
	unsigned interrupts;
	uint64_t rax;           /* at the end */
	struct user_exit last;
};

static void spinner_task(void *arg)
{
	struct spinner *s = arg;
	while (!s->stop) {
		s->err = user_run(s->ctx, &s->last);
		if (s->err || s->last.kind != USER_EXIT_INTERRUPT)
			break;
		s->interrupts++;
	}
	s->rax = user_context_regs(s->ctx)->rax;
	s->finished = true;
	wait_queue_wake_all(s->wq);
}

static bool spinner_start(struct spinner *s, struct vm_space *vs, uint64_t rip, uint64_t rbx,
			  struct wait_queue *wq)
{
	memset(s, 0, sizeof(*s));
	s->wq = wq;
	s->ctx = user_context_create(vs);
	if (!s->ctx)
		return false;
	user_context_regs(s->ctx)->rip = rip;
	user_context_regs(s->ctx)->rbx = rbx;
	s->task = task_create("spinner", spinner_task, s);
	return s->task != NULL;
}

/* Stop the spinner (if it still runs) and wait until its task is gone. */
static void spinner_stop(struct spinner *s)
{
	if (!s->finished) {
		s->stop = true;
		task_kick(s->task);
	}
	wait_event(s->wq, s->finished);
	task_yield();           /* let it exit */
	user_context_destroy(s->ctx);
}

static void wait_tasks(unsigned n)
{
	while (tasks_alive() != n)
		task_yield();
}

KTEST(host_threads_of_one_space_spin_and_syscall_together)
{
	struct guest_fixture fx;
	struct wait_queue wq = WAIT_QUEUE_INIT;
	struct spinner sp;
	struct syscaller sc;
	unsigned tasks_before = tasks_alive();
	KASSERT(fixture_init(&fx, thread_code, sizeof(thread_code)));
	REGS(&fx)->rip = CODE_VA + SYSCALL_OFF;
	REGS(&fx)->rax = 0;
	KASSERT(spinner_start(&sp, fx.vs, CODE_VA + SPIN_OFF, 0, &wq));
	/* Let the spinner get into user mode first. */
	task_sleep_ns(5 * NSEC_PER_MSEC);

	/* The system calls of one thread go on while the other spins. */
	memset(&sc, 0, sizeof(sc));
	sc.fx = fx;
	sc.wq = &wq;
	KASSERT(task_create("syscaller", syscaller_task, &sc) != NULL);
	wait_event_timeout_flags(&wq, sc.finished, 5000 * NSEC_PER_MSEC, false);
	bool done = sc.finished;
	bool spinning = !sp.finished;
	spinner_stop(&sp);
	wait_event(&wq, sc.finished);
	wait_tasks(tasks_before);
	KASSERT(done);
	KASSERT(spinning);
	KASSERT_EQ(sc.done, 200);
	KASSERT_EQ(sp.err, 0);
	KASSERT_EQ(sp.last.kind, USER_EXIT_INTERRUPT);
	KASSERT(sp.rax > 1000);
	KASSERT(fixture_fini(&fx));
}

static void kick_checks(struct guest_fixture *fx, struct spinner *sp)
{
	struct user_exit e;

	/* A kick before user_run(): it returns at once, nothing ran. */
	REGS(fx)->rip = CODE_VA + SPIN_OFF;
	REGS(fx)->rax = 0;
	task_kick(task_current());
	KASSERT_EQ(user_run(fx->ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_INTERRUPT);
	KASSERT_EQ(REGS(fx)->rax, 0);

	/* A kick while both spin ends this run only. */
	struct {
		struct timer t;
		struct task *task;
	} k = { .task = task_current() };
	timer_init(&k.t, kick_later);
	/* On a loaded machine the host may not run the thread before the
	 * kick: try again until it made progress. */
	for (int i = 0; i < 100 && REGS(fx)->rax == 0; i++) {
		timer_arm(&k.t, clock_monotonic_ns() + 2 * NSEC_PER_MSEC);
		KASSERT_EQ(user_run(fx->ctx, &e), 0);
		timer_cancel(&k.t);
		KASSERT_EQ(e.kind, USER_EXIT_INTERRUPT);
	}
	KASSERT(REGS(fx)->rax > 0);
	KASSERT(!sp->finished);

	/* No kick is left over: the next run goes on to a system call. */
	task_test_and_clear_kick_for_tests();
	REGS(fx)->rip = CODE_VA + SYSCALL_OFF;
	KASSERT_EQ(user_run(fx->ctx, &e), 0);
	KASSERT_EQ(e.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(REGS(fx)->rax, 39);

	/* Kicking the sibling's task stops the sibling, not us. */
	unsigned before = sp->interrupts;
	task_kick(sp->task);
	while (sp->interrupts == before && !sp->finished)
		task_sleep_ns(NSEC_PER_MSEC);
	KASSERT_EQ(sp->err, 0);
	KASSERT(!sp->finished);
}

KTEST(host_thread_is_kicked_while_a_sibling_runs)
{
	struct guest_fixture fx;
	struct wait_queue wq = WAIT_QUEUE_INIT;
	struct spinner sp;
	unsigned tasks_before = tasks_alive();
	KASSERT(fixture_init(&fx, thread_code, sizeof(thread_code)));
	KASSERT(spinner_start(&sp, fx.vs, CODE_VA + SPIN_OFF, 0, &wq));
	task_sleep_ns(5 * NSEC_PER_MSEC);
	kick_checks(&fx, &sp);
	spinner_stop(&sp);
	wait_tasks(tasks_before);
	task_test_and_clear_kick_for_tests();
	KASSERT_EQ(sp.last.kind, USER_EXIT_INTERRUPT);
	KASSERT(fixture_fini(&fx));
}

KTEST(host_unmap_reaches_a_running_sibling)
{
	struct guest_fixture fx;
	struct wait_queue wq = WAIT_QUEUE_INIT;
	struct spinner sp;
	unsigned tasks_before = tasks_alive();
	KASSERT(fixture_init(&fx, thread_code, sizeof(thread_code)));
	struct frame *d = frame_alloc();
	KASSERT(d != NULL);
	KASSERT_EQ(vm_space_map(fx.vs, DATA_VA, d, VM_READ), 0);
	KASSERT(spinner_start(&sp, fx.vs, CODE_VA + LOAD_OFF, DATA_VA + 8, &wq));
	task_sleep_ns(5 * NSEC_PER_MSEC);
	bool was_running = !sp.finished;

	/* The frame stays referenced until the running thread lost it. */
	KASSERT_EQ(vm_space_unmap(fx.vs, DATA_VA, PAGE_SIZE), 0);
	long refs_while_running = frame_refcount(d);
	wait_event_timeout_flags(&wq, sp.finished, 5000 * NSEC_PER_MSEC, false);
	bool faulted = sp.finished;
	spinner_stop(&sp);
	wait_tasks(tasks_before);
	KASSERT(was_running);
	KASSERT_EQ(refs_while_running, 2);
	KASSERT(faulted);
	KASSERT_EQ(sp.err, 0);
	KASSERT_EQ(sp.last.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(sp.last.fault_addr, DATA_VA + 8);
	KASSERT_EQ(frame_refcount(d), 1);
	frame_put(d);
	KASSERT(fixture_fini(&fx));
}
