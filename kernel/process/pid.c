/*
 * Process and thread ids: one number space (a main thread's tid is its
 * process's pid), allocated round-robin like Linux so that a freed id is
 * not reused at once, and never handed out while it names a live thread,
 * process, process group or session.
 */
#include <jinux/errno.h>
#include <kernel/pid.h>
#include <kernel/process.h>

#define HASH_SIZE 256

static struct process *proc_hash[HASH_SIZE];
static struct thread *thread_hash[HASH_SIZE];
static int last_pid;
static unsigned nr_processes;

static unsigned hash(int id)
{
	return (unsigned)id % HASH_SIZE;
}

struct process *process_find(int pid)
{
	for (struct process *p = proc_hash[hash(pid)]; p; p = p->hash_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct thread *thread_find(int tid)
{
	for (struct thread *t = thread_hash[hash(tid)]; t; t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static bool group_or_session_uses(int id)
{
	for (unsigned i = 0; i < HASH_SIZE; i++)
		for (struct process *p = proc_hash[i]; p; p = p->hash_next)
			if (p->pgid == id || p->sid == id)
				return true;
	return false;
}

static bool id_in_use(int id)
{
	return process_find(id) || thread_find(id) || group_or_session_uses(id);
}

int pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		last_pid = last_pid >= PID_MAX - 1 ? PID_FIRST_REUSED : last_pid + 1;
		if (!id_in_use(last_pid))
			return last_pid;
	}
	return -EAGAIN;
}

void pid_register_process(struct process *p)
{
	unsigned h = hash(p->pid);
	p->hash_next = proc_hash[h];
	proc_hash[h] = p;
	nr_processes++;
}

void pid_unregister_process(struct process *p)
{
	for (struct process **pp = &proc_hash[hash(p->pid)]; *pp; pp = &(*pp)->hash_next) {
		if (*pp == p) {
			*pp = p->hash_next;
			nr_processes--;
			return;
		}
	}
}

void pid_register_thread(struct thread *t)
{
	unsigned h = hash(t->tid);
	t->hash_next = thread_hash[h];
	thread_hash[h] = t;
}

void pid_unregister_thread(struct thread *t)
{
	for (struct thread **pp = &thread_hash[hash(t->tid)]; *pp; pp = &(*pp)->hash_next) {
		if (*pp == t) {
			*pp = t->hash_next;
			return;
		}
	}
}

void process_for_each(void (*fn)(struct process *p, void *arg), void *arg)
{
	for (unsigned i = 0; i < HASH_SIZE; i++) {
		struct process *p = proc_hash[i];
		while (p) {
			struct process *next = p->hash_next; /* fn may unlink p */
			fn(p, arg);
			p = next;
		}
	}
}

struct pgrp_query {
	int pgid, sid;
	bool found;
};

static void pgrp_match(struct process *p, void *arg)
{
	struct pgrp_query *q = arg;
	if (p->pgid == q->pgid && (q->sid < 0 || p->sid == q->sid) && p->state == PROC_ALIVE)
		q->found = true;
}

bool pgrp_exists(int pgid, int sid)
{
	struct pgrp_query q = { pgid, sid, false };
	process_for_each(pgrp_match, &q);
	return q.found;
}

unsigned processes_alive(void)
{
	return nr_processes;
}
