/*
 * kvsnprintf: the kernel's one formatted-output routine, shared by both
 * targets so that log output is identical everywhere.
 */
#include <jinux/log.h>
#include <jinux/string.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padding(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero;
	int width, precision;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n = s ? strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1) : 6;
	if (!s)
		s = "(null)";
	if (!sp->left)
		put_padding(o, sp->width - (int)n, ' ');
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		put_padding(o, sp->width - (int)n, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg, unsigned base,
		    bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = (int)strlen(prefix) + (neg ? 1 : 0);

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int pad = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		put_padding(o, pad, ' ');
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		put_padding(o, pad, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		put_padding(o, pad, ' ');
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		struct spec sp = { false, false, 0, -1 };
		for (;; fmt++) {
			if (fmt[1] == '-')
				sp.left = true;
			else if (fmt[1] == '0')
				sp.zero = true;
			else
				break;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			sp.width = sp.width * 10 + (*++fmt - '0');
		if (fmt[1] == '.') {
			fmt++;
			sp.precision = 0;
			while (fmt[1] >= '0' && fmt[1] <= '9')
				sp.precision = sp.precision * 10 + (*++fmt - '0');
		}
		int lng = 0;
		for (;; fmt++) {
			if (fmt[1] == 'l' || fmt[1] == 'z')
				lng++;
			else if (fmt[1] != 'h')
				break;
		}
		fmt++;
		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			put_num(&o, u, s < 0, 10, false, "", &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_num(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				*fmt == 'X', "", &sp);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			put_num(&o, u, false, 16, false, "0x", &sp);
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), &sp);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
