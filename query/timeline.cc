#include "query/timeline.h"

#include <algorithm>

namespace docket {

Resolved ResolveAt(std::span<const Version> cell, const Cutoffs& cutoffs,
                   const SourceFilter& filter, ResolveRule rule, const Archive& archive) {
  auto r = ResolveCell(cell, cutoffs, filter, rule, archive);
  if (!r) return {};
  return {std::move(r->value), std::move(r->source), r->reported};
}

bool SameResult(const Resolved& a, const Resolved& b) {
  if (!a.value || !b.value) return !a.value && !b.value;
  return a.value->lo == b.value->lo && a.value->hi == b.value->hi &&
         a.value->approx == b.value->approx && a.source == b.source && a.reported == b.reported;
}

std::vector<int32_t> ReportDays(std::span<const Version> cell, const Cutoffs& cutoffs,
                                const SourceFilter& filter) {
  std::vector<int32_t> days;
  for (const Version& v : cell) {
    if (filter && std::find(filter->begin(), filter->end(), v.report.source) == filter->end()) continue;
    if (cutoffs.recorded_as_of && v.recorded > *cutoffs.recorded_as_of) continue;
    const int32_t day = v.report.reported.last_day();
    if (cutoffs.as_of_day && day > *cutoffs.as_of_day) continue;
    days.push_back(day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

Result<std::vector<HistoryStep>> CellHistory(std::span<const Version> cell, const Cutoffs& cutoffs,
                                             const SourceFilter& filter, ResolveRule rule,
                                             const Archive& archive, const Deadline& deadline) {
  std::vector<HistoryStep> steps;
  for (int32_t day : ReportDays(cell, cutoffs, filter)) {
    DOCKET_RETURN_IF_ERROR(deadline.Check());
    Resolved r = ResolveAt(cell, Cutoffs{day, cutoffs.recorded_as_of}, filter, rule, archive);
    if (!steps.empty() && SameResult(steps.back().result, r)) continue;
    if (!steps.empty()) steps.back().until = day - 1;
    steps.push_back({day, std::nullopt, std::move(r)});
  }
  return steps;
}

std::vector<Vintage> VintageSteps(const ast::VintageRange& range) {
  std::vector<Vintage> out;
  if (range.days) {
    for (int32_t d = range.first_day; d <= range.last_day; ++d)
      out.push_back({Date(d, DatePrecision::kDay).ToString(), d});
    return out;
  }
  Period p = range.first;
  for (;;) {  // stops at `last`: no step past it (year 9999 has no next)
    out.push_back({p.ToString(), p.last_day()});
    if (!(p < range.last)) break;
    p = p.Next();
  }
  return out;
}

std::optional<DiffChange> ChangeBetween(const Resolved& a, const Resolved& b) {
  if (SameResult(a, b)) return std::nullopt;
  if (!a.value) return DiffChange::kAdded;
  if (!b.value) return DiffChange::kRemoved;
  if (a.value->lo != b.value->lo || a.value->hi != b.value->hi || a.value->approx != b.value->approx)
    return DiffChange::kRevised;
  return DiffChange::kRestated;
}

const char* ChangeName(DiffChange change) {
  switch (change) {
    case DiffChange::kAdded: return "added";
    case DiffChange::kRemoved: return "removed";
    case DiffChange::kRevised: return "revised";
    case DiffChange::kRestated: return "restated";
  }
  return "";
}

Cutoffs CutoffsOf(const ast::DiffCutoff& side) {
  Cutoffs c;
  if (side.as_of) c.as_of_day = side.as_of->last_day();
  c.recorded_as_of = side.recorded_as_of;
  return c;
}

}  // namespace docket
