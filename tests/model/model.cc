#include "tests/model/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace docket::model {

int64_t DayNumber(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + doe - 719468;
}

int DaysInMonth(int year, int month) {
  return static_cast<int>(DayNumber(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) -
                          DayNumber(year, month, 1));
}

std::string DayText(int64_t day) {
  // Howard Hinnant's civil_from_days.
  const int64_t z = day + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string TimestampText(int64_t micros) {
  const int64_t day = (micros >= 0 ? micros : micros - kMicrosPerDay + 1) / kMicrosPerDay;
  const int64_t in_day = micros - day * kMicrosPerDay;
  const int64_t seconds = in_day / 1'000'000;
  return fmt::format("{}T{:02}:{:02}:{:02}.{:06}Z", DayText(day), seconds / 3600, seconds / 60 % 60,
                     seconds % 60, in_day % 1'000'000);
}

std::string Series::Text() const {
  if (labels.empty()) return charge;
  std::string text = charge + "{";
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) text += ", ";
    first = false;
    text += key + "=\"";
    for (const char c : value) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return text + "}";
}

namespace {

// Months in one half, quarter or month.
int MonthsIn(Period::Kind kind) {
  switch (kind) {
    case Period::Kind::kYear: return 12;
    case Period::Kind::kHalf: return 6;
    case Period::Kind::kQuarter: return 3;
    case Period::Kind::kMonth: return 1;
  }
  return 12;
}

}  // namespace

int64_t Period::FirstDay() const { return DayNumber(year, (index - 1) * MonthsIn(kind) + 1, 1); }

int64_t Period::LastDay() const {
  const int month = index * MonthsIn(kind);
  return DayNumber(year, month, DaysInMonth(year, month));
}

std::string Period::Text() const {
  switch (kind) {
    case Kind::kYear: return fmt::format("{:04}", year);
    case Kind::kHalf: return fmt::format("{:04}-H{}", year, index);
    case Kind::kQuarter: return fmt::format("{:04}-Q{}", year, index);
    case Kind::kMonth: return fmt::format("{:04}-{:02}", year, index);
  }
  return "";
}

bool PeriodBefore(const Period& a, const Period& b) {
  // Longer first: the enum lists the kinds from the longest.
  return std::make_tuple(a.FirstDay(), static_cast<int>(a.kind)) <
         std::make_tuple(b.FirstDay(), static_cast<int>(b.kind));
}

bool Selector::Matches(const Series& s, const Period& p) const {
  if (s.charge != charge || s.labels.size() != labels.size()) return false;
  for (const auto& [key, value] : labels) {
    const auto it = s.labels.find(key);
    if (it == s.labels.end() || (value && *value != it->second)) return false;
  }
  if (!first) return true;
  return p.kind == first->kind && first->FirstDay() <= p.FirstDay() && p.FirstDay() <= last->FirstDay();
}

namespace {

bool SameCell(const Record& a, const Record& b) {
  return a.series == b.series && a.period == b.period;
}
bool SameReport(const Record& a, const Record& b) {
  return SameCell(a, b) && a.source == b.source && a.reported.written == b.reported.written;
}

// A csv field, quoted when it holds a separator, a quote, a line break or
// spaces at either end.
std::string Csv(const std::string& field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return field;
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// value, lo, hi, approx of a figure (§3 display for counts; empty for a retraction).
// value,lo,hi,approx of a count interval [lo, hi] (hi nullopt: unbounded).
std::string IntervalFields(int64_t lo, std::optional<int64_t> hi, bool approx) {
  std::string value = approx ? "~" : "";
  if (!hi) {
    value += fmt::format(">={}", lo);
  } else if (lo == *hi) {
    value += fmt::format("{}", lo);
  } else if (lo == 0) {
    value += fmt::format("<={}", *hi);
  } else {
    value += fmt::format("{}..{}", lo, *hi);
  }
  return fmt::format("{},{},{},{}", value, lo, hi ? fmt::format("{}", *hi) : "", approx ? "true" : "false");
}

std::string FigureFields(const std::optional<Figure>& f) {
  if (!f) return ",,,false";
  const auto v = static_cast<int64_t>(f->value);
  return IntervalFields(f->bound == Bound::kAtMost ? 0 : v,
                        f->bound == Bound::kAtLeast ? std::nullopt : std::optional<int64_t>(v),
                        f->bound == Bound::kApprox);
}

// `23`, `>=28`, `<=10`, `~36`: a figure as the no-consensus warning writes it.
std::string FigureText(const Figure& f) {
  static constexpr const char* kBounds[] = {"", ">=", "<=", "~"};
  return fmt::format("{}{}", kBounds[static_cast<int>(f.bound)], f.value);
}

// The versions a query sees: its cell, its sources, its cutoffs.
bool Visible(const Version& v, const Modifiers& m) {
  if (m.recorded_as_of && v.recorded > *m.recorded_as_of) return false;
  if (m.as_of && v.record.reported.day > *m.as_of) return false;
  if (m.from && std::find(m.from->begin(), m.from->end(), v.record.source) == m.from->end()) return false;
  return true;
}

using Versions = std::vector<const Version*>;

// Is `v` the newest version of its report among `seen`?
bool IsNewest(const Version& v, const Versions& seen) {
  return std::none_of(seen.begin(), seen.end(), [&](const Version* w) {
    return SameReport(w->record, v.record) && w->recorded > v.recorded;
  });
}

// The newest-of-its-report versions among `seen` that are of `v`'s cell and
// source and count over `v` in resolution: a later effective day, or the
// same day with a newest version recorded later.
bool IsOutranked(const Version& v, const Versions& seen) {
  return std::any_of(seen.begin(), seen.end(), [&](const Version* h) {
    return SameCell(h->record, v.record) && h->record.source == v.record.source &&
           !SameReport(h->record, v.record) && IsNewest(*h, seen) &&
           (h->record.reported.day > v.record.reported.day ||
            (h->record.reported.day == v.record.reported.day && h->recorded > v.recorded));
  });
}

std::string Status(const Version& v, const Versions& seen) {
  if (!IsNewest(v, seen)) return "corrected";
  if (IsOutranked(v, seen)) return "superseded";
  return v.record.figure ? "current" : "retracted";
}

std::string RevisionRow(const Version& v, const Versions& seen) {
  const Record& r = v.record;
  return fmt::format("{},{},{},{},{},{},{},{},{}\n", Csv(r.series.Text()), r.period.Text(), Csv(r.source),
                     r.reported.written, TimestampText(v.recorded), FigureFields(r.figure), Status(v, seen),
                     Csv(r.note), Csv(r.url));
}

constexpr char kRevisionsHeader[] = "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n";

// Revisions order: series, period, source, reported (day, then as written), recorded.
bool RevisionBefore(const Version* a, const Version* b) {
  const Record &x = a->record, &y = b->record;
  if (x.series.Text() != y.series.Text()) return x.series.Text() < y.series.Text();
  if (!(x.period == y.period)) return PeriodBefore(x.period, y.period);
  return std::tie(x.source, x.reported.day, x.reported.written, a->recorded) <
         std::tie(y.source, y.reported.day, y.reported.written, b->recorded);
}

}  // namespace

std::string Model::Refusal(const Record& r) const {
  if (r.figure) return "";
  const bool dated = std::any_of(versions_.begin(), versions_.end(), [&](const Version& v) {
    return SameCell(v.record, r) && v.record.source == r.source && v.record.reported.day <= r.reported.day;
  });
  if (dated) return "";
  return fmt::format("cannot retract {}[{}] from {} on {}: the source has no report for that cell dated on or "
                     "before it",
                     r.series.Text(), r.period.Text(), r.source, r.reported.written);
}

std::optional<Model::Failure> Model::Run(const std::vector<Statement>& script, int64_t now) {
  Model next = *this;
  for (size_t i = 0; i < script.size(); ++i) {
    const Statement& s = script[i];
    if (s.define) {
      if (!s.define->source) continue;  // charges play no part in the answers modelled
      int64_t& priority = next.priorities_[s.define->name];  // a new source starts at 0
      if (s.define->priority) priority = *s.define->priority;
      continue;
    }
    const Record& r = s.record;
    if (std::string why = next.Refusal(r); !why.empty()) return Failure{i, why};
    const Version* newest = nullptr;
    for (const Version& v : next.versions_)
      if (SameReport(v.record, r)) newest = &v;  // versions are kept in recorded order
    const auto same_figure = [](const std::optional<Figure>& a, const std::optional<Figure>& b) {
      return a.has_value() == b.has_value() && (!a || (a->bound == b->bound && a->value == b->value));
    };
    if (newest && same_figure(newest->record.figure, r.figure) && newest->record.note == r.note &&
        newest->record.url == r.url)
      continue;
    next.latest_ = next.latest_ == INT64_MIN ? now : std::max(now, next.latest_ + 1);
    next.versions_.push_back({r, next.latest_});
  }
  *this = std::move(next);
  return std::nullopt;
}

std::vector<Cell> Model::Cells(const Selector& selector) const {
  std::vector<Cell> cells;
  for (const Version& v : versions_) {
    const Cell cell{v.record.series, v.record.period};
    if (selector.Matches(cell.series, cell.period) && std::find(cells.begin(), cells.end(), cell) == cells.end())
      cells.push_back(cell);
  }
  std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
    if (a.series.Text() != b.series.Text()) return a.series.Text() < b.series.Text();
    return PeriodBefore(a.period, b.period);
  });
  return cells;
}

std::vector<const Version*> Model::Resolve(const Cell& cell, const Modifiers& m) const {
  Versions seen;
  for (const Version& v : versions_)
    if (v.record.series == cell.series && v.record.period == cell.period && Visible(v, m)) seen.push_back(&v);
  // Step 1: each source's report with the greatest day (then the one whose
  // newest version was recorded later), at its newest version; a
  // retraction there leaves the source no figure.
  std::map<std::string, const Version*> figures;  // by source, in byte order
  for (const Version* v : seen)
    if (IsNewest(*v, seen) && !IsOutranked(*v, seen) && v->record.figure) figures[v->record.source] = v;
  std::vector<const Version*> out;
  if (m.by_source) {
    for (const auto& [source, v] : figures) out.push_back(v);
    return out;
  }
  // Step 2: the latest day, then the higher priority, then the first name.
  for (const auto& [source, v] : figures) {
    if (out.empty()) {
      out.push_back(v);
      continue;
    }
    const Version* winner = out.front();
    if (std::make_pair(v->record.reported.day, priorities_.at(source)) >
        std::make_pair(winner->record.reported.day, priorities_.at(winner->record.source)))
      out.front() = v;
  }
  return out;
}

std::optional<std::string> Model::Resolved(const Cell& cell, const Modifiers& m, std::string* warning) const {
  Modifiers each = m;
  each.by_source = true;
  const std::vector<const Version*> figures = Resolve(cell, each);  // byte order of source
  if (figures.empty()) return std::nullopt;
  auto row = [](const Version* v) {
    return fmt::format("{},{},{}", FigureFields(v->record.figure), Csv(v->record.source), v->record.reported.written);
  };
  if (m.rule == Rule::kLatest) return row(Resolve(cell, m).front());
  if (m.rule == Rule::kPriority) {
    const Version* best = nullptr;  // the highest priority, then the latest day, then the first name
    for (const Version* v : figures)
      if (!best || std::make_pair(priorities_.at(v->record.source), v->record.reported.day) >
                       std::make_pair(priorities_.at(best->record.source), best->record.reported.day))
        best = v;
    return row(best);
  }
  if (figures.size() == 1) return row(figures.front());
  // Consensus: ~v spans [9v/10, 11v/10]; rounding each end inward first
  // gives the same whole numbers as rounding the intersection.
  int64_t lo = 0;
  std::optional<int64_t> hi;
  bool approx = false;
  std::string sources, reported, written;
  int64_t reported_day = INT64_MIN;
  for (const Version* v : figures) {
    const Figure& f = *v->record.figure;
    const auto n = static_cast<int64_t>(f.value);
    int64_t l = n;
    std::optional<int64_t> h = n;
    if (f.bound == Bound::kAtLeast) h.reset();
    if (f.bound == Bound::kAtMost) l = 0;
    if (f.bound == Bound::kApprox) {
      l = (9 * n + 9) / 10;
      h = 11 * n / 10;
      approx = true;
    }
    lo = std::max(lo, l);
    if (h) hi = hi ? std::min(*hi, *h) : *h;
    sources += (sources.empty() ? "" : "/") + v->record.source;
    written += fmt::format("{}{} {}", written.empty() ? "" : ", ", v->record.source, FigureText(f));
    // The latest reported: effective day, then as written (a longer text is more precise).
    const Reported& r = v->record.reported;
    if (std::make_pair(r.day, r.written.size()) > std::make_pair(reported_day, reported.size())) {
      reported_day = r.day;
      reported = r.written;
    }
  }
  if (hi && *hi < lo) {
    *warning += fmt::format("docket: -e: no consensus on {}[{}]: {}\n", cell.series.Text(), cell.period.Text(), written);
    return fmt::format(",,,false,{},{}", Csv(sources), reported);
  }
  return fmt::format("{},{},{}", IntervalFields(lo, hi, approx), Csv(sources), reported);
}

std::string Model::Values(const Selector& selector, const Modifiers& m) const {
  std::string out = "series,period,value,lo,hi,approx,source,reported\n";
  std::string warnings;
  for (const Cell& cell : Cells(selector)) {
    if (m.by_source) {
      for (const Version* v : Resolve(cell, m))
        out += fmt::format("{},{},{},{},{}\n", Csv(cell.series.Text()), cell.period.Text(),
                           FigureFields(v->record.figure), Csv(v->record.source), v->record.reported.written);
    } else if (auto fields = Resolved(cell, m, &warnings)) {
      out += fmt::format("{},{},{}\n", Csv(cell.series.Text()), cell.period.Text(), *fields);
    }
  }
  return out;
}

std::string Model::Warnings(const Selector& selector, const Modifiers& m) const {
  std::string warnings;
  if (!m.by_source)
    for (const Cell& cell : Cells(selector)) Resolved(cell, m, &warnings);
  return warnings;
}

std::vector<const Version*> Model::FirstReleases(const Cell& cell, const Modifiers& m) const {
  Versions seen;
  for (const Version& v : versions_)
    if (v.record.series == cell.series && v.record.period == cell.period && Visible(v, m)) seen.push_back(&v);
  auto first_recorded = [&](const Version* v) {
    int64_t t = v->recorded;
    for (const Version* w : seen)
      if (SameReport(w->record, v->record)) t = std::min(t, w->recorded);
    return t;
  };
  // Per source (byte order): the earliest day holding a figure at its
  // newest version, then the report recorded first.
  std::map<std::string, const Version*> firsts;
  for (const Version* v : seen) {
    if (!IsNewest(*v, seen) || !v->record.figure) continue;
    const Version*& best = firsts[v->record.source];
    if (!best || std::make_pair(v->record.reported.day, first_recorded(v)) <
                     std::make_pair(best->record.reported.day, first_recorded(best)))
      best = v;
  }
  std::vector<const Version*> out;
  for (const auto& [source, v] : firsts) {
    if (m.by_source || out.empty()) {
      out.push_back(v);
      continue;
    }
    // Among sources: the earliest day, then the higher priority, then the first name.
    const Version* best = out.front();
    if (std::make_pair(v->record.reported.day, -priorities_.at(source)) <
        std::make_pair(best->record.reported.day, -priorities_.at(best->record.source)))
      out.front() = v;
  }
  return out;
}

std::string Model::Firsts(const Selector& selector, const Modifiers& m, bool lag) const {
  std::string out = "series,period,value,lo,hi,approx,source,reported\n";
  for (const Cell& cell : Cells(selector))
    for (const Version* v : FirstReleases(cell, m)) {
      const int64_t days = v->record.reported.day - cell.period.LastDay();
      out += fmt::format("{},{},{},{},{}\n", Csv(cell.series.Text()), cell.period.Text(),
                         lag ? IntervalFields(days, days, false) : FigureFields(v->record.figure),
                         Csv(v->record.source), v->record.reported.written);
    }
  return out;
}

std::string Model::Revisions(const Selector& selector, const Modifiers& m) const {
  Versions seen;
  for (const Version& v : versions_)
    if (selector.Matches(v.record.series, v.record.period) && Visible(v, m)) seen.push_back(&v);
  Versions rows = seen;
  std::stable_sort(rows.begin(), rows.end(), RevisionBefore);
  std::string out = kRevisionsHeader;
  for (const Version* v : rows) out += RevisionRow(*v, seen);
  return out;
}

std::string Model::ChangesSince(int64_t since) const {
  Versions all;
  for (const Version& v : versions_) all.push_back(&v);
  std::string out = kRevisionsHeader;
  for (const Version* v : all) {  // kept in recorded order
    if (v->recorded < since) continue;
    Versions cell;  // the statuses depend only on the cell's versions
    for (const Version* w : all)
      if (SameCell(w->record, v->record)) cell.push_back(w);
    out += RevisionRow(*v, cell);
  }
  return out;
}

}  // namespace docket::model
