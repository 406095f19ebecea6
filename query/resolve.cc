#include "query/resolve.h"

#include <algorithm>

#include <fmt/format.h>

namespace docket {
namespace {

// One report of a source at the cutoffs: its versions that exist by then.
struct KeptReport {
  std::span<const Version> versions;  // newest first, all recorded by the cutoff
  int32_t day() const { return versions.front().report.reported.last_day(); }
  const Version& newest() const { return versions.front(); }
};

bool InFilter(const SourceFilter& filter, SourceId source) {
  return !filter || std::find(filter->begin(), filter->end(), source) != filter->end();
}

// Calls visit(reports) for each source of the cell in the filter, with the
// source's reports that exist at the cutoffs, in key order.
template <class Visit>
void ForEachSource(std::span<const Version> cell, const Cutoffs& cutoffs,
                   const SourceFilter& filter, Visit visit) {
  std::vector<KeptReport> reports;
  for (size_t i = 0; i < cell.size();) {
    const SourceId source = cell[i].report.source;
    size_t j = i;
    while (j < cell.size() && cell[j].report.source == source) ++j;
    if (InFilter(filter, source)) {
      reports.clear();
      for (size_t a = i; a < j;) {
        size_t b = a;
        while (b < j && cell[b].report.reported == cell[a].report.reported) ++b;
        const bool dated_in = !cutoffs.as_of_day || cell[a].report.reported.last_day() <= *cutoffs.as_of_day;
        if (dated_in) {
          // Versions come newest first: skip those recorded after the cutoff.
          size_t k = a;
          while (k < b && cutoffs.recorded_as_of && cell[k].recorded > *cutoffs.recorded_as_of) ++k;
          if (k < b) reports.push_back({cell.subspan(k, b - k)});
        }
        a = b;
      }
      visit(source, reports);
    }
    i = j;
  }
}

// True if `a` counts over `b` for one source: later day, or the same day
// and a later newest version.
bool LaterReport(const KeptReport& a, const KeptReport& b) {
  if (a.day() != b.day()) return a.day() > b.day();
  return a.newest().recorded > b.newest().recorded;
}

}  // namespace

std::vector<SourceFigure> SourceFigures(std::span<const Version> cell, const Cutoffs& cutoffs,
                                        const SourceFilter& filter) {
  std::vector<SourceFigure> out;
  ForEachSource(cell, cutoffs, filter, [&](SourceId source, const std::vector<KeptReport>& reports) {
    const KeptReport* best = nullptr;
    for (const auto& r : reports)
      if (!best || LaterReport(r, *best)) best = &r;
    if (best && !best->newest().is_retraction())
      out.push_back({source, best->newest().report.reported, best->newest().recorded,
                     *best->newest().figure});
  });
  return out;
}

const SourceFigure* Winner(const std::vector<SourceFigure>& figures, const Archive& archive) {
  const SourceFigure* best = nullptr;
  auto priority = [&](SourceId id) {
    const Source* s = archive.SourceById(id);
    return s ? s->priority : 0;
  };
  auto name = [&](SourceId id) -> std::string_view {
    const Source* s = archive.SourceById(id);
    return s ? std::string_view(s->name) : std::string_view();
  };
  for (const auto& f : figures) {
    if (!best) {
      best = &f;
      continue;
    }
    if (f.reported.last_day() != best->reported.last_day()) {
      if (f.reported.last_day() > best->reported.last_day()) best = &f;
    } else if (priority(f.source) != priority(best->source)) {
      if (priority(f.source) > priority(best->source)) best = &f;
    } else if (name(f.source) < name(best->source)) {
      best = &f;
    }
  }
  return best;
}

std::string SourceName(const Archive& archive, SourceId id) {
  const Source* s = archive.SourceById(id);
  return s ? s->name : fmt::format("#{}", id);
}

const char* StatusName(VersionStatus status) {
  switch (status) {
    case VersionStatus::kCurrent: return "current";
    case VersionStatus::kCorrected: return "corrected";
    case VersionStatus::kSuperseded: return "superseded";
    case VersionStatus::kRetracted: return "retracted";
  }
  return "";
}

std::vector<VersionWithStatus> Revisions(std::span<const Version> cell, const Cutoffs& cutoffs,
                                         const SourceFilter& filter) {
  std::vector<VersionWithStatus> out;
  ForEachSource(cell, cutoffs, filter, [&](SourceId, const std::vector<KeptReport>& reports) {
    for (const auto& r : reports) {
      bool superseded = false;
      for (const auto& other : reports)
        if (&other != &r && LaterReport(other, r)) superseded = true;
      const VersionStatus newest = superseded ? VersionStatus::kSuperseded
                                   : r.newest().is_retraction() ? VersionStatus::kRetracted
                                                                : VersionStatus::kCurrent;
      for (size_t k = 0; k < r.versions.size(); ++k)
        out.push_back({&r.versions[k], k == 0 ? newest : VersionStatus::kCorrected});
    }
  });
  return out;
}

std::vector<CellSpan> SplitCells(const std::vector<Version>& versions) {
  std::vector<CellSpan> out;
  for (size_t i = 0; i < versions.size();) {
    size_t j = i;
    while (j < versions.size() && versions[j].report.period == versions[i].report.period) ++j;
    out.push_back({versions[i].report.period, std::span<const Version>(versions).subspan(i, j - i)});
    i = j;
  }
  return out;
}

}  // namespace docket
