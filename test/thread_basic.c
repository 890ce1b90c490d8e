/*
 * thread_basic: musl pthreads on the kernel's clone(CLONE_THREAD):
 * create and join with arguments and results, pthread_exit, thread ids
 * (gettid differs, getpid is shared), per-thread TLS, shared memory,
 * many threads at once, detached threads, mutexes, condition variables
 * (signal, broadcast, timed wait), and the exit wake-up behind join:
 * the word registered with set_tid_address (CLONE_CHILD_CLEARTID) is
 * zeroed and futex-woken when the thread exits.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

#define FUTEX_WAIT 0

static __thread long tls_value = 100;

struct ids {
	long tid, pid;
	long tls_before, tls_after;
};

static void *report_ids(void *arg)
{
	struct ids *ids = arg;

	ids->tid = sysc(SYS_gettid);
	ids->pid = sysc(SYS_getpid);
	ids->tls_before = tls_value;
	tls_value = 200;
	ids->tls_after = tls_value;
	return (void *)0x1234;
}

static void check_create_join(void)
{
	struct ids ids = { 0 };
	pthread_t th;
	void *res = NULL;

	ok_eq(pthread_create(&th, NULL, report_ids, &ids), 0, "pthread_create succeeds");
	ok_eq(pthread_join(th, &res), 0, "pthread_join succeeds");
	ok(res == (void *)0x1234, "join returns the thread's return value");
	ok_eq(ids.pid, sysc(SYS_getpid), "the thread shares the process id");
	ok(ids.tid > 0 && ids.tid != sysc(SYS_gettid), "the thread has its own thread id");
	ok(ids.tls_before == 100 && ids.tls_after == 200, "the thread sees initialised TLS of its own");
	ok_eq(tls_value, 100, "the thread's TLS writes do not touch the main thread's");
}

static void *exit_early(void *arg)
{
	pthread_exit(arg);
	return NULL;
}

static void check_pthread_exit(void)
{
	pthread_t th;
	void *res = NULL;

	pthread_create(&th, NULL, exit_early, (void *)0x77);
	pthread_join(th, &res);
	ok(res == (void *)0x77, "pthread_exit's value reaches pthread_join");
}

#define MANY 32
static atomic_long many_sum;

static void *add_arg(void *arg)
{
	atomic_fetch_add(&many_sum, (long)arg);
	return arg;
}

static void check_many(void)
{
	pthread_t th[MANY];
	long created = 0, joined = 0, results = 0;

	for (long i = 0; i < MANY; i++)
		created += pthread_create(&th[i], NULL, add_arg, (void *)(i + 1)) == 0;
	for (long i = 0; i < created; i++) {
		void *r;

		joined += pthread_join(th[i], &r) == 0;
		results += (long)r;
	}
	ok_eq(created, MANY, "32 threads can exist at once");
	ok_eq(joined, MANY, "all 32 are joined");
	ok(atomic_load(&many_sum) == MANY * (MANY + 1) / 2 && results == MANY * (MANY + 1) / 2,
	   "each ran once with its own argument");
}

static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cond = PTHREAD_COND_INITIALIZER;
static int det_ran;

static void *detached_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&det_lock);
	det_ran = 1;
	pthread_cond_signal(&det_cond);
	pthread_mutex_unlock(&det_lock);
	return NULL;
}

static void check_detached(void)
{
	pthread_attr_t attr;
	pthread_t th;
	struct timespec until;
	int r = 0;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ok_eq(pthread_create(&th, &attr, detached_main, NULL), 0, "a detached thread is created");
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&det_lock);
	while (!det_ran && r == 0)
		r = pthread_cond_timedwait(&det_cond, &det_lock, &until);
	pthread_mutex_unlock(&det_lock);
	ok(det_ran, "the detached thread ran and signalled");
}

#define MUTEX_ITERS 20000
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static void check_mutex(void)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t ec;
	pthread_t th[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, count_up, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ok_eq(counter, 4L * MUTEX_ITERS, "four threads' mutex-protected increments all count");
	ok_eq(pthread_mutex_trylock(&count_lock), 0, "trylock of a free mutex succeeds");
	ok_eq(pthread_mutex_trylock(&count_lock), EBUSY, "trylock of a held mutex is EBUSY");
	pthread_mutex_unlock(&count_lock);

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&ec, &attr);
	pthread_mutex_lock(&ec);
	ok_eq(pthread_mutex_lock(&ec), EDEADLK, "an error-checking mutex reports relocking (EDEADLK)");
	pthread_mutex_unlock(&ec);
	ok_eq(pthread_mutex_unlock(&ec), EPERM, "unlocking an unowned error-checking mutex is EPERM");
}

/* Condition variables: a one-slot mailbox passed 1000 values. */
#define MAIL_N 1000
static pthread_mutex_t mail_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mail_full = PTHREAD_COND_INITIALIZER, mail_empty = PTHREAD_COND_INITIALIZER;
static int mail_has;
static long mail_val, mail_sum;

static void *mail_consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < MAIL_N; i++) {
		pthread_mutex_lock(&mail_lock);
		while (!mail_has)
			pthread_cond_wait(&mail_full, &mail_lock);
		mail_sum += mail_val;
		mail_has = 0;
		pthread_cond_signal(&mail_empty);
		pthread_mutex_unlock(&mail_lock);
	}
	return NULL;
}

static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_passed;

static void *gate_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mail_lock);
	while (!gate_open)
		pthread_cond_wait(&gate, &mail_lock);
	gate_passed++;
	pthread_mutex_unlock(&mail_lock);
	return NULL;
}

static void check_condvar(void)
{
	pthread_t th, g[5];
	struct timespec until;
	long t0, t1;

	pthread_create(&th, NULL, mail_consumer, NULL);
	for (int i = 1; i <= MAIL_N; i++) {
		pthread_mutex_lock(&mail_lock);
		while (mail_has)
			pthread_cond_wait(&mail_empty, &mail_lock);
		mail_val = i;
		mail_has = 1;
		pthread_cond_signal(&mail_full);
		pthread_mutex_unlock(&mail_lock);
	}
	pthread_join(th, NULL);
	ok_eq(mail_sum, (long)MAIL_N * (MAIL_N + 1) / 2,
	      "1000 values passed through a condvar mailbox arrive exactly once");

	for (int i = 0; i < 5; i++)
		pthread_create(&g[i], NULL, gate_waiter, NULL);
	pthread_mutex_lock(&mail_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate);
	pthread_mutex_unlock(&mail_lock);
	for (int i = 0; i < 5; i++)
		pthread_join(g[i], NULL);
	ok_eq(gate_passed, 5, "pthread_cond_broadcast releases all five waiters");

	clock_gettime(CLOCK_REALTIME, &until);
	t0 = until.tv_sec * 1000L + until.tv_nsec / 1000000;
	until.tv_nsec += 50 * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mail_lock);
	int r = pthread_cond_timedwait(&gate, &mail_lock, &until);
	pthread_mutex_unlock(&mail_lock);
	clock_gettime(CLOCK_REALTIME, &until);
	t1 = until.tv_sec * 1000L + until.tv_nsec / 1000000;
	ok_eq(r, ETIMEDOUT, "pthread_cond_timedwait with nobody signalling is ETIMEDOUT");
	ok_why(t1 - t0 >= 49, "the timed wait lasted its 50 ms", "lasted %ld ms", t1 - t0);
}

/* A detached thread that registers its own clear-tid word and exits raw. */
static volatile unsigned tid_word;

static void *raw_exit(void *arg)
{
	(void)arg;
	tid_word = (unsigned)sysc(SYS_gettid);
	sysc(SYS_set_tid_address, &tid_word);
	for (;;)
		sysc(SYS_exit, 0);
	return NULL;
}

static void check_clear_tid(void)
{
	pthread_attr_t attr;
	pthread_t th;
	unsigned v;
	long r = 0;
	int rounds = 0;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	tid_word = 0xffffffff;
	pthread_create(&th, &attr, raw_exit, NULL);
	/* Sleep on the word until the kernel zeroes it (and wakes us). */
	while ((v = tid_word) != 0 && rounds++ < 1000) {
		/* Poll until the thread has published its tid, then trust the wake. */
		struct timespec ts = { v == 0xffffffff ? 0 : 10, 10 * 1000000L };

		r = sysc(SYS_futex, &tid_word, FUTEX_WAIT, v, &ts, NULL, 0);
		if (r == -ETIMEDOUT && v != 0xffffffff)
			break;  /* a missed wake-up: fail below */
	}
	ok_why(tid_word == 0 && r != -ETIMEDOUT,
	       "the set_tid_address word is zeroed and futex-woken at thread exit",
	       "word %#x, last wait %ld", tid_word, r);
}

int main(void)
{
	check_create_join();
	check_pthread_exit();
	check_many();
	check_detached();
	check_mutex();
	check_condvar();
	check_clear_tid();
	return tap_done();
}
