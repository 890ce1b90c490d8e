/*
 * Id allocation and lookup tables for processes and threads.
 */
#ifndef KERNEL_PID_H
#define KERNEL_PID_H

struct process;
struct thread;

#define PID_MAX 32768
#define PID_FIRST_REUSED 300 /* like Linux, low ids are not recycled */

/** pid_alloc() - a free id, or -EAGAIN when all are in use. */
int pid_alloc(void);
void pid_register_process(struct process *p);
void pid_unregister_process(struct process *p);
void pid_register_thread(struct thread *t);
void pid_unregister_thread(struct thread *t);
/** processes_alive() - processes in the table, zombies included. */
unsigned processes_alive(void);

#endif
