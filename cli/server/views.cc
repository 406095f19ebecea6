#include "cli/server/views.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

namespace docket::cli::server {
namespace {

// Read views serve many requests: a larger block cache than a one-shot command's.
OpenOptions ViewOptions(OpenOptions::Mode mode, std::string follow_dir = "") {
  OpenOptions o;
  o.mode = mode;
  o.block_cache_bytes = 32 << 20;
  o.follow_dir = std::move(follow_dir);
  return o;
}

bool SameTime(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

// The files a writer changes in place, without a name in the directory
// changing: RocksDB's write-ahead logs (a commit appends, a failed one is
// cut back) and MANIFESTs (an ingest appends).
bool ChangedInPlace(std::string_view name) {
  return name.ends_with(".log") || name.starts_with("MANIFEST-");
}

}  // namespace

// Tells cheaply whether the archive's directory may have changed since it
// was last recorded, so that a request lists it (Archive::ChangeStamp) only
// then. Every commit, import or merge either creates, removes or renames a
// file (the directory's mtime changes) or appends to or cuts back a file
// ChangedInPlace (its size or mtime changes). A record taken within
// kSettleSeconds of the directory's last change is not trusted: mtimes come
// from a clock that ticks coarsely, so a change in the same tick as the
// record may leave the directory's mtime as it was.
class Views::Watch {
 public:
  Watch() = default;
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  ~Watch() { Forget(); }

  bool Stale(const std::string& db) const {
    if (!trusted_) return true;
    struct stat st {};
    if (::stat(db.c_str(), &st) != 0 || !SameTime(st.st_mtim, dir_mtime_)) return true;
    // By descriptor: no path to look up. A file removed since shows in the
    // directory's mtime.
    for (const File& f : files_) {
      if (::fstat(f.fd, &st) != 0 || st.st_size != f.size || !SameTime(st.st_mtim, f.mtime)) return true;
    }
    return false;
  }

  // Records the directory as it is now: call before the ChangeStamp it
  // vouches for, so that a change after the record shows on the next Stale.
  void Record(const std::string& db) {
    Forget();
    struct stat dir {};
    if (::stat(db.c_str(), &dir) != 0) return;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(db, ec), end; !ec && it != end; it.increment(ec)) {
      if (!ChangedInPlace(it->path().filename().string())) continue;
      const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;  // removed meanwhile: the directory's mtime differs
      struct stat st {};
      files_.push_back({fd, 0, {}});
      if (::fstat(fd, &st) != 0) return;
      files_.back().size = st.st_size;
      files_.back().mtime = st.st_mtim;
    }
    if (ec) return;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    dir_mtime_ = dir.st_mtim;
    trusted_ = now.tv_sec - dir_mtime_.tv_sec > kSettleSeconds;
  }

 private:
  static constexpr time_t kSettleSeconds = 1;
  struct File {
    int fd;
    off_t size;
    timespec mtime;
  };

  void Forget() {
    trusted_ = false;
    for (const File& f : files_) ::close(f.fd);
    files_.clear();
  }

  bool trusted_ = false;
  timespec dir_mtime_{};
  std::vector<File> files_;  // open, so that Stale needs no path look-up
};

// One thread's view: the archive and, for a plain view, the archive's
// change stamp when it was opened and what tells cheaply that it may differ.
struct Views::Slot {
  std::mutex mu;  // held while a request reads a follower's view
  std::shared_ptr<Archive> archive;
  std::string stamp;
  Watch watch;
  size_t index = 0;
};

Views::Views(std::string db, bool follow, std::string follow_root)
    : db_(std::move(db)), follow_(follow), follow_root_(std::move(follow_root)) {}

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
    if (slot.archive && !slot.watch.Stale(db_)) return slot.archive;
    slot.watch.Record(db_);
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
