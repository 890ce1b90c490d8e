/*
 * Advisory file locks: one kernel-wide list of held locks, each keyed by
 * the locked file's inode. Two independent classes share it: whole-file
 * flock(2) locks and byte-range record locks (POSIX locks owned by a
 * descriptor table, as Linux owns them by files_struct, and OFD locks
 * owned by an open file description; these two conflict with each other).
 * Every waiter sleeps on one wait queue and rechecks after any change:
 * lock traffic is light. One CPU and a kernel that is not preempted, so
 * the list needs no lock of its own.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/sync.h>
#include <jinux/uaccess.h>
#include <kernel/lock.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>

#include "vfs_internal.h"

#define OFF_MAX INT64_MAX

enum lock_kind { LK_FLOCK, LK_POSIX, LK_OFD };

struct file_lock {
	struct file_lock *next;
	const void *key;        /* inode, or the object behind a non-VFS file */
	const void *owner;      /* fd_table (POSIX) or struct file (flock, OFD) */
	enum lock_kind kind;
	bool write;
	int pid;                /* POSIX: the setter's pid, for F_GETLK */
	int64_t start, end;     /* inclusive byte range; end OFF_MAX: to EOF */
};

/* A POSIX owner sleeping on a lock of @blocker, for deadlock detection. */
struct lock_waiter {
	struct lock_waiter *next;
	const void *owner, *blocker;
};

static struct file_lock *locks;
static struct lock_waiter *waiters;
static struct wait_queue lock_wq = WAIT_QUEUE_INIT;
static unsigned lock_gen;       /* bumped by every change a waiter may need */

static const void *lock_key(const struct file *f)
{
	const struct path *p = vfs_file_path(f);
	return p ? (const void *)p->dentry->inode : f->priv;
}

static bool is_record(enum lock_kind k)
{
	return k != LK_FLOCK;
}

static void locks_changed(void)
{
	lock_gen++;
	wait_queue_wake_all(&lock_wq);
}

/* Does held lock @l stand in the way of @want (same key, class, range)? */
static bool conflicts(const struct file_lock *l, const struct file_lock *want)
{
	if (l->key != want->key || l->owner == want->owner)
		return false;
	if (is_record(l->kind) != is_record(want->kind))
		return false;
	if (!l->write && !want->write)
		return false;
	return l->start <= want->end && want->start <= l->end;
}

/* The conflicting lock that starts first (F_GETLK reports it), or NULL. */
static struct file_lock *find_conflict(const struct file_lock *want)
{
	struct file_lock *first = NULL;
	for (struct file_lock *l = locks; l; l = l->next)
		if (conflicts(l, want) && (!first || l->start < first->start))
			first = l;
	return first;
}

/* Is @l owned by @owner in @want's class on @want's file? */
static bool same_owner(const struct file_lock *l, const struct file_lock *want)
{
	return l->key == want->key && l->owner == want->owner && l->kind == want->kind;
}

static void unlink_lock(struct file_lock **pp)
{
	struct file_lock *l = *pp;
	*pp = l->next;
	kfree(l);
}

/*
 * Take [start, end] out of @want's owner's locks, splitting one that
 * covers it on both sides (@spare, when used, is set to NULL).
 */
static void carve(const struct file_lock *want, struct file_lock **spare)
{
	struct file_lock **pp = &locks;
	while (*pp) {
		struct file_lock *l = *pp;
		if (!same_owner(l, want) || l->end < want->start || l->start > want->end) {
			pp = &l->next;
			continue;
		}
		if (l->start < want->start && l->end > want->end) {
			struct file_lock *tail = *spare;
			*spare = NULL;
			*tail = *l;
			tail->start = want->end + 1;
			l->end = want->start - 1;
			tail->next = l->next;
			l->next = tail;
			return;
		}
		if (l->start < want->start) {
			l->end = want->start - 1;
		} else if (l->end > want->end) {
			l->start = want->end + 1;
		} else {
			unlink_lock(pp);
			continue;
		}
		pp = &l->next;
	}
}

/* Add @new (the range was carved free), merging same-type neighbours. */
static void insert_merged(struct file_lock *new)
{
	struct file_lock **pp = &locks;
	while (*pp) {
		struct file_lock *l = *pp;
		bool touches = (new->start > 0 && l->end == new->start - 1) ||
			       (new->end != OFF_MAX && l->start == new->end + 1);
		if (same_owner(l, new) && l->write == new->write && touches) {
			new->start = MIN(new->start, l->start);
			new->end = MAX(new->end, l->end);
			unlink_lock(pp);
			continue;
		}
		pp = &l->next;
	}
	new->next = locks;
	locks = new;
}

/* Would owner @me waiting on @blocker close a cycle of POSIX waiters? */
static bool would_deadlock(const void *me, const void *blocker)
{
	for (int hops = 0; hops < 64 && blocker; hops++) {
		if (blocker == me)
			return true;
		const void *next = NULL;
		for (struct lock_waiter *w = waiters; w; w = w->next)
			if (w->owner == blocker)
				next = w->blocker;
		blocker = next;
	}
	return false;
}

static void waiter_remove(struct lock_waiter *me)
{
	for (struct lock_waiter **pp = &waiters; *pp; pp = &(*pp)->next) {
		if (*pp == me) {
			*pp = me->next;
			return;
		}
	}
}

/*
 * Wait until nothing conflicts with @want (or fail at once without
 * @block): 0, -EAGAIN, -EDEADLK, -ERESTARTSYS.
 */
static int wait_free(const struct file_lock *want, bool block)
{
	struct lock_waiter me = { .owner = want->owner };
	bool queued = false;
	int err = 0;
	for (;;) {
		struct file_lock *c = find_conflict(want);
		if (!c)
			break;
		if (!block) {
			err = -EAGAIN;
			break;
		}
		if (want->kind == LK_POSIX && c->kind == LK_POSIX &&
		    would_deadlock(want->owner, c->owner)) {
			err = -EDEADLK;
			break;
		}
		me.blocker = c->kind == LK_POSIX ? c->owner : NULL;
		if (!queued) {
			me.next = waiters;
			waiters = &me;
			queued = true;
		}
		unsigned seen = lock_gen;
		if (wait_event_interruptible(&lock_wq, lock_gen != seen)) {
			err = -ERESTARTSYS;
			break;
		}
	}
	if (queued)
		waiter_remove(&me);
	return err;
}

/*
 * Set (or with @unlock, clear) @want's range for its owner, after waiting
 * for conflicts as wait_free(). Return: 0 or -errno.
 */
static int set_lock(const struct file_lock *want, bool unlock, bool block)
{
	if (!unlock) {
		int err = wait_free(want, block);
		if (err)
			return err;
	}
	struct file_lock *new = unlock ? NULL : kmalloc(sizeof(*new));
	struct file_lock *spare = kmalloc(sizeof(*spare));
	if ((!unlock && !new) || !spare) {
		kfree(new);
		kfree(spare);
		return -ENOLCK;
	}
	carve(want, &spare);
	kfree(spare);
	if (new) {
		*new = *want;
		insert_merged(new);
	}
	locks_changed();
	return 0;
}

/* Drop every lock for which @match(l, @a, @b) holds. */
static void drop_locks(bool (*match)(const struct file_lock *l, const void *a, const void *b),
		       const void *a, const void *b)
{
	bool any = false;
	struct file_lock **pp = &locks;
	while (*pp) {
		if (match(*pp, a, b)) {
			unlink_lock(pp);
			any = true;
		} else {
			pp = &(*pp)->next;
		}
	}
	if (any)
		locks_changed();
}

static bool owned_by_file(const struct file_lock *l, const void *f, const void *unused)
{
	(void)unused;
	return l->kind != LK_POSIX && l->owner == f;
}

static bool posix_of(const struct file_lock *l, const void *owner, const void *key)
{
	return l->kind == LK_POSIX && l->owner == owner && l->key == key;
}

void lock_file_release(struct file *f)
{
	if (locks)
		drop_locks(owned_by_file, f, NULL);
}

void lock_posix_close(struct fd_table *t, struct file *f)
{
	if (locks)
		drop_locks(posix_of, t, lock_key(f));
}

int lock_flock(struct file *f, unsigned op)
{
	unsigned what = op & ~(unsigned)LOCK_NB;
	if (what != LOCK_SH && what != LOCK_EX && what != LOCK_UN)
		return -EINVAL;
	struct file_lock want = {
		.key = lock_key(f), .owner = f, .kind = LK_FLOCK,
		.write = what == LOCK_EX, .start = 0, .end = OFF_MAX,
	};
	/* A conversion drops the old lock first, as Linux does: not atomic. */
	for (struct file_lock *l = locks; l; l = l->next)
		if (same_owner(l, &want) && what != LOCK_UN && l->write == want.write)
			return 0;
	set_lock(&want, true, false);
	if (what == LOCK_UN)
		return 0;
	int err = set_lock(&want, false, !(op & LOCK_NB));
	return err;   /* EWOULDBLOCK is EAGAIN */
}

/* struct flock's l_whence/l_start/l_len as an inclusive range in @want. */
static int flock_range(struct file *f, const struct linux_flock *fl, struct file_lock *want)
{
	int64_t base;
	const struct path *p = vfs_file_path(f);
	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = p ? *vfs_file_pos(f) : 0;
		break;
	case SEEK_END:
		base = p ? (int64_t)p->dentry->inode->size : 0;
		break;
	default:
		return -EINVAL;
	}
	int64_t start, len = fl->l_len;
	if (__builtin_add_overflow(base, (int64_t)fl->l_start, &start))
		return -EOVERFLOW;
	if (len < 0) {
		if (__builtin_add_overflow(start, len, &start))
			return -EINVAL;
		len = -len;
	}
	if (start < 0)
		return -EINVAL;
	want->start = start;
	if (len == 0)
		want->end = OFF_MAX;
	else if (__builtin_add_overflow(start, len - 1, &want->end))
		return -EOVERFLOW;
	return 0;
}

/* F_GETLK: describe the first lock in the way of @want, or say F_UNLCK. */
static void getlk(const struct file_lock *want, struct linux_flock *fl)
{
	const struct file_lock *c = find_conflict(want);
	if (!c) {
		fl->l_type = F_UNLCK;
		return;
	}
	fl->l_type = c->write ? F_WRLCK : F_RDLCK;
	fl->l_whence = SEEK_SET;
	fl->l_start = c->start;
	fl->l_len = c->end == OFF_MAX ? 0 : c->end - c->start + 1;
	fl->l_pid = c->kind == LK_POSIX ? c->pid : -1;
}

long lock_fcntl(struct thread *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct linux_flock fl;
	struct vm_space *vs = t->proc->mm->vs;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;

	if (copy_from_user(vs, &fl, user_ptr(arg), sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	struct file_lock want = {
		.key = lock_key(f), .owner = ofd ? (const void *)f : (const void *)t->proc->fds,
		.kind = ofd ? LK_OFD : LK_POSIX, .write = fl.l_type == F_WRLCK,
		.pid = t->proc->pid,
	};
	int err = flock_range(f, &fl, &want);
	if (err)
		return err;
	if (get) {
		if (fl.l_type == F_UNLCK)
			return -EINVAL;
		getlk(&want, &fl);
		return copy_to_user(vs, user_ptr(arg), &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	unsigned acc = f->flags & O_ACCMODE;
	if ((fl.l_type == F_RDLCK && acc == O_WRONLY) || (fl.l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	bool block = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	return set_lock(&want, fl.l_type == F_UNLCK, block);
}
