// What child processes need from glibc and Swift cannot reach directly (the tests' helper
// Tests/TestSupport/ChildRun.swift, PoseInput's ChildProcess and Annotation's VideoEncoder for
// ffprobe and ffmpeg): the _GNU_SOURCE parts of posix_spawn (close every inherited descriptor,
// change directory in the child), descriptors created close-on-exec in one step, a blocking
// wait for a child's exit that leaves it unreaped, and a pipe write that returns EPIPE instead
// of raising SIGPIPE. Glibc's Swift module exports none of these.
#ifndef CSPAWN_H
#define CSPAWN_H

#include <spawn.h>
#include <sys/types.h>

/// Closes every descriptor from `lowest` up in the child (glibc 2.34+); 0 or an errno value.
int cspawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest);

/// Makes the child start in `directory` (glibc 2.29+); 0 or an errno value.
int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *directory);

/// A pipe whose two ends are close-on-exec from the start; 0, or -1 with errno set.
int cspawn_pipe(int ends[2]);

/// An open, already unlinked, close-on-exec temporary file in `directory` (read and write);
/// -1 with errno set on failure.
int cspawn_temporary_file(const char *directory);

/// Whether `pid` has ended, without reaping it (so its pid cannot be reused until `waitpid`):
/// 1 ended, 0 still running (only when `block` is 0), -1 with errno set on failure.
int cspawn_has_ended(pid_t pid, int block);

/// `write` that reports a closed reader as -1 with errno EPIPE and never raises SIGPIPE in the
/// process (the signal is blocked on this thread for the call and a pending one discarded).
ssize_t cspawn_write_quietly(int descriptor, const void *bytes, size_t count);

#endif
