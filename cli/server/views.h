// The archive as the server's requests read it (spec §8): each request one
// consistent snapshot, taken when it starts. Each pool thread keeps its
// own read-only view (an Archive serves one thread), reopened only when
// the archive's files changed (an inotify watch on its directory says when
// to look); a follower's views are RocksDB secondary
// instances that catch up instead, before each request and at least once
// a second.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/archive.h"

namespace docket::cli::server {

class Views {
 public:
  // Opens the archive once to check it: kNotFound when it is missing.
  // `follow`: as a read replica of an archive another process writes.
  static Result<std::unique_ptr<Views>> Open(const std::string& db, bool follow);
  ~Views();  // removes a follower's own files
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;

  // The calling thread's view as of now. A follower's view does not catch
  // up while it is held: release it before the thread's next Acquire.
  Result<std::shared_ptr<Archive>> Acquire();
  // A follower: every view no request holds catches up (the once-a-second
  // tick). Errors are left for the next request to meet.
  void CatchUpIdle();
  bool follow() const { return follow_; }

 private:
  Views(std::string db, bool follow, std::string follow_root);
  class Watch;
  struct Slot;
  Slot& ThreadSlot();

  const std::string db_;
  const bool follow_;
  const std::string follow_root_;  // a follower's own files, one directory per thread
  const std::unique_ptr<Watch> watch_;  // a plain view's; none for a follower
  std::mutex mu_;                       // guards slots_
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace docket::cli::server
