// Loads many report versions at once with memory that does not grow with
// the input (spec §5 "CSV import", "Export and restore"):
//
//   1. Add: each row, in input order, goes to an on-disk sort by report.
//   2. Plan: a merge visits each report's rows in input order beside the
//      report's versions already in the archive, decides new / correction /
//      unchanged and checks retractions; nothing is written yet.
//   3. Commit: the decided versions are written to sorted SST files (the
//      reports, the system-time index, new series and definitions) and
//      ingested in one atomic, synced step.
//
// The archive must be open for writing; the lock is held throughout.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/archive.h"

namespace docket {

class ExternalSorter;

// One input row. `file`, `line` and `column` only travel with the row for
// error messages and per-file counts.
struct BulkRow {
  const SeriesKey* series = nullptr;
  Period period;
  std::string_view source;
  Date reported;
  std::optional<Figure> figure;  // nullopt: a retraction
  std::string_view note, url;
  std::optional<Micros> recorded;  // restore mode only: the version's own time
  uint32_t file = 0;
  uint64_t line = 0;
  uint32_t column = 0;
};

struct BulkCounts {
  uint64_t new_reports = 0, corrections = 0, unchanged = 0;
};

struct BulkRowError {
  uint32_t file = 0;
  uint64_t line = 0;
  uint32_t column = 0;
  std::string message;
};

class BulkLoader {
 public:
  enum class Mode {
    kImport,   // rows apply in order: unchanged rows are skipped; recorded = now
    kRestore,  // every row is a version with its own recorded time
  };
  // `archive` must outlive the loader.
  explicit BulkLoader(Archive& archive);
  ~BulkLoader();
  BulkLoader(const BulkLoader&) = delete;
  BulkLoader& operator=(const BulkLoader&) = delete;

  // Temporary files go to a directory beside the archive, removed on destruction.
  Status Begin(Mode mode, size_t file_count);
  // Adds one row. The source and charge must be defined (kInput otherwise);
  // new series get ids at once (buffered with the archive's own writes).
  Status Add(const BulkRow& row);
  // Decides every row. Rows that cannot apply (a retraction with no earlier
  // report; in restore mode, two versions of one report at one time) are
  // returned in `errors`, in input order, and nothing may be committed.
  Status Plan(std::vector<BulkCounts>* counts, std::vector<BulkRowError>* errors);
  // Writes what Plan decided, with the archive's buffered definitions, in
  // one atomic ingestion; durable on return. Import mode stamps versions
  // from max(now, latest recorded + 1 µs) upwards, in input order.
  Status Commit(Micros now);

 private:
  struct State;
  Archive* archive_;
  std::unique_ptr<State> state_;
};

}  // namespace docket
