// Resolution (spec §1 "Resolution", §7.6): which figure counts for a cell,
// per source and overall under a rule (`resolve latest|priority|consensus`),
// at a knowledge cutoff (`as of`) and a system-time cutoff (`recorded as
// of`); each source's first release (§7.1); and the status of every version
// (`revisions`). Pure functions over one cell's versions as the archive
// returns them; the archive is read only for source names and priorities.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "query/interval.h"
#include "storage/types.h"

namespace docket {

class Archive;

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

// Step 2 of resolution (spec §7.6): how the sources' figures make the cell's.
//   kLatest     §1's rule (Winner): latest reported, then priority, then name.
//   kPriority   the highest priority, then the latest reported (effective
//               day), then the source name first in byte order.
//   kConsensus  one source: its figure unchanged; several: the intersection
//               of their intervals, `~v` counting as [9v/10, 11v/10] (exact)
//               and making the result approximate; the lower end rounded up
//               and the upper end down to whole numbers.
enum class ResolveRule { kLatest, kPriority, kConsensus };
std::string_view RuleName(ResolveRule rule);  // "latest", "priority", "consensus"

// One cell resolved under a rule: what its value row shows.
struct Resolution {
  // The figure (a count). Nullopt only for a consensus whose intersection
  // is empty, also after rounding: the row is shown with an empty value,
  // but everywhere else it counts as no figure (aggregates skip it,
  // arithmetic and growth give an empty value, assert/check are unknown).
  std::optional<Interval> value;
  // kLatest, kPriority: the winning source's name and reported date (as
  // written). kConsensus: every source left, joined by `/` in byte order,
  // and the latest of their reported dates (effective day, then as written).
  std::string source;
  Date reported;
  // An empty consensus: every source and its figure in byte order of name,
  // `IStories 23, RTVI >=28` (spec §7.6's warning); otherwise empty.
  std::string disagreement;
};

// The cell resolved from its sources' figures (SourceFigures) under
// `rule`; nullopt when no source has a figure. `archive` gives the sources'
// names and priorities.
std::optional<Resolution> Resolve(const std::vector<SourceFigure>& figures, ResolveRule rule,
                                  const Archive& archive);
// The same from the cell's versions (archive key order) at the cutoffs,
// for the sources in `filter`: Resolve(SourceFigures(cell, cutoffs, filter), ...).
// The one entry point for everything that resolves a cell.
std::optional<Resolution> ResolveCell(std::span<const Version> cell, const Cutoffs& cutoffs,
                                      const SourceFilter& filter, ResolveRule rule,
                                      const Archive& archive);

// Per source (ascending id), its first release for the cell (spec §7.1):
// of its reports dated (effective day) by the `as of` cutoff, each taken
// at its newest version recorded by the `recorded as of` cutoff, the one
// with the earliest effective day whose version holds a figure
// (retractions are skipped); of two with the same effective day, the one
// whose first version was recorded first. `recorded` is the time of the
// version whose figure it gives.
std::vector<SourceFigure> FirstFigures(std::span<const Version> cell, const Cutoffs& cutoffs,
                                       const SourceFilter& filter);

// The cell's first release among its sources' (FirstFigures): the earliest
// effective day, then the higher priority, then the source name first in
// byte order. Null if empty.
const SourceFigure* FirstRelease(const std::vector<SourceFigure>& firsts, const Archive& archive);

// Days from the last day of `period` to the effective day of `reported`:
// negative when published before the period ended (spec §7.2).
int32_t LagDays(const Period& period, const Date& reported);

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
