/*
 * Credentials as a value: root's initial credentials, the capability
 * test every privileged operation goes through, and group membership.
 */
#include <jinux/string.h>
#include <kernel/cred.h>

void cred_init_root(struct creds *c)
{
	memset(c, 0, sizeof(*c));
	c->cap_effective = CAP_FULL_SET;
	c->cap_permitted = CAP_FULL_SET;
	c->cap_bset = CAP_FULL_SET;
}

bool capable(const struct creds *c, int cap)
{
	if (!cap_valid(cap))
		return false;
	return (c->cap_effective >> cap) & 1;
}

bool cred_in_group(const struct creds *c, uint32_t gid)
{
	if (gid == c->fsgid)
		return true;
	/* The list is sorted: binary search, as Linux's groups_search. */
	uint32_t lo = 0, hi = c->ngroups;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->groups[mid] == gid)
			return true;
		if (c->groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
