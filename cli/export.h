// `docket export` (spec §5 "Export and restore"): every version as CSV
// (data exchange), the whole archive as a JSONL backup, or the current
// resolved value of every cell as OpenMetrics gauges.
#pragma once

#include <functional>
#include <string_view>

#include "cli/options.h"

namespace docket::cli {

// Returns the exit code.
int RunExport(const Options& options);

// Receives an export's text, piece by piece, in order.
using ExportPut = std::function<void(std::string_view)>;

// The archive as `docket export --format` writes it, through `put`
// (openmetrics ends with `# EOF`). Errors: the archive's reads (kIo).
Status Export(Archive& archive, ExportFormat format, const ExportPut& put);

// The openmetrics export without its `# EOF` (the cells, then the
// archive's gauges docket_archive_last_write_timestamp_seconds and
// docket_archive_reports), for a scrape that adds families of its own.
Status ExportCellMetrics(Archive& archive, const ExportPut& put);

}  // namespace docket::cli
