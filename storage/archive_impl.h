// Internal to storage: the state behind Archive, shared with BulkLoader.
// The only header besides *.cc files that includes RocksDB; included only
// by storage/*.cc (never by another module, nor by a public header).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include "storage/archive.h"
#include "storage/file_lock.h"

namespace docket {

// Our rocksdb::Status → Status, the one place that translates them.
Status FromRocks(const rocksdb::Status& s, std::string_view what);

// Options for every open and for the SST files an import writes.
rocksdb::Options ArchiveOptions(size_t block_cache_bytes = OpenOptions().block_cache_bytes);

// Files of the database change only under the publish lock's exclusive
// side (a writer's open, commit, compaction and close); a reader holds its
// shared side while it opens, and opens every table file then. So a reader
// never sees a log or table file vanish half-way through its open (RocksDB
// would skip a vanished log silently), and its view never goes backwards.
inline constexpr const char* kPublishLockFile = "docket.lock";
// Commits are short; a reader waits this long for one before giving up.
inline constexpr double kPublishWaitSeconds = 60;
// More table files than this are merged at the next commit: every open
// opens each one (readers all at once, see Archive::Open).
inline constexpr uint64_t kTableFileBudget = 48;

// The time index is only ever read in order: its entries sit in data
// blocks of this size in every table (~4.4 bytes an entry against ~5.4 in
// 4 KiB blocks).
inline constexpr size_t kTimeIndexBlockBytes = 16 * 1024;

// A sorted run of reports, as a cell's read meets it: one level-0 file, or
// a deeper level's files that hold reports (a level's files never overlap).
struct SortedRun {
  int level = 0;
  std::vector<std::string> files;
  uint64_t bytes = 0;
};
// A merge of runs: their table files, into `output_level`.
struct RunMerge {
  std::vector<std::string> files;
  int output_level = 0;
};
inline constexpr size_t kMaxRuns = 3;
inline constexpr uint64_t kMergeBudgetBytes = uint64_t{128} << 20;
// Which of `runs` (newest first) to merge after a commit, as their table
// files and the level they merge into; nothing when no merge is due. Every
// import adds a run of reports, and a cell's read seeks in each (four
// imports of a quarter each: growth of a charge 1.6x the time of one
// import; benchmarks/README.md). Two rules, as in RocksDB's universal
// compaction:
// - the newest runs through the deepest run that they weigh at least half
//   of: as in a binary counter, each byte is rewritten about log2(imports)
//   times, and imports of one size end up in one run;
// - past kMaxRuns runs, the newest ones down to that number.
// A merge goes into the deepest level above the next older run
// (`bottom_level` when there is none), so that later imports find free
// levels above it; one that would stay at level 0 (the next older run is a
// level-0 file) is left to level 0's own rule (MergeTables). A merge holds
// the publish lock, which readers wait for, so none that `reads` more than
// kMergeBudgetBytes is made (a cell then seeks in more runs).
std::optional<RunMerge> PickRunMerge(const std::vector<SortedRun>& runs, int bottom_level,
                                     const std::function<uint64_t(const RunMerge&)>& reads);
// Files kept in one level (>= 1) at most, and how many neighbours merge.
inline constexpr size_t kMaxFilesPerLevel = 8;
inline constexpr size_t kNeighboursMerged = 3;
// Past kMaxFilesPerLevel files in a level, the kNeighboursMerged files next
// to each other in key order that `reads` the fewest bytes, merged in
// place; none of them may weigh more than the others together (files of
// like size merge, and a big file, an import's time index say, is not
// rewritten for two small ones), and none that reads more than
// kMergeBudgetBytes is made.
// Each import leaves its time index in a file of its own at the bottom
// level (their ranges never overlap), and imports of reports that fall
// between the ones there without overlapping each other (new periods of
// existing series) each leave a file in one level: no run merge takes
// them, and they would pile up to kTableFileBudget, whose merge of the
// whole archive has no bound.
std::optional<RunMerge> PickNeighbourMerge(const rocksdb::ColumnFamilyMetaData& meta,
                                           const std::function<uint64_t(const RunMerge&)>& reads);
// The bytes `merge` reads: its files, and those RocksDB's CompactFiles adds,
// i.e. every file of the levels it spans, down to its output level, whose
// keys overlap the range of the files above it (a script's table holds
// every kind of key, so its range can reach a time index's file).
uint64_t BytesMergeReads(const rocksdb::ColumnFamilyMetaData& meta, const RunMerge& merge);

struct Archive::Impl {
  ~Impl();
  std::string path;
  OpenOptions options;
  std::unique_ptr<rocksdb::DB> db;                        // null: not created yet
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch;    // kWrite only
  // kRead, kFollow: these iterators serve every scan (the database does
  // not change under a read-only open; a follower drops them at CatchUp), saving an iterator's set-up per cell: the
  // first free one, so a scan inside another's `visit` reuses one too.
  struct ReusedIterator {
    std::unique_ptr<rocksdb::Iterator> it;
    std::string bound_key;  // set by each cursor before it seeks
    rocksdb::Slice bound;   // its iterate_upper_bound: bound_key
    bool busy = false;      // a Scan is using it
  };
  ReusedIterator read_iterators[2];
  // What one read goes through: the first free one of read_iterators, or
  // an iterator of its own (writes buffered, or both in use), bounded by
  // `upper_bound` either way, so that a scan never reads the block after
  // its last key (empty: no bound).
  // `upper_bound` must outlive the cursor.
  class Cursor {
   public:
    Cursor(Impl& impl, const std::string& upper_bound);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    rocksdb::Iterator* operator->() const { return it_; }
    rocksdb::Iterator* get() const { return it_; }

   private:
    ReusedIterator* shared_ = nullptr;
    rocksdb::Slice bound_;
    std::unique_ptr<rocksdb::Iterator> own_;
    rocksdb::Iterator* it_ = nullptr;
  };
  std::map<std::string, Charge, std::less<>> charges;
  std::map<std::string, Source, std::less<>> sources;
  std::map<SourceId, const Source*> sources_by_id;
  std::map<SeriesId, SeriesInfo> series_by_id;            // SeriesById's cache
  // Series a read-only view found by name (a writer's batch may roll
  // back): a series keeps its id once named. At most kMaxSeriesByName
  // entries, then emptied.
  static constexpr size_t kMaxSeriesByName = 4096;
  std::unordered_map<std::string, SeriesId> series_by_name;
  std::optional<std::optional<Micros>> latest_recorded;   // outer: loaded yet
  std::optional<SeriesId> last_series_id;                 // loaded lazily; 0: none yet
  std::optional<std::pair<uint64_t, uint64_t>> counts;    // reports, versions; loaded lazily
  bool dirty = false;
  bool has_format_key = false;  // false for a new archive, or one whose creation was cut short

  // An iterator over the archive merged with the uncommitted batch.
  std::unique_ptr<rocksdb::Iterator> NewIterator(const rocksdb::Slice* upper_bound = nullptr);
  // Visits every key with `prefix` from `start` (default: the prefix) on;
  // `visit` returns false to stop.
  Status Scan(std::string_view prefix,
              const std::function<bool(std::string_view key, std::string_view value)>& visit,
              std::string_view start = {});
  // Reads one key through the batch; *found false when absent.
  Status Get(const std::string& key, std::string* value, bool* found);
  Status Put(const std::string& key, const std::string& value);
  // Appends the versions of one cell, in cell order, to `out` (nothing if
  // it has none); through the pending cells and the batch.
  Status ReadCell(SeriesId series, const Period& period, std::vector<Version>* out);
  // kWrite only. The cells a script's records read, decoded, by key, until
  // the commit: a record changes its cell here in place, and a changed
  // cell is encoded into the batch once, when a scan reads through the
  // batch or the script commits (PutPendingCells), not at every record:
  // N records into one cell cost O(N) bytes of batch, not O(N^2). Entries
  // are removed only by Commit, so a pointer to one stays valid until then.
  struct PendingCell {
    std::string key;
    std::vector<Version> versions;  // cell order
    bool changed = false;           // in changed_cells; false: as the batch (or the database) holds it
  };
  std::map<std::string, PendingCell> pending_cells;  // by key
  // The changed ones, each once: what a scan must put in the batch first,
  // without visiting every cell the script has read.
  std::vector<PendingCell*> changed_cells;
  // The cell's entry in pending_cells, read first if it has none.
  Result<PendingCell*> CellToWrite(SeriesId series, const Period& period);
  // Inserts `version` in its place in `cell`, which is changed from then on.
  void AddToCell(PendingCell* cell, const Version& version);
  // Puts each changed pending cell into the batch; they stay pending, unchanged.
  Status PutPendingCells();
  // Visits the key and value of each cell of `series`, in key order; stops
  // at the first error `visit` returns, and returns it.
  Status ScanCells(SeriesId series,
                   const std::function<Status(std::string_view key, std::string_view value)>& visit);
  std::vector<Version> cell_scratch;  // ScanCurrentReports' decoded cell

  Result<FileLock> Publish(FileLock::Mode mode) const;
  // Under the exclusive publish lock, so that reads stay fast: merges
  // everything into the bottom level when there are more than
  // kTableFileBudget files (imports leave files at every level), so the
  // number of files stays bounded under any sequence of writes; else the
  // runs of reports PickRunMerge picks, then the files at the top of the
  // tree (script commits leave one each) when four or more are there.
  // Merges are written in the archive's table settings.
  Status MergeTables();
  // Under the exclusive publish lock, after a commit is durable: flushes
  // the log into a table file if asked and runs MergeTables. Its
  // failure cannot harm the commit: file deletions are off meanwhile, so if
  // a sync fails half-way (RocksDB may have written a MANIFEST record that
  // names new files before the failure), every file a MANIFEST may name is
  // still there and the archive opens with the commit. Failures are left
  // for the next writer, which merges again.
  void TidyAfterCommit(bool flush);
  // A file's length before a write that may leave an unsynced record in it.
  struct FileMark {
    std::string path;
    uint64_t size = 0;
  };
  Result<FileMark> ManifestMark() const;
  // After a failed write: closes the database and cuts `mark`'s file back
  // to its length before, so that no open replays what the failed write
  // left there unsynced (a log record, a MANIFEST record naming files
  // RocksDB deleted again). Returns kIo saying whether that succeeded.
  Status UndoFailedWrite(const FileMark& mark, const rocksdb::Status& failure, std::string_view what);
  // Under the exclusive publish lock: writes the batch, synced, or ingests
  // an import's table files (moved). On failure (kIo) the archive holds
  // what it held before (UndoFailedWrite).
  Status WriteBatchOrUndo();
  Status IngestOrUndo(const std::vector<std::string>& files);

  Status LoadCatalog();
  Result<std::optional<Micros>> LatestRecorded();
  // The id of the newest series (0: none yet).
  Result<SeriesId> LastSeriesId();
  // Gives `series` the next id and buffers its two keys (by name, by id).
  Result<SeriesId> NewSeries(const SeriesKey& series);
  // Reports and versions so far: the 'N' key, or counted once for an
  // archive written before it existed.
  Result<std::pair<uint64_t, uint64_t>> Counts();
  // Adds to the counts and buffers the new 'N' key.
  Status AddCounts(uint64_t reports, uint64_t versions);
  // Opens the database read-write, waiting for the lock; creates it if asked.
  Status OpenForWrite(bool create);
  // Before the first write: creates the database if missing and buffers
  // the format-version key if the archive has none yet.
  Status EnsureCreated();
};

// Rewrites a format-2 archive's versions (a key each) as cells (a key per
// cell) and marks it format 3, in two atomic, durable steps (storage/
// bulk_load.cc): the cells' table files are ingested, then one synced write
// deletes the version keys and sets the format. Cut short before the
// second, the archive is still format 2 and the next open upgrades it
// again. `impl` is open for writing with nothing buffered. Says what it did
// through OpenOptions::on_upgrade.
Status UpgradeToCells(Archive::Impl& impl);

}  // namespace docket
