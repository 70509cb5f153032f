#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int cspawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
  return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *directory) {
  return posix_spawn_file_actions_addchdir_np(actions, directory);
}

int cspawn_pipe(int ends[2]) { return pipe2(ends, O_CLOEXEC); }

int cspawn_temporary_file(const char *directory) {
  int descriptor = open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (descriptor >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) {
    return descriptor;
  }
  // A file system without O_TMPFILE: a named file, unlinked at once.
  char path[4096];
  if (snprintf(path, sizeof path, "%s/child-run-XXXXXX", directory) >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  descriptor = mkostemp(path, O_CLOEXEC);
  if (descriptor >= 0) unlink(path);
  return descriptor;
}

int cspawn_has_ended(pid_t pid, int block) {
  for (;;) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int options = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
    if (waitid(P_PID, (id_t)pid, &info, options) == 0) return info.si_pid == pid ? 1 : 0;
    if (errno != EINTR) return -1;
  }
}

ssize_t cspawn_write_quietly(int descriptor, const void *bytes, size_t count) {
  sigset_t pipeSignal, previous, pending;
  sigemptyset(&pipeSignal);
  sigaddset(&pipeSignal, SIGPIPE);
  sigpending(&pending);
  int wasPending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
  ssize_t written;
  do {
    written = write(descriptor, bytes, count);
  } while (written < 0 && errno == EINTR);
  int saved = errno;
  if (written < 0 && saved == EPIPE && !wasPending) {
    struct timespec none = {0, 0};
    while (sigtimedwait(&pipeSignal, NULL, &none) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  errno = saved;
  return written;
}
