/*
 * User address spaces on the host target.
 *
 * A vm_space is a guest process (guest.c) plus a software page table
 * (pgtable.c). Map, unmap and protect update the table at once and queue
 * the matching host mmap(MAP_SHARED|MAP_FIXED, memfd)/munmap/mprotect
 * calls, coalescing runs of contiguous pages; user_run() applies the
 * queue in one stub stop (vm_space_sync) before the guest next runs.
 *
 * Every context has its own host thread, and the guest's threads share
 * one host address space, so the queue can be applied through whichever
 * thread is about to run and is then in force for all of them. A frame
 * unmapped while some thread is running may still be reachable by it
 * until the queue is applied, so its reference is dropped only then, and
 * a running thread is interrupted so that this happens soon (like a TLB
 * shootdown before freeing a page).
 */
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/vm_space.h>

#include "arch_hooks.h"
#include "core_internal.h"
#include "host.h"

#define QUEUE_INITIAL 64

struct vm_space {
	struct guest *g;
	struct pt *root;
	size_t mapped;
	vm_fault_fn fault_fn;
	void *fault_arg;
	struct stub_op *q;          /* host calls not yet applied */
	size_t qlen, qcap;
	struct frame **deferred;    /* frames to put after the next sync */
	size_t ndeferred, dcap;
};

struct guest *vm_space_guest(struct vm_space *vs)
{
	return vs->g;
}

static bool grow(void **arr, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : QUEUE_INITIAL;
	void *n = kmalloc(ncap * elem);
	if (!n)
		return false;
	if (*arr)
		memcpy(n, *arr, *cap * elem);
	kfree(*arr);
	*arr = n;
	*cap = ncap;
	return true;
}

/* Make room for one more queued call. Return: false when out of memory. */
static bool queue_reserve(struct vm_space *vs)
{
	return vs->qlen < vs->qcap || grow((void **)&vs->q, &vs->qcap, sizeof(*vs->q));
}

/* Extend the last queued call if @op continues it; else append. */
static void queue_op(struct vm_space *vs, const struct stub_op *op)
{
	if (vs->qlen) {
		struct stub_op *l = &vs->q[vs->qlen - 1];
		bool adjacent = l->nr == op->nr && l->args[0] + l->args[1] == op->args[0];
		if (adjacent && op->nr == SYS_munmap) {
			l->args[1] += op->args[1];
			return;
		}
		if (adjacent && op->nr == SYS_mprotect && l->args[2] == op->args[2]) {
			l->args[1] += op->args[1];
			return;
		}
		if (adjacent && op->nr == SYS_mmap && l->args[2] == op->args[2] &&
		    l->args[5] + l->args[1] == op->args[5]) {
			l->args[1] += op->args[1];
			return;
		}
	}
	if (!queue_reserve(vs))
		panic("host: out of memory queueing a mapping change");
	vs->q[vs->qlen++] = *op;
}

static unsigned long host_prot(unsigned prot)
{
	return ((prot & VM_READ) ? PROT_READ : 0) | ((prot & VM_WRITE) ? PROT_WRITE : 0) |
	       ((prot & VM_EXEC) ? PROT_EXEC : 0);
}

/* Drop a mapping's frame reference, after the next sync if the guest runs. */
static void release_frame(struct vm_space *vs, struct frame *f)
{
	if (!guest_running(vs->g)) {
		frame_put(f);
		return;
	}
	if (vs->ndeferred == vs->dcap &&
	    !grow((void **)&vs->deferred, &vs->dcap, sizeof(*vs->deferred)))
		panic("host: out of memory deferring a frame release");
	vs->deferred[vs->ndeferred++] = f;
	/* Stop one soon: user_run() syncs before resuming. */
	guest_request_sync(vs->g);
}

static bool range_ok(uintptr_t va, size_t len)
{
	return IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) && va >= USER_VA_MIN &&
	       va <= USER_VA_MAX && len <= USER_VA_MAX - va;
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vs = kzalloc(sizeof(*vs));
	if (!vs)
		return NULL;
	if (!queue_reserve(vs) || !(vs->g = guest_spawn())) {
		kfree(vs->q);
		kfree(vs);
		return NULL;
	}
	return vs;
}

static void put_leaf(uintptr_t *slot, uintptr_t va, void *arg)
{
	(void)va;
	(void)arg;
	frame_put((struct frame *)(*slot & ~PT_PROT_MASK));
}

void vm_space_destroy(struct vm_space *vs)
{
	if (!vs)
		return;
	guest_kill(vs->g);
	pt_walk(vs->root, 0, USER_VA_MAX, put_leaf, NULL);
	pt_free(vs->root);
	for (size_t i = 0; i < vs->ndeferred; i++)
		frame_put(vs->deferred[i]);
	kfree(vs->deferred);
	kfree(vs->q);
	kfree(vs);
}

int vm_space_map(struct vm_space *vs, uintptr_t va, struct frame *f, unsigned prot)
{
	if (!range_ok(va, PAGE_SIZE) || (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
		return -EINVAL;
	BUG_ON((uintptr_t)f & PT_PROT_MASK);
	uintptr_t *slot = pt_slot(&vs->root, va, true);
	if (!slot || !queue_reserve(vs))
		return -ENOMEM;
	frame_get(f);
	if (*slot)
		release_frame(vs, (struct frame *)(*slot & ~PT_PROT_MASK));
	else
		vs->mapped++;
	*slot = (uintptr_t)f | prot;
	struct stub_op op = {
		SYS_mmap,
		{ va, PAGE_SIZE, host_prot(prot), MAP_SHARED | MAP_FIXED, STUB_MEMFD,
		  frame_pfn(f) * PAGE_SIZE },
		0,
	};
	queue_op(vs, &op);
	return 0;
}

static void unmap_leaf(uintptr_t *slot, uintptr_t va, void *arg)
{
	struct vm_space *vs = arg;
	(void)va;
	release_frame(vs, (struct frame *)(*slot & ~PT_PROT_MASK));
	*slot = 0;
	vs->mapped--;
}

int vm_space_unmap(struct vm_space *vs, uintptr_t va, size_t len)
{
	if (!range_ok(va, len))
		return -EINVAL;
	size_t before = vs->mapped;
	pt_walk(vs->root, va, va + len, unmap_leaf, vs);
	if (vs->mapped != before) {
		struct stub_op op = { SYS_munmap, { va, len }, 0 };
		queue_op(vs, &op);
	}
	return 0;
}

struct protect_arg {
	struct vm_space *vs;
	unsigned prot;
};

static void protect_leaf(uintptr_t *slot, uintptr_t va, void *arg)
{
	struct protect_arg *pa = arg;
	unsigned old = *slot & PT_PROT_MASK;
	if (old == pa->prot)
		return;
	*slot = (*slot & ~PT_PROT_MASK) | pa->prot;
	struct stub_op op = { SYS_mprotect, { va, PAGE_SIZE, host_prot(pa->prot) }, 0 };
	queue_op(pa->vs, &op);
	/* Taking a right away must reach a running guest soon. */
	if ((old & ~pa->prot) && guest_running(pa->vs->g))
		guest_request_sync(pa->vs->g);
}

int vm_space_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	if (!range_ok(va, len) || (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
		return -EINVAL;
	struct protect_arg pa = { vs, prot };
	pt_walk(vs->root, va, va + len, protect_leaf, &pa);
	return 0;
}

int vm_space_query(struct vm_space *vs, uintptr_t va, struct frame **f, unsigned *prot)
{
	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return -ENOENT;
	uintptr_t *slot = pt_slot(&vs->root, va & ~(PAGE_SIZE - 1), false);
	if (!slot || !*slot)
		return -ENOENT;
	if (f)
		*f = (struct frame *)(*slot & ~PT_PROT_MASK);
	if (prot)
		*prot = *slot & PT_PROT_MASK;
	return 0;
}

void vm_space_set_fault_handler(struct vm_space *vs, vm_fault_fn fn, void *arg)
{
	vs->fault_fn = fn;
	vs->fault_arg = arg;
}

int vm_space_call_fault_handler(struct vm_space *vs, uintptr_t va, unsigned access)
{
	if (!vs->fault_fn)
		return -EFAULT;
	return vs->fault_fn(vs->fault_arg, va, access);
}

size_t vm_space_mapped_pages(const struct vm_space *vs)
{
	return vs->mapped;
}

bool vm_space_sync_needs_stop(const struct vm_space *vs)
{
	return vs->qlen != 0;
}

/**
 * vm_space_sync() - apply the queued mapping changes through the guest's
 * stopped thread @t and release the frames that waited for them.
 * Return: 0, or a negative errno if the guest could not apply them.
 */
int vm_space_sync(struct vm_space *vs, struct gthread *t)
{
	if (vs->qlen) {
		int err = guest_run_ops(t, vs->q, vs->qlen);
		vs->qlen = 0;
		if (err)
			return err;
	}
	for (size_t i = 0; i < vs->ndeferred; i++)
		frame_put(vs->deferred[i]);
	vs->ndeferred = 0;
	return 0;
}
