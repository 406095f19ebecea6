// `docket verify`, `docket repair` (spec §5) and `docket checkpoint` (§8),
// v1.1: check an archive whole; save what RocksDB's repair can save of a
// damaged one; copy one consistently.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Prints `ARCHIVE: ok, S series, R reports, V versions` and returns 0, or
// prints the first problems on stderr and returns 74 (66: no archive).
int RunVerify(const Options& options);

// Copies the archive to `ARCHIVE.damaged-TIMESTAMP` (said on stderr), runs
// RocksDB's repair on it, then verifies it as RunVerify does.
int RunRepair(const Options& options);

// Writes a consistent copy of the archive to options.checkpoint_dir, which
// must not exist (74); prints nothing on success.
int RunCheckpoint(const Options& options);

}  // namespace docket::cli
