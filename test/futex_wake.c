/*
 * futex_wake: futex(2) with real waiters (threads blocked in raw futex
 * calls): FUTEX_WAKE counts and first-in first-out order, bitset
 * matching, REQUEUE/CMP_REQUEUE counts and where the moved waiters end
 * up, WAKE_OP's conditional second wake, private and shared keys kept
 * apart, a shared futex in MAP_SHARED memory across fork, and signals:
 * EINTR without SA_RESTART, a transparent restart with it.
 *
 * To know how many threads are blocked on a word without racing, the
 * test requeues the word onto itself (FUTEX_REQUEUE, wake 0, requeue
 * all): that wakes nobody and returns the number of waiters.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define PRIV 128
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static long futex(void *uaddr, int op, unsigned val, const void *ts, void *uaddr2, unsigned val3)
{
	return sysc(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* waiters_on() - threads blocked on @addr (with @priv), without waking any. */
static long waiters_on(unsigned *addr, int priv)
{
	return futex(addr, FUTEX_REQUEUE | priv, 0, (void *)(long)INT_MAX, addr, 0);
}

/* settle() - wait up to 10 s until exactly @n threads block on @addr. */
static int settle(unsigned *addr, int priv, long n)
{
	for (int i = 0; i < 10000; i++) {
		if (waiters_on(addr, priv) == n)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

struct waiter {
	unsigned *addr;
	int op;
	unsigned val, bitset;
	long ret;
	int order;
	atomic_int done;
	pthread_t th;
};

static atomic_int wake_seq;

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->ret = futex(w->addr, w->op, w->val, NULL, NULL, w->bitset);
	w->order = atomic_fetch_add(&wake_seq, 1);
	atomic_store(&w->done, 1);
	return NULL;
}

/* start() - a thread blocked in futex(@addr, @op, @val, bitset @bitset). */
static int start(struct waiter *w, unsigned *addr, int op, unsigned val, unsigned bitset)
{
	w->addr = addr;
	w->op = op;
	w->val = val;
	w->bitset = bitset;
	w->ret = 1;
	atomic_store(&w->done, 0);
	return pthread_create(&w->th, NULL, waiter_main, w);
}

static void join_all(struct waiter *w, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(w[i].th, NULL);
}

static int wait_done(struct waiter *w)
{
	for (int i = 0; i < 10000 && !atomic_load(&w->done); i++)
		sleep_ms(1);
	return atomic_load(&w->done);
}

static void check_wake_counts(void)
{
	static unsigned word;
	struct waiter w[3];
	int started = 1;

	for (int i = 0; i < 3; i++)
		started &= start(&w[i], &word, FUTEX_WAIT | PRIV, 0, 0) == 0;
	ok(started && settle(&word, PRIV, 3), "three threads block in FUTEX_WAIT");
	ok_eq(futex(&word, FUTEX_WAKE | PRIV, 2, NULL, NULL, 0), 2, "FUTEX_WAKE 2 wakes two of three");
	ok(settle(&word, PRIV, 1), "one waiter is left");
	ok_eq(futex(&word, FUTEX_WAKE | PRIV, INT_MAX, NULL, NULL, 0), 1,
	      "FUTEX_WAKE INT_MAX wakes the last one");
	join_all(w, 3);
	ok(w[0].ret == 0 && w[1].ret == 0 && w[2].ret == 0, "every woken FUTEX_WAIT returns 0");
}

static void check_fifo_order(void)
{
	static unsigned word;
	struct waiter w[3];
	int in_order = 1;

	for (int i = 0; i < 3; i++) {
		start(&w[i], &word, FUTEX_WAIT | PRIV, 0, 0);
		settle(&word, PRIV, i + 1);
	}
	atomic_store(&wake_seq, 0);
	for (int i = 0; i < 3; i++) {
		futex(&word, FUTEX_WAKE | PRIV, 1, NULL, NULL, 0);
		in_order &= wait_done(&w[i]) && w[i].order == i;
	}
	join_all(w, 3);
	ok(in_order, "FUTEX_WAKE 1 wakes waiters in the order they started waiting");
}

static void check_bitsets(void)
{
	static unsigned word;
	struct waiter w[2];

	start(&w[0], &word, FUTEX_WAIT_BITSET | PRIV, 0, 0x1);
	start(&w[1], &word, FUTEX_WAIT_BITSET | PRIV, 0, 0x6);
	ok(settle(&word, PRIV, 2), "two threads block in FUTEX_WAIT_BITSET (bitsets 0x1, 0x6)");
	ok_eq(futex(&word, FUTEX_WAKE_BITSET | PRIV, INT_MAX, NULL, NULL, 0x8), 0,
	      "FUTEX_WAKE_BITSET 0x8 matches neither");
	ok_eq(futex(&word, FUTEX_WAKE_BITSET | PRIV, INT_MAX, NULL, NULL, 0x2), 1,
	      "FUTEX_WAKE_BITSET 0x2 wakes only the 0x6 waiter");
	ok(wait_done(&w[1]) && !atomic_load(&w[0].done), "the 0x1 waiter still sleeps");
	ok_eq(futex(&word, FUTEX_WAKE | PRIV, INT_MAX, NULL, NULL, 0), 1,
	      "plain FUTEX_WAKE matches any bitset");
	join_all(w, 2);
}

static void check_requeue(void)
{
	static unsigned a = 7, b;
	struct waiter w[5];

	for (int i = 0; i < 5; i++)
		start(&w[i], &a, FUTEX_WAIT | PRIV, 7, 0);
	ok(settle(&a, PRIV, 5), "five threads block on word A");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE | PRIV, 1, (void *)2L, &b, 7), 3,
	      "CMP_REQUEUE wake 1, requeue 2 returns 3 (woken + moved)");
	ok(settle(&a, PRIV, 2) && settle(&b, PRIV, 2), "two wait on A, two were moved to B");
	ok_eq(futex(&a, FUTEX_REQUEUE | PRIV, 0, (void *)1L, &b, 0), 1,
	      "REQUEUE wake 0, requeue 1 moves one more");
	ok_eq(futex(&a, FUTEX_WAKE | PRIV, INT_MAX, NULL, NULL, 0), 1, "one is left on A");
	ok_eq(futex(&b, FUTEX_WAKE | PRIV, INT_MAX, NULL, NULL, 0), 3,
	      "waking B wakes the three moved waiters");
	join_all(w, 5);
	ok(w[0].ret == 0 && w[1].ret == 0 && w[2].ret == 0 && w[3].ret == 0 && w[4].ret == 0,
	   "requeued waiters return 0 when woken on the second word");
}

static void check_wake_op(void)
{
	static unsigned a, b;
	struct waiter w[4];

	start(&w[0], &a, FUTEX_WAIT | PRIV, 0, 0);
	start(&w[1], &b, FUTEX_WAIT | PRIV, 0, 0);
	ok(settle(&a, PRIV, 1) && settle(&b, PRIV, 1), "one waiter on each word");
	ok_eq(futex(&a, FUTEX_WAKE_OP | PRIV, 1, (void *)1L, &b, FUTEX_OP(0, 1, 0, 0)), 2,
	      "WAKE_OP (SET 1, old == 0) wakes both words' waiters");
	ok_eq(b, 1, "WAKE_OP stored 1 in the second word");
	join_all(w, 2);

	b = 5;
	start(&w[2], &a, FUTEX_WAIT | PRIV, 0, 0);
	start(&w[3], &b, FUTEX_WAIT | PRIV, 5, 0);
	ok(settle(&a, PRIV, 1) && settle(&b, PRIV, 1), "one waiter on each word again");
	ok_eq(futex(&a, FUTEX_WAKE_OP | PRIV, 1, (void *)1L, &b, FUTEX_OP(1, 1, 2, 5)), 1,
	      "WAKE_OP (ADD 1, old < 5 false) wakes only the first word");
	ok_eq(b, 6, "WAKE_OP added 1 to the second word");
	ok_eq(futex(&b, FUTEX_WAKE | PRIV, 1, NULL, NULL, 0), 1, "the second waiter was still there");
	join_all(w + 2, 2);
}

static void check_private_vs_shared(void)
{
	static unsigned word;
	struct waiter w;

	start(&w, &word, FUTEX_WAIT, 0, 0);
	ok(settle(&word, 0, 1), "a thread blocks in shared FUTEX_WAIT");
	ok_eq(futex(&word, FUTEX_WAKE | PRIV, 1, NULL, NULL, 0), 0,
	      "FUTEX_WAKE_PRIVATE does not wake a shared waiter");
	ok_eq(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 1, "shared FUTEX_WAKE wakes it");
	join_all(&w, 1);
}

static void check_shared_across_fork(void)
{
	unsigned *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	pid_t pid;
	long r;

	if (word == MAP_FAILED) {
		ok(0, "mmap of a MAP_SHARED page");
		return;
	}
	*word = 0;
	pid = fork();
	if (pid == 0) {
		/* The child sees the parent blocked, then wakes it. */
		int seen = settle(word, 0, 1);

		*word = 1;
		r = futex(word, FUTEX_WAKE, 1, NULL, NULL, 0);
		_exit(seen && r == 1 ? 0 : 1);
	}
	r = futex(word, FUTEX_WAIT, 0, NULL, NULL, 0);
	ok_why(r == 0 && *word == 1, "a child process wakes the parent through a MAP_SHARED futex",
	       "wait returned %ld, word %u", r, *word);
	waitpid(pid, &status, 0);
	ok_eq(status, 0, "the child saw the parent waiting and woke exactly one");
	munmap(word, 4096);
}

static atomic_int handled;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
}

static void check_signals(void)
{
	static unsigned word;
	struct sigaction sa = { 0 };
	struct waiter w;

	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	start(&w, &word, FUTEX_WAIT | PRIV, 0, 0);
	settle(&word, PRIV, 1);
	pthread_kill(w.th, SIGUSR1);
	pthread_join(w.th, NULL);
	ok_eq(w.ret, -EINTR, "a handled signal without SA_RESTART ends FUTEX_WAIT with EINTR");

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	atomic_store(&handled, 0);
	start(&w, &word, FUTEX_WAIT | PRIV, 0, 0);
	settle(&word, PRIV, 1);
	pthread_kill(w.th, SIGUSR1);
	for (int i = 0; i < 10000 && !atomic_load(&handled); i++)
		sleep_ms(1);
	ok(atomic_load(&handled) && settle(&word, PRIV, 1) && !atomic_load(&w.done),
	   "with SA_RESTART the handler runs and FUTEX_WAIT blocks again");
	futex(&word, FUTEX_WAKE | PRIV, 1, NULL, NULL, 0);
	pthread_join(w.th, NULL);
	ok_eq(w.ret, 0, "the restarted FUTEX_WAIT returns 0 when woken");
}

int main(void)
{
	check_wake_counts();
	check_fifo_order();
	check_bitsets();
	check_requeue();
	check_wake_op();
	check_private_vs_shared();
	check_shared_across_fork();
	check_signals();
	return tap_done();
}
