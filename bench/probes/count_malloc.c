/* count_malloc.c: an LD_PRELOAD library that counts heap allocations.
 *
 * It defines malloc, calloc, realloc and the aligned variants, counts each
 * call and forwards it to glibc's own entry points (__libc_malloc, ...),
 * so nothing is allocated twice. C++ operator new and Rust's system
 * allocator both end up here. At exit it appends one line
 * "allocations: N" to the file named by COUNT_MALLOC_OUT.
 * Single counters, no locks: the benchmark servers are single-threaded. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* pointer, size_t size);
extern void* __libc_memalign(size_t alignment, size_t size);

static unsigned long long allocations;

void* malloc(size_t size) {
    ++allocations;
    return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) {
    ++allocations;
    return __libc_calloc(count, size);
}

void* realloc(void* pointer, size_t size) {
    ++allocations;
    return __libc_realloc(pointer, size);
}

void* memalign(size_t alignment, size_t size) {
    ++allocations;
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
    void* pointer = memalign(alignment, size);
    if (pointer == NULL) return 12; /* ENOMEM */
    *out = pointer;
    return 0;
}

__attribute__((destructor)) static void report(void) {
    const char* path = getenv("COUNT_MALLOC_OUT");
    if (path == NULL) return;
    char line[64];
    const int length = snprintf(line, sizeof line, "allocations: %llu\n", allocations);
    const int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    (void)!write(fd, line, (size_t)length);
    close(fd);
}
