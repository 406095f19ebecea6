#include "storage/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>

namespace docket {

Result<FileLock> FileLock::Acquire(const std::string& path, Mode mode, double wait_seconds) {
  FileLock lock;
  lock.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd_ < 0 && mode == Mode::kShared) {
    lock.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (lock.fd_ < 0 && errno == ENOENT) return lock;  // nobody has written here yet
  }
  if (lock.fd_ < 0)
    return Status::Io(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  const int operation = (mode == Mode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(wait_seconds * 1000));
  while (::flock(lock.fd_, operation) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      return Status::Io(fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline)
      return Status::Error(ErrorKind::kLocked, fmt::format("{} stayed locked", path));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return lock;
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { Release(); }

void FileLock::Release() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
  fd_ = -1;
}

}  // namespace docket
