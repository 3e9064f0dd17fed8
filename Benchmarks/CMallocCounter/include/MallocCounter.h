#ifndef STANCE_MALLOC_COUNTER_H
#define STANCE_MALLOC_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// this process since it started. Linking this target replaces the allocator entry points of the
/// whole process with counting wrappers around glibc's own; link it into benchmarks only.
uint64_t stance_heap_allocation_count(void);

#endif
