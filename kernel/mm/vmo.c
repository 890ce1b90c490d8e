/*
 * Memory objects: frames by page index, in a two-level table (a directory
 * of 512-entry chunks allocated on first use), so a large sparse object
 * costs little. The object holds one reference on each frame it has; a
 * mapping of the frame holds another (taken by vm_space_map).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/mm.h>
#include <kernel/vmo.h>

#define CHUNK 512UL

struct vmo {
	unsigned refcount;
	size_t npages;
	size_t resident;
	size_t ndir;              /* entries in dir */
	struct frame ***dir;      /* dir[i][j] is page i * CHUNK + j */
	vmo_charge_fn charge;     /* told of every frame added (+1) or dropped (-1) */
	void *charge_arg;
	bool write_mapped;        /* a frame was handed out for a writable mapping */
};

static size_t dir_entries(size_t npages)
{
	return (npages + CHUNK - 1) / CHUNK;
}

vmo_rwx vmo_create(size_t npages)
{
	vmo_rwx h = { NULL };
	struct vmo *v = kzalloc(sizeof(*v));
	if (!v)
		return h;
	v->ndir = dir_entries(npages);
	if (v->ndir) {
		v->dir = kzalloc(v->ndir * sizeof(*v->dir));
		if (!v->dir) {
			kfree(v);
			return h;
		}
	}
	v->refcount = 1;
	v->npages = npages;
	h.obj = v;
	return h;
}

void vmo_obj_get(struct vmo *v)
{
	v->refcount++;
}

/* Release the frames of pages [from, npages) and chunks left empty. */
static void drop_pages_from(struct vmo *v, size_t from)
{
	for (size_t i = from / CHUNK; i < v->ndir; i++) {
		struct frame **c = v->dir[i];
		if (!c)
			continue;
		size_t j0 = i == from / CHUNK ? from % CHUNK : 0;
		for (size_t j = j0; j < CHUNK; j++) {
			if (c[j]) {
				frame_put(c[j]);
				c[j] = NULL;
				v->resident--;
				if (v->charge)
					v->charge(v->charge_arg, -1);
			}
		}
		if (j0 == 0) {
			kfree(c);
			v->dir[i] = NULL;
		}
	}
}

void vmo_obj_put(struct vmo *v)
{
	if (!v || --v->refcount)
		return;
	drop_pages_from(v, 0);
	kfree(v->dir);
	kfree(v);
}

size_t vmo_npages(const struct vmo *v)
{
	return v->npages;
}

size_t vmo_resident(const struct vmo *v)
{
	return v->resident;
}

unsigned vmo_refcount(const struct vmo *v)
{
	return v->refcount;
}

/* The slot of page @pg, creating its chunk if @create. NULL if none. */
static struct frame **slot(struct vmo *v, size_t pg, bool create)
{
	struct frame ***c = &v->dir[pg / CHUNK];
	if (!*c) {
		if (!create)
			return NULL;
		*c = kzalloc(CHUNK * sizeof(**c));
		if (!*c)
			return NULL;
	}
	return &(*c)[pg % CHUNK];
}

static int page(struct vmo *v, uint64_t pg, bool alloc, struct frame **out)
{
	if (pg >= v->npages)
		return -EIO;
	struct frame **s = slot(v, pg, alloc);
	if (!s)
		return alloc ? -ENOMEM : -ENOENT;
	if (!*s) {
		if (!alloc)
			return -ENOENT;
		int err = v->charge ? v->charge(v->charge_arg, 1) : 0;
		if (err)
			return err;
		*s = frame_alloc();
		if (!*s) {
			if (v->charge)
				v->charge(v->charge_arg, -1);
			return -ENOMEM;
		}
		v->resident++;
	}
	*out = *s;
	return 0;
}

static bool span_ok(const struct vmo *v, uint64_t off, size_t len)
{
	uint64_t size = (uint64_t)v->npages * PAGE_SIZE;
	return off <= size && len <= size - off;
}

int vmo_obj_read(struct vmo *v, uint64_t off, void *buf, size_t len)
{
	char *dst = buf;

	if (!span_ok(v, off, len))
		return -EINVAL;
	while (len) {
		size_t in = off % PAGE_SIZE, n = MIN(len, PAGE_SIZE - in);
		struct frame *f;
		if (page(v, off / PAGE_SIZE, false, &f) == 0)
			frame_read(f, in, dst, n);
		else
			memset(dst, 0, n);  /* a hole reads as zeroes */
		dst += n;
		off += n;
		len -= n;
	}
	return 0;
}

int vmo_obj_write(struct vmo *v, uint64_t off, const void *buf, size_t len)
{
	const char *src = buf;

	if (!span_ok(v, off, len))
		return -EINVAL;
	while (len) {
		size_t in = off % PAGE_SIZE, n = MIN(len, PAGE_SIZE - in);
		struct frame *f;
		int err = page(v, off / PAGE_SIZE, true, &f);
		if (err)
			return err;
		frame_write(f, in, src, n);
		src += n;
		off += n;
		len -= n;
	}
	return 0;
}

int vmo_cap_read(struct vmo_cap h, uint64_t off, void *buf, size_t len)
{
	if (!vmo_cap_has(&h, VMO_READ))
		return -EACCES;
	return vmo_obj_read(h.obj, off, buf, len);
}

int vmo_cap_write(struct vmo_cap h, uint64_t off, const void *buf, size_t len)
{
	if (!vmo_cap_has(&h, VMO_WRITE))
		return -EACCES;
	return vmo_obj_write(h.obj, off, buf, len);
}

int vmo_cap_dup(const struct vmo_cap *h, struct vmo_cap *out)
{
	if (!vmo_cap_has(h, VMO_DUP))
		return -EPERM;
	vmo_obj_get(h->obj);
	*out = *h;
	return 0;
}

int vmo_cap_frame(const struct vmo_cap *h, uint64_t pgoff, unsigned need, bool alloc,
		  struct frame **out)
{
	if (!vmo_cap_has(h, need))
		return -EACCES;
	int err = page(h->obj, pgoff, alloc, out);
	if (!err && (need & VMO_WRITE))
		h->obj->write_mapped = true;
	return err;
}

int vmo_obj_frame(struct vmo *v, uint64_t pgoff, bool alloc, struct frame **out)
{
	return page(v, pgoff, alloc, out);
}

void vmo_set_charge(struct vmo *v, vmo_charge_fn fn, void *arg)
{
	v->charge = fn;
	v->charge_arg = arg;
}

bool vmo_write_mapped(const struct vmo *v)
{
	return v->write_mapped;
}

int vmo_cap_resize(const struct vmo_cap *h, size_t npages)
{
	if (!vmo_cap_has(h, VMO_WRITE))
		return -EACCES;
	return vmo_obj_resize(h->obj, npages);
}

int vmo_obj_resize(struct vmo *v, size_t npages)
{
	size_t nd = dir_entries(npages);
	if (nd > v->ndir) {
		struct frame ***d = kzalloc(nd * sizeof(*d));
		if (!d)
			return -ENOMEM;
		if (v->ndir)
			memcpy(d, v->dir, v->ndir * sizeof(*d));
		kfree(v->dir);
		v->dir = d;
		v->ndir = nd;
	} else if (npages < v->npages) {
		/*
		 * No mapping may keep reaching a page that is gone (SIGBUS from
		 * now on). Only a region referencing the object can map its
		 * frames, so an object nobody else holds has none mapped.
		 */
		if (v->refcount > 1)
			mm_zap_object(v, npages);
		drop_pages_from(v, npages);
	}
	v->npages = npages;
	return 0;
}
