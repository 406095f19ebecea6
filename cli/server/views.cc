#include "cli/server/views.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "cli/options.h"

namespace docket::cli::server {
namespace {

// Read views serve many requests: a larger block cache than a one-shot command's.
OpenOptions ViewOptions(OpenOptions::Mode mode, std::string follow_dir = "") {
  OpenOptions o = ReadOpen();  // its notice of an upgrade, on the server's stderr
  o.mode = mode;
  o.block_cache_bytes = 32 << 20;
  o.follow_dir = std::move(follow_dir);
  return o;
}

}  // namespace

// Tells cheaply whether the archive's directory may have changed since a
// view recorded it, so that a request lists the directory
// (Archive::ChangeStamp) only then. One inotify watch on the directory for
// all threads: every commit, import or merge creates, removes, renames or
// writes a file in it, and the kernel queues that event before the writer's
// call returns, so a request that starts after a commit reads it from the
// queue. Each read of the queue moves a generation on; a view is current
// while its recorded generation is the latest and the queue is empty.
class Views::Watch {
 public:
  explicit Watch(std::string db) : db_(std::move(db)), fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    Arm();
  }
  ~Watch() {
    if (fd_ >= 0) ::close(fd_);
  }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // The generation as of now, after reading what the queue holds: the
  // directory may have changed since an earlier one unless they are equal.
  // Take it before the ChangeStamp it vouches for, so that a change after
  // it shows as a later generation.
  uint64_t Now() {
    std::lock_guard lock(mu_);
    Drain();
    return generation_;
  }

 private:
  static constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE |
                                      IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                      IN_ONLYDIR;

  // Without a watch (no inotify instance left, the directory gone or
  // replaced) every call is a new generation, so every request lists the
  // directory; each call tries to watch it again.
  void Arm() { armed_ = fd_ >= 0 && ::inotify_add_watch(fd_, db_.c_str(), kEvents) >= 0; }

  void Drain() {
    if (armed_) ReadEvents();
    if (!armed_) {
      ++generation_;
      Arm();
    }
  }

  // Reads the queue until it is empty; any event moves the generation on.
  void ReadEvents() {
    alignas(inotify_event) char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0 && errno != EAGAIN) armed_ = false;
        return;
      }
      ++generation_;
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        // The watch is gone, or events were dropped: watch afresh.
        if (event->mask & (IN_IGNORED | IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF)) armed_ = false;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
  }

  const std::string db_;
  const int fd_;
  std::mutex mu_;  // guards the queue's reads and what they update
  bool armed_ = false;
  uint64_t generation_ = 0;
};

// One thread's view: the archive and, for a plain view, the archive's
// change stamp when it was opened and what tells cheaply that it may differ.
struct Views::Slot {
  std::mutex mu;  // held while a request reads a follower's view
  std::shared_ptr<Archive> archive;
  std::string stamp;
  uint64_t generation = 0;  // Watch::Now before `stamp` was taken
  size_t index = 0;
};

Views::Views(std::string db, bool follow, std::string follow_root)
    : db_(std::move(db)),
      follow_(follow),
      follow_root_(std::move(follow_root)),
      watch_(follow_ ? nullptr : std::make_unique<Watch>(db_)) {}

Views::~Views() {
  slots_.clear();
  if (!follow_root_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(follow_root_, ec);
  }
}

Result<std::unique_ptr<Views>> Views::Open(const std::string& db, bool follow) {
  std::string root;
  if (follow) {
    std::string dir = (std::filesystem::temp_directory_path() / "docket-follow-XXXXXX").string();
    if (!::mkdtemp(dir.data())) return Status::Io(fmt::format("cannot create a directory in {}", dir));
    root = dir;
  }
  std::unique_ptr<Views> views(new Views(db, follow, root));
  auto first = views->Acquire();  // the calling thread's, checking the archive
  if (!first.ok()) return first.status();
  return views;
}

Views::Slot& Views::ThreadSlot() {
  // One Views per process: a thread's slot is found without a lock.
  thread_local Slot* mine = nullptr;
  thread_local const Views* owner = nullptr;
  if (owner != this) {
    std::lock_guard lock(mu_);
    slots_.push_back(std::make_unique<Slot>());
    mine = slots_.back().get();
    mine->index = slots_.size();
    owner = this;
  }
  return *mine;
}

Result<std::shared_ptr<Archive>> Views::Acquire() {
  Slot& slot = ThreadSlot();
  if (!follow_) {
    const uint64_t generation = watch_->Now();
    if (slot.archive && generation == slot.generation) return slot.archive;
    slot.generation = generation;
    auto stamp = Archive::ChangeStamp(db_);
    if (!stamp.ok()) return stamp.status();
    if (!slot.archive || *stamp != slot.stamp) {
      slot.archive.reset();
      auto opened = Archive::Open(db_, ViewOptions(OpenOptions::Mode::kRead));
      if (!opened.ok()) return opened.status();
      slot.archive = std::move(*opened);
      slot.stamp = std::move(*stamp);
    }
    return slot.archive;
  }
  auto hold = std::make_shared<std::unique_lock<std::mutex>>(slot.mu);
  if (!slot.archive) {
    auto opened = Archive::Open(
        db_, ViewOptions(OpenOptions::Mode::kFollow, fmt::format("{}/{}", follow_root_, slot.index)));
    if (!opened.ok()) return opened.status();
    slot.archive = std::move(*opened);
  } else if (Status s = slot.archive->CatchUp(); !s.ok()) {
    return s;
  }
  // The view holds the slot's lock as long as it lives.
  return std::shared_ptr<Archive>(hold, slot.archive.get());
}

void Views::CatchUpIdle() {
  std::lock_guard lock(mu_);
  for (const auto& slot : slots_) {
    std::unique_lock held(slot->mu, std::try_to_lock);
    if (held && slot->archive) (void)slot->archive->CatchUp();
  }
}

}  // namespace docket::cli::server
