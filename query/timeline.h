// Internal to query: one cell through time (spec §7.3-7.5). history,
// vintages and diff resolve a cell at many cutoffs; each works on the
// cell's versions as read once from storage (resolve.h's archive key
// order) and resolves in memory. Pure functions; the archive is read only
// for source names and priorities.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "query/ast.h"
#include "query/interval.h"
#include "query/query.h"
#include "query/resolve.h"
#include "storage/archive.h"

namespace docket {

// A cell resolved at some cutoffs. No value: no source has a figure (none
// reported, all retracted), and such a result counts as no figure.
struct Resolved {
  std::optional<Interval> value;
  std::string source;              // the winning source's name
  std::optional<Date> reported;    // its reported date, as written
};

// The cell resolved at `cutoffs` among the sources of `filter` under
// `rule` (resolve.h: ResolveCell), as history, vintages and diff show it.
// An empty consensus keeps its sources and reported date but no value, so
// it counts as no figure.
Resolved ResolveAt(std::span<const Version> cell, const Cutoffs& cutoffs,
                   const SourceFilter& filter, ResolveRule rule, const Archive& archive);

// True when the two results are the same for history and diff: both
// without a figure, or equal bound, lo, hi, approx, source and reported
// as written.
bool SameResult(const Resolved& a, const Resolved& b);

// The distinct effective reported days (ascending) of the cell's reports:
// those of sources in `filter` with a version recorded by
// `recorded_as_of` (nullopt: any), dated on or before `as_of_day` (nullopt: any).
std::vector<int32_t> ReportDays(std::span<const Version> cell, const Cutoffs& cutoffs,
                                const SourceFilter& filter);

// One row of `history`: from `from` (a day) the cell resolved to `result`,
// until the day before the next step's `from` (nullopt: the last step).
struct HistoryStep {
  int32_t from = 0;
  std::optional<int32_t> until;
  Resolved result;
};

// The cell's history at `cutoffs` (as of: the last day used; recorded as
// of: the versions that exist): resolved as of each ReportDays day, a new
// step on the first day and whenever the result differs (SameResult).
// The deadline's error when it passes (checked per day).
Result<std::vector<HistoryStep>> CellHistory(std::span<const Version> cell, const Cutoffs& cutoffs,
                                             const SourceFilter& filter, ResolveRule rule,
                                             const Archive& archive, const Deadline& deadline);

// One vintage of a range: its canonical text (`2024`, `2024-07`,
// `2024-07-31`) and the day it stands for (its last).
struct Vintage {
  std::string text;
  int32_t day = 0;
};
// Every vintage of `range`, in order (at most ast::kMaxVintages).
std::vector<Vintage> VintageSteps(const ast::VintageRange& range);

// What changed from side A to side B of diff; nullopt when SameResult.
enum class DiffChange { kAdded, kRemoved, kRevised, kRestated };
std::optional<DiffChange> ChangeBetween(const Resolved& a, const Resolved& b);
const char* ChangeName(DiffChange change);  // "added", "removed", "revised", "restated"

// The cutoffs of a diff side: its `as of` day and `recorded as of` instant.
Cutoffs CutoffsOf(const ast::DiffCutoff& side);

}  // namespace docket
