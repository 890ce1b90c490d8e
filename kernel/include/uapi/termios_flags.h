/*
 * Linux x86-64 ABI: the termios flag bits, the c_cc indexes and the
 * terminal ioctls that <uapi/termios.h> does not define yet. Values are
 * those of Linux's asm-generic termbits (octal, as Linux spells them).
 */
#ifndef UAPI_TERMIOS_FLAGS_H
#define UAPI_TERMIOS_FLAGS_H

#include <uapi/termios.h>

/* c_cc indexes. A c_cc entry of 0 (_POSIX_VDISABLE) matches nothing. */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16
#define POSIX_VDISABLE 0

/* c_iflag: input processing. */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK 0000020
#define ISTRIP 0000040
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IUCLC 0001000
#define IXON 0002000
#define IXANY 0004000
#define IXOFF 0010000
#define IMAXBEL 0020000
#define IUTF8 0040000

/* c_oflag: output processing. */
#define OPOST 0000001
#define OLCUC 0000002
#define ONLCR 0000004
#define OCRNL 0000010
#define ONOCR 0000020
#define ONLRET 0000040
#define OFILL 0000100
#define OFDEL 0000200
#define NLDLY 0000400
#define NL0 0000000
#define NL1 0000400
#define CRDLY 0003000
#define CR0 0000000
#define CR1 0001000
#define CR2 0002000
#define CR3 0003000
#define TABDLY 0014000
#define TAB0 0000000
#define TAB1 0004000
#define TAB2 0010000
#define TAB3 0014000
#define XTABS 0014000
#define BSDLY 0020000
#define VTDLY 0040000
#define FFDLY 0100000

/* c_cflag: hardware control (recorded, not acted on by a console). */
#define CBAUD 0010017
#define B0 0000000
#define B9600 0000015
#define B19200 0000016
#define B38400 0000017
#define CSIZE 0000060
#define CS5 0000000
#define CS6 0000020
#define CS7 0000040
#define CS8 0000060
#define CSTOPB 0000100
#define CREAD 0000200
#define PARENB 0000400
#define PARODD 0001000
#define HUPCL 0002000
#define CLOCAL 0004000
#define CBAUDEX 0010000
#define B57600 0010001
#define B115200 0010002
#define CRTSCTS 020000000000

/* c_lflag: local modes. */
#define ISIG 0000001
#define ICANON 0000002
#define XCASE 0000004
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE 0004000
#define FLUSHO 0010000
#define PENDIN 0040000
#define IEXTEN 0100000
#define EXTPROC 0200000

/* Terminal ioctls beyond those in <uapi/termios.h>. */
#ifndef TCSETSW
#define TCSETSW 0x5403
#endif
#ifndef TCSETSF
#define TCSETSF 0x5404
#endif
#ifndef TCXONC
#define TCXONC 0x540A
#endif
#ifndef TCFLSH
#define TCFLSH 0x540B
#endif
#ifndef TIOCSCTTY
#define TIOCSCTTY 0x540E
#endif
#ifndef TIOCGPGRP
#define TIOCGPGRP 0x540F
#endif
#ifndef TIOCSPGRP
#define TIOCSPGRP 0x5410
#endif
#ifndef TIOCOUTQ
#define TIOCOUTQ 0x5411
#endif
#ifndef FIONREAD
#define FIONREAD 0x541B
#endif
#ifndef TIOCINQ
#define TIOCINQ FIONREAD
#endif
#ifndef TIOCNOTTY
#define TIOCNOTTY 0x5422
#endif
#ifndef TIOCGSID
#define TIOCGSID 0x5429
#endif

/* TCFLSH arguments. */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

/* TCXONC arguments. */
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3

#endif
