// Checking an archive whole, saving what RocksDB's repair can save of a
// damaged one, and copying one consistently (spec §5 and §8, v1.1 `docket
// verify`, `docket repair`, `docket checkpoint`; docs/storage.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/status.h"

namespace docket {

struct VerifyReport {
  uint64_t series = 0, reports = 0, versions = 0;  // as recounted
  std::vector<std::string> problems;                // the first `max_problems`, in key order
  uint64_t problem_count = 0;                       // all of them
  bool ok() const { return problem_count == 0; }
};

// Reads every key of the archive at `path` and checks it: the format
// version; every key and value decodes; names, labels and strings are valid
// (UTF-8 without NUL); every series has its entry by name and by id, and
// they agree; every version's series and source exist, its reported date is
// one a source can give, it has its time-index entry and every entry its
// version; recorded times are strictly increasing and before year 10000;
// the stored counts match a recount. Opens read-only (no writer's lock).
// kNotFound when there is no archive at `path` (no CURRENT, table or log
// file: at most a creation cut short); a database that cannot be
// opened or read (a missing CURRENT, a corrupt table) is a problem in the
// report, not an error. Memory grows with the number of series only.
Result<VerifyReport> VerifyArchive(const std::string& path, size_t max_problems = 20);

// Copies the archive at `path` to `copy` (which must not exist) and runs
// RocksDB's RepairDB on the archive, under the writer's lock: it rebuilds
// the MANIFEST and CURRENT from the table and log files it can read. The
// caller verifies the result. kNotFound when there is no archive at `path`,
// kLocked when a writer holds it, kIo when the copy or the repair fails.
Status RepairArchive(const std::string& path, const std::string& copy);

// Writes a consistent copy of the archive at `path` into `dir`, which must
// not exist: table files hard-linked where the filesystem allows (copied
// otherwise), the rest copied, under the publish lock's shared side (no
// writer changes a file meanwhile; readers are not held up). The copy is an
// archive of its own. kNotFound when there is no archive at `path`, kIo
// when `dir` exists or the copy fails (a partial `dir` is removed).
Status CheckpointArchive(const std::string& path, const std::string& dir);

}  // namespace docket
