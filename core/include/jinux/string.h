/*
 * Freestanding string and memory routines. On x86_64 the core implements
 * them (core/common/libk/string.c); on the host target they come from the host
 * C library, which the sanitizers intercept.
 */
#ifndef JINUX_STRING_H
#define JINUX_STRING_H

#include <jinux/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t kstrlcpy(char *dst, const char *src, size_t size);

#endif
