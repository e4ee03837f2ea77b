// SignalWatcher: turns SIGINT and SIGTERM into a call on an ordinary thread,
// so that the reaction (asking the job to stop through the repository) runs
// outside the signal handler. The handler only writes the signal number to
// a pipe (the self-pipe trick); a watcher thread reads it and calls back.
//
// The handler is installed with SA_RESETHAND: after the first SIGINT the
// default action is back, so a second Ctrl-C ends the process at once.
// Handlers are process-wide: one watcher at a time (a second one installs
// nothing and never calls back). Internal to src/cli.
//
//   SignalWatcher watcher([&](int signal) { request_stop(); });
//   ... run the job ...
//   // destructor: previous handlers restored, thread joined
#pragma once

#include <functional>
#include <thread>

namespace cppbatch::internal {

class SignalWatcher {
 public:
  // `on_signal` runs on the watcher thread, once per signal received.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // False when another watcher was active or the pipe could not be made.
  bool active() const { return active_; }

 private:
  void watch();

  std::function<void(int)> on_signal_;
  bool active_ = false;
  int signal_pipe_[2] = {-1, -1};  // written by the handler
  int wake_pipe_[2] = {-1, -1};    // written by the destructor
  std::thread thread_;
};

}  // namespace cppbatch::internal
