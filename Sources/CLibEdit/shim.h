// libedit for Swift: el_set, el_get and history are variadic, which Swift cannot call,
// so each use gets a one-line static inline wrapper here.
#ifndef BACKPROP_CLIBEDIT_SHIM_H
#define BACKPROP_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <histedit.h>
#endif
