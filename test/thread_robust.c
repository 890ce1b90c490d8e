/*
 * thread_robust: robust mutexes and the kernel's robust-list cleanup.
 * With musl: the owner thread exits holding a robust mutex, and the next
 * locker gets EOWNERDEAD (also one already blocked in the lock), can
 * make it consistent, or leaves it ENOTRECOVERABLE; an owner that dies
 * by the raw exit system call (no libc clean-up, so only the kernel's
 * walk of the list registered with set_robust_list can help) also gives
 * EOWNERDEAD (musl registers the list only for process-shared robust
 * mutexes, so that case uses one). Raw: a thread registers its own list, holds one lock with
 * a waiter, one lock of another owner and a pending one, and exits; the
 * kernel sets FUTEX_OWNER_DIED on its locks only and wakes the waiter.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "lib/tap.h"

#define FUTEX_WAIT 0
#define FUTEX_REQUEUE 3
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static pthread_mutex_t robust;

/*
 * musl registers its robust list with the kernel only for process-shared
 * robust mutexes; private ones it cleans up itself in pthread_exit.
 */
static void init_robust(int pshared)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&attr, pshared);
	pthread_mutex_init(&robust, &attr);
}

static void *lock_and_return(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_mutex_lock(&robust);
}

/*
 * Threads that end by the raw exit call skip musl's exit path, so
 * pthread_join would wait forever: they run detached and register a word
 * of their own with set_tid_address, which the kernel zeroes and wakes
 * after its robust-list walk.
 */
static volatile unsigned exit_word;

static void die_raw(void)
{
	exit_word = 1;
	sysc(SYS_set_tid_address, &exit_word);
	for (;;)
		sysc(SYS_exit, 0);
}

static int start_detached(void *(*fn)(void *))
{
	pthread_attr_t attr;
	pthread_t th;

	exit_word = 1;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	return pthread_create(&th, &attr, fn, NULL);
}

static void wait_exit_word(void)
{
	while (exit_word != 0)
		sysc(SYS_futex, &exit_word, FUTEX_WAIT, 1, NULL, NULL, 0);
}

static void *lock_and_die_raw(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	die_raw();
	return NULL;
}

static atomic_int locked;

static void *lock_then_exit_later(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	atomic_store(&locked, 1);
	sleep_ms(50);  /* the main thread blocks in pthread_mutex_lock meanwhile */
	return NULL;
}

static void check_musl_robust(void)
{
	pthread_t th;
	void *res = NULL;

	init_robust(PTHREAD_PROCESS_PRIVATE);
	pthread_create(&th, NULL, lock_and_return, NULL);
	pthread_join(th, &res);
	ok_eq((long)res, 0, "a thread locks the robust mutex and exits holding it");
	ok_eq(pthread_mutex_lock(&robust), EOWNERDEAD, "the next pthread_mutex_lock is EOWNERDEAD");
	ok_eq(pthread_mutex_consistent(&robust), 0, "pthread_mutex_consistent succeeds");
	ok_eq(pthread_mutex_unlock(&robust), 0, "the consistent mutex unlocks");
	ok_eq(pthread_mutex_lock(&robust), 0, "and then locks normally");
	pthread_mutex_unlock(&robust);

	pthread_create(&th, NULL, lock_and_return, NULL);
	pthread_join(th, NULL);
	ok_eq(pthread_mutex_lock(&robust), EOWNERDEAD, "a second owner death is EOWNERDEAD again");
	pthread_mutex_unlock(&robust);  /* without making it consistent */
	ok_eq(pthread_mutex_lock(&robust), ENOTRECOVERABLE,
	      "unlocked without pthread_mutex_consistent it is ENOTRECOVERABLE");

	init_robust(PTHREAD_PROCESS_PRIVATE);
	atomic_store(&locked, 0);
	pthread_create(&th, NULL, lock_then_exit_later, NULL);
	while (!atomic_load(&locked))
		sleep_ms(1);
	ok_eq(pthread_mutex_lock(&robust), EOWNERDEAD,
	      "a thread blocked in pthread_mutex_lock wakes with EOWNERDEAD when the owner exits");
	pthread_join(th, NULL);
	pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);

	init_robust(PTHREAD_PROCESS_SHARED);
	start_detached(lock_and_die_raw);
	wait_exit_word();
	ok_eq(pthread_mutex_lock(&robust), EOWNERDEAD,
	      "a process-shared one whose owner died by the raw exit call is EOWNERDEAD (kernel robust list)");
}

/* The raw test: a robust list built by hand. */
struct entry {
	struct entry *next;
	unsigned word;
};

static struct {
	struct entry *next;
	long futex_offset;
	struct entry *pending;
} head;
static struct entry held, foreign, pending;
static atomic_int raw_ready;

static long shared_waiters(unsigned *w)
{
	return sysc(SYS_futex, w, FUTEX_REQUEUE, 0, (long)INT_MAX, w, 0);
}

static void *raw_owner(void *arg)
{
	unsigned tid = (unsigned)sysc(SYS_gettid);

	(void)arg;
	head.next = &held;
	held.next = &foreign;
	foreign.next = (struct entry *)&head;
	head.futex_offset = (long)offsetof(struct entry, word);
	head.pending = &pending;
	held.word = tid | FUTEX_WAITERS;
	foreign.word = tid + 1;
	pending.word = tid;
	sysc(SYS_set_robust_list, &head, sizeof(head));
	atomic_store(&raw_ready, 1);
	for (int i = 0; i < 10000 && shared_waiters(&held.word) != 1; i++)
		sleep_ms(1);
	die_raw();
	return NULL;
}

static void check_raw_robust_list(void)
{
	unsigned v;
	long r;
	unsigned tid;

	start_detached(raw_owner);
	while (!atomic_load(&raw_ready))
		sleep_ms(1);
	tid = held.word & ~FUTEX_WAITERS;
	v = held.word;
	r = sysc(SYS_futex, &held.word, FUTEX_WAIT, v, NULL, NULL, 0);
	wait_exit_word();
	ok_eq(r, 0, "a waiter on a lock held by an exiting thread is woken");
	ok_eq(held.word, FUTEX_OWNER_DIED | FUTEX_WAITERS,
	      "the held lock's word becomes FUTEX_OWNER_DIED, keeping FUTEX_WAITERS");
	ok_eq(foreign.word, tid + 1, "a lock on the list owned by another tid is untouched");
	ok_eq(pending.word, FUTEX_OWNER_DIED, "the pending lock it owned is marked FUTEX_OWNER_DIED");
}

int main(void)
{
	check_musl_robust();
	check_raw_robust_list();
	return tap_done();
}
