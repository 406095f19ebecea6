// `docket import` (spec §5 "CSV import", "Export and restore"): CSV files
// applied row by row in file order, or a JSONL backup restored into an
// empty archive; atomic, with every bad row reported.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "cli/error_list.h"
#include "cli/options.h"
#include "storage/bulk_load.h"

namespace docket::cli {

// Returns the exit code.
int RunImport(const Options& options);

// One input of an import: the file read, and the name its errors carry.
struct ImportInput {
  std::string path;
  std::string name;
};

struct ImportJob {
  std::string db;
  std::vector<ImportInput> inputs;  // CSV files, or one JSONL backup when `restore`
  bool restore = false;
  bool dry_run = false;
  double wait_seconds = 5;  // for the writer's lock
  Micros now = 0;           // the versions' recorded time
  int32_t today = 0;        // reported dates may not start after it
};

struct Imported {
  std::optional<Diagnostic> error;  // what stopped it: I/O, the lock, a refused restore
  ErrorList errors;                 // bad rows (then nothing was imported)
  std::vector<BulkCounts> counts;   // per input, when neither
  int exit_code() const { return error ? error->exit_code() : errors.empty() ? 0 : 65; }
};

// Runs one import: holds the writer's lock throughout, checks every row,
// then hands the counts to `before_commit` and commits unless it fails (its
// Status is then the error) or the job is a dry run. Nothing is written
// unless the result has neither error nor bad rows.
Imported Import(const ImportJob& job,
                const std::function<Status(const std::vector<BulkCounts>&)>& before_commit);

}  // namespace docket::cli
