/*
 * brk, mmap, munmap, mprotect: the user-visible face of kernel/mm.
 * Each handler decodes and validates all arguments first, then acts.
 */
#include <jinux/errno.h>
#include <kernel/mm.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/mman.h>

#define PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)

static unsigned vm_prot(uint64_t prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* The heap may not grow into the next region up. */
static bool brk_room(struct mm *mm, uintptr_t old_end, uintptr_t new_end)
{
	for (struct mm_region *r = mm->regions; r; r = r->next)
		if (r->start < new_end && r->end > old_end)
			return false;
	return new_end <= USER_VA_MAX;
}

long sys_brk(struct process *p, const uint64_t a[6])
{
	struct mm *mm = p->mm;
	uint64_t want = a[0];

	if (want < mm->brk_start || want > USER_VA_MAX)
		return (long)mm->brk;
	uintptr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	uintptr_t new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end > old_end) {
		if (!brk_room(mm, old_end, new_end) ||
		    mm_map(mm, old_end, new_end - old_end, VM_READ | VM_WRITE, MMR_HEAP))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = want;
	return (long)want;
}

static bool range_free(struct mm *mm, uintptr_t start, size_t len)
{
	for (struct mm_region *r = mm->regions; r; r = r->next)
		if (r->start < start + len && r->end > start)
			return false;
	return true;
}

long sys_mmap(struct process *p, const uint64_t a[6])
{
	uint64_t addr = a[0], len = a[1], prot = a[2], flags = a[3], off = a[5];
	unsigned type = flags & MAP_TYPE;

	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(uint64_t)(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF; /* no file can be open yet but the console */
	if (len > USER_VA_MAX)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < USER_VA_MIN || addr > USER_VA_MAX - len)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) &&
		    !range_free(p->mm, addr, len))
			return -EEXIST;
	} else {
		addr = ALIGN_DOWN(addr, PAGE_SIZE);
		if (addr < USER_VA_MIN || addr > USER_VA_MAX - len || !range_free(p->mm, addr, len))
			addr = mm_find_free(p->mm, len);
		if (!addr)
			return -ENOMEM;
	}
	int err = mm_map(p->mm, addr, len, vm_prot(prot), 0);
	if (err)
		return err;
	if (flags & MAP_POPULATE)
		for (uintptr_t va = addr; va < addr + len; va += PAGE_SIZE)
			if (mm_handle_fault(p->mm, va, VM_READ))
				break;
	return (long)addr;
}

long sys_munmap(struct process *p, const uint64_t a[6])
{
	uint64_t addr = a[0], len = a[1];

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_VA_MAX)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr > USER_VA_MAX - len)
		return -EINVAL;
	if (addr < USER_VA_MIN) {
		/* Nothing can be mapped below USER_VA_MIN: trim. */
		if (addr + len <= USER_VA_MIN)
			return 0;
		len -= USER_VA_MIN - addr;
		addr = USER_VA_MIN;
	}
	return mm_unmap(p->mm, addr, len);
}

long sys_mprotect(struct process *p, const uint64_t a[6])
{
	uint64_t addr = a[0], len = a[1], prot = a[2];

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(uint64_t)(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_VA_MAX)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr < USER_VA_MIN || addr > USER_VA_MAX - len)
		return -ENOMEM;
	return mm_protect(p->mm, addr, len, vm_prot(prot));
}
