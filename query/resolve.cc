#include "query/resolve.h"

#include <algorithm>

#include <fmt/format.h>

#include "storage/archive.h"

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

namespace {

// A source's name and priority as resolution compares them.
class SourceRank {
 public:
  explicit SourceRank(const Archive& archive) : archive_(archive) {}
  int64_t priority(SourceId id) const {
    const Source* s = archive_.SourceById(id);
    return s ? s->priority : 0;
  }
  std::string_view name(SourceId id) const {
    const Source* s = archive_.SourceById(id);
    return s ? std::string_view(s->name) : std::string_view();
  }

 private:
  const Archive& archive_;
};

// The figure of `figures` that no other beats: `beats(a, b)` is true when
// `a` wins over `b`. Null if empty.
template <class Beats>
const SourceFigure* Best(const std::vector<SourceFigure>& figures, Beats beats) {
  const SourceFigure* best = nullptr;
  for (const auto& f : figures)
    if (!best || beats(f, *best)) best = &f;
  return best;
}

// The three orders of resolution, each a chain of tie-breaks ending in the
// source name first in byte order.
bool LatestBeats(const SourceRank& rank, const SourceFigure& a, const SourceFigure& b) {
  if (a.reported.last_day() != b.reported.last_day()) return a.reported.last_day() > b.reported.last_day();
  if (rank.priority(a.source) != rank.priority(b.source))
    return rank.priority(a.source) > rank.priority(b.source);
  return rank.name(a.source) < rank.name(b.source);
}
bool PriorityBeats(const SourceRank& rank, const SourceFigure& a, const SourceFigure& b) {
  if (rank.priority(a.source) != rank.priority(b.source))
    return rank.priority(a.source) > rank.priority(b.source);
  if (a.reported.last_day() != b.reported.last_day()) return a.reported.last_day() > b.reported.last_day();
  return rank.name(a.source) < rank.name(b.source);
}
bool EarliestBeats(const SourceRank& rank, const SourceFigure& a, const SourceFigure& b) {
  if (a.reported.last_day() != b.reported.last_day()) return a.reported.last_day() < b.reported.last_day();
  if (rank.priority(a.source) != rank.priority(b.source))
    return rank.priority(a.source) > rank.priority(b.source);
  return rank.name(a.source) < rank.name(b.source);
}

// The smallest whole number >= v, the largest <= v (v finite, a count's
// bound or 9/10 or 11/10 of one: well inside int64).
Real Ceil(const Real& v) {
  mpz_class q;
  mpz_cdiv_q(q.get_mpz_t(), v.value().get_num_mpz_t(), v.value().get_den_mpz_t());
  return Real::Integer(q.get_si());
}
Real Floor(const Real& v) {
  mpz_class q;
  mpz_fdiv_q(q.get_mpz_t(), v.value().get_num_mpz_t(), v.value().get_den_mpz_t());
  return Real::Integer(q.get_si());
}

// A figure's interval for consensus: `~v` spans [9v/10, 11v/10].
Interval ConsensusSpan(const Figure& figure) {
  Interval v = Interval::FromFigure(figure);
  if (figure.bound == Bound::kApprox) {
    const Real count = Real::Integer(static_cast<int64_t>(figure.count));
    v.lo = count * Real::Integer(9) / Real::Integer(10);
    v.hi = count * Real::Integer(11) / Real::Integer(10);
  }
  return v;
}

Resolution Consensus(const std::vector<SourceFigure>& figures, const SourceRank& rank) {
  Resolution out;
  if (figures.size() == 1) {
    out.value = Interval::FromFigure(figures.front().figure);
    out.source = std::string(rank.name(figures.front().source));
    out.reported = figures.front().reported;
    return out;
  }
  std::vector<const SourceFigure*> by_name;
  for (const auto& f : figures) by_name.push_back(&f);
  std::sort(by_name.begin(), by_name.end(), [&](const SourceFigure* a, const SourceFigure* b) {
    return rank.name(a->source) < rank.name(b->source);
  });
  Interval meet = ConsensusSpan(by_name.front()->figure);
  out.reported = by_name.front()->reported;
  for (const SourceFigure* f : by_name) {
    const Interval v = ConsensusSpan(f->figure);
    meet.lo = std::max(meet.lo, v.lo);
    meet.hi = std::min(meet.hi, v.hi);
    meet.approx = meet.approx || v.approx;
    out.reported = std::max(out.reported, f->reported);
    out.source += fmt::format("{}{}", out.source.empty() ? "" : "/", rank.name(f->source));
  }
  meet.lo = Ceil(meet.lo);
  if (meet.hi.finite()) meet.hi = Floor(meet.hi);
  if (meet.hi < meet.lo) {
    for (const SourceFigure* f : by_name)
      out.disagreement += fmt::format("{}{} {}", out.disagreement.empty() ? "" : ", ",
                                      rank.name(f->source), f->figure);
    return out;
  }
  out.value = meet;
  return out;
}

}  // namespace

const SourceFigure* Winner(const std::vector<SourceFigure>& figures, const Archive& archive) {
  const SourceRank rank(archive);
  return Best(figures, [&](const auto& a, const auto& b) { return LatestBeats(rank, a, b); });
}

std::string_view RuleName(ResolveRule rule) {
  switch (rule) {
    case ResolveRule::kLatest: return "latest";
    case ResolveRule::kPriority: return "priority";
    case ResolveRule::kConsensus: return "consensus";
  }
  return "";
}

std::optional<Resolution> Resolve(const std::vector<SourceFigure>& figures, ResolveRule rule,
                                  const Archive& archive) {
  if (figures.empty()) return std::nullopt;
  const SourceRank rank(archive);
  if (rule == ResolveRule::kConsensus) return Consensus(figures, rank);
  const SourceFigure* w =
      rule == ResolveRule::kLatest
          ? Best(figures, [&](const auto& a, const auto& b) { return LatestBeats(rank, a, b); })
          : Best(figures, [&](const auto& a, const auto& b) { return PriorityBeats(rank, a, b); });
  return Resolution{Interval::FromFigure(w->figure), std::string(rank.name(w->source)), w->reported, ""};
}

std::optional<Resolution> ResolveCell(std::span<const Version> cell, const Cutoffs& cutoffs,
                                      const SourceFilter& filter, ResolveRule rule,
                                      const Archive& archive) {
  return Resolve(SourceFigures(cell, cutoffs, filter), rule, archive);
}

std::vector<SourceFigure> FirstFigures(std::span<const Version> cell, const Cutoffs& cutoffs,
                                       const SourceFilter& filter) {
  std::vector<SourceFigure> out;
  ForEachSource(cell, cutoffs, filter, [&](SourceId source, const std::vector<KeptReport>& reports) {
    const KeptReport* first = nullptr;
    for (const auto& r : reports) {
      if (r.newest().is_retraction()) continue;
      if (!first || r.day() < first->day() ||
          (r.day() == first->day() && r.versions.back().recorded < first->versions.back().recorded))
        first = &r;
    }
    if (first)
      out.push_back({source, first->newest().report.reported, first->newest().recorded,
                     *first->newest().figure});
  });
  return out;
}

const SourceFigure* FirstRelease(const std::vector<SourceFigure>& firsts, const Archive& archive) {
  const SourceRank rank(archive);
  return Best(firsts, [&](const auto& a, const auto& b) { return EarliestBeats(rank, a, b); });
}

int32_t LagDays(const Period& period, const Date& reported) {
  return reported.last_day() - period.last_day();
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
