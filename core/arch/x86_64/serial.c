/*
 * The console on the first 16550 UART (COM1, 115200 8N1).
 *
 * Output is polled: the transmit register is written as soon as it is
 * empty. Input is interrupt driven (IRQ 4) into a ring buffer that
 * console_read() drains, sleeping on a wait queue while it is empty.
 * Bytes pass through untranslated; line discipline is a component's job.
 */
#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/sync.h>

#include "x86.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20

#define RX_SIZE 4096 /* a power of two */

static struct {
	char buf[RX_SIZE];
	unsigned head, tail; /* free-running; head - tail bytes queued */
	struct wait_queue wq;
} rx = { .wq = WAIT_QUEUE_INIT };

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + UART_DATA, 1);   /* 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	/*
	 * FIFOs stay off: enabling them clears the receiver, which would drop
	 * a byte that arrived before boot (piped stdin). Without a FIFO the
	 * emulated UART holds one byte and QEMU keeps the rest queued.
	 */
	outb(COM1 + UART_FCR, 0x00);
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (routes the IRQ) */
}

/** serial_enable_rx_irq() - interrupt on received data (IRQ 4). */
void serial_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, 0x01);
}

/** serial_write_raw() - polled output, usable in any context. */
void serial_write_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (!(inb(COM1 + UART_LSR) & LSR_TX_EMPTY))
			__asm__ volatile("pause");
		outb(COM1 + UART_DATA, (uint8_t)s[i]);
	}
}

/* IRQ 4: move every received byte into the ring; drop when it is full. */
void serial_rx_irq(void)
{
	bool got = false;

	while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);
		if (rx.head - rx.tail < RX_SIZE)
			rx.buf[rx.head++ % RX_SIZE] = c;
		got = true;
	}
	if (got)
		wait_queue_wake_all(&rx.wq);
}

void console_write(const char *buf, size_t len)
{
	serial_write_raw(buf, len);
}

static size_t rx_take(char *buf, size_t len)
{
	unsigned long flags = irq_save();
	size_t n = 0;

	while (n < len && rx.tail != rx.head)
		buf[n++] = rx.buf[rx.tail++ % RX_SIZE];
	irq_restore(flags);
	return n;
}

ssize_t console_read(char *buf, size_t len, bool nonblock)
{
	if (len == 0)
		return 0;
	for (;;) {
		size_t n = rx_take(buf, len);
		if (n)
			return (ssize_t)n;
		if (nonblock)
			return -EAGAIN;
		int err = wait_event_interruptible(&rx.wq, rx.head != rx.tail);
		if (err)
			return err;
	}
}

void console_winsize(unsigned short *rows, unsigned short *cols)
{
	*rows = 24;
	*cols = 80;
}
