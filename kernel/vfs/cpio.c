/*
 * The cpio "newc" reader (070701, and 070702 whose checksum is not
 * verified): the format of the initramfs. It never trusts a header:
 * every length is checked against the buffer before it is used.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <kernel/vfs.h>

#define CPIO_HDR_LEN 110
#define CPIO_FIELDS 13
#define CPIO_TRAILER "TRAILER!!!"

static int hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* The 110-byte header: magic and 13 hex fields, in archive order. */
static int parse_header(const char *h, struct cpio_record *e)
{
	uint32_t f[CPIO_FIELDS];
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->filesize = f[6];
	e->devmajor = f[7];
	e->devminor = f[8];
	e->rdevmajor = f[9];
	e->rdevminor = f[10];
	e->namesize = f[11];
	return 0;
}

/* Decode the entry at @off. */
static int next_entry(const uint8_t *a, size_t len, size_t off, struct cpio_record *e)
{
	if (off > len || len - off < CPIO_HDR_LEN)
		return -EINVAL;
	int err = parse_header((const char *)a + off, e);
	if (err)
		return err;
	size_t name_off = off + CPIO_HDR_LEN;
	if (e->namesize == 0 || e->namesize > len - name_off)
		return -EINVAL;
	e->name = (const char *)a + name_off;
	if (strnlen(e->name, e->namesize) != e->namesize - 1)
		return -EINVAL;          /* no NUL, or one inside the name */
	size_t data_off = ALIGN_UP(name_off + e->namesize, 4);
	if (e->filesize == 0) {
		/* the padding of a final entry may be missing */
		e->data = NULL;
		e->next = MIN(data_off, len);
		return 0;
	}
	if (data_off > len || e->filesize > len - data_off)
		return -EINVAL;
	e->data = a + data_off;
	e->next = MIN(ALIGN_UP(data_off + e->filesize, 4), len);
	return 0;
}

int cpio_for_each(const uint8_t *a, size_t len, int (*fn)(const struct cpio_record *e, void *arg),
		  void *arg)
{
	bool inside = false;   /* between a first header and its trailer */
	size_t off = 0;
	if (!a)
		len = 0;
	for (;;) {
		if (!inside)
			while (off < len && a[off] == 0)
				off++;
		if (off >= len)
			return inside ? -EINVAL : 0;
		struct cpio_record e;
		int err = next_entry(a, len, off, &e);
		if (err)
			return err;
		off = e.next;
		inside = strcmp(e.name, CPIO_TRAILER) != 0;
		if (inside && (err = fn(&e, arg)))
			return err;
	}
}
