/*
 * drover_spawn: starts a task process for the executor daemon with
 * clone(CLONE_VM | CLONE_VFORK) and watches its exit through a pidfd.
 *
 * Why not child_process.spawn: libuv forks, and fork copies the page tables
 * of the whole Node process: ~6 ms per spawn on the 2-core dev VM (13 ms in a
 * daemon holding 100 tasks), where the exec itself costs ~2 ms. The executor
 * also needed a /bin/sh prefix (and setpriv for users) to join the task's
 * cgroup and set oom_score_adj before exec: two more execs. Here the child
 * does those steps itself between clone and execve, so a launch is one exec.
 *
 * The child runs on its own stack in the parent's memory until execve (the
 * parent thread is suspended meanwhile, as with posix_spawn); it makes only
 * raw system calls and reports a failed step through that shared memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <node_api.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define CHILD_STACK (64 * 1024)
#define MAX_CGROUP_FILES 16
#define MAX_GROUPS 64

enum step { STEP_NONE, STEP_SETSID, STEP_STDIO, STEP_CGROUP, STEP_OOM, STEP_NETNS, STEP_CHDIR, STEP_GROUPS, STEP_GID, STEP_UID, STEP_EXEC };
static const char *const STEP_NAMES[] = {"", "setsid", "stdio", "join cgroup", "oom_score_adj", "join network namespace", "chdir", "setgroups", "setgid", "setuid", "exec"};

struct plan {
  char *file;
  char **argv;
  char **envp;
  char *cwd;
  int fds[3];
  int setsid;
  char *cgroup_files[MAX_CGROUP_FILES];
  int n_cgroup_files;
  char oom[16]; /* "" = leave as is */
  char *netns;  /* network namespace file to setns into, or NULL */
  int set_user;
  uid_t uid;
  gid_t gid;
  gid_t groups[MAX_GROUPS];
  int n_groups;
  sigset_t parent_mask;
  /* written by the child, read by the parent after the clone returns */
  volatile int failed_step;
  volatile int failed_errno;
};

/* The kernel's struct sigaction (x86-64 and arm64 layout), for rt_sigaction without glibc's filtering. */
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};

static int write_all(int fd, const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

static int write_file(const char *path, const char *value) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int r = write_all(fd, value);
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

static int fail(struct plan *p, int step) {
  p->failed_errno = errno;
  p->failed_step = step;
  _exit(127);
}

static int child_main(void *arg) {
  struct plan *p = arg;
  /* Default dispositions (Node ignores SIGPIPE; an ignored signal stays ignored across exec), then the parent's mask lifted. */
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    /* The raw system call: glibc's sigaction refuses its own signals (32, 33), which an ignoring parent would pass on. */
    struct kernel_sigaction ksa;
    memset(&ksa, 0, sizeof ksa);
    ksa.handler = SIG_DFL;
    syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof(ksa.mask));
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  if (p->setsid && setsid() < 0) return fail(p, STEP_SETSID);
  /* Move the given fds above 2 first so that dup2 onto 0..2 cannot clobber one still needed. */
  int moved[3];
  for (int i = 0; i < 3; i++) {
    int fd = p->fds[i];
    if (fd < 0) fd = open("/dev/null", i == 0 ? O_RDONLY : O_WRONLY);
    if (fd < 0) return fail(p, STEP_STDIO);
    moved[i] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (moved[i] < 0) return fail(p, STEP_STDIO);
  }
  for (int i = 0; i < 3; i++)
    if (dup2(moved[i], i) < 0) return fail(p, STEP_STDIO);
  for (int i = 0; i < p->n_cgroup_files; i++)
    if (write_file(p->cgroup_files[i], "0") < 0) return fail(p, STEP_CGROUP);
  if (p->oom[0] != '\0' && write_file("/proc/self/oom_score_adj", p->oom) < 0) return fail(p, STEP_OOM);
  /* Before the user switch: setns needs CAP_SYS_ADMIN. Only this (cloned) task moves; the daemon stays where it is. */
  if (p->netns) {
    int nsfd = open(p->netns, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) return fail(p, STEP_NETNS);
    if (setns(nsfd, CLONE_NEWNET) < 0) return fail(p, STEP_NETNS);
    close(nsfd);
  }
  if (chdir(p->cwd) < 0) return fail(p, STEP_CHDIR);
  if (p->set_user) {
    if (syscall(SYS_setgroups, p->n_groups, p->groups) < 0) return fail(p, STEP_GROUPS);
    if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0) return fail(p, STEP_GID);
    if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0) return fail(p, STEP_UID);
  }
  execve(p->file, p->argv, p->envp);
  return fail(p, STEP_EXEC);
}

/* ---- exit watching ---------------------------------------------------- */

struct watch {
  uv_poll_t poll;
  pid_t pid;
  int pidfd;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
};

static void on_watch_closed(uv_handle_t *h) {
  struct watch *w = h->data;
  close(w->pidfd);
  free(w);
}

static void on_pidfd(uv_poll_t *h, int status, int events) {
  (void)events;
  struct watch *w = h->data;
  int st = 0;
  pid_t r;
  do r = waitpid(w->pid, &st, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == 0 && status == 0) return; /* not yet (a spurious wake-up) */
  uv_poll_stop(&w->poll);
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv, argv[2];
  napi_get_reference_value(env, w->callback, &cb);
  napi_get_global(env, &recv); /* make_callback wants an object receiver */
  if (r == w->pid && WIFSIGNALED(st)) {
    napi_get_null(env, &argv[0]);
    napi_create_int32(env, WTERMSIG(st), &argv[1]);
  } else {
    /* r < 0 (ECHILD: someone else reaped it) reports exit code -1 */
    napi_create_int32(env, r == w->pid ? WEXITSTATUS(st) : -1, &argv[0]);
    napi_get_null(env, &argv[1]);
  }
  napi_value result;
  napi_make_callback(env, w->async, recv, cb, 2, argv, &result);
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->async);
  napi_close_handle_scope(env, scope);
  uv_close((uv_handle_t *)&w->poll, on_watch_closed);
}

/* ---- argument helpers -------------------------------------------------- */

static char *get_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value prop(napi_env env, napi_value obj, const char *name) {
  napi_value v;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return NULL;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_undefined || t == napi_null ? NULL : v;
}

static char **get_string_array(napi_env env, napi_value arr, uint32_t *count) {
  uint32_t n = 0;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **out = calloc(n + 1, sizeof(char *));
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, arr, i, &e);
    out[i] = get_string(env, e);
    if (!out[i]) {
      for (uint32_t j = 0; j < i; j++) free(out[j]);
      free(out);
      return NULL;
    }
  }
  if (count) *count = n;
  return out;
}

static void free_string_array(char **a) {
  if (!a) return;
  for (char **p = a; *p; p++) free(*p);
  free(a);
}

static int32_t get_int(napi_env env, napi_value v, int32_t dflt) {
  int32_t n;
  if (!v || napi_get_value_int32(env, v, &n) != napi_ok) return dflt;
  return n;
}

static napi_value throw_errno(napi_env env, const char *step, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", step, strerror(err));
  napi_value m, code, e;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
  napi_create_string_utf8(env, err == ENOENT ? "ENOENT" : err == EACCES ? "EACCES" : err == EPERM ? "EPERM" : "ESPAWN", NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, m, &e);
  napi_value errnoV, stepV;
  napi_create_int32(env, err, &errnoV);
  napi_create_string_utf8(env, step, NAPI_AUTO_LENGTH, &stepV);
  napi_set_named_property(env, e, "errno", errnoV);
  napi_set_named_property(env, e, "step", stepV);
  napi_throw(env, e);
  return NULL;
}

/*
 * spawn({file, argv, envp, cwd, fds: [in, out, err] (-1: /dev/null), setsid,
 *        cgroupProcs: string[], oomScoreAdj?, netnsPath?, user?: {uid, gid, groups}}, onExit(code, signal)) → pid
 * Throws with .step and .errno when a step before exec fails (nothing is left running).
 */
static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "spawn(options, onExit)");
    return NULL;
  }
  napi_value o = args[0];
  struct plan *p = calloc(1, sizeof *p);
  char *stack = malloc(CHILD_STACK);
  napi_value result = NULL;
  if (!p || !stack) {
    napi_throw_error(env, NULL, "out of memory");
    goto done;
  }
  napi_value v;
  if (!(v = prop(env, o, "file")) || !(p->file = get_string(env, v)) || !(v = prop(env, o, "argv")) || !(p->argv = get_string_array(env, v, NULL)) ||
      !(v = prop(env, o, "envp")) || !(p->envp = get_string_array(env, v, NULL)) || !(v = prop(env, o, "cwd")) || !(p->cwd = get_string(env, v))) {
    napi_throw_type_error(env, NULL, "spawn: file, argv, envp and cwd are required");
    goto done;
  }
  napi_value fds = prop(env, o, "fds");
  for (uint32_t i = 0; i < 3; i++) {
    napi_value e = NULL;
    if (fds) napi_get_element(env, fds, i, &e);
    p->fds[i] = get_int(env, e, -1);
  }
  napi_value b = prop(env, o, "setsid");
  bool bv = false;
  if (b) napi_get_value_bool(env, b, &bv);
  p->setsid = bv;
  napi_value cg = prop(env, o, "cgroupProcs");
  if (cg) {
    uint32_t n = 0;
    char **files = get_string_array(env, cg, &n);
    if (!files || n > MAX_CGROUP_FILES) {
      free_string_array(files);
      napi_throw_range_error(env, NULL, "spawn: too many cgroup files");
      goto done;
    }
    for (uint32_t i = 0; i < n; i++) p->cgroup_files[i] = files[i];
    p->n_cgroup_files = (int)n;
    free(files); /* the strings now belong to p */
  }
  napi_value oom = prop(env, o, "oomScoreAdj");
  if (oom) snprintf(p->oom, sizeof p->oom, "%d", get_int(env, oom, 0));
  napi_value netns = prop(env, o, "netnsPath");
  if (netns && !(p->netns = get_string(env, netns))) {
    napi_throw_type_error(env, NULL, "spawn: netnsPath must be a string");
    goto done;
  }
  napi_value user = prop(env, o, "user");
  if (user) {
    p->set_user = 1;
    p->uid = (uid_t)get_int(env, prop(env, user, "uid"), -1);
    p->gid = (gid_t)get_int(env, prop(env, user, "gid"), -1);
    napi_value gs = prop(env, user, "groups");
    uint32_t n = 0;
    if (gs) napi_get_array_length(env, gs, &n);
    if (n > MAX_GROUPS) {
      napi_throw_range_error(env, NULL, "spawn: too many supplementary groups");
      goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      napi_get_element(env, gs, i, &e);
      p->groups[i] = (gid_t)get_int(env, e, 0);
    }
    p->n_groups = (int)n;
  }

  /* No signal handler may run in the child while it shares our memory: block all around the clone. */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &p->parent_mask);
  pid_t pid = clone(child_main, stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, p);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &p->parent_mask, NULL);
  if (pid < 0) {
    throw_errno(env, "clone", clone_errno);
    goto done;
  }
  if (p->failed_step != STEP_NONE) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    throw_errno(env, STEP_NAMES[p->failed_step], p->failed_errno);
    goto done;
  }

  struct watch *w = calloc(1, sizeof *w);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  if (!w || pidfd < 0 || uv_poll_init(loop, &w->poll, pidfd) != 0) {
    /* Cannot watch it: do not leave an unwatched task running. */
    int e = pidfd < 0 ? errno : ENOMEM;
    kill(pid, SIGKILL);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (pidfd >= 0) close(pidfd);
    free(w);
    throw_errno(env, "pidfd_open", e);
    goto done;
  }
  w->pid = pid;
  w->pidfd = pidfd;
  w->env = env;
  w->poll.data = w;
  napi_create_reference(env, args[1], 1, &w->callback);
  napi_value name;
  napi_create_string_utf8(env, "drover:task-exit", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &w->async);
  uv_poll_start(&w->poll, UV_READABLE, on_pidfd);
  napi_create_int32(env, pid, &result);

done:
  if (p) {
    free(p->file);
    free_string_array(p->argv);
    free_string_array(p->envp);
    free(p->cwd);
    free(p->netns);
    for (int i = 0; i < p->n_cgroup_files; i++) free(p->cgroup_files[i]);
    free(p);
  }
  free(stack);
  return result;
}

/*
 * tryLock(fd): flock(LOCK_EX | LOCK_NB). true when taken, false when another
 * open file holds it; other errors throw. The daemon's lock: held until the
 * process dies, and only a user who can open the lock file can contend for it.
 */
static napi_value js_try_lock(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t fd = -1;
  if (argc < 1 || napi_get_value_int32(env, args[0], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "tryLock(fd): fd must be a number");
    return NULL;
  }
  int r;
  while ((r = flock(fd, LOCK_EX | LOCK_NB)) < 0 && errno == EINTR) {
  }
  napi_value result = NULL;
  if (r == 0 || errno == EWOULDBLOCK) {
    napi_get_boolean(env, r == 0, &result);
    return result;
  }
  throw_errno(env, "flock", errno);
  return NULL;
}

/*
 * punchHole(fd, length): fallocate(PUNCH_HOLE | KEEP_SIZE) over [0, length).
 * Releases a spool's copied bytes at once: a tmpfs page stays charged to the
 * memory cgroup of the task that wrote it until it is punched out.
 */
static napi_value js_punch_hole(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t fd = -1;
  int64_t length = -1;
  if (argc < 2 || napi_get_value_int32(env, args[0], &fd) != napi_ok || napi_get_value_int64(env, args[1], &length) != napi_ok || length < 0) {
    napi_throw_type_error(env, NULL, "punchHole(fd, length): fd and length must be numbers, length >= 0");
    return NULL;
  }
  if (length > 0 && fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)length) < 0) {
    throw_errno(env, "fallocate", errno);
    return NULL;
  }
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, js_spawn, NULL, &fn);
  napi_set_named_property(env, exports, "spawn", fn);
  napi_create_function(env, "tryLock", NAPI_AUTO_LENGTH, js_try_lock, NULL, &fn);
  napi_set_named_property(env, exports, "tryLock", fn);
  napi_create_function(env, "punchHole", NAPI_AUTO_LENGTH, js_punch_hole, NULL, &fn);
  napi_set_named_property(env, exports, "punchHole", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
