#include "query/catalog_tables.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

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

// The version of report `r` recorded at `recorded`, read into `v`, and its
// status over its cell's whole history (no cutoffs, every source), as
// Revisions would give it, from at most the report's own newest version,
// the source's other reports of that effective day and one later report:
// `corrected` if the report has a newer version, else `superseded` if the
// source has a report of a later day or of the same day with a newer
// newest version, else `retracted` or `current`. The scan gives the
// version when it is the report's newest; an older one is read after it,
// a step forward from where the scan began.
Result<VersionStatus> ReadWithStatus(Archive& archive, const ReportKey& r, Micros recorded, Version* v) {
  const int32_t day = r.reported.last_day();
  std::optional<Micros> own_newest;
  bool later = false;
  DOCKET_RETURN_IF_ERROR(archive.ScanNewestReports(r.series, r.period, r.source, day, [&](const Version& newest) {
    if (newest.report == r) {
      own_newest = newest.recorded;
      if (newest.recorded == recorded) *v = newest;
    } else if (newest.report.reported.last_day() > day || newest.recorded > recorded) {
      later = true;  // LaterReport's rule; a same-day report counts if its newest is newer
    }
    return newest.report.reported.last_day() == day;
  }));
  if (!own_newest) return Status::Io("time index points at a missing report version");
  if (*own_newest != recorded) {
    DOCKET_RETURN_IF_ERROR(archive.ReadVersion(r, recorded, v));
    return VersionStatus::kCorrected;
  }
  if (later) return VersionStatus::kSuperseded;
  return v->is_retraction() ? VersionStatus::kRetracted : VersionStatus::kCurrent;
}

}  // namespace

Status EmitChanges(Archive& archive, Micros since, const Context& ctx, const Deadline& deadline,
                   Output& output) {
  output.Begin(RevisionTable().columns);
  Status failed;
  Version v;
  DOCKET_RETURN_IF_ERROR(archive.ScanTimeIndex(since, [&](Micros recorded, const ReportKey& r) {
    failed = deadline.Check();
    if (!failed.ok()) return false;
    if (ctx.cutoffs.recorded_as_of && recorded > *ctx.cutoffs.recorded_as_of) return false;
    if (ctx.filter && std::find(ctx.filter->begin(), ctx.filter->end(), r.source) == ctx.filter->end())
      return true;
    if (ctx.cutoffs.as_of_day && r.reported.last_day() > *ctx.cutoffs.as_of_day) return true;
    auto status = ReadWithStatus(archive, r, recorded, &v);
    auto info = status.ok() ? archive.SeriesById(r.series) : Result<const SeriesInfo&>(status.status());
    failed = info.ok() ? output.Row(RevisionRow(info->text, SourceName(archive, r.source), v,
                                                StatusName(*status)))
                       : info.status();
    return failed.ok();
  }));
  DOCKET_RETURN_IF_ERROR(failed);
  output.End();
  return {};
}

}  // namespace docket
