/*
 * The console terminal (kernel/tty/console_tty.c).
 */
#ifndef KERNEL_CONSOLE_TTY_H
#define KERNEL_CONSOLE_TTY_H

/** console_tty_init() - start the console's input task (idempotent). */
void console_tty_init(void);

/**
 * console_tty_set_controlling() - give the console to session @sid with
 * foreground group @pgrp if it has no session yet (init at boot).
 */
void console_tty_set_controlling(int sid, int pgrp);

#endif
