#include "cli/signal_watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>

#include "cppbatch/common/logging.hpp"

namespace cppbatch::internal {

namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};

std::atomic<bool> g_installed{false};
// The write end of the active watcher's signal pipe; -1 when none.
std::atomic<int> g_signal_fd{-1};
struct sigaction g_previous[2];

extern "C" void on_stop_signal(int signal) {
  const int saved_errno = errno;
  const int fd = g_signal_fd.load();
  if (fd >= 0) {
    const auto byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] ssize_t written = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

bool make_pipe(int fds[2]) {
  if (::pipe(fds) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    ::fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  }
  return true;
}

void close_pipe(int fds[2]) {
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
}

}  // namespace

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  bool expected = false;
  if (!g_installed.compare_exchange_strong(expected, true)) return;
  if (!make_pipe(signal_pipe_) || !make_pipe(wake_pipe_)) {
    close_pipe(signal_pipe_);
    close_pipe(wake_pipe_);
    g_installed = false;
    logger().warn("could not watch for SIGINT/SIGTERM: pipe() failed");
    return;
  }
  g_signal_fd = signal_pipe_[1];
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &action, &g_previous[i]);
  active_ = true;
  thread_ = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
  if (!active_) return;
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &g_previous[i], nullptr);
  g_signal_fd = -1;
  const unsigned char byte = 0;
  [[maybe_unused]] ssize_t written = ::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  close_pipe(signal_pipe_);
  close_pipe(wake_pipe_);
  g_installed = false;
}

void SignalWatcher::watch() {
  pollfd fds[2] = {{signal_pipe_[0], POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      logger().warn("signal watcher stopped: poll() failed");
      return;
    }
    if (fds[0].revents & POLLIN) {
      unsigned char signal = 0;
      while (::read(signal_pipe_[0], &signal, 1) == 1) {
        try {
          on_signal_(signal);
        } catch (const std::exception& e) {
          logger().error("handling signal {} failed: {}", static_cast<int>(signal), e.what());
        }
      }
    }
    if (fds[1].revents & POLLIN) return;
  }
}

}  // namespace cppbatch::internal
