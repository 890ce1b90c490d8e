/*
 * devtmpfs: a tmpfs on /dev holding the device nodes, and the "mem"
 * character devices behind them (Linux's drivers/char/mem.c, major 1):
 * null (3) reads end of file and swallows writes, zero (5) reads zeros,
 * full (7) reads zeros and refuses writes with ENOSPC, random (8) and
 * urandom (9) read the machine's entropy. tty (5:0) and console (5:1)
 * open the console (see open.c).
 */
#include <jinux/errno.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include "vfs_internal.h"

#define CHUNK 4096

static ssize_t null_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	(void)f, (void)t, (void)buf, (void)len;
	return 0;
}

static ssize_t sink_write(struct file *f, struct thread *t, const void __user *buf, size_t len)
{
	(void)f, (void)t, (void)buf;
	return (ssize_t)len;
}

static ssize_t full_write(struct file *f, struct thread *t, const void __user *buf, size_t len)
{
	(void)f, (void)t, (void)buf, (void)len;
	return -ENOSPC;
}

static ssize_t zero_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	(void)f;
	return clear_user(t->proc->mm->vs, buf, len) ? -EFAULT : (ssize_t)len;
}

static ssize_t random_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	uint8_t tmp[CHUNK];
	size_t done = 0;
	(void)f;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(tmp));
		random_bytes(tmp, n);
		if (copy_to_user(t->proc->mm->vs, user_ptr(user_addr(buf) + done), tmp, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

/* The mem devices seek nowhere: every lseek gives 0, as on Linux. */
static int64_t mem_llseek(struct file *f, struct thread *t, int64_t off, int whence)
{
	(void)f, (void)t, (void)off, (void)whence;
	return 0;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = sink_write, .llseek = mem_llseek,
	.release = vfs_file_release,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = sink_write, .llseek = mem_llseek,
	.release = vfs_file_release,
};
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .llseek = mem_llseek,
	.release = vfs_file_release,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = sink_write, .llseek = mem_llseek,
	.release = vfs_file_release,
};

const struct file_ops *memdev_ops(uint64_t rdev)
{
	if (LINUX_MAJOR(rdev) != 1)
		return NULL;
	switch (LINUX_MINOR(rdev)) {
	case 3: return &null_ops;
	case 5: return &zero_ops;
	case 7: return &full_ops;
	case 8:
	case 9: return &random_ops;
	default: return NULL;
	}
}

static const struct {
	const char *name;
	uint32_t mode;
	uint32_t major, minor;
} nodes[] = {
	{ "null", 0666, 1, 3 },
	{ "zero", 0666, 1, 5 },
	{ "full", 0666, 1, 7 },
	{ "random", 0666, 1, 8 },
	{ "urandom", 0666, 1, 9 },
	{ "tty", 0666, 5, 0 },
	{ "console", 0600, 5, 1 },
};

int devfs_populate(const struct path *dir)
{
	static const struct creds root;
	for (size_t k = 0; k < ARRAY_SIZE(nodes); k++) {
		struct vfs_parent vp = { .dir = *dir, .type = LAST_NORM };
		vp.len = strlen(nodes[k].name);
		memcpy(vp.name, nodes[k].name, vp.len + 1);
		if (d_lookup(dir->dentry, vp.name, vp.len))
			continue;
		struct dentry *d;
		int err = vfs_make_node(&root, &vp, S_IFCHR | nodes[k].mode,
					LINUX_MKDEV(nodes[k].major, nodes[k].minor), NULL, &d);
		if (err)
			return err;
	}
	return 0;
}
