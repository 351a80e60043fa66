/*
 * A declarations-only <sys/event.h> for the compile check of the kqueue
 * selector on Linux (tests/tools/kqueue-check.sh). Nothing here is ever
 * linked or run: it lets a Linux compiler type-check kqueue.cpp and the
 * kqueue Waker, so that they cannot rot on a machine without kqueue.
 *
 * What it states are the facts of FreeBSD's kevent(2) and kqueue(2) manual
 * pages (FreeBSD 12 and later): the layout of struct kevent and the values
 * of the constants metalio uses or that sit beside them. Only what a
 * caller needs is declared; no macro such as EV_SET, no implementation.
 */
#ifndef METALIO_KQUEUE_DECLS_SYS_EVENT_H
#define METALIO_KQUEUE_DECLS_SYS_EVENT_H

#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One change (in the change list) or one event (in the event list). */
struct kevent {
    uintptr_t ident;     /* what is watched: a file descriptor for READ/WRITE */
    short filter;        /* which filter: EVFILT_* */
    unsigned short flags; /* actions on the way in, EV_EOF / EV_ERROR on the way out */
    unsigned int fflags; /* filter-specific flags (NOTE_*); socket error with EV_EOF */
    int64_t data;        /* filter-specific data; the errno of an EV_ERROR receipt */
    void* udata;         /* the caller's value, handed back untouched */
    uint64_t ext[4];     /* extensions (FreeBSD 12+) */
};

/* Filters (negative numbers). */
#define EVFILT_READ (-1)
#define EVFILT_WRITE (-2)
#define EVFILT_AIO (-3)
#define EVFILT_VNODE (-4)
#define EVFILT_PROC (-5)
#define EVFILT_SIGNAL (-6)
#define EVFILT_TIMER (-7)
#define EVFILT_PROCDESC (-8)
#define EVFILT_FS (-9)
#define EVFILT_LIO (-10)
#define EVFILT_USER (-11)
#define EVFILT_SENDFILE (-12)
#define EVFILT_EMPTY (-13)

/* Actions, in a change's flags. */
#define EV_ADD 0x0001
#define EV_DELETE 0x0002
#define EV_ENABLE 0x0004
#define EV_DISABLE 0x0008
#define EV_FORCEONESHOT 0x0100
/* Behaviour, in a change's flags. */
#define EV_ONESHOT 0x0010
#define EV_CLEAR 0x0020
#define EV_RECEIPT 0x0040
#define EV_DISPATCH 0x0080
/* Returned in an event's flags. */
#define EV_EOF 0x8000
#define EV_ERROR 0x4000

/* EVFILT_USER: fflags. */
#define NOTE_FFNOP 0x00000000
#define NOTE_FFAND 0x40000000
#define NOTE_FFOR 0x80000000
#define NOTE_FFCOPY 0xc0000000
#define NOTE_FFCTRLMASK 0xc0000000
#define NOTE_FFLAGSMASK 0x00ffffff
#define NOTE_TRIGGER 0x01000000

/* EVFILT_READ / EVFILT_WRITE: fflags. */
#define NOTE_LOWAT 0x0001

/* A new kernel event queue; its descriptor. */
int kqueue(void);

/* Applies nchanges changes, then returns at most nevents events. */
int kevent(int kq, const struct kevent* changelist, int nchanges, struct kevent* eventlist, int nevents,
           const struct timespec* timeout);

#ifdef __cplusplus
}
#endif

#endif
