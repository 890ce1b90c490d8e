/*
 * brk, mmap, munmap, mprotect, mremap, madvise, mincore, msync: the user-visible
 * face of kernel/mm. Each handler decodes and validates all arguments
 * first, in the order Linux checks them, then calls the memory map.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/vfs.h>
#include <kernel/vmo.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

#define PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)
/* Where MAP_32BIT places mappings on x86-64, as Linux. */
#define MAP_32BIT_LO 0x40000000UL
#define MAP_32BIT_HI 0x80000000UL
/* Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK; MAP_SYNC needs DAX). */
#define MAP_VALIDATE_KNOWN                                                               \
	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_DENYWRITE | MAP_EXECUTABLE | \
	 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |     \
	 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE)

static unsigned vm_prot(uint64_t prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static uint64_t limit_of(const struct linux_rlimit *l)
{
	return l->rlim_cur == RLIM_INFINITY ? 0 : l->rlim_cur;
}

/* The caller's memory map, with its RLIMIT_AS and RLIMIT_STACK applied. */
static struct mm *current_mm(struct thread *t)
{
	struct process *p = t->proc;
	p->mm->as_limit = limit_of(&p->rlim[RLIMIT_AS]);
	p->mm->stack_limit = limit_of(&p->rlim[RLIMIT_STACK]);
	return p->mm;
}

long sys_brk(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t want = a[0];

	if (want < mm->brk_start || want > USER_VA_MAX - PAGE_SIZE)
		return (long)mm->brk;
	uintptr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	uintptr_t new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end > old_end) {
		/* Keep a page and any stack guard gap free above the new break. */
		if (!mm_range_free(mm, old_end, new_end - old_end + PAGE_SIZE) ||
		    mm_map(mm, old_end, new_end - old_end, VM_READ | VM_WRITE, MMR_HEAP))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = want;
	return (long)want;
}

/* Choose the address for a new mapping (Linux's get_unmapped_area). */
static long mmap_place(struct mm *mm, uint64_t addr, uint64_t len, uint64_t flags)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < USER_VA_MIN || addr > USER_VA_MAX - len)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && mm_mapped_bytes(mm, addr, len))
			return -EEXIST;
		return (long)addr;
	}
	if (flags & MAP_32BIT) {
		addr = mm_find_free_bottom_up(mm, len, MAP_32BIT_LO, MAP_32BIT_HI);
		return addr ? (long)addr : -ENOMEM;
	}
	/* A hint is taken, rounded down as x86-64 Linux does, when the range is free. */
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr >= USER_VA_MIN && addr <= USER_VA_MAX - len && mm_range_free(mm, addr, len))
		return (long)addr;
	addr = mm_find_free(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

/* Shared anonymous memory; @rights limits what mprotect may grant (VMO_*). */
static int mmap_shared_anon(struct mm *mm, uintptr_t addr, size_t len, unsigned prot,
			    unsigned flags, unsigned rights)
{
	vmo_rwx h = vmo_create(len / PAGE_SIZE);
	if (!h.obj)
		return -ENOMEM;
	struct vmo_cap cap = vmo_cap_restrict(vmo_cap(h), rights);
	int err = mm_map_object(mm, addr, len, prot, flags | MMR_SHARED, &cap, 0);
	vmo_put(cap);
	return err;
}

static int mmap_anon(struct mm *mm, uintptr_t addr, size_t len, uint64_t prot, uint64_t flags)
{
	unsigned type = flags & MAP_TYPE, mflags = 0;

	if (type == MAP_SHARED && (flags & MAP_GROWSDOWN))
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return -EINVAL;  /* MAP_SHARED_VALIDATE needs a file */
	if (flags & MAP_GROWSDOWN)
		mflags |= MMR_GROWSDOWN;
	return type == MAP_SHARED ? mmap_shared_anon(mm, addr, len, vm_prot(prot), mflags,
						     VMO_RIGHTS_ALL)
				  : mm_map(mm, addr, len, vm_prot(prot), mflags);
}

/*
 * Decode a file mapping in Linux's do_mmap() order: the type and its
 * flags, the descriptor's access mode (EACCES), a noexec mount (EPERM),
 * a file that cannot be mapped (ENODEV). *@maxprot gets what mprotect
 * may grant later.
 */
static int mmap_file_check(struct file *f, uint64_t prot, uint64_t flags, unsigned *maxprot)
{
	unsigned acc = f->flags & O_ACCMODE;
	bool readable = acc != O_WRONLY, writable = acc == O_WRONLY || acc == O_RDWR;
	const struct path *p = vfs_file_path(f);

	*maxprot = VM_READ | VM_WRITE | VM_EXEC;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~(uint64_t)MAP_VALIDATE_KNOWN)
			return -EOPNOTSUPP;
		/* fall through */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !writable)
			return -EACCES;
		if (!writable)
			*maxprot &= ~VM_WRITE;
		break;
	case MAP_PRIVATE:
		break;  /* private writes never reach the file: no write access needed */
	default:
		return -EINVAL;
	}
	if (!readable)
		return -EACCES;
	if (p && (p->mnt->flags & MS_NOEXEC)) {
		if (prot & PROT_EXEC)
			return -EPERM;
		*maxprot &= ~VM_EXEC;
	}
	if (vfs_file_map_kind(f) == VFS_MAP_NONE)
		return -ENODEV;
	return flags & MAP_GROWSDOWN ? -EINVAL : 0;
}

static int mmap_file(struct mm *mm, struct file *f, uintptr_t addr, size_t len, uint64_t prot,
		     uint64_t flags, uint64_t off)
{
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	unsigned maxprot;
	int err = mmap_file_check(f, prot, flags, &maxprot);

	if (err)
		return err;
	if (vfs_file_map_kind(f) == VFS_MAP_ZERO)  /* /dev/zero: anonymous memory */
		return shared ? mmap_shared_anon(mm, addr, len, vm_prot(prot), 0,
						 maxprot | VMO_DUP)
			      : mm_map(mm, addr, len, vm_prot(prot), 0);
	/* The file's own pages: shared, or private copy-on-write (kernel/mm/filemap.c). */
	return mm_map_file(mm, addr, len, vm_prot(prot), maxprot, shared ? MMR_SHARED : 0, f,
			   off / PAGE_SIZE);
}

long sys_mmap(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t addr = a[0], len = a[1], prot = a[2], flags = a[3], off = a[5];
	unsigned type = flags & MAP_TYPE;
	struct file *file = NULL;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		/* Linux takes the descriptor as an unsigned int. */
		file = fd_get(t->proc->fds, (int)(uint32_t)a[4]);
		if (!file || (file->flags & O_PATH))
			return -EBADF;
		if (flags & MAP_HUGETLB)
			return -EINVAL;  /* not a hugetlbfs file */
	} else if (flags & MAP_HUGETLB) {
		return -ENOMEM; /* no huge pages are reserved, as a default Linux */
	}
	if (!len)
		return -EINVAL;
	if (len > USER_VA_MAX)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (off / PAGE_SIZE + len / PAGE_SIZE < off / PAGE_SIZE)
		return -EOVERFLOW;
	long where = mmap_place(mm, addr, len, flags);
	if (where < 0)
		return where;
	int err = file ? mmap_file(mm, file, (uintptr_t)where, len, prot, flags, off)
		       : mmap_anon(mm, (uintptr_t)where, len, prot, flags);
	if (err)
		return err;
	if ((flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE || (flags & MAP_LOCKED)) {
		bool write = type == MAP_PRIVATE && (prot & PROT_WRITE);
		mm_populate(mm, (uintptr_t)where, len, write ? VM_WRITE : VM_READ);
	}
	return where;
}

long sys_munmap(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
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
	return mm_unmap(mm, addr, len);
}

long sys_mprotect(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t addr = a[0], len = a[1], prot = a[2];
	uint64_t grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(uint64_t)(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_VA_MAX)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr < USER_VA_MIN || addr > USER_VA_MAX - len)
		return -ENOMEM;
	if (grows) {
		/* PROT_GROWSDOWN: down to the start of a growing region. */
		struct mm_region *r = mm_find_region(mm, addr);
		if (!r)
			return -ENOMEM;
		if (grows == PROT_GROWSUP || !(r->flags & (MMR_GROWSDOWN | MMR_STACK)))
			return -EINVAL;
		len += addr - r->start;
		addr = r->start;
	}
	return mm_protect(mm, addr, len, vm_prot(prot));
}

long sys_mremap(struct thread *t, const uint64_t a[6])
{
	if (a[3] >> 32)
		return -EINVAL;  /* unknown flags */
	return mm_remap(current_mm(t), a[0], a[1], a[2], (unsigned)a[3], a[4]);
}

long sys_madvise(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t start = a[0], len = a[1];
	bool beyond = false;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > UINT64_MAX - PAGE_SIZE + 1 || start + ALIGN_UP(len, PAGE_SIZE) < start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	/* Nothing is mapped outside the user range: advise what is inside it. */
	if (start >= USER_VA_MAX) {
		beyond = len != 0;
		start = USER_VA_MAX;
		len = 0;
	} else if (len > USER_VA_MAX - start) {
		beyond = true;
		len = USER_VA_MAX - start;
	}
	int err = mm_advise(mm, start, len, (int)a[2]);
	return err ? err : beyond ? -ENOMEM : 0;
}

long sys_mincore(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t start = a[0], len = a[1], vec = a[2];
	unsigned char buf[256];

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_VA_MAX || start > USER_VA_MAX - len)
		return -ENOMEM;
	size_t pages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	for (size_t done = 0; done < pages;) {
		size_t n = MIN(pages - done, sizeof(buf));
		uintptr_t at = start + done * PAGE_SIZE;
		if (at < USER_VA_MIN || mm_mapped_bytes(mm, at, n * PAGE_SIZE) != n * PAGE_SIZE)
			return -ENOMEM;
		mm_residency(mm, at, n, buf);
		if (copy_to_user(mm->vs, user_ptr(vec + done), buf, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

/* msync(2) flags (Linux values). */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

long sys_msync(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = current_mm(t);
	uint64_t start = a[0], len = a[1], flags = a[2];

	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (len > UINT64_MAX - PAGE_SIZE + 1)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (start + len < start)
		return -ENOMEM;
	if (!len)
		return 0;
	if (start < USER_VA_MIN || start >= USER_VA_MAX || len > USER_VA_MAX - start)
		return -ENOMEM;  /* nothing is mapped there */
	return mm_sync(mm, (uintptr_t)start, (size_t)len);
}
