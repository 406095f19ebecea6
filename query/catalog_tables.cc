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

// A version named by the time index: its report and recorded time until
// it is read, then the whole version and its status.
struct ChangedVersion {
  Version version;
  VersionStatus status = VersionStatus::kCurrent;
};

bool SameCell(const ReportKey& a, const ReportKey& b) {
  return a.series == b.series && a.period == b.period;
}

// The status of `c` over its cell's whole history (no cutoffs, every
// source), as Revisions would give it, from `newest`: the newest version
// of each report of the cell. `corrected` if the report has a newer
// version, else `superseded` if its source has a report of a later day or
// of the same day with a newer newest version, else `retracted` or
// `current`. Reads `c.version`: from `newest` when it is the report's
// newest, else from the archive.
Status ReadWithStatus(Archive& archive, const std::vector<Version>& newest, ChangedVersion* c) {
  const ReportKey report = c->version.report;  // a copy: reading fills c->version
  const Micros recorded = c->version.recorded;
  const int32_t day = report.reported.last_day();
  const Version* own = nullptr;
  bool later = false;
  for (const Version& n : newest) {
    if (n.report.source != report.source) continue;
    const int32_t n_day = n.report.reported.last_day();
    if (n.report == report) {
      own = &n;
    } else if (n_day > day || (n_day == day && n.recorded > recorded)) {
      later = true;  // LaterReport's rule; a same-day report counts if its newest is newer
    }
  }
  if (!own) return Status::Io("time index points at a missing report version");
  if (own->recorded != recorded) {
    c->status = VersionStatus::kCorrected;
    return archive.ReadVersion(report, recorded, &c->version);
  }
  c->version = *own;
  c->status = later ? VersionStatus::kSuperseded
                    : own->is_retraction() ? VersionStatus::kRetracted : VersionStatus::kCurrent;
  return {};
}

// Reads the version and status of each of `batch`. The changes of one cell
// share one scan of its reports' newest versions (a seek costs about ten
// steps), and the cells are read series by series. The deadline is
// checked at each cell.
Status ReadChanges(Archive& archive, const Deadline& deadline, std::vector<ChangedVersion>* batch) {
  std::vector<ChangedVersion*> order;
  order.reserve(batch->size());
  for (ChangedVersion& c : *batch) order.push_back(&c);
  std::sort(order.begin(), order.end(), [](const ChangedVersion* a, const ChangedVersion* b) {
    const ReportKey &x = a->version.report, &y = b->version.report;
    return std::tie(x.series, x.period) < std::tie(y.series, y.period);
  });
  std::vector<Version> newest;
  for (size_t i = 0; i < order.size();) {
    DOCKET_RETURN_IF_ERROR(deadline.Check());
    const ReportKey cell = order[i]->version.report;  // a report of the cell read next
    DOCKET_RETURN_IF_ERROR(archive.ScanNewestReports(cell.series, cell.period, &newest));
    for (; i < order.size() && SameCell(order[i]->version.report, cell); ++i)
      DOCKET_RETURN_IF_ERROR(ReadWithStatus(archive, newest, order[i]));
  }
  return {};
}

}  // namespace

Status EmitChanges(Archive& archive, Micros since, const Context& ctx, const Deadline& deadline,
                   Output& output) {
  // Changes are read a batch at a time, so that a cell changed several
  // times is read once; the batch bounds the memory (about 10 MiB).
  constexpr size_t kBatch = 65536;
  output.Begin(RevisionTable().columns);
  std::vector<ChangedVersion> batch;
  const auto emit = [&]() -> Status {
    DOCKET_RETURN_IF_ERROR(ReadChanges(archive, deadline, &batch));
    for (const ChangedVersion& c : batch) {
      auto info = archive.SeriesById(c.version.report.series);
      if (!info.ok()) return info.status();
      DOCKET_RETURN_IF_ERROR(output.Row(RevisionRow(info->text, SourceName(archive, c.version.report.source),
                                                    c.version, StatusName(c.status))));
    }
    batch.clear();
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
    ChangedVersion& c = batch.emplace_back();
    c.version.report = r;
    c.version.recorded = recorded;
    if (batch.size() < kBatch) return true;
    failed = emit();
    return failed.ok();
  }));
  DOCKET_RETURN_IF_ERROR(failed);
  DOCKET_RETURN_IF_ERROR(emit());
  output.End();
  return {};
}

}  // namespace docket
