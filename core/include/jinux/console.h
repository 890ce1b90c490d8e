/*
 * The console: the byte stream a person (or the launcher) talks through.
 * Host target: the host's stdin/stdout. x86_64: the first serial port.
 */
#ifndef JINUX_CONSOLE_H
#define JINUX_CONSOLE_H

#include <jinux/types.h>

/** console_write() - write all @len bytes; may block the task briefly. */
void console_write(const char *buf, size_t len);

/**
 * console_read() - read up to @len bytes of input. Blocks interruptibly
 * until at least one byte is available unless @nonblock.
 * Return: bytes read; 0 at end of input (host stdin closed); -EAGAIN if
 * @nonblock and nothing is ready; -EINTR if the task was kicked.
 */
ssize_t console_read(char *buf, size_t len, bool nonblock);

/** console_winsize() - the terminal size, 24x80 when unknown. */
void console_winsize(unsigned short *rows, unsigned short *cols);

#endif
