#include "cli/server/views.h"

#include <stdlib.h>

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

}  // namespace

// One thread's view: the archive and, for a plain view, the archive's
// change stamp when it was opened.
struct Views::Slot {
  std::mutex mu;  // held while a request reads a follower's view
  std::shared_ptr<Archive> archive;
  std::string stamp;
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
