/*
 * Pending-signal sets: which signals wait for delivery, with the siginfo
 * of each occurrence. A standard signal is pending at most once (a second
 * one merges); a real-time signal queues every occurrence in order.
 * These functions are pure: callers hold off interrupts around them.
 */
#include <jinux/string.h>
#include <kernel/signal.h>

void sigpending_init(struct sigpending *sp)
{
	memset(sp, 0, sizeof(*sp));
}

bool sigpending_add(struct sigpending *sp, const struct ksiginfo *info)
{
	int sig = info->signo;
	uint64_t bit = SIGBIT(sig);

	if (!(sp->set & bit)) {
		sp->set |= bit;
		sp->info[sig - 1] = *info;
		return true;
	}
	if (sig < SIGRTMIN)
		return true; /* merged with the one already pending */
	if (sp->nr_extra == SIGQUEUE_EXTRA)
		return false;
	sp->extra[sp->nr_extra++] = *info;
	return true;
}

static int lowest(uint64_t set)
{
	return set ? __builtin_ctzll(set) + 1 : 0;
}

int sigpending_next(const struct sigpending *sp, uint64_t blocked)
{
	uint64_t ready = sp->set & ~blocked;
	if (ready & SIG_SYNCHRONOUS)
		return lowest(ready & SIG_SYNCHRONOUS);
	return lowest(ready);
}

void sigpending_take(struct sigpending *sp, int sig, struct ksiginfo *out)
{
	*out = sp->info[sig - 1];
	for (unsigned i = 0; i < sp->nr_extra; i++) {
		if (sp->extra[i].signo != sig)
			continue;
		/* The next queued occurrence becomes the pending one. */
		sp->info[sig - 1] = sp->extra[i];
		memmove(&sp->extra[i], &sp->extra[i + 1],
			(sp->nr_extra - i - 1) * sizeof(sp->extra[0]));
		sp->nr_extra--;
		return;
	}
	sp->set &= ~SIGBIT(sig);
}

void sigpending_flush(struct sigpending *sp, uint64_t mask)
{
	unsigned keep = 0;

	sp->set &= ~mask;
	for (unsigned i = 0; i < sp->nr_extra; i++)
		if (!(SIGBIT(sp->extra[i].signo) & mask))
			sp->extra[keep++] = sp->extra[i];
	sp->nr_extra = keep;
}
