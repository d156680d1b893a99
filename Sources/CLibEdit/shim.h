// libedit for Swift: el_set, el_get and history are variadic, which Swift cannot call,
// so each use gets a one-line static inline wrapper here. Swift 6 also refuses the C
// globals stdin/stdout/stderr, so they are returned from functions.
#ifndef BACKPROP_CLIBEDIT_SHIM_H
#define BACKPROP_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <histedit.h>

typedef char *(*backprop_prompt_function)(EditLine *);
typedef unsigned char (*backprop_command_function)(EditLine *, int);

static inline FILE *backprop_stdin(void) { return stdin; }
static inline FILE *backprop_stdout(void) { return stdout; }
static inline FILE *backprop_stderr(void) { return stderr; }

/// The prompt, from a callback; characters between two `escape`s are not printed
/// (EL_PROMPT_ESC), for colour codes.
static inline int backprop_el_set_prompt(EditLine *el, backprop_prompt_function prompt, char escape) {
    return el_set(el, EL_PROMPT_ESC, prompt, escape);
}
static inline int backprop_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}
static inline int backprop_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}
static inline int backprop_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}
static inline int backprop_el_add_function(EditLine *el, const char *name, const char *help,
                                           backprop_command_function function) {
    return el_set(el, EL_ADDFN, name, help, function);
}
static inline int backprop_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}
static inline int backprop_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}
static inline void *backprop_el_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int backprop_history_set_size(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}
static inline int backprop_history_set_unique(History *h, int unique) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, unique);
}
static inline int backprop_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}
static inline int backprop_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}
static inline int backprop_history_save(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}

/// Columns of the terminal on `fd`, or 80 when unknown.
static inline int backprop_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}
#endif
