/*
 * thread_cancel: pthread_cancel as musl implements it (a signal that
 * interrupts a blocking system call at a cancellation point): a thread
 * blocked in pthread_cond_wait or nanosleep is cancelled, its cleanup
 * handlers run in reverse order (the condvar one with the mutex held
 * again), and join reports PTHREAD_CANCELED; with cancellation disabled
 * the request waits until it is enabled and pthread_testcancel runs; a
 * thread that is never at a cancellation point keeps running.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static atomic_int ready;
static int cleanup_log[4], cleanup_n;
static int mutex_held_in_cleanup;

static void note_cleanup(void *arg)
{
	cleanup_log[cleanup_n++] = (int)(long)arg;
}

static void unlock_cleanup(void *arg)
{
	/* Cancelled in pthread_cond_wait, the thread holds the mutex again. */
	mutex_held_in_cleanup = pthread_mutex_trylock(&lock) == EBUSY;
	pthread_mutex_unlock(arg);
	note_cleanup((void *)3L);
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_cleanup_push(note_cleanup, (void *)1L);
	pthread_cleanup_push(unlock_cleanup, &lock);
	pthread_mutex_lock(&lock);
	atomic_store(&ready, 1);
	for (;;)
		pthread_cond_wait(&never, &lock);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void check_cancel_cond_wait(void)
{
	pthread_t th;
	void *res = NULL;

	atomic_store(&ready, 0);
	cleanup_n = 0;
	pthread_create(&th, NULL, cond_waiter, NULL);
	while (!atomic_load(&ready))
		sleep_ms(1);
	pthread_mutex_lock(&lock);  /* the waiter is inside pthread_cond_wait now */
	pthread_mutex_unlock(&lock);
	sleep_ms(20);
	ok_eq(pthread_cancel(th), 0, "pthread_cancel of a thread in pthread_cond_wait succeeds");
	pthread_join(th, &res);
	ok(res == PTHREAD_CANCELED, "join of the cancelled thread gives PTHREAD_CANCELED");
	ok(cleanup_n == 2 && cleanup_log[0] == 3 && cleanup_log[1] == 1,
	   "both cleanup handlers ran, last pushed first");
	ok(mutex_held_in_cleanup, "the condvar's mutex was held again when cleanup ran");
	ok_eq(pthread_mutex_trylock(&lock), 0, "the cleanup handler released the mutex");
	pthread_mutex_unlock(&lock);
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_cleanup_push(note_cleanup, (void *)7L);
	atomic_store(&ready, 1);
	for (;;)
		sleep(1000);
	pthread_cleanup_pop(0);
	return NULL;
}

static void check_cancel_sleep(void)
{
	pthread_t th;
	void *res = NULL;

	atomic_store(&ready, 0);
	cleanup_n = 0;
	pthread_create(&th, NULL, sleeper, NULL);
	while (!atomic_load(&ready))
		sleep_ms(1);
	sleep_ms(20);
	pthread_cancel(th);
	pthread_join(th, &res);
	ok(res == PTHREAD_CANCELED && cleanup_n == 1 && cleanup_log[0] == 7,
	   "a thread cancelled in sleep() runs its cleanup handler and is PTHREAD_CANCELED");
}

static atomic_int go, passed_disabled;

static void *disabled(void *arg)
{
	int old;

	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	atomic_store(&ready, 1);
	while (!atomic_load(&go))
		sleep_ms(1);  /* not a cancellation point while disabled */
	atomic_store(&passed_disabled, 1);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	pthread_testcancel();
	return (void *)1L;
}

static void check_cancel_disabled(void)
{
	pthread_t th;
	void *res = NULL;

	atomic_store(&ready, 0);
	pthread_create(&th, NULL, disabled, NULL);
	while (!atomic_load(&ready))
		sleep_ms(1);
	pthread_cancel(th);
	sleep_ms(20);
	atomic_store(&go, 1);
	pthread_join(th, &res);
	ok(atomic_load(&passed_disabled), "with cancellation disabled the thread runs on");
	ok(res == PTHREAD_CANCELED, "the pending cancel acts at pthread_testcancel once enabled");
}

static atomic_int spin_stop;
static atomic_long spins;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load(&spin_stop))
		atomic_fetch_add(&spins, 1);
	return (void *)2L;
}

static void check_no_cancellation_point(void)
{
	pthread_t th;
	void *res = NULL;
	long before;

	pthread_create(&th, NULL, spinner, NULL);
	pthread_cancel(th);
	sleep_ms(20);
	before = atomic_load(&spins);
	sleep_ms(20);
	ok(atomic_load(&spins) > before, "a deferred cancel does not stop a thread between cancellation points");
	atomic_store(&spin_stop, 1);
	pthread_join(th, &res);
	ok(res == (void *)2L, "that thread returns normally");
}

int main(void)
{
	check_cancel_cond_wait();
	check_cancel_sleep();
	check_cancel_disabled();
	check_no_cancellation_point();
	return tap_done();
}
