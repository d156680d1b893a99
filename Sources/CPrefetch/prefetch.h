// A hint to the processor to start loading the cache line of an address now, so that a
// later read of it finds it in the cache. Swift has no spelling for it; the engine
// calls this where it reads memory in a pattern the processor cannot guess (the
// columns of a batch: one short run in each of several hundred rows far apart).
#ifndef BACKPROP_PREFETCH_H
#define BACKPROP_PREFETCH_H

static inline __attribute__((always_inline)) void backprop_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
