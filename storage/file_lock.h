// Internal to storage: an advisory lock on a file (flock), shared or
// exclusive, released on destruction or when the process dies.
#pragma once

#include <string>

#include "storage/status.h"

namespace docket {

class FileLock {
 public:
  enum class Mode { kShared, kExclusive };

  // Takes the lock on `path` (created if missing), waiting up to
  // `wait_seconds`; kLocked when it stays taken. A shared lock on a file
  // that cannot be created or opened for writing (a read-only archive)
  // falls back to opening it read-only, and to no lock when it is absent.
  static Result<FileLock> Acquire(const std::string& path, Mode mode, double wait_seconds);

  FileLock() = default;
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  void Release();

 private:
  int fd_ = -1;
};

}  // namespace docket
