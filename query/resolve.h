// Resolution (spec §1 "Resolution"): which figure counts for a cell, per
// source and overall, at a knowledge cutoff (`as of`) and a system-time
// cutoff (`recorded as of`); and the status of every version (`revisions`).
// Pure functions over one cell's versions as the archive returns them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/archive.h"
#include "storage/types.h"

namespace docket {

struct Cutoffs {
  std::optional<int32_t> as_of_day;       // reports dated (effective day) after it do not count
  std::optional<Micros> recorded_as_of;   // versions recorded after it do not exist yet
};

// Which sources count (`from`); nullopt: all.
using SourceFilter = std::optional<std::vector<SourceId>>;

// One source's figure for a cell: its newest report at the cutoffs, using
// that report's newest version recorded by the cutoff.
struct SourceFigure {
  SourceId source = 0;
  Date reported;
  Micros recorded = 0;
  Figure figure;
};

// Per source (ascending id), the figure that counts for the cell whose
// versions are `cell` (archive key order: source, reported, newest
// version first). Sources outside `filter`, with no report by the cutoffs,
// or whose newest such report is a retraction, give nothing.
std::vector<SourceFigure> SourceFigures(std::span<const Version> cell, const Cutoffs& cutoffs,
                                        const SourceFilter& filter);

// The winner among sources: latest reported (effective day), then the
// higher priority, then the source name first in byte order. Null if empty.
const SourceFigure* Winner(const std::vector<SourceFigure>& figures, const Archive& archive);

// A source's name; `#id` for an id the catalog does not know.
std::string SourceName(const Archive& archive, SourceId id);

enum class VersionStatus { kCurrent, kCorrected, kSuperseded, kRetracted };
const char* StatusName(VersionStatus status);

struct VersionWithStatus {
  const Version* version;
  VersionStatus status;
};

// Every version of the cell that exists at the cutoffs (and is from a
// source in `filter`), in archive key order, with its status computed at
// those cutoffs: all but a report's newest version are `corrected`; the
// newest is `superseded` if the source has a later report for the cell,
// else `retracted` if it is a retraction, else `current`.
std::vector<VersionWithStatus> Revisions(std::span<const Version> cell, const Cutoffs& cutoffs,
                                         const SourceFilter& filter);

// The splits of a series' versions (archive key order) into cells.
struct CellSpan {
  Period period;
  std::span<const Version> versions;
};
std::vector<CellSpan> SplitCells(const std::vector<Version>& series_versions);

}  // namespace docket
