#include "query/catalog_tables.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace docket {
namespace {

// `2013, 2015..2024, 2024-H1, 2025-H1`: grouped by granularity, runs of
// consecutive periods collapsed.
std::string CollapsePeriods(std::vector<Period> periods) {
  std::sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) {
    return std::make_pair(a.grain(), a.ordinal()) < std::make_pair(b.grain(), b.ordinal());
  });
  std::string out;
  for (size_t i = 0; i < periods.size();) {
    size_t j = i + 1;
    while (j < periods.size() && periods[j].grain() == periods[i].grain() &&
           periods[j].ordinal() == periods[j - 1].ordinal() + 1)
      ++j;
    if (!out.empty()) out += ", ";
    out += periods[i].ToString();
    if (j - i > 1) out += ".." + periods[j - 1].ToString();
    i = j;
  }
  return out;
}

std::string SourceList(const Archive& archive, const std::vector<Version>& versions) {
  std::set<std::string> names;
  for (const auto& v : versions) names.insert(SourceName(archive, v.report.source));
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Result<Table> ShowTable(Archive& archive, const ast::Show& s) {
  Table t;
  switch (s.what) {
    case ast::Show::What::kCharges:
      t.columns = {"charge", "title", "article"};
      for (const auto& [name, c] : archive.charges())
        t.rows.push_back({Cell::Text(name), Cell::Text(c.title), Cell::Text(c.article)});
      break;
    case ast::Show::What::kSources:
      t.columns = {"source", "title", "url", "priority"};
      for (const auto& [name, src] : archive.sources())
        t.rows.push_back({Cell::Text(name), Cell::Text(src.title), Cell::Text(src.url),
                          Cell::Text(std::to_string(src.priority))});
      break;
    case ast::Show::What::kSeries: {
      t.columns = {"series", "periods", "first", "last", "sources", "reports"};
      auto series = archive.SeriesOf(s.charge);
      if (!series.ok()) return series.status();
      std::vector<Version> versions;
      for (const auto& info : *series) {
        DOCKET_RETURN_IF_ERROR(archive.ScanSeries(info.id, &versions));
        const auto cells = SplitCells(versions);
        if (cells.empty()) continue;
        t.rows.push_back({Cell::Text(info.text), Cell::Text(std::to_string(cells.size())),
                          Cell::Text(cells.front().period.ToString()),
                          Cell::Text(cells.back().period.ToString()),
                          Cell::Text(SourceList(archive, versions)),
                          Cell::Text(std::to_string(versions.size()))});
      }
      break;
    }
  }
  return t;
}

Result<Table> DescribeTable(Archive& archive, const ast::Describe& d, const Deadline& deadline) {
  Table t{{"charge", "title", "article", "series", "periods", "sources"}, {}};
  const Charge* charge = archive.FindCharge(d.charge);
  auto series = archive.SeriesOf(d.charge);
  if (!series.ok()) return series.status();
  std::vector<Version> versions;
  for (const auto& info : *series) {
    DOCKET_RETURN_IF_ERROR(deadline.Check());
    DOCKET_RETURN_IF_ERROR(archive.ScanSeries(info.id, &versions));
    std::vector<Period> periods;
    for (const auto& cell : SplitCells(versions)) periods.push_back(cell.period);
    t.rows.push_back({Cell::Text(d.charge), Cell::Text(charge->title), Cell::Text(charge->article),
                      Cell::Text(info.text), Cell::Text(CollapsePeriods(periods)),
                      Cell::Text(SourceList(archive, versions))});
  }
  if (t.rows.empty())
    t.rows.push_back({Cell::Text(d.charge), Cell::Text(charge->title), Cell::Text(charge->article),
                      Cell::Text(""), Cell::Text(""), Cell::Text("")});
  return t;
}

namespace {

// A version named by the time index (its report and recorded time), then,
// once its cell is read, what its row shows besides: the figure, the note
// and url, and the status. About half the size of a Version, so that a
// window holds twice as many.
struct ChangedVersion {
  ReportKey report;
  Micros recorded = 0;
  std::optional<Figure> figure;
  uint32_t text = 0;  // kNoText, kTextNotKept, or 1 + its index in the window's texts
  VersionStatus status = VersionStatus::kCurrent;
};

// The changes of one stretch of the time index, in recorded order, with
// the notes and urls of those that have any. The texts kept are bounded:
// past kTextBudget bytes a change's texts are read again when its row is
// made.
class Window {
 public:
  static constexpr uint32_t kNoText = 0, kTextNotKept = UINT32_MAX;
  static constexpr size_t kTextBudget = size_t{16} << 20;

  std::vector<ChangedVersion>& changes() { return changes_; }

  // Takes the figure and texts of `c` from `v`, its version.
  void Fill(ChangedVersion* c, const Version& v) {
    c->figure = v.figure;
    if (v.note.empty() && v.url.empty()) {
      c->text = kNoText;
    } else if (text_bytes_ + v.note.size() + v.url.size() > kTextBudget) {
      c->text = kTextNotKept;
    } else {
      text_bytes_ += v.note.size() + v.url.size();
      texts_.emplace_back(v.note, v.url);
      c->text = static_cast<uint32_t>(texts_.size());
    }
  }
  // The whole version of a filled `c`.
  Status VersionOf(Archive& archive, const ChangedVersion& c, Version* out) const {
    if (c.text == kTextNotKept) return archive.ReadVersion(c.report, c.recorded, out);
    *out = Version{c.report, c.recorded, c.figure, {}, {}};
    if (c.text != kNoText) std::tie(out->note, out->url) = texts_[c.text - 1];
    return {};
  }
  void Clear() {
    changes_.clear();
    texts_.clear();
    text_bytes_ = 0;
  }

 private:
  std::vector<ChangedVersion> changes_;
  std::vector<std::pair<std::string, std::string>> texts_;  // note, url
  size_t text_bytes_ = 0;
};

bool SameCell(const ReportKey& a, const ReportKey& b) {
  return a.series == b.series && a.period == b.period;
}

// The status of `c` over its cell's whole history (no cutoffs, every
// source), as Revisions would give it, from `cell`: every version of the
// cell, in key order (a report's newest version first). `corrected` if the
// report has a newer version, else `superseded` if its source has a report
// of a later day or of the same day with a newer newest version, else
// `retracted` or `current`. Fills in `c`'s figure and texts.
Status ReadWithStatus(const std::vector<Version>& cell, Window& window, ChangedVersion* c) {
  const int32_t day = c->report.reported.last_day();
  const Version* own = nullptr;  // the report's newest version
  const Version* changed = nullptr;
  bool later = false;
  for (size_t i = 0; i < cell.size(); ++i) {
    const Version& n = cell[i];
    if (n.report.source != c->report.source) continue;
    if (n.report == c->report) {
      if (!own) own = &n;
      if (n.recorded == c->recorded) changed = &n;
    } else if (i == 0 || !(cell[i - 1].report == n.report)) {  // a report's newest version
      const int32_t n_day = n.report.reported.last_day();
      if (n_day > day || (n_day == day && n.recorded > c->recorded))
        later = true;  // LaterReport's rule; a same-day report counts if its newest is newer
    }
  }
  if (!changed) return Status::Io("time index points at a missing report version");
  window.Fill(c, *changed);
  if (own != changed) {
    c->status = VersionStatus::kCorrected;
    return {};
  }
  c->status = later ? VersionStatus::kSuperseded
                    : own->is_retraction() ? VersionStatus::kRetracted : VersionStatus::kCurrent;
  return {};
}

// Reads the figure, texts and status of each change of `window`. The
// changes of one cell share one read of it, and the cells are read in key
// order. The deadline is checked at each cell.
Status ReadChanges(Archive& archive, const Deadline& deadline, Window& window) {
  std::vector<ChangedVersion>& changes = window.changes();
  std::vector<uint32_t> order(changes.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const ReportKey &x = changes[a].report, &y = changes[b].report;
    return std::tie(x.series, x.period) < std::tie(y.series, y.period);
  });
  std::vector<Version> cell;
  for (size_t i = 0; i < order.size();) {
    DOCKET_RETURN_IF_ERROR(deadline.Check());
    const ReportKey first = changes[order[i]].report;  // a report of the cell read next
    DOCKET_RETURN_IF_ERROR(archive.ScanCell(first.series, first.period, &cell));
    for (; i < order.size() && SameCell(changes[order[i]].report, first); ++i)
      DOCKET_RETURN_IF_ERROR(ReadWithStatus(cell, window, &changes[order[i]]));
  }
  return {};
}

}  // namespace

Status EmitChanges(Archive& archive, Micros since, const Context& ctx, const Deadline& deadline,
                   Output& output) {
  // Changes are read a window of the time index at a time, so that a cell
  // changed several times in it is read once. The window bounds the
  // memory: about 80 MiB of changes and 16 MiB of their texts. A smaller
  // one reads a cell again in each window that names it: at 100M reports,
  // the last 1% (a million changes of 100,000 cells) took 10.5 s in
  // windows of 2^18 and 5.1 s in one.
  constexpr size_t kWindow = size_t{1} << 20;
  output.Begin(RevisionTable().columns);
  Window window;
  Version v;
  const auto emit = [&]() -> Status {
    DOCKET_RETURN_IF_ERROR(ReadChanges(archive, deadline, window));
    for (const ChangedVersion& c : window.changes()) {
      auto info = archive.SeriesById(c.report.series);
      if (!info.ok()) return info.status();
      DOCKET_RETURN_IF_ERROR(window.VersionOf(archive, c, &v));
      DOCKET_RETURN_IF_ERROR(
          output.Row(RevisionRow(info->text, SourceName(archive, c.report.source), v, StatusName(c.status))));
    }
    window.Clear();
    return {};
  };
  Status failed;
  DOCKET_RETURN_IF_ERROR(archive.ScanTimeIndex(since, [&](Micros recorded, const ReportKey& r) {
    failed = deadline.Check();
    if (!failed.ok()) return false;
    if (ctx.cutoffs.recorded_as_of && recorded > *ctx.cutoffs.recorded_as_of) return false;
    if (ctx.filter && std::find(ctx.filter->begin(), ctx.filter->end(), r.source) == ctx.filter->end())
      return true;
    if (ctx.cutoffs.as_of_day && r.reported.last_day() > *ctx.cutoffs.as_of_day) return true;
    ChangedVersion& c = window.changes().emplace_back();
    c.report = r;
    c.recorded = recorded;
    if (window.changes().size() < kWindow) return true;
    failed = emit();
    return failed.ok();
  }));
  DOCKET_RETURN_IF_ERROR(failed);
  DOCKET_RETURN_IF_ERROR(emit());
  output.End();
  return {};
}

}  // namespace docket
