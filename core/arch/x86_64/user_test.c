/*
 * KTESTs for user mode on x86_64: real user code (hand-assembled below)
 * runs through user_run() and must come back with the right exit for a
 * system call, an invalid opcode, page faults of each access type, a
 * breakpoint and a kick; FPU/SSE state and the FS base must survive a
 * switch to another context.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/user.h>

#include "x86.h"

#define CODE 0x400000UL
#define DATA 0x600000UL
#define HOLE 0x500000UL

static const uint8_t code[] = {
	/* 0x00 */ 0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39, %eax */
	/* 0x05 */ 0x0f, 0x05,                   /* syscall */
	/* 0x07 */ 0x0f, 0x0b,                   /* ud2 */
	[0x20] = 0x88, 0x03,                     /* mov %al, (%rbx) */
	/* 0x22 */ 0xcc,                         /* int3 */
	[0x40] = 0x66, 0x48, 0x0f, 0x6e, 0xc0,   /* movq %rax, %xmm0 */
	/* 0x45 */ 0x0f, 0x05,                   /* syscall */
	/* 0x47 */ 0x66, 0x48, 0x0f, 0x7e, 0xc2, /* movq %xmm0, %rdx */
	/* 0x4c */ 0x0f, 0x05,                   /* syscall */
	[0x60] = 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, /* mov %fs:0, %rax */
	/* 0x69 */ 0x0f, 0x05,                   /* syscall */
	[0x80] = 0xeb, 0xfe,                     /* jmp . */
};

struct env {
	struct vm_space *vs;
	struct frame *code, *data;
	struct user_context *ctx;
	struct user_exit exit;
};

static bool env_init(struct env *e)
{
	memset(e, 0, sizeof(*e));
	e->vs = vm_space_create();
	e->code = frame_alloc();
	e->data = frame_alloc();
	if (!e->vs || !e->code || !e->data)
		return false;
	frame_write(e->code, 0, code, sizeof(code));
	if (vm_space_map(e->vs, CODE, e->code, VM_READ | VM_EXEC) ||
	    vm_space_map(e->vs, DATA, e->data, VM_READ | VM_WRITE))
		return false;
	e->ctx = user_context_create(e->vs);
	return e->ctx != NULL;
}

static void env_fini(struct env *e)
{
	user_context_destroy(e->ctx);
	vm_space_destroy(e->vs);
	frame_put(e->code);
	frame_put(e->data);
}

/* Run until an exit other than an interrupt, which may always happen
 * (a tick, or a kick left over from an earlier test) and means nothing. */
static int run(struct env *e)
{
	int r;

	do
		r = user_run(e->ctx, &e->exit);
	while (r == 0 && e->exit.kind == USER_EXIT_INTERRUPT);
	return r;
}

static int run_at(struct env *e, uintptr_t off)
{
	user_context_regs(e->ctx)->rip = CODE + off;
	return run(e);
}

KTEST(x86_user_syscall_then_invalid_opcode)
{
	size_t frames0 = frames_free(), heap0 = heap_bytes_in_use();
	struct env e;
	KASSERT(env_init(&e));
	struct user_regs *r = user_context_regs(e.ctx);

	KASSERT_EQ(run_at(&e, 0), 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(r->rax, 39);
	KASSERT_EQ(r->rip, CODE + 7);
	KASSERT_EQ(r->rcx, CODE + 7);
	r->rax = 1234; /* the "result"; resume after the syscall */
	KASSERT_EQ(run(&e), 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.exit.vector, X86_EXC_UD);
	KASSERT_EQ(r->rip, CODE + 7);
	KASSERT_EQ(r->rax, 1234);
	env_fini(&e);
	KASSERT_EQ(frames_free(), frames0);
	KASSERT_EQ(heap_bytes_in_use(), heap0);
}

KTEST(x86_user_page_faults_report_address_and_access)
{
	struct env e;
	KASSERT(env_init(&e));
	struct user_regs *r = user_context_regs(e.ctx);
	struct frame *ro = frame_alloc();
	KASSERT(ro);

	r->rbx = HOLE + 8;
	r->rax = 0x5a;
	KASSERT_EQ(run_at(&e, 0x20), 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.exit.fault_addr, HOLE + 8);
	KASSERT_EQ(e.exit.fault_access, VM_WRITE);
	KASSERT(!e.exit.fault_present);
	KASSERT_EQ(r->rip, CODE + 0x20);

	KASSERT_EQ(vm_space_map(e.vs, HOLE, ro, VM_READ), 0);
	KASSERT_EQ(run(&e), 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_PAGE_FAULT);
	KASSERT_EQ(e.exit.fault_access, VM_WRITE);
	KASSERT(e.exit.fault_present);

	KASSERT_EQ(vm_space_protect(e.vs, HOLE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(run(&e), 0); /* the store retires, then int3 */
	KASSERT_EQ(e.exit.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.exit.vector, X86_EXC_BP);
	KASSERT_EQ(r->rip, CODE + 0x23);
	uint8_t byte = 0;
	frame_read(ro, 8, &byte, 1);
	KASSERT_EQ(byte, 0x5a);

	if (x86_nx) { /* without NX every readable page is executable */
		r->rip = DATA; /* mapped without VM_EXEC */
		KASSERT_EQ(run(&e), 0);
		KASSERT_EQ(e.exit.kind, USER_EXIT_PAGE_FAULT);
		KASSERT_EQ(e.exit.fault_addr, DATA);
		KASSERT_EQ(e.exit.fault_access, VM_EXEC);
		KASSERT(e.exit.fault_present);
	}

	r->rip = 0x800000000000UL; /* non-canonical: never entered */
	KASSERT_EQ(run(&e), 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_EXCEPTION);
	KASSERT_EQ(e.exit.vector, X86_EXC_GP);
	frame_put(ro);
	env_fini(&e);
}

KTEST(x86_user_sse_state_and_fs_base_survive_other_contexts)
{
	struct env a, b;
	KASSERT(env_init(&a));
	KASSERT(env_init(&b));
	struct user_regs *ra = user_context_regs(a.ctx), *rb = user_context_regs(b.ctx);

	ra->rax = 0x1122334455667788ULL;
	KASSERT_EQ(run_at(&a, 0x40), 0); /* xmm0 = rax, then syscall */
	KASSERT_EQ(a.exit.kind, USER_EXIT_SYSCALL);
	rb->rax = 0x99;
	KASSERT_EQ(run_at(&b, 0x40), 0); /* b clobbers the CPU's xmm0 */
	KASSERT_EQ(run(&a), 0);
	KASSERT_EQ(a.exit.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(ra->rdx, 0x1122334455667788ULL);

	struct user_fpu fpu;
	uint64_t xmm0;
	user_fpu_get(b.ctx, &fpu);
	memcpy(&xmm0, &fpu.bytes[160], sizeof(xmm0));
	KASSERT_EQ(xmm0, 0x99);
	uint16_t fcw;
	memcpy(&fcw, &fpu.bytes[0], sizeof(fcw));
	KASSERT_EQ(fcw, 0x37f);

	uint64_t magic = 0xfeedfacecafebeefULL;
	frame_write(a.data, 16, &magic, sizeof(magic));
	ra->fs_base = DATA + 16;
	KASSERT_EQ(run_at(&a, 0x60), 0);
	KASSERT_EQ(a.exit.kind, USER_EXIT_SYSCALL);
	KASSERT_EQ(ra->rax, magic);
	KASSERT_EQ(ra->fs_base, DATA + 16);
	env_fini(&a);
	env_fini(&b);
}

static struct task *kicked_task;

static void kick_task(struct timer *t)
{
	(void)t;
	task_kick(kicked_task);
}

KTEST(x86_user_spinning_program_returns_when_kicked)
{
	struct env e;
	struct timer t;
	KASSERT(env_init(&e));

	kicked_task = task_current();
	timer_init(&t, kick_task);
	timer_arm(&t, clock_monotonic_ns() + 3 * NSEC_PER_MSEC);
	user_context_regs(e.ctx)->rip = CODE + 0x80;
	int r = user_run(e.ctx, &e.exit);
	timer_cancel(&t); /* it lives on this stack */
	KASSERT_EQ(r, 0);
	KASSERT_EQ(e.exit.kind, USER_EXIT_INTERRUPT);
	KASSERT_EQ(user_context_regs(e.ctx)->rip, CODE + 0x80);
	env_fini(&e);
}

static bool other_ran;
static void note_run(void *arg)
{
	(void)arg;
	other_ran = true;
}

KTEST(x86_user_spinning_program_is_preempted_for_other_tasks)
{
	struct env e;
	KASSERT(env_init(&e));

	other_ran = false;
	KASSERT(task_create("other", note_run, NULL) != NULL);
	user_context_regs(e.ctx)->rip = CODE + 0x80;
	while (!other_ran) {
		KASSERT_EQ(user_run(e.ctx, &e.exit), 0);
		KASSERT_EQ(e.exit.kind, USER_EXIT_INTERRUPT);
	}
	env_fini(&e);
}
