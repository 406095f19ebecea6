// `docket import` (spec §5 "CSV import", "Export and restore"): CSV files
// applied row by row in file order, or a JSONL backup restored into an
// empty archive; atomic, with every bad row reported.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Returns the exit code.
int RunImport(const Options& options);

}  // namespace docket::cli
