/*
 * Waiting for any of several objects: the machinery behind poll(2),
 * ppoll(2) (and later select, epoll), in the shape of Linux's poll_table.
 *
 * The core's wait_queue_sleep() puts a task on one queue only, so a
 * poller cannot sit on every object's queue at once. Instead each
 * pollable object embeds a poll_head: a wait queue for its own blocked
 * readers and writers plus a list of poll tables watching it. A poller
 * owns one poll_table with one wait queue of its own; the object's poll
 * method registers that table on the object's head with poll_wait(), and
 * poll_wake() on the head wakes both the object's own sleepers and every
 * registered poller, which then rescan. Registrations last until
 * poll_table_release(). So an object that wants to be pollable only has
 * to call poll_wake() wherever its readiness may change.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <jinux/sync.h>
#include <jinux/types.h>
#include <kernel/signal.h>   /* ERESTARTNOHAND */
#include <uapi/poll.h>

struct poll_table;
struct thread;

struct poll_head {
	struct wait_queue wq;        /* the object's own blocked callers */
	struct poll_entry *pollers;  /* poll tables registered here */
};

#define POLL_HEAD_INIT { WAIT_QUEUE_INIT, NULL }

/* One registration of a poll table on a poll head. */
struct poll_entry {
	struct poll_table *pt;
	struct poll_head *head;         /* NULL once the head went away */
	struct poll_entry *head_next;   /* in head->pollers */
	struct poll_entry *table_next;  /* in pt->entries */
};

struct poll_table {
	struct wait_queue wq;    /* the polling task sleeps here */
	bool woken;              /* a registered head changed since the last scan */
	bool registering;        /* poll_wait() records heads (first scan only) */
	int error;               /* -ENOMEM if a registration failed */
	struct poll_entry *entries;
};

/* Without a poll method a file is always ready, as on Linux. */
#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/** poll_head_init() - an empty head. */
void poll_head_init(struct poll_head *h);

/**
 * poll_head_destroy() - the object embedding @h goes away: detach any
 * registrations (their pollers are woken and simply stop watching it).
 */
void poll_head_destroy(struct poll_head *h);

/**
 * poll_wake() - readiness of the object behind @h may have changed: wake
 * its own sleepers and every registered poller. Any context.
 */
void poll_wake(struct poll_head *h);

/**
 * poll_wait() - called by a file's poll method: have @pt watch @h.
 * Does nothing if @pt is NULL or is not registering on this scan.
 */
void poll_wait(struct poll_table *pt, struct poll_head *h);

/** poll_table_init() - an empty table, registering on its first scan. */
void poll_table_init(struct poll_table *pt);

/** poll_table_release() - undo every registration of @pt. */
void poll_table_release(struct poll_table *pt);

/* poll_files() timeout meaning "no limit". */
#define POLL_NO_TIMEOUT UINT64_MAX

struct linux_pollfd;

/**
 * poll_files() - the poll(2) loop over a kernel copy of a pollfd array.
 * @t: the calling thread (its descriptor table and signals)
 * @fds: @n entries; revents is filled in for each
 * @timeout_ns: 0 checks once, POLL_NO_TIMEOUT waits without limit
 * Return: the number of entries with revents set (0 on timeout),
 * -ERESTARTNOHAND if a signal arrived first, or -ENOMEM.
 */
long poll_files(struct thread *t, struct linux_pollfd *fds, size_t n, uint64_t timeout_ns);

#endif
