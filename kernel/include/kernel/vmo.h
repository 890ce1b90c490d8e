/*
 * Memory objects (vmo): a reference-counted set of frames indexed by page
 * number, of a size in pages. Shared anonymous mappings are backed by
 * one, and so is each tmpfs regular file: the object is its page cache.
 *
 * A vmo is reached only through a handle, which carries rights:
 *
 *  - static handles: vmo_r, vmo_rw, vmo_rwx. The rights are in the type,
 *    so an operation that needs WRITE (vmo_write) does not compile on a
 *    vmo_r, and costs nothing at run time. vmo_restrict_*() converts a
 *    handle to one with fewer rights; nothing converts back.
 *  - the dynamic handle struct vmo_cap {obj, rights}, for rights known
 *    only at run time (a file opened O_RDONLY, a memory region): every
 *    operation checks them and fails with -EACCES.
 *
 * Every handle value owns one reference: functions documented as
 * "consumes" take it over, vmo_put() drops it. Only vmo.c makes handles,
 * so a right can only be lost, never gained (docs/vm.md).
 */
#ifndef KERNEL_VMO_H
#define KERNEL_VMO_H

#include <jinux/frame.h>
#include <jinux/types.h>
#include <jinux/vm_space.h>

/* Rights. READ/WRITE/EXEC have the values of VM_READ/VM_WRITE/VM_EXEC. */
#define VMO_READ 0x1u
#define VMO_WRITE 0x2u
#define VMO_EXEC 0x4u
#define VMO_DUP 0x8u     /* may be duplicated (another handle made from it) */
#define VMO_RIGHTS_ALL (VMO_READ | VMO_WRITE | VMO_EXEC | VMO_DUP)

_Static_assert(VMO_READ == VM_READ && VMO_WRITE == VM_WRITE && VMO_EXEC == VM_EXEC,
	       "vmo rights and page permissions share their bits");

struct vmo;

/* Static handles: the type is the set of rights (all may be duplicated). */
typedef struct { struct vmo *obj; } vmo_r;    /* READ | DUP */
typedef struct { struct vmo *obj; } vmo_rw;   /* READ | WRITE | DUP */
typedef struct { struct vmo *obj; } vmo_rwx;  /* READ | WRITE | EXEC | DUP */

/* The dynamic handle: rights checked on every use. */
struct vmo_cap {
	struct vmo *obj;
	unsigned rights;  /* VMO_* */
};

/**
 * vmo_create() - a new object of @npages zero pages (frames are allocated
 * on first use). Return: a handle with every right; .obj is NULL when out
 * of memory.
 */
vmo_rwx vmo_create(size_t npages);

/* Operations on the object itself, for the handle wrappers below. */
int vmo_obj_read(struct vmo *v, uint64_t off, void *buf, size_t len);
int vmo_obj_write(struct vmo *v, uint64_t off, const void *buf, size_t len);
void vmo_obj_put(struct vmo *v);

/** vmo_obj_get() - another reference to @v, for kernel/mm's own bookkeeping. */
void vmo_obj_get(struct vmo *v);

/** vmo_npages() - the size of the object in pages. */
size_t vmo_npages(const struct vmo *v);

/** vmo_resident() - how many of its pages have a frame now. */
size_t vmo_resident(const struct vmo *v);

/** vmo_refcount() - references to the object (for tests). */
unsigned vmo_refcount(const struct vmo *v);

/* Handle-typed forms of the object operations. */
static inline int vmo_r_read(vmo_r h, uint64_t o, void *b, size_t n) { return vmo_obj_read(h.obj, o, b, n); }
static inline int vmo_rw_read(vmo_rw h, uint64_t o, void *b, size_t n) { return vmo_obj_read(h.obj, o, b, n); }
static inline int vmo_rwx_read(vmo_rwx h, uint64_t o, void *b, size_t n) { return vmo_obj_read(h.obj, o, b, n); }
int vmo_cap_read(struct vmo_cap h, uint64_t off, void *buf, size_t len);

static inline int vmo_rw_write(vmo_rw h, uint64_t o, const void *b, size_t n) { return vmo_obj_write(h.obj, o, b, n); }
static inline int vmo_rwx_write(vmo_rwx h, uint64_t o, const void *b, size_t n) { return vmo_obj_write(h.obj, o, b, n); }
int vmo_cap_write(struct vmo_cap h, uint64_t off, const void *buf, size_t len);

static inline void vmo_r_put(vmo_r h) { vmo_obj_put(h.obj); }
static inline void vmo_rw_put(vmo_rw h) { vmo_obj_put(h.obj); }
static inline void vmo_rwx_put(vmo_rwx h) { vmo_obj_put(h.obj); }
static inline void vmo_cap_put(struct vmo_cap h) { vmo_obj_put(h.obj); }

static inline vmo_r vmo_rw_to_r(vmo_rw h) { return (vmo_r){ h.obj }; }
static inline vmo_r vmo_rwx_to_r(vmo_rwx h) { return (vmo_r){ h.obj }; }
static inline vmo_r vmo_r_to_r(vmo_r h) { return h; }
static inline vmo_rw vmo_rwx_to_rw(vmo_rwx h) { return (vmo_rw){ h.obj }; }
static inline vmo_rw vmo_rw_to_rw(vmo_rw h) { return h; }

static inline struct vmo_cap vmo_r_cap(vmo_r h) { return (struct vmo_cap){ h.obj, VMO_READ | VMO_DUP }; }
static inline struct vmo_cap vmo_rw_cap(vmo_rw h) { return (struct vmo_cap){ h.obj, VMO_READ | VMO_WRITE | VMO_DUP }; }
static inline struct vmo_cap vmo_rwx_cap(vmo_rwx h) { return (struct vmo_cap){ h.obj, VMO_RIGHTS_ALL }; }

/**
 * vmo_read() - copy @len bytes at byte offset @off of the object into
 * @buf. Any handle (READ is in every static type; a vmo_cap is checked).
 * Return: 0; -EACCES without READ; -EINVAL outside the object.
 */
#define vmo_read(h, off, buf, len)                                            \
	_Generic((h), vmo_r: vmo_r_read, vmo_rw: vmo_rw_read,                  \
		 vmo_rwx: vmo_rwx_read, struct vmo_cap: vmo_cap_read)(h, off, buf, len)

/**
 * vmo_write() - copy @len bytes from @buf to byte offset @off. Needs
 * WRITE: a vmo_r does not compile; a vmo_cap without it gives -EACCES.
 * Return: 0; -EACCES; -EINVAL outside the object; -ENOMEM.
 */
#define vmo_write(h, off, buf, len)                                           \
	_Generic((h), vmo_rw: vmo_rw_write, vmo_rwx: vmo_rwx_write,            \
		 struct vmo_cap: vmo_cap_write)(h, off, buf, len)

/** vmo_put() - drop the reference a handle of any type owns. */
#define vmo_put(h)                                                            \
	_Generic((h), vmo_r: vmo_r_put, vmo_rw: vmo_rw_put, vmo_rwx: vmo_rwx_put, \
		 struct vmo_cap: vmo_cap_put)(h)

/** vmo_restrict_r() - consumes a static handle, gives a read-only one. */
#define vmo_restrict_r(h)                                                     \
	_Generic((h), vmo_r: vmo_r_to_r, vmo_rw: vmo_rw_to_r, vmo_rwx: vmo_rwx_to_r)(h)

/** vmo_restrict_rw() - consumes a vmo_rwx or vmo_rw, gives a vmo_rw. */
#define vmo_restrict_rw(h) _Generic((h), vmo_rw: vmo_rw_to_rw, vmo_rwx: vmo_rwx_to_rw)(h)

/** vmo_cap() - consumes a static handle, gives the dynamic handle with its rights. */
#define vmo_cap(h) _Generic((h), vmo_r: vmo_r_cap, vmo_rw: vmo_rw_cap, vmo_rwx: vmo_rwx_cap)(h)

/** vmo_cap_restrict() - consumes @h, keeps only the rights also in @mask. */
static inline struct vmo_cap vmo_cap_restrict(struct vmo_cap h, unsigned mask)
{
	return (struct vmo_cap){ h.obj, h.rights & mask };
}

/** vmo_cap_has() - does @h grant every right in @need? */
static inline bool vmo_cap_has(const struct vmo_cap *h, unsigned need)
{
	return (h->rights & need) == need;
}

/**
 * vmo_cap_dup() - a second handle to the same object with the same rights.
 * Return: 0 and *@out; -EPERM when @h lacks VMO_DUP.
 */
int vmo_cap_dup(const struct vmo_cap *h, struct vmo_cap *out);

/**
 * vmo_cap_frame() - the frame holding page @pgoff, for mapping it. Needs
 * @need (VMO_READ, plus VMO_WRITE to map it writable shared). A missing
 * page is allocated (zeroed) when @alloc, and the object keeps its own
 * reference; none is taken for the caller.
 * Return: 0 and *@out; -EACCES without @need; -EIO past the end of the
 * object (SIGBUS, as Linux); -ENOENT if absent and !@alloc; -ENOMEM; the
 * charge callback's error (-ENOSPC on a full tmpfs) for a new page.
 */
int vmo_cap_frame(const struct vmo_cap *h, uint64_t pgoff, unsigned need, bool alloc,
		  struct frame **out);

/**
 * vmo_cap_resize() - make the object @npages long; frames past the new end
 * are released, after every mapping of them in every memory map is
 * removed (mm_zap_object), so that touching them again gives SIGBUS.
 * Needs WRITE. Return: 0, -EACCES or -ENOMEM.
 */
int vmo_cap_resize(const struct vmo_cap *h, size_t npages);

/** vmo_obj_resize() - vmo_cap_resize() for the owner of the object itself. */
int vmo_obj_resize(struct vmo *v, size_t npages);

/**
 * vmo_obj_frame() - the frame of page @pgoff, for the object's owner
 * (no rights checked; see vmo_cap_frame()).
 */
int vmo_obj_frame(struct vmo *v, uint64_t pgoff, bool alloc, struct frame **out);

/*
 * Accounting: @fn(@arg, +1) before a frame is added to the object (a
 * non-zero return, e.g. -ENOSPC, refuses it), @fn(@arg, -1) after one
 * is released. tmpfs counts its size= limit this way.
 */
typedef int (*vmo_charge_fn)(void *arg, long pages);
void vmo_set_charge(struct vmo *v, vmo_charge_fn fn, void *arg);

/**
 * vmo_write_mapped() - has a frame ever been handed out for a writable
 * mapping (vmo_cap_frame() with VMO_WRITE)? Its bytes may then change
 * without the owner being told.
 */
bool vmo_write_mapped(const struct vmo *v);

#endif
