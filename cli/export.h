// `docket export` (spec §5 "Export and restore"): every version as CSV
// (data exchange), the whole archive as a JSONL backup, or the current
// resolved value of every cell as OpenMetrics gauges.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Returns the exit code.
int RunExport(const Options& options);

}  // namespace docket::cli
