/*
 * thread_stress: 8 threads x N (default 10,000) contended mutex
 * lock/unlock, plus condition-variable hand-offs through a small ring
 * buffer (every 10th iteration, threads 0-3 put a value, threads 4-7 take
 * one), started together by a barrier. The final counter, the number of
 * values passed and their sum are checked exactly.
 *
 *   thread_stress [N]    N iterations per thread (a multiple of 10)
 */
#include <pthread.h>
#include <stdlib.h>

#include "lib/tap.h"

#define THREADS 8
#define PRODUCERS 4
#define RING 8

static long iters = 10000;
static pthread_barrier_t start;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long ring[RING];
static int ring_head, ring_len;
static long taken, taken_sum;

static void put(long v)
{
	pthread_mutex_lock(&ring_lock);
	while (ring_len == RING)
		pthread_cond_wait(&not_full, &ring_lock);
	ring[(ring_head + ring_len) % RING] = v;
	ring_len++;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&ring_lock);
}

static void take(void)
{
	pthread_mutex_lock(&ring_lock);
	while (ring_len == 0)
		pthread_cond_wait(&not_empty, &ring_lock);
	taken_sum += ring[ring_head];
	taken++;
	ring_head = (ring_head + 1) % RING;
	ring_len--;
	pthread_cond_signal(&not_full);
	pthread_mutex_unlock(&ring_lock);
}

static void *worker(void *arg)
{
	long id = (long)arg;

	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
		if (i % 10)
			continue;
		if (id < PRODUCERS)
			put(id * iters + i + 1);
		else
			take();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	long created = 0, want_sum = 0;

	if (argc > 1)
		iters = atol(argv[1]);
	if (iters <= 0 || iters % 10)
		iters = 10000;
	tap_diag("%d threads x %ld iterations", THREADS, iters);
	pthread_barrier_init(&start, NULL, THREADS);
	for (long id = 0; id < THREADS; id++)
		created += pthread_create(&th[id], NULL, worker, (void *)id) == 0;
	ok_eq(created, THREADS, "all 8 threads are created");
	if (created != THREADS)
		return tap_done();
	for (int id = 0; id < THREADS; id++)
		pthread_join(th[id], NULL);
	for (long id = 0; id < PRODUCERS; id++)
		for (long i = 0; i < iters; i += 10)
			want_sum += id * iters + i + 1;
	ok_eq(counter, THREADS * iters, "the mutex-protected counter is exactly 8 x N");
	ok_eq(taken, PRODUCERS * iters / 10, "every value put into the ring was taken");
	ok_eq(taken_sum, want_sum, "the values taken sum exactly to the values put");
	ok_eq(ring_len, 0, "the ring is empty at the end");
	return tap_done();
}
