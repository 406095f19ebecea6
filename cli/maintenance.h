// `docket verify` and `docket repair` (spec §5, v1.1): check an archive
// whole; save what RocksDB's repair can save of a damaged one.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Prints `ARCHIVE: ok, S series, R reports, V versions` and returns 0, or
// prints the first problems on stderr and returns 74 (66: no archive).
int RunVerify(const Options& options);

// Copies the archive to `ARCHIVE.damaged-TIMESTAMP` (said on stderr), runs
// RocksDB's repair on it, then verifies it as RunVerify does.
int RunRepair(const Options& options);

}  // namespace docket::cli
