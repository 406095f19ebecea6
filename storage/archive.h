// The archive: a RocksDB database holding the catalog (charges, sources),
// the series and every version of every report (spec §1). Nothing in it is
// ever overwritten or deleted. The byte layout lives in key_codec.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"
#include "storage/types.h"

namespace docket {

struct OpenOptions {
  enum class Mode {
    kRead,   // an existing archive, read-only, as of the open; takes no lock
    kWrite,  // takes the writer's lock; a missing archive is created at Commit
    // A read replica (RocksDB secondary instance) of an archive another
    // process writes, as of the open; CatchUp() brings it forward. Keeps
    // its own files in `follow_dir`. Takes no lock.
    kFollow,
  };
  Mode mode = Mode::kRead;
  double wait_seconds = 5;  // kWrite: how long to wait for another writer
  // Decompressed table blocks this open keeps for later reads. A reader
  // that runs many queries gains from a large cache; a command that reads
  // each block about once only pays for it in memory.
  size_t block_cache_bytes = 64 << 20;
  std::string follow_dir = {};  // kFollow: a directory of the replica's own (created if missing)
  // Told once, with a sentence, when the open upgraded the archive's format
  // (every open of an older format does, as a writer, waiting
  // `wait_seconds` for the writer's lock).
  std::function<void(const std::string&)> on_upgrade = {};
};


// Attribute changes of a `define`; unset fields keep their value.
struct ChargeUpdate {
  std::string name;
  std::optional<std::string> title, article;
};
struct SourceUpdate {
  std::string name;
  std::optional<std::string> title, url;
  std::optional<int64_t> priority;
};

// One `record` or `retract` (Archive::Record).
struct RecordRequest {
  SeriesKey series;
  Period period;
  std::string source;
  Date reported;
  std::optional<Figure> figure;  // nullopt: a retraction
  std::string note, url;
  Micros now = 0;  // the version's recorded time, unless the archive holds a later one
};

struct SeriesInfo {
  SeriesId id = 0;
  SeriesKey key;
  std::string text;  // key.ToString(), the canonical text rows are ordered by
};

// Not thread-safe: one Archive per thread.
class Archive {
 public:
  // kRead: a missing archive is kNotFound; kWrite: waits up to
  // `wait_seconds` for the lock, then kLocked naming it. An archive of
  // format 2 is upgraded first, as a writer (a kRead or kFollow open waits
  // like kWrite, then opens as asked; OpenOptions::on_upgrade is told). An
  // archive of an unknown format version is refused (kIo), so is a damaged one (table
  // files but no CURRENT: never created afresh over them), a directory of
  // other files and one that cannot be read (kIo with the system's reason).
  static Result<std::unique_ptr<Archive>> Open(const std::string& path, const OpenOptions& options);
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  // A fingerprint of the files of the archive at `path` (their names, sizes
  // and modification times), cheap next to an open: it changes whenever a
  // commit, an import or a merge changes what an open would see, so a
  // reader reopens only when it differs. Taken before the open it guards.
  // kIo when the directory cannot be read; empty when there is none.
  static Result<std::string> ChangeStamp(const std::string& path);

  // kFollow: replays what the archive's writers committed since the open
  // or the last CatchUp, whole commits only; reads then see it. kIo on
  // failure, the view staying as it was.
  Status CatchUp();

  const std::string& path() const;
  // False while a write-mode archive has not been created yet.
  bool exists() const;

  // ---- catalog, including definitions not yet committed
  const Charge* FindCharge(std::string_view name) const;
  const Source* FindSource(std::string_view name) const;
  const Source* SourceById(SourceId id) const;
  const std::map<std::string, Charge, std::less<>>& charges() const;
  const std::map<std::string, Source, std::less<>>& sources() const;

  // ---- series
  // Every series of `charge`, ordered by canonical text.
  Result<std::vector<SeriesInfo>> SeriesOf(std::string_view charge);
  Result<std::optional<SeriesId>> FindSeries(const SeriesKey& key);
  // kIo if no such series exists (a corrupt archive). The reference stays
  // valid while the archive is open, until CatchUp.
  Result<const SeriesInfo&> SeriesById(SeriesId id);
  // Every series of every charge, by id.
  Status ForEachSeries(const std::function<void(const SeriesInfo&)>& visit);

  // ---- versions, in key order: period, source id, reported (effective
  // day, then as written), newest version first.
  Status ScanSeries(SeriesId series, std::vector<Version>* out);
  Status ScanCell(SeriesId series, const Period& period, std::vector<Version>* out);
  // Each source's current reports at the cutoffs, for one cell (`period`)
  // or every cell of the series (nullopt), in key order: of the source's
  // reports dated (effective day) on or before `at.as_of_day` that have a
  // version recorded at or before `at.recorded_as_of`, those with the
  // greatest effective day, each as its newest such version. Resolution
  // at `at` (spec §1 step 1) looks at nothing else, so it gives the same
  // answer from these as from every version.
  Status ScanCurrentReports(SeriesId series, const std::optional<Period>& period, const Cutoffs& at,
                            std::vector<Version>* out);
  // Every version recorded at or after `from`, in recorded order; `visit`
  // returns false to stop. `visit` may read the archive (these scans too).
  // The versions are read ahead a window of the time index at a time (up
  // to 2^20 of them, about 50 MiB).
  Status ScanRecordedSince(Micros from, const std::function<bool(const Version&)>& visit);
  // The same from the time index alone: each version's recorded time and
  // report, without reading the version itself.
  Status ScanTimeIndex(Micros from, const std::function<bool(Micros, const ReportKey&)>& visit);
  // The version of `report` recorded at `recorded`, into `out`; kIo if the
  // archive holds none (a time index entry without its version) or it is corrupt.
  Status ReadVersion(const ReportKey& report, Micros recorded, Version* out);
  // The greatest `recorded` in the archive; nullopt when it holds no version.
  Result<std::optional<Micros>> LatestRecorded();
  // How much the archive holds (the shell's banner), uncommitted writes included.
  struct Size {
    uint64_t series = 0, reports = 0, versions = 0;
  };
  Result<Size> GetSize();

  // ---- writes (kWrite only): buffered in one batch, visible to the reads
  // above at once, durable at Commit. Names must be valid (types.h).
  Status DefineCharge(const ChargeUpdate& update);
  Status DefineSource(const SourceUpdate& update);
  // Records a version of the report (series, period, source, reported):
  // unchanged if it equals the report's newest version, else a new version
  // stamped max(now, latest recorded + 1 µs). A retraction (no figure)
  // requires a report of the source for the cell dated on or before it
  // (kInput otherwise); so does a stamp in the year 10000. The source and
  // charge must be defined. The rules: version_rules.h.
  Result<WriteOutcome> Record(const RecordRequest& request);
  // True if writes are buffered.
  bool dirty() const;
  // Writes the buffered batch atomically and synced, creating the archive
  // if needed; a no-op when nothing is buffered. kIo: nothing was
  // committed. Once the batch is durable, merging table files may still
  // fail (a disk error): that cannot harm the archive, and the commit
  // succeeds (the next writer merges again).
  // Many rows with bounded memory: bulk_load.h's BulkLoader(archive).
  Status Commit();

 private:
  struct Impl;  // archive_impl.h, internal to storage
  explicit Archive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class BulkLoader;  // writes through the archive's batch and database
  friend Status UpgradeToCells(Impl& impl);
};

}  // namespace docket
