#include "storage/archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/env.h>
#include <rocksdb/flush_block_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/listener.h>
#include <rocksdb/table.h>

#include "storage/archive_impl.h"
#include "storage/key_codec.h"
#include "storage/version_rules.h"

namespace docket {
namespace {

// RocksDB's info LOG files would only clutter the archive and slow the open.
class NullLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

// The environment of read-only opens, without what they never use; each
// would be a visible part of a one-shot command's time. A read-only
// database never flushes or compacts: it needs no background threads.
class ReadOnlyEnv : public rocksdb::EnvWrapper {
 public:
  ReadOnlyEnv() : rocksdb::EnvWrapper(rocksdb::Env::Default()) {}
  const char* Name() const override { return "DocketReadOnlyEnv"; }
  void IncBackgroundThreadsIfNeeded(int, Priority) override {}
  // Registering the paths only caches their disks' logical block size, for
  // direct I/O, which docket does not use: a walk up /sys per open.
  rocksdb::Status RegisterDbPaths(const std::vector<std::string>&) override { return {}; }
  rocksdb::Status UnregisterDbPaths(const std::vector<std::string>&) override { return {}; }
};

// Turns off RocksDB's recovery from background errors. docket flushes and
// merges in the foreground and judges each failure itself (a failed commit
// is cut back; a failed merge after a commit is left to the next writer),
// so nothing is to be resumed behind its back; and a recovery that never
// ends (an ENOSPC waits for free space) would make closing the database
// wait forever.
class NoAutoRecovery : public rocksdb::EventListener {
 public:
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) noexcept override {
    *auto_recovery = false;
  }
};

// Another process holds the database's LOCK (not: the LOCK cannot be opened).
bool IsLockError(const rocksdb::Status& s) {
  const std::string text = s.ToString();
  return s.IsIOError() && (text.find("While lock file") != std::string::npos ||
                           text.find("lock hold by current process") != std::string::npos);
}

// What is at an archive's path before it is opened.
enum class PathState {
  kMissing,  // nothing, or an archive whose creation was cut short: creatable
  kArchive,  // a database with its CURRENT file
  kDamaged,  // a database's files without CURRENT: opening would start a new one over them
  kForeign,  // a directory of files that are not an archive's
};

// Files RocksDB writes before CURRENT when it creates a database (and
// docket's publish lock): a directory holding only these is an archive
// whose creation was cut short.
bool IsCreationFile(const std::string& name) {
  return name == kPublishLockFile || name == "LOCK" || name == "IDENTITY" || name.rfind("LOG", 0) == 0 ||
         name.rfind("MANIFEST-", 0) == 0 || name.ends_with(".dbtmp");
}

// Files only a database that has its CURRENT holds: tables, logs, options.
bool IsDatabaseFile(const std::string& name) {
  return name.ends_with(".sst") || name.ends_with(".ldb") || name.ends_with(".log") ||
         name.ends_with(".blob") || name.rfind("OPTIONS-", 0) == 0;
}

Result<PathState> Inspect(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status::Io(fmt::format("cannot open archive {}: {}", path, ec.message()));
  if (!fs::is_directory(status)) return PathState::kMissing;
  bool current = false, database = false, foreign = false;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    current = current || name == "CURRENT";
    database = database || IsDatabaseFile(name);
    foreign = foreign || !(name == "CURRENT" || IsDatabaseFile(name) || IsCreationFile(name));
  }
  if (ec) return Status::Io(fmt::format("cannot open archive {}: {}", path, ec.message()));
  if (current) return PathState::kArchive;
  if (database) return PathState::kDamaged;
  return foreign ? PathState::kForeign : PathState::kMissing;
}

// Refuses what Inspect found unless it is an archive or creatable.
Status CheckOpenable(const std::string& path, PathState state) {
  if (state == PathState::kDamaged)
    return Status::Io(fmt::format("archive {} is damaged: its CURRENT file is missing; nothing was "
                                  "changed; run `docket repair`",
                                  path));
  if (state == PathState::kForeign)
    return Status::Io(fmt::format("{} is not a docket archive: it holds other files", path));
  return {};
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return {};
  return Status::Io(fmt::format("{}: {}", what, s.ToString()));
}

namespace {

// Where the data blocks of every table the archive writes end: the time
// index's at kTimeIndexBlockBytes, in a merge's tables as in an import's;
// every other key's by RocksDB's size rule (a cell is one key, so its
// versions share one block).
class ArchiveBlockPolicy : public rocksdb::FlushBlockPolicy {
 public:
  ArchiveBlockPolicy(const rocksdb::BlockBasedTableOptions& table, const rocksdb::BlockBuilder& block)
      : by_size_(BySize(table.block_size, table.block_size_deviation, block)),
        time_index_(BySize(std::max<size_t>(table.block_size, kTimeIndexBlockBytes), table.block_size_deviation,
                           block)) {}

  // Whether to close the block before adding the entry.
  bool Update(const rocksdb::Slice& internal_key, const rocksdb::Slice& value) override {
    const bool time_key = !internal_key.empty() && internal_key[0] == keys::kTimeTag;
    return (time_key ? time_index_ : by_size_)->Update(internal_key, value);
  }

 private:
  static std::unique_ptr<rocksdb::FlushBlockPolicy> BySize(size_t bytes, int deviation,
                                                           const rocksdb::BlockBuilder& block) {
    return std::unique_ptr<rocksdb::FlushBlockPolicy>(
        rocksdb::FlushBlockBySizePolicyFactory::NewFlushBlockPolicy(bytes, deviation, block));
  }

  std::unique_ptr<rocksdb::FlushBlockPolicy> by_size_, time_index_;
};

class ArchiveBlocks : public rocksdb::FlushBlockPolicyFactory {
 public:
  const char* Name() const override { return "DocketArchiveBlocks"; }
  rocksdb::FlushBlockPolicy* NewFlushBlockPolicy(const rocksdb::BlockBasedTableOptions& table,
                                                 const rocksdb::BlockBuilder& block) const override {
    return new ArchiveBlockPolicy(table, block);
  }
};

}  // namespace

rocksdb::Options ArchiveOptions(size_t block_cache_bytes) {
  rocksdb::Options o;
  o.info_log = std::make_shared<NullLogger>();
  // Open fast for one-shot commands: no per-file stats or size checks, and
  // files opened on first use.
  o.skip_stats_update_on_db_open = true;
  o.skip_checking_sst_file_sizes_on_db_open = true;
  o.max_open_files = 256;
  o.max_file_opening_threads = 1;
  o.stats_dump_period_sec = 0;
  o.stats_persist_period_sec = 0;
  // Small archives stay small on disk.
  o.allow_fallocate = false;
  o.manifest_preallocation_size = 64 * 1024;
  // Reads decompress one block per cell: small blocks keep that cheap
  // (16 KiB blocks made growth over 10,000 series 1.13x too slow; 2 KiB
  // blocks of cells answer a charge's growth 0.95x as long as 4 KiB ones,
  // for 0.3 bytes more per report; benchmarks/README.md, item 15). ZSTD at level 5 holds a report's version in ~9
  // bytes against LZ4's ~14, for ~10% more CPU in a read-heavy query; a
  // trained dictionary would save 0.6 bytes more but cost another ~12%
  // (RocksDB re-reads it per block). Every level alike: SstFileWriter
  // writes an import's files with the bottommost settings. Tables written
  // with other settings stay readable: each names its own compression.
  o.compression = rocksdb::kZSTD;
  o.bottommost_compression = rocksdb::kZSTD;
  o.compression_opts.level = o.bottommost_compression_opts.level = 5;
  o.bottommost_compression_opts.enabled = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 2 * 1024;
  // Keys of one block share long prefixes: fewer restart points, fewer
  // bytes (a seek scans at most 64 keys of the block it decompressed).
  table.block_restart_interval = 64;
  // Index entries (a block's last key, shortened, and its place) likewise:
  // each 16th entry whole, the others after the prefix they share.
  table.index_block_restart_interval = 16;
  table.format_version = 5;
  // A partitioned index: opening a table reads only the top level, not an
  // index of every block (a one-shot command opens every table).
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.metadata_block_size = 4096;
  table.enable_index_compression = false;
  table.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  table.flush_block_policy_factory = std::make_shared<ArchiveBlocks>();
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

// ---------------------------------------------------------------- Impl

std::unique_ptr<rocksdb::Iterator> Archive::Impl::NewIterator(const rocksdb::Slice* upper_bound) {
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = upper_bound;
  rocksdb::Iterator* base = db ? db->NewIterator(ro) : rocksdb::NewEmptyIterator();
  if (!batch) return std::unique_ptr<rocksdb::Iterator>(base);
  return std::unique_ptr<rocksdb::Iterator>(batch->NewIteratorWithBase(base));
}

namespace {
constexpr char kAboveEveryKey[] = "\xff";
}  // namespace

Archive::Impl::Cursor::Cursor(Impl& impl, const std::string& upper_bound) : bound_(upper_bound) {
  if (!impl.batch)
    for (auto& r : impl.read_iterators)
      if (!r.busy) {
        shared_ = &r;
        break;
      }
  if (shared_) {
    shared_->bound_key.assign(upper_bound.empty() ? std::string_view(kAboveEveryKey) : upper_bound);
    shared_->bound = shared_->bound_key;
    if (!shared_->it) {
      rocksdb::ReadOptions ro;
      ro.iterate_upper_bound = &shared_->bound;
      shared_->it.reset(impl.db->NewIterator(ro));
    }
    shared_->busy = true;
    it_ = shared_->it.get();
  } else {
    own_ = impl.NewIterator(upper_bound.empty() ? nullptr : &bound_);
    it_ = own_.get();
  }
}

Archive::Impl::Cursor::~Cursor() {
  if (shared_) shared_->busy = false;
}

Status Archive::Impl::Scan(
    std::string_view prefix,
    const std::function<bool(std::string_view key, std::string_view value)>& visit,
    std::string_view start) {
  // A scan reads cells through the batch: the pending ones go there first.
  if (batch) DOCKET_RETURN_IF_ERROR(PutPendingCells());
  const std::string end = keys::PrefixEnd(prefix);
  // A scan inside another's `visit` takes the next free one of the reused
  // iterators (a scan in recorded order looks up each version's report).
  Cursor it(*this, end);
  for (it->Seek(start.empty() ? prefix : start); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (!key.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    if (!visit(std::string_view(key.data(), key.size()),
               std::string_view(it->value().data(), it->value().size())))
      break;
  }
  return FromRocks(it->status(), "reading the archive");
}

Status Archive::Impl::Get(const std::string& key, std::string* value, bool* found) {
  rocksdb::Status s;
  if (batch && db) {
    s = batch->GetFromBatchAndDB(db.get(), rocksdb::ReadOptions(), key, value);
  } else if (batch) {
    s = batch->GetFromBatch(rocksdb::DBOptions(), key, value);
  } else {
    s = db->Get(rocksdb::ReadOptions(), key, value);
  }
  *found = s.ok();
  if (s.IsNotFound()) return {};
  return FromRocks(s, "reading the archive");
}

Status Archive::Impl::Put(const std::string& key, const std::string& value) {
  if (!batch) return Status::Input("the archive is open read-only");
  dirty = true;
  return FromRocks(batch->Put(key, value), "buffering a write");
}

Status Archive::Impl::LoadCatalog() {
  charges.clear();
  sources.clear();
  sources_by_id.clear();
  bool corrupt = false;
  DOCKET_RETURN_IF_ERROR(Scan(keys::KindPrefix(keys::kChargeTag), [&](auto key, auto value) {
    Charge c;
    if (!keys::DecodeCharge(keys::CatalogKeyName(key), value, &c)) return !(corrupt = true);
    charges.emplace(c.name, std::move(c));
    return true;
  }));
  DOCKET_RETURN_IF_ERROR(Scan(keys::KindPrefix(keys::kSourceTag), [&](auto key, auto value) {
    Source s;
    if (!keys::DecodeSource(keys::CatalogKeyName(key), value, &s)) return !(corrupt = true);
    sources.emplace(s.name, std::move(s));
    return true;
  }));
  if (corrupt) return Status::Io("corrupt catalog entry in the archive");
  for (const auto& [name, source] : sources) sources_by_id[source.id] = &source;
  return {};
}

Result<std::optional<Micros>> Archive::Impl::LatestRecorded() {
  if (latest_recorded) return *latest_recorded;
  std::optional<Micros> latest;
  if (db) {
    auto it = std::unique_ptr<rocksdb::Iterator>(db->NewIterator(rocksdb::ReadOptions()));
    it->SeekForPrev(keys::PrefixEnd(keys::KindPrefix(keys::kTimeTag)));
    Micros recorded;
    ReportKey report;
    if (it->Valid() && keys::DecodeTimeKey(std::string_view(it->key().data(), it->key().size()),
                                           &recorded, &report))
      latest = recorded;
    DOCKET_RETURN_IF_ERROR(FromRocks(it->status(), "reading the archive"));
  }
  latest_recorded = latest;
  return latest;
}

Result<SeriesId> Archive::Impl::LastSeriesId() {
  if (!last_series_id) {
    SeriesId last = 0;
    if (db) {
      auto it = std::unique_ptr<rocksdb::Iterator>(db->NewIterator(rocksdb::ReadOptions()));
      it->SeekForPrev(keys::PrefixEnd(keys::KindPrefix(keys::kSeriesByIdTag)));
      if (it->Valid() && !keys::DecodeSeriesByIdKey(std::string_view(it->key().data(), it->key().size()), &last))
        last = 0;
      DOCKET_RETURN_IF_ERROR(FromRocks(it->status(), "reading the archive"));
    }
    last_series_id = last;
  }
  return *last_series_id;
}

Result<SeriesId> Archive::Impl::NewSeries(const SeriesKey& series) {
  auto last = LastSeriesId();
  if (!last.ok()) return last;
  auto id = version_rules::SeriesIdAfter(*last);
  if (!id.ok()) return id;
  DOCKET_RETURN_IF_ERROR(Put(keys::SeriesByNameKey(series), keys::EncodeSeriesId(*id)));
  DOCKET_RETURN_IF_ERROR(Put(keys::SeriesByIdKey(*id), keys::EncodeSeries(series)));
  last_series_id = *id;
  return id;
}

Result<std::pair<uint64_t, uint64_t>> Archive::Impl::Counts() {
  if (counts) return *counts;
  std::string value;
  bool found = false;
  DOCKET_RETURN_IF_ERROR(Get(keys::CountsKey(), &value, &found));
  uint64_t reports = 0, versions = 0;
  if (found) {
    if (!keys::DecodeCounts(value, &reports, &versions)) return Status::Io("corrupt counts in the archive");
  } else {
    // Count the versions and the distinct reports among them.
    std::vector<Version> cell;
    bool corrupt = false;
    DOCKET_RETURN_IF_ERROR(Scan(keys::KindPrefix(keys::kCellTag), [&](auto key, auto cell_value) {
      cell.clear();
      if (!keys::DecodeCell(key, cell_value, &cell)) return !(corrupt = true);
      versions += cell.size();
      for (size_t i = 0; i < cell.size(); ++i) reports += i == 0 || cell[i].report != cell[i - 1].report;
      return true;
    }));
    if (corrupt) return Status::Io("corrupt report in the archive");
  }
  counts = std::make_pair(reports, versions);
  return *counts;
}

Status Archive::Impl::AddCounts(uint64_t reports, uint64_t versions) {
  auto now = Counts();
  if (!now.ok()) return now.status();
  counts = std::make_pair(now->first + reports, now->second + versions);
  return Put(keys::CountsKey(), keys::EncodeCounts(counts->first, counts->second));
}

Result<FileLock> Archive::Impl::Publish(FileLock::Mode mode) const {
  auto lock = FileLock::Acquire(path + "/" + kPublishLockFile, mode, kPublishWaitSeconds);
  if (!lock.ok() && lock.status().kind() == ErrorKind::kLocked)
    return Status::Error(ErrorKind::kLocked,
                         fmt::format("archive {} stayed busy: another process kept publishing "
                                     "changes for {} s",
                                     path, kPublishWaitSeconds));
  return lock;
}

namespace {

// Newest first: level 0's files as RocksDB lists them (newest first), then
// levels 1, 2, ….
std::vector<SortedRun> ReportRuns(const rocksdb::ColumnFamilyMetaData& meta) {
  std::vector<SortedRun> runs;
  for (const auto& level : meta.levels) {
    SortedRun deeper{level.level, {}, 0};
    for (const auto& file : level.files) {
      if (file.smallestkey.empty() || file.largestkey.empty() || file.smallestkey[0] > keys::kCellTag ||
          file.largestkey[0] < keys::kCellTag)
        continue;
      SortedRun& run = level.level == 0 ? runs.emplace_back(SortedRun{0, {}, 0}) : deeper;
      run.files.push_back(file.name);
      run.bytes += file.size;
    }
    if (!deeper.files.empty()) runs.push_back(std::move(deeper));
  }
  return runs;
}

// How CompactFiles writes a merge: in the archive's table settings, not in
// its own default, Snappy (1.5x the bytes of the archive's ZSTD).
rocksdb::CompactionOptions MergeOptions() {
  rocksdb::CompactionOptions o;
  o.compression = rocksdb::kDisableCompressionOption;
  return o;
}

}  // namespace

uint64_t BytesMergeReads(const rocksdb::ColumnFamilyMetaData& meta, const RunMerge& merge) {
  std::string lo, hi;
  int first_level = merge.output_level;
  for (const auto& level : meta.levels)
    for (const auto& file : level.files)
      if (std::find(merge.files.begin(), merge.files.end(), file.name) != merge.files.end()) {
        if (lo.empty() || file.smallestkey < lo) lo = file.smallestkey;
        if (hi.empty() || file.largestkey > hi) hi = file.largestkey;
        first_level = std::min(first_level, level.level);
      }
  uint64_t bytes = 0;
  for (const auto& level : meta.levels) {
    if (level.level < first_level || level.level > merge.output_level) continue;
    std::string level_lo = lo, level_hi = hi;
    for (const auto& file : level.files)
      if (file.largestkey >= lo && file.smallestkey <= hi) {
        bytes += file.size;
        level_lo = std::min(level_lo, file.smallestkey);
        level_hi = std::max(level_hi, file.largestkey);
      }
    lo = std::move(level_lo);
    hi = std::move(level_hi);
  }
  return bytes;
}

std::optional<RunMerge> PickNeighbourMerge(const rocksdb::ColumnFamilyMetaData& meta,
                                           const std::function<uint64_t(const RunMerge&)>& reads) {
  std::optional<RunMerge> cheapest;
  uint64_t cheapest_bytes = 0;
  for (const auto& level : meta.levels) {
    if (level.level == 0 || level.files.size() <= kMaxFilesPerLevel) continue;
    for (size_t first = 0; first + kNeighboursMerged <= level.files.size(); ++first) {
      RunMerge merge{{}, level.level};
      uint64_t sum = 0, biggest = 0;
      for (size_t i = first; i < first + kNeighboursMerged; ++i) {
        merge.files.push_back(level.files[i].name);
        sum += level.files[i].size;
        biggest = std::max(biggest, level.files[i].size);
      }
      if (biggest > sum - biggest) continue;  // a big file rewritten for small ones
      const uint64_t bytes = reads(merge);
      if (bytes <= kMergeBudgetBytes && (!cheapest || bytes < cheapest_bytes)) {
        cheapest = std::move(merge);
        cheapest_bytes = bytes;
      }
    }
  }
  return cheapest;
}

std::optional<RunMerge> PickRunMerge(const std::vector<SortedRun>& runs, int bottom_level,
                                     const std::function<uint64_t(const RunMerge&)>& reads) {
  std::vector<size_t> counts;  // candidates: merge the newest `count` runs
  uint64_t newer = 0;
  for (size_t j = 1; j < runs.size(); ++j) {
    newer += runs[j - 1].bytes;
    if (2 * newer >= runs[j].bytes) counts.push_back(j + 1);
  }
  if (runs.size() > kMaxRuns) counts.push_back(runs.size() - kMaxRuns + 1);
  std::sort(counts.rbegin(), counts.rend());  // the deepest merge first
  for (size_t count : counts) {
    const int output_level =
        count == runs.size() ? bottom_level : std::max(runs[count - 1].level, runs[count].level - 1);
    if (output_level == 0) continue;
    RunMerge merge{{}, output_level};
    for (size_t i = 0; i < count; ++i)
      merge.files.insert(merge.files.end(), runs[i].files.begin(), runs[i].files.end());
    if (reads(merge) <= kMergeBudgetBytes) return merge;
  }
  return std::nullopt;
}

Status Archive::Impl::MergeTables() {
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(&meta);
  if (meta.file_count > kTableFileBudget) {
    // Imports leave files at every level (most at the bottom, where no
    // level-0 merge reaches): merge everything into the bottom level.
    rocksdb::CompactRangeOptions all;
    all.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    return FromRocks(db->CompactRange(all, nullptr, nullptr), "compacting the archive");
  }
  const auto reads = [&meta](const RunMerge& merge) { return BytesMergeReads(meta, merge); };
  const int bottom = static_cast<int>(meta.levels.size()) - 1;
  const auto apply = [&](const std::optional<RunMerge>& merge) -> Status {
    if (!merge) return {};
    DOCKET_RETURN_IF_ERROR(FromRocks(db->CompactFiles(MergeOptions(), merge->files, merge->output_level),
                                     "compacting the archive"));
    db->GetColumnFamilyMetaData(&meta);
    return {};
  };
  DOCKET_RETURN_IF_ERROR(apply(PickRunMerge(ReportRuns(meta), bottom, reads)));
  DOCKET_RETURN_IF_ERROR(apply(PickNeighbourMerge(meta, reads)));
  if (meta.levels.size() < 2 || meta.levels[0].files.size() < 4) return {};
  std::vector<std::string> names;
  for (int level : {0, 1})
    for (const auto& file : meta.levels[static_cast<size_t>(level)].files) names.push_back(file.name);
  return FromRocks(db->CompactFiles(MergeOptions(), names, /*output_level=*/1),
                   "compacting the archive");
}

void Archive::Impl::TidyAfterCommit(bool flush) {
  if (!db->DisableFileDeletions().ok()) return;
  const bool tidied = (!flush || db->Flush(rocksdb::FlushOptions()).ok()) && MergeTables().ok();
  // After a failure RocksDB refuses further writes; the files stay until
  // the next writer's open, which finds the database as its MANIFEST says.
  if (tidied) (void)db->EnableFileDeletions(/*force=*/false);
}

Result<Archive::Impl::FileMark> Archive::Impl::ManifestMark() const {
  std::ifstream current(path + "/CURRENT");
  std::string name;
  std::getline(current, name);
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path + "/" + name, ec);
  if (name.empty() || ec) return Status::Io(fmt::format("cannot read the MANIFEST of archive {}", path));
  return FileMark{path + "/" + name, size};
}

Status Archive::Impl::UndoFailedWrite(const FileMark& mark, const rocksdb::Status& failure,
                                      std::string_view what) {
  for (auto& r : read_iterators) r.it.reset();
  db.reset();
  const int fd = ::open(mark.path.c_str(), O_WRONLY | O_CLOEXEC);
  const bool undone = fd >= 0 && ::ftruncate(fd, static_cast<off_t>(mark.size)) == 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  return Status::Io(fmt::format("{}: {}{}", what, failure.ToString(),
                                undone ? "; nothing was committed"
                                       : fmt::format("; {} could not be cut back: the write may be in the archive",
                                                     mark.path)));
}

Status Archive::Impl::WriteBatchOrUndo() {
  std::unique_ptr<rocksdb::LogFile> log;
  DOCKET_RETURN_IF_ERROR(FromRocks(db->GetCurrentWalFile(&log), "writing the archive"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status written = db->Write(wo, batch->GetWriteBatch());
  if (written.ok()) return {};
  return UndoFailedWrite(FileMark{path + log->PathName(), log->SizeFileBytes()}, written,
                         "writing the archive");
}

Status Archive::Impl::IngestOrUndo(const std::vector<std::string>& files) {
  auto mark = ManifestMark();
  if (!mark.ok()) return mark.status();
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = true;
  const rocksdb::Status ingested = db->IngestExternalFile(files, ingest);
  if (ingested.ok()) return {};
  return UndoFailedWrite(*mark, ingested, "ingesting the import");
}

Archive::Impl::~Impl() {
  if (!db || !batch) return;
  // Closing a writable database may delete obsolete files.
  auto lock = Publish(FileLock::Mode::kExclusive);
  for (auto& r : read_iterators) r.it.reset();
  db.reset();
}

Status Archive::Impl::OpenForWrite(bool create) {
  rocksdb::Options o = ArchiveOptions(options.block_cache_bytes);
  o.create_if_missing = create;
  // Compactions run only under the publish lock (MergeTables).
  o.disable_auto_compactions = true;
  o.listeners.push_back(std::make_shared<NoAutoRecovery>());
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::Io(fmt::format("cannot create {}: {}", path, ec.message()));
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(options.wait_seconds * 1000));
  for (;;) {
    // Opening recovers the log and may delete files: under the publish lock.
    auto publish = Publish(FileLock::Mode::kExclusive);
    if (!publish.ok()) return publish.status();
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(o, path, &raw);
    if (s.ok()) {
      db.reset(raw);
      return {};
    }
    publish->Release();
    if (!IsLockError(s)) return FromRocks(s, fmt::format("cannot open archive {}", path));
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Error(
          ErrorKind::kLocked,
          fmt::format("archive is locked by another writer: {}/LOCK (waited {} s)", path,
                      options.wait_seconds));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// ---------------------------------------------------------------- Archive

Archive::Archive(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Archive::~Archive() = default;

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& path,
                                               const OpenOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  auto state = Inspect(path);
  if (!state.ok()) return state.status();
  DOCKET_RETURN_IF_ERROR(CheckOpenable(path, *state));
  const bool exists = *state == PathState::kArchive;
  if (options.mode == OpenOptions::Mode::kFollow) {
    if (!exists) return Status::Error(ErrorKind::kNotFound, fmt::format("archive not found: {}", path));
    rocksdb::Options follow_options = ArchiveOptions(options.block_cache_bytes);
    follow_options.max_open_files = -1;  // a secondary instance keeps every table file open
    std::error_code ec;
    std::filesystem::create_directories(options.follow_dir, ec);
    if (ec) return Status::Io(fmt::format("cannot create {}: {}", options.follow_dir, ec.message()));
    auto publish = impl->Publish(FileLock::Mode::kShared);
    if (!publish.ok()) return publish.status();
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    DOCKET_RETURN_IF_ERROR(FromRocks(
        rocksdb::DB::OpenAsSecondary(follow_options, path, options.follow_dir,
                                     {{rocksdb::kDefaultColumnFamilyName, follow_options}}, &handles, &raw),
        fmt::format("cannot follow archive {}", path)));
    impl->db.reset(raw);
    for (rocksdb::ColumnFamilyHandle* handle : handles) delete handle;
  } else if (options.mode == OpenOptions::Mode::kRead) {
    if (!exists) return Status::Error(ErrorKind::kNotFound, fmt::format("archive not found: {}", path));
    static ReadOnlyEnv read_only_env;
    rocksdb::Options read_options = ArchiveOptions(options.block_cache_bytes);
    read_options.env = &read_only_env;
    // No logger at all: RocksDB then skips what it would only log (a listing
    // of the archive's directory with each file's size, every option).
    read_options.info_log = nullptr;
    // Every table file is opened now, under the publish lock: files a
    // writer deletes later stay readable through the open descriptors.
    read_options.max_open_files = -1;
    auto publish = impl->Publish(FileLock::Mode::kShared);
    if (!publish.ok()) return publish.status();
    // The column-family form of OpenForReadOnly: the plain form first tries
    // a CompactedDBImpl, which recovers the whole database (every table
    // opened) only to give up when tables sit in more than one level, as
    // after an import into a defined archive: the open then costs double.
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    DOCKET_RETURN_IF_ERROR(FromRocks(
        rocksdb::DB::OpenForReadOnly(read_options, path,
                                     {{rocksdb::kDefaultColumnFamilyName, read_options}}, &handles, &raw),
        fmt::format("cannot open archive {}", path)));
    impl->db.reset(raw);
    // The database holds its own reference to its default column family.
    for (rocksdb::ColumnFamilyHandle* handle : handles) delete handle;
  } else {
    impl->batch = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(),
                                                                 0, /*overwrite_key=*/true);
    if (exists) DOCKET_RETURN_IF_ERROR(impl->OpenForWrite(/*create=*/false));
  }
  if (impl->db) {
    std::string value;
    bool found = false;
    DOCKET_RETURN_IF_ERROR(impl->Get(keys::FormatKey(), &value, &found));
    uint32_t version = 0;
    if (found) {
      if (!keys::DecodeFormatValue(value, &version) ||
          (version != keys::kFormatVersion && version != keys::kFormatWithVersionKeys))
        return Status::Io(fmt::format(
            "archive {} has an unknown format version; this docket reads version {}", path,
            keys::kFormatVersion));
      if (version == keys::kFormatWithVersionKeys) {
        if (options.mode != OpenOptions::Mode::kWrite) {
          // Upgraded by a writer's open, then opened again as asked.
          impl.reset();
          OpenOptions write{OpenOptions::Mode::kWrite, options.wait_seconds};
          write.on_upgrade = options.on_upgrade;
          auto writer = Archive::Open(path, write);
          if (!writer.ok()) return writer.status();
          writer->reset();
          return Archive::Open(path, options);
        }
        DOCKET_RETURN_IF_ERROR(UpgradeToCells(*impl));
      }
      impl->has_format_key = true;
    } else {
      // An empty database is an archive whose creation was cut short.
      bool empty = true;
      DOCKET_RETURN_IF_ERROR(impl->Scan("", [&](auto, auto) { return empty = false; }));
      if (!empty) return Status::Io(fmt::format("{} is not a docket archive", path));
    }
  }
  DOCKET_RETURN_IF_ERROR(impl->LoadCatalog());
  return std::unique_ptr<Archive>(new Archive(std::move(impl)));
}

Result<std::string> Archive::ChangeStamp(const std::string& path) {
  namespace fs = std::filesystem;
  std::string stamp;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == kPublishLockFile || name == "LOCK" || name.rfind("LOG", 0) == 0) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;  // deleted meanwhile: the names differ anyway
    stamp += fmt::format("{} {} {}.{}\n", name, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status::Io(fmt::format("cannot read archive {}: {}", path, ec.message()));
  return stamp;
}

Status Archive::CatchUp() {
  Impl& m = *impl_;
  if (m.options.mode != OpenOptions::Mode::kFollow) return Status::Io("only a follower catches up");
  // Under the shared publish lock, as a reader's open: no table file a
  // writer's merge deletes vanishes half-way through.
  auto publish = m.Publish(FileLock::Mode::kShared);
  if (!publish.ok()) return publish.status();
  for (auto& r : m.read_iterators) r.it.reset();
  DOCKET_RETURN_IF_ERROR(FromRocks(m.db->TryCatchUpWithPrimary(), fmt::format("cannot follow archive {}", m.path)));
  m.series_by_id.clear();
  m.series_by_name.clear();
  m.latest_recorded.reset();
  m.last_series_id.reset();
  m.counts.reset();
  return m.LoadCatalog();
}

const std::string& Archive::path() const { return impl_->path; }
bool Archive::exists() const { return impl_->db != nullptr; }
bool Archive::dirty() const { return impl_->dirty; }

const Charge* Archive::FindCharge(std::string_view name) const {
  auto it = impl_->charges.find(name);
  return it == impl_->charges.end() ? nullptr : &it->second;
}

const Source* Archive::FindSource(std::string_view name) const {
  auto it = impl_->sources.find(name);
  return it == impl_->sources.end() ? nullptr : &it->second;
}

const Source* Archive::SourceById(SourceId id) const {
  auto it = impl_->sources_by_id.find(id);
  return it == impl_->sources_by_id.end() ? nullptr : it->second;
}

const std::map<std::string, Charge, std::less<>>& Archive::charges() const {
  return impl_->charges;
}
const std::map<std::string, Source, std::less<>>& Archive::sources() const {
  return impl_->sources;
}

Result<std::vector<SeriesInfo>> Archive::SeriesOf(std::string_view charge) {
  std::vector<SeriesInfo> out;
  bool corrupt = false;
  DOCKET_RETURN_IF_ERROR(impl_->Scan(keys::SeriesByNamePrefix(charge), [&](auto key, auto value) {
    SeriesInfo info;
    if (!keys::DecodeSeriesId(value, &info.id) || !keys::DecodeSeriesByNameKey(key, &info.key))
      return !(corrupt = true);
    info.text = info.key.ToString();
    out.push_back(std::move(info));
    return true;
  }));
  if (corrupt) return Status::Io("corrupt series entry in the archive");
  std::sort(out.begin(), out.end(),
            [](const SeriesInfo& a, const SeriesInfo& b) { return a.text < b.text; });
  return out;
}

Result<std::optional<SeriesId>> Archive::FindSeries(const SeriesKey& key) {
  Impl& m = *impl_;
  std::string name_key = keys::SeriesByNameKey(key);
  if (auto it = m.series_by_name.find(name_key); it != m.series_by_name.end())
    return std::optional<SeriesId>(it->second);
  std::string value;
  bool found = false;
  DOCKET_RETURN_IF_ERROR(m.Get(name_key, &value, &found));
  if (!found) return std::optional<SeriesId>();
  SeriesId id;
  if (!keys::DecodeSeriesId(value, &id)) return Status::Io("corrupt series entry in the archive");
  if (!m.batch) {
    if (m.series_by_name.size() == Impl::kMaxSeriesByName) m.series_by_name.clear();
    m.series_by_name.emplace(std::move(name_key), id);
  }
  return std::optional<SeriesId>(id);
}

Result<const SeriesInfo&> Archive::SeriesById(SeriesId id) {
  if (auto it = impl_->series_by_id.find(id); it != impl_->series_by_id.end()) return it->second;
  std::string value;
  bool found = false;
  DOCKET_RETURN_IF_ERROR(impl_->Get(keys::SeriesByIdKey(id), &value, &found));
  SeriesInfo info;
  info.id = id;
  if (!found || !keys::DecodeSeries(value, &info.key))
    return Status::Io(fmt::format("series {} is missing from the archive", id));
  info.text = info.key.ToString();
  return impl_->series_by_id.emplace(id, std::move(info)).first->second;
}

Status Archive::ForEachSeries(const std::function<void(const SeriesInfo&)>& visit) {
  bool corrupt = false;
  DOCKET_RETURN_IF_ERROR(
      impl_->Scan(keys::KindPrefix(keys::kSeriesByIdTag), [&](auto key, auto value) {
        SeriesInfo info;
        if (!keys::DecodeSeriesByIdKey(key, &info.id) || !keys::DecodeSeries(value, &info.key))
          return !(corrupt = true);
        info.text = info.key.ToString();
        visit(info);
        return true;
      }));
  return corrupt ? Status::Io("corrupt series entry in the archive") : Status();
}

Status Archive::Impl::ReadCell(SeriesId series, const Period& period, std::vector<Version>* out) {
  const std::string key = keys::CellKey(series, period);
  if (auto pending = pending_cells.find(key); pending != pending_cells.end()) {
    out->insert(out->end(), pending->second.versions.begin(), pending->second.versions.end());
    return {};
  }
  std::string_view value;
  std::string copy;
  rocksdb::PinnableSlice pinned;
  bool found = false;
  if (batch) {
    DOCKET_RETURN_IF_ERROR(Get(key, &copy, &found));
    value = copy;
  } else {
    // Read in place, in its block, not copied.
    const rocksdb::Status s = db->Get(rocksdb::ReadOptions(), db->DefaultColumnFamily(), key, &pinned);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the archive");
    found = s.ok();
    value = std::string_view(pinned.data(), pinned.size());
  }
  if (found && !keys::DecodeCell(key, value, out)) return Status::Io("corrupt report in the archive");
  return {};
}

Result<Archive::Impl::PendingCell*> Archive::Impl::CellToWrite(SeriesId series, const Period& period) {
  const std::string key = keys::CellKey(series, period);
  auto it = pending_cells.find(key);
  if (it == pending_cells.end()) {
    PendingCell cell;
    cell.key = key;
    DOCKET_RETURN_IF_ERROR(ReadCell(series, period, &cell.versions));
    it = pending_cells.emplace(key, std::move(cell)).first;
  }
  return &it->second;
}

void Archive::Impl::AddToCell(PendingCell* cell, const Version& version) {
  cell->versions.insert(std::upper_bound(cell->versions.begin(), cell->versions.end(), version, keys::CellOrderLess),
                        version);
  if (!cell->changed) changed_cells.push_back(cell);
  cell->changed = true;
}

Status Archive::Impl::PutPendingCells() {
  for (PendingCell* cell : changed_cells) {
    DOCKET_RETURN_IF_ERROR(Put(cell->key, keys::EncodeCell(cell->versions)));
    cell->changed = false;
  }
  changed_cells.clear();
  return {};
}

Status Archive::Impl::ScanCells(SeriesId series, const std::function<Status(std::string_view key, std::string_view value)>& visit) {
  Status failed;
  DOCKET_RETURN_IF_ERROR(Scan(keys::CellSeriesPrefix(series), [&](auto key, auto value) {
    failed = visit(key, value);
    return failed.ok();
  }));
  return failed;
}

Status Archive::ScanSeries(SeriesId series, std::vector<Version>* out) {
  out->clear();
  return impl_->ScanCells(series, [&](auto key, auto value) {
    return keys::DecodeCell(key, value, out) ? Status() : Status::Io("corrupt report in the archive");
  });
}

Status Archive::ScanCell(SeriesId series, const Period& period, std::vector<Version>* out) {
  out->clear();
  return impl_->ReadCell(series, period, out);
}

namespace {

// Moves each source's current reports at `at` among `cell` (one cell's
// versions, in cell order) to the end of `out`: the newest version
// recorded by the cutoff of each report dated by the cutoff, of the
// latest effective day the source has (spec §1 "Resolution").
void TakeCurrentReports(std::vector<Version>& cell, const Cutoffs& at, std::vector<Version>* out) {
  size_t kept = out->size();  // where the current source's kept reports start
  for (size_t i = 0; i < cell.size();) {
    const ReportKey& report = cell[i].report;
    size_t end = i + 1;  // of the report's versions
    while (end < cell.size() && cell[end].report == report) ++end;
    if (at.as_of_day && report.reported.last_day() > *at.as_of_day) {
      // Every later report of this source is dated after the cutoff too.
      while (end < cell.size() && cell[end].report.source == report.source) ++end;
      i = end;
      continue;
    }
    size_t newest = i;  // the report's newest version recorded by the cutoff
    if (at.recorded_as_of)
      while (newest < end && cell[newest].recorded > *at.recorded_as_of) ++newest;
    if (newest < end) {
      const bool same_source = kept < out->size() && out->back().report.period == report.period &&
                               out->back().report.source == report.source;
      if (!same_source) kept = out->size();
      if (same_source && out->back().report.reported.last_day() < report.reported.last_day()) out->resize(kept);
      out->push_back(std::move(cell[newest]));
    }
    i = end;
  }
}

}  // namespace

Status Archive::ScanCurrentReports(SeriesId series, const std::optional<Period>& period, const Cutoffs& at,
                                   std::vector<Version>* out) {
  out->clear();
  std::vector<Version>& cell = impl_->cell_scratch;
  if (period) {
    cell.clear();
    DOCKET_RETURN_IF_ERROR(impl_->ReadCell(series, *period, &cell));
    TakeCurrentReports(cell, at, out);
    return {};
  }
  return impl_->ScanCells(series, [&](auto key, auto value) {
    cell.clear();
    if (!keys::DecodeCell(key, value, &cell)) return Status::Io("corrupt report in the archive");
    TakeCurrentReports(cell, at, out);
    return Status();
  });
}

Status Archive::ScanTimeIndex(Micros from,
                              const std::function<bool(Micros, const ReportKey&)>& visit) {
  bool corrupt = false;
  DOCKET_RETURN_IF_ERROR(impl_->Scan(
      keys::KindPrefix(keys::kTimeTag),
      [&](auto key, auto) {
        Micros recorded;
        ReportKey report;
        if (!keys::DecodeTimeKey(key, &recorded, &report)) return !(corrupt = true);
        return visit(recorded, report);
      },
      keys::TimePrefixFrom(from)));
  return corrupt ? Status::Io("corrupt time index entry in the archive") : Status();
}

Status Archive::ReadVersion(const ReportKey& report, Micros recorded, Version* out) {
  std::vector<Version> cell;
  DOCKET_RETURN_IF_ERROR(impl_->ReadCell(report.series, report.period, &cell));
  const Version* found = keys::FindInCell(cell, report, recorded);
  if (!found) return Status::Io("time index points at a missing report version");
  *out = *found;
  return {};
}

Status Archive::ScanRecordedSince(Micros from, const std::function<bool(const Version&)>& visit) {
  // The time index is read a window at a time, and the cells of the
  // window's versions in key order, each once: the cells of a block are
  // then read with one decompression of it (the block cache keeps the
  // block from one cell's read to the next's), not one per version
  // (one by one, a csv export at 10M reports took 169 s). A window keeps
  // each version's format-2 key (its report and time; ~23 bytes) and value
  // bytes: at most kWindow versions and kWindowValues bytes of values; a
  // version whose value does not fit is read again when it is visited.
  constexpr size_t kWindow = size_t{1} << 20, kWindowValues = size_t{16} << 20;
  constexpr uint32_t kNotKept = UINT32_MAX;
  std::string key_bytes, value_bytes;
  std::vector<uint32_t> key_ends;      // key i is key_bytes[key_ends[i-1], key_ends[i]); recorded order
  std::vector<uint32_t> value_starts;  // value i, length-prefixed, at value_bytes[value_starts[i]]; or kNotKept
  std::vector<uint32_t> order;
  std::vector<Version> cell;
  const auto key_of = [&](uint32_t i) {
    const uint32_t begin = i ? key_ends[i - 1] : 0;
    return std::string_view(key_bytes).substr(begin, key_ends[i] - begin);
  };
  const auto read_window = [&]() -> Status {
    order.resize(key_ends.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    // Version keys sort by cell first, so a cell's versions are adjacent.
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key_of(a) < key_of(b); });
    value_starts.assign(key_ends.size(), kNotKept);
    value_bytes.clear();
    std::optional<ReportKey> cell_of;  // a report of the cell read last
    for (uint32_t i : order) {
      Version wanted;
      if (!keys::DecodeVersionKey(key_of(i), &wanted.report, &wanted.recorded))
        return Status::Io("corrupt time index entry in the archive");
      if (!cell_of || cell_of->series != wanted.report.series || !(cell_of->period == wanted.report.period)) {
        cell_of = wanted.report;
        cell.clear();
        DOCKET_RETURN_IF_ERROR(impl_->ReadCell(wanted.report.series, wanted.report.period, &cell));
      }
      const Version* found = keys::FindInCell(cell, wanted.report, wanted.recorded);
      if (!found) return Status::Io("time index points at a missing report version");
      const std::string value = keys::EncodeVersionValue(*found);
      if (value_bytes.size() + value.size() > kWindowValues) continue;
      value_starts[i] = static_cast<uint32_t>(value_bytes.size());
      keys::PutLengthPrefixed(&value_bytes, value);
    }
    return {};
  };
  bool stopped = false;
  Version v;
  const auto visit_window = [&]() -> Status {
    DOCKET_RETURN_IF_ERROR(read_window());
    for (uint32_t i = 0; i < key_ends.size() && !stopped; ++i) {
      if (!keys::DecodeVersionKey(key_of(i), &v.report, &v.recorded))
        return Status::Io("corrupt time index entry in the archive");
      if (value_starts[i] == kNotKept) {
        DOCKET_RETURN_IF_ERROR(ReadVersion(v.report, v.recorded, &v));
      } else {
        std::string_view rest = std::string_view(value_bytes).substr(value_starts[i]), value;
        if (!keys::GetLengthPrefixed(&rest, &value) || !keys::DecodeVersionValue(value, &v))
          return Status::Io("corrupt report in the archive");
      }
      stopped = !visit(v);
    }
    key_bytes.clear();
    key_ends.clear();
    return {};
  };
  Status failed;
  DOCKET_RETURN_IF_ERROR(ScanTimeIndex(from, [&](Micros recorded, const ReportKey& report) {
    key_bytes += keys::VersionKey(report, recorded);
    key_ends.push_back(static_cast<uint32_t>(key_bytes.size()));
    if (key_ends.size() < kWindow) return true;
    failed = visit_window();
    return failed.ok() && !stopped;
  }));
  DOCKET_RETURN_IF_ERROR(failed);
  if (!stopped) return visit_window();
  return {};
}

Result<std::optional<Micros>> Archive::LatestRecorded() { return impl_->LatestRecorded(); }

Result<Archive::Size> Archive::GetSize() {
  auto series = impl_->LastSeriesId();
  if (!series.ok()) return series.status();
  auto counts = impl_->Counts();
  if (!counts.ok()) return counts.status();
  return Size{*series, counts->first, counts->second};
}

Status Archive::DefineCharge(const ChargeUpdate& update) {
  Charge c;
  if (const Charge* existing = FindCharge(update.name)) c = *existing;
  c.name = update.name;
  if (update.title) c.title = *update.title;
  if (update.article) c.article = *update.article;
  DOCKET_RETURN_IF_ERROR(impl_->Put(keys::ChargeKey(c.name), keys::EncodeCharge(c)));
  impl_->charges[c.name] = std::move(c);
  return {};
}

Status Archive::DefineSource(const SourceUpdate& update) {
  Source s;
  if (const Source* existing = FindSource(update.name)) {
    s = *existing;
  } else {
    SourceId max_id = 0;
    for (const auto& [id, source] : impl_->sources_by_id) max_id = std::max(max_id, id);
    if (max_id == UINT16_MAX) return Status::Input("the archive holds the maximum number of sources");
    s.id = static_cast<SourceId>(max_id + 1);
  }
  s.name = update.name;
  if (update.title) s.title = *update.title;
  if (update.url) s.url = *update.url;
  if (update.priority) s.priority = *update.priority;
  DOCKET_RETURN_IF_ERROR(impl_->Put(keys::SourceKey(s.name), keys::EncodeSource(s)));
  auto& stored = impl_->sources[s.name] = std::move(s);
  impl_->sources_by_id[stored.id] = &stored;
  return {};
}

Result<WriteOutcome> Archive::Record(const RecordRequest& request) {
  if (!impl_->batch) return Status::Input("the archive is open read-only");
  const Source* source = FindSource(request.source);
  if (!source) return Status::Input(fmt::format("unknown source `{}`", request.source));
  if (!FindCharge(request.series.charge))
    return Status::Input(fmt::format("unknown charge `{}`", request.series.charge));

  auto found = FindSeries(request.series);
  if (!found.ok()) return found.status();
  std::optional<SeriesId> id = *found;
  ReportKey report{id.value_or(0), request.period, source->id, request.reported};
  Version version{report, 0, request.figure, request.note, request.url};

  // A new series' cell is empty.
  Impl::PendingCell new_cell;
  Impl::PendingCell* cell = &new_cell;
  if (id) {
    auto pending = impl_->CellToWrite(*id, request.period);
    if (!pending.ok()) return pending.status();
    cell = *pending;
  }
  const Version* newest = nullptr;  // the report's: its first version
  const Version* earliest = nullptr;  // the source's first version: its earliest day
  for (const Version& v : cell->versions) {
    if (v.report.source != source->id) continue;
    if (!earliest) earliest = &v;
    if (v.report == report) {
      newest = &v;
      break;
    }
  }
  const WriteOutcome outcome = version_rules::Decide(newest, version);
  if (outcome == WriteOutcome::kUnchanged) return outcome;
  if (!request.figure && !newest) {
    const std::optional<int32_t> earliest_day =
        earliest ? std::optional<int32_t>(earliest->report.reported.last_day()) : std::nullopt;
    DOCKET_RETURN_IF_ERROR(version_rules::CheckRetraction(earliest_day, request.series, request.period,
                                                          request.source, request.reported));
  }
  auto latest = impl_->LatestRecorded();
  if (!latest.ok()) return latest.status();
  auto recorded = version_rules::FirstRecorded(request.now, *latest);
  if (!recorded.ok()) return recorded.status();
  version.recorded = *recorded;
  if (!id) {
    auto created = impl_->NewSeries(request.series);
    if (!created.ok()) return created.status();
    report.series = *created;
    version.report = report;
  }
  // Before the version's keys: counting an archive without the 'N' key
  // must not see them.
  DOCKET_RETURN_IF_ERROR(impl_->AddCounts(outcome == WriteOutcome::kNew ? 1 : 0, 1));
  DOCKET_RETURN_IF_ERROR(impl_->Put(keys::TimeKey(version.recorded, report), std::string()));
  if (!id) {
    auto pending = impl_->CellToWrite(report.series, report.period);
    if (!pending.ok()) return pending.status();
    cell = *pending;
  }
  impl_->AddToCell(cell, version);
  impl_->latest_recorded = std::optional<Micros>(version.recorded);
  return outcome;
}

Status Archive::Impl::EnsureCreated() {
  if (!db) {
    // The directory may have changed since the open: never create over files.
    auto state = Inspect(path);
    if (!state.ok()) return state.status();
    if (*state != PathState::kArchive) DOCKET_RETURN_IF_ERROR(CheckOpenable(path, *state));
    DOCKET_RETURN_IF_ERROR(OpenForWrite(/*create=*/true));
    // Another process may have created the archive while this one ran on an
    // empty one: its series ids and timestamps would clash.
    std::string value;
    if (!db->Get(rocksdb::ReadOptions(), keys::FormatKey(), &value).IsNotFound())
      return Status::Error(ErrorKind::kLocked,
                           fmt::format("archive {} was created by another process meanwhile; "
                                       "nothing was written, run again",
                                       path));
  }
  if (!has_format_key) {
    DOCKET_RETURN_IF_ERROR(Put(keys::FormatKey(), keys::EncodeFormatValue(keys::kFormatVersion)));
    has_format_key = true;
  }
  return {};
}

Status Archive::Commit() {
  DOCKET_RETURN_IF_ERROR(impl_->PutPendingCells());
  if (!impl_->dirty) {
    impl_->pending_cells.clear();  // each as the database holds it
    return {};
  }
  DOCKET_RETURN_IF_ERROR(impl_->EnsureCreated());
  auto publish = impl_->Publish(FileLock::Mode::kExclusive);
  if (!publish.ok()) return publish.status();
  DOCKET_RETURN_IF_ERROR(impl_->WriteBatchOrUndo());
  impl_->batch->Clear();
  impl_->pending_cells.clear();
  impl_->dirty = false;
  // The write is durable in the log; moving it into a table file now means
  // every later read-only open (each one-shot command) need not replay the log.
  impl_->TidyAfterCommit(/*flush=*/true);
  return {};
}

}  // namespace docket
