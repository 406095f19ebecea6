#include "storage/external_sort.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>

#include <fmt/format.h>

#include "storage/key_codec.h"

namespace docket {
namespace {

constexpr size_t kIoBuffer = 1 << 20;

Status IoError(std::string_view what, const std::string& path) {
  return Status::Io(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

uint64_t Prefix8(const char* key, size_t key_size) {
  char buf[8] = {};
  std::memcpy(buf, key, std::min<size_t>(8, key_size));
  return keys::DecodeFixed64(buf);
}

}  // namespace

// ---------------------------------------------------------------- RunWriter

RunWriter::RunWriter(std::FILE* f, std::string path, size_t key_size)
    : f_(f), path_(std::move(path)), key_size_(key_size) {}

RunWriter::~RunWriter() {
  if (f_) std::fclose(f_);
}

Result<std::unique_ptr<RunWriter>> RunWriter::Create(const std::string& path, size_t key_size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return IoError("cannot create", path);
  return std::unique_ptr<RunWriter>(new RunWriter(f, path, key_size));
}

Status RunWriter::Add(std::string_view key, std::string_view payload) {
  buffer_.append(key.substr(0, key_size_));
  keys::PutLengthPrefixed(&buffer_, payload);
  if (buffer_.size() >= kIoBuffer) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), f_) != buffer_.size())
      return IoError("cannot write", path_);
    buffer_.clear();
  }
  return {};
}

Status RunWriter::Close() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), f_) != buffer_.size())
    return IoError("cannot write", path_);
  buffer_.clear();
  const int rc = std::fclose(f_);
  f_ = nullptr;
  return rc == 0 ? Status() : IoError("cannot write", path_);
}

// ---------------------------------------------------------------- RunReader

RunReader::RunReader(std::FILE* f, std::string path, size_t key_size)
    : f_(f), path_(std::move(path)), key_size_(key_size) {}

RunReader::~RunReader() {
  if (f_) std::fclose(f_);
}

Result<std::unique_ptr<RunReader>> RunReader::Open(const std::string& path, size_t key_size) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return IoError("cannot open", path);
  return std::unique_ptr<RunReader>(new RunReader(f, path, key_size));
}

// Makes at least `n` unread bytes available; false at the end of the file.
bool RunReader::Fill(size_t n) {
  if (buffer_.size() - pos_ >= n) return true;
  buffer_.erase(0, pos_);
  pos_ = 0;
  const size_t want = std::max(n - buffer_.size(), kIoBuffer);
  const size_t old = buffer_.size();
  buffer_.resize(old + want);
  const size_t got = std::fread(buffer_.data() + old, 1, want, f_);
  buffer_.resize(old + got);
  if (got < want && std::ferror(f_)) status_ = IoError("cannot read", path_);
  return buffer_.size() >= n;
}

bool RunReader::Next(std::string_view* key, std::string_view* payload) {
  if (!status_.ok()) return false;
  // key, then a varint of at most 10 bytes.
  if (!Fill(key_size_ + 1)) {
    if (buffer_.size() != pos_) status_ = Status::Io(fmt::format("truncated run file {}", path_));
    return false;
  }
  Fill(key_size_ + 10);
  std::string_view rest(buffer_.data() + pos_ + key_size_, buffer_.size() - pos_ - key_size_);
  uint64_t len;
  if (!keys::GetVarint64(&rest, &len)) {
    status_ = Status::Io(fmt::format("corrupt run file {}", path_));
    return false;
  }
  const size_t header = buffer_.size() - pos_ - rest.size();
  if (!Fill(header + len)) {
    status_ = Status::Io(fmt::format("truncated run file {}", path_));
    return false;
  }
  *key = std::string_view(buffer_.data() + pos_, key_size_);
  *payload = std::string_view(buffer_.data() + pos_ + header, len);
  pos_ += header + len;
  return true;
}

// ---------------------------------------------------------------- ExternalSorter

struct ExternalSorter::Cursor {
  std::unique_ptr<RunReader> reader;
  std::string_view key, payload;
};

ExternalSorter::ExternalSorter(std::string dir, std::string name, size_t key_size,
                               size_t memory_budget)
    : dir_(std::move(dir)), name_(std::move(name)), key_size_(key_size), budget_(memory_budget) {}

ExternalSorter::~ExternalSorter() {
  heap_.clear();
  for (const auto& run : runs_) std::remove(run.c_str());
}

std::string_view ExternalSorter::KeyAt(uint64_t offset) const {
  return std::string_view(arena_.data() + offset, key_size_);
}

Status ExternalSorter::Add(std::string_view key, std::string_view payload) {
  // Past its first MiB the sort reserves its whole budget, once, as
  // address space: pages are touched only as records arrive, and growing
  // by doubling copied every record and touched every page twice. A small
  // sort (most imports in tests) never takes the address space.
  constexpr size_t kReserveAfter = 1 << 20;
  if (arena_.size() >= kReserveAfter && arena_.capacity() < budget_) {
    arena_.reserve(budget_);
    entries_.reserve(budget_ / (sizeof(Entry) + key_size_));
  }
  entries_.push_back({Prefix8(key.data(), key_size_), arena_.size()});
  arena_.append(key.substr(0, key_size_));
  keys::PutLengthPrefixed(&arena_, payload);
  ++count_;
  if (arena_.size() + entries_.size() * sizeof(Entry) >= budget_) return Spill();
  return {};
}

void ExternalSorter::SortChunk() {
  auto less = [this](const Entry& a, const Entry& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return KeyAt(a.offset) < KeyAt(b.offset);
  };
  // A large chunk is sorted in two halves at once, one on a second thread,
  // then merged (sorting was a fifth of an import's time).
  constexpr size_t kSortInHalvesFrom = 1 << 16;
  if (entries_.size() < kSortInHalvesFrom) {
    std::sort(entries_.begin(), entries_.end(), less);
    return;
  }
  const auto middle = entries_.begin() + static_cast<std::ptrdiff_t>(entries_.size() / 2);
  std::future<void> first_half =
      std::async(std::launch::async, [&] { std::sort(entries_.begin(), middle, less); });
  std::sort(middle, entries_.end(), less);
  first_half.get();
  std::inplace_merge(entries_.begin(), middle, entries_.end(), less);
}

Status ExternalSorter::Spill() {
  SortChunk();
  const std::string path = fmt::format("{}/{}-{}.run", dir_, name_, runs_.size());
  auto writer = RunWriter::Create(path, key_size_);
  if (!writer.ok()) return writer.status();
  runs_.push_back(path);
  for (const Entry& e : entries_) {
    std::string_view rest(arena_.data() + e.offset + key_size_, arena_.size() - e.offset - key_size_);
    std::string_view payload;
    keys::GetLengthPrefixed(&rest, &payload);
    DOCKET_RETURN_IF_ERROR((*writer)->Add(KeyAt(e.offset), payload));
  }
  DOCKET_RETURN_IF_ERROR((*writer)->Close());
  arena_.clear();
  entries_.clear();
  return {};
}

namespace {
// Min-heap order over cursors by current key.
struct CursorGreater {
  template <class C>
  bool operator()(const C& a, const C& b) const {
    return a->key > b->key;
  }
};
}  // namespace

Status ExternalSorter::Finish() {
  if (runs_.empty()) {
    SortChunk();
    return {};
  }
  if (!entries_.empty()) DOCKET_RETURN_IF_ERROR(Spill());
  std::string().swap(arena_);
  std::vector<Entry>().swap(entries_);
  for (const auto& run : runs_) {
    auto reader = RunReader::Open(run, key_size_);
    if (!reader.ok()) return reader.status();
    auto cursor = std::make_unique<Cursor>();
    cursor->reader = std::move(*reader);
    if (cursor->reader->Next(&cursor->key, &cursor->payload)) {
      heap_.push_back(std::move(cursor));
    } else if (!cursor->reader->status().ok()) {
      return cursor->reader->status();
    }
  }
  std::make_heap(heap_.begin(), heap_.end(), CursorGreater());
  next_entry_ = 0;
  return {};
}

bool ExternalSorter::Next(std::string_view* key, std::string_view* payload) {
  if (runs_.empty()) {
    if (next_entry_ >= entries_.size()) return false;
    const Entry& e = entries_[next_entry_++];
    std::string_view rest(arena_.data() + e.offset + key_size_, arena_.size() - e.offset - key_size_);
    keys::GetLengthPrefixed(&rest, payload);
    *key = KeyAt(e.offset);
    return true;
  }
  // The cursor returned last time sits at the back, outside the heap: advance it first.
  if (next_entry_ > 0) {
    auto& last = heap_.back();
    if (last->reader->Next(&last->key, &last->payload)) {
      std::push_heap(heap_.begin(), heap_.end(), CursorGreater());
    } else {
      if (!last->reader->status().ok()) status_ = last->reader->status();
      heap_.pop_back();
    }
  }
  if (heap_.empty() || !status_.ok()) return false;
  std::pop_heap(heap_.begin(), heap_.end(), CursorGreater());
  next_entry_ = 1;
  *key = heap_.back()->key;
  *payload = heap_.back()->payload;
  return true;
}

}  // namespace docket
