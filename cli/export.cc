#include "cli/export.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/backup.h"
#include "cli/diagnostics.h"
#include "cli/output_file.h"
#include "cli/render.h"
#include "query/resolve.h"

namespace docket::cli {
namespace {

// Series text and labels by id, read once per export.
Result<std::map<SeriesId, SeriesInfo>> AllSeries(Archive& archive) {
  std::map<SeriesId, SeriesInfo> out;
  DOCKET_RETURN_IF_ERROR(archive.ForEachSeries([&](const SeriesInfo& info) { out[info.id] = info; }));
  return out;
}

Status ExportCsv(Archive& archive, const ExportPut& put) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  std::set<std::string> keys;
  for (const auto& [id, info] : *series)
    for (const auto& [key, value] : info.key.labels) keys.insert(key);
  std::string line = "charge,period,value,source,reported,bound,note,url";
  for (const auto& key : keys) line += "," + key;
  put(line + "\n");
  return archive.ScanRecordedSince(std::numeric_limits<Micros>::min(), [&](const Version& v) {
    const SeriesInfo& info = series->at(v.report.series);
    const Source* source = archive.SourceById(v.report.source);
    line = CsvQuote(info.key.charge) + "," + v.report.period.ToString() + "," +
           (v.figure ? std::to_string(v.figure->count) : "retracted") + "," +
           CsvQuote(source ? source->name : "") + "," + v.report.reported.ToString() + "," +
           (v.figure ? std::string(BoundSymbol(v.figure->bound)) : "") + "," + CsvQuote(v.note) +
           "," + CsvQuote(v.url);
    for (const auto& key : keys) {
      line += ',';
      for (const auto& [k, value] : info.key.labels)
        if (k == key) line += CsvQuote(value);
    }
    put(line + "\n");
    return true;
  });
}

Status ExportJsonl(Archive& archive, const ExportPut& put) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  BackupWriter backup(put);
  for (const auto& [name, charge] : archive.charges()) backup.Add(charge);
  for (const auto& [name, source] : archive.sources()) backup.Add(source);
  DOCKET_RETURN_IF_ERROR(archive.ScanRecordedSince(std::numeric_limits<Micros>::min(), [&](const Version& v) {
    const Source* source = archive.SourceById(v.report.source);
    backup.Add(v, series->at(v.report.series).key, source ? source->name : "");
    return true;
  }));
  backup.Finish();
  return {};
}

// An OpenMetrics label value: `\`, `"` and newlines escaped.
std::string LabelValue(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// The archive's own gauges: when it was last written (the newest
// version's recorded time, in seconds; no sample while it holds no
// version), so that an alert can tell a stale export, and how many reports
// it holds.
Status ExportArchiveFigures(Archive& archive, const ExportPut& put) {
  constexpr Micros kMicrosPerSec = 1'000'000;
  auto latest = archive.LatestRecorded();
  if (!latest.ok()) return latest.status();
  auto size = archive.GetSize();
  if (!size.ok()) return size.status();
  put("# HELP docket_archive_last_write_timestamp_seconds When the newest version was recorded.\n");
  put("# TYPE docket_archive_last_write_timestamp_seconds gauge\n");
  if (const std::optional<Micros> t = *latest)
    put(fmt::format("docket_archive_last_write_timestamp_seconds {}{}.{:06}\n", *t < 0 ? "-" : "",
                    std::abs(*t / kMicrosPerSec), std::abs(*t % kMicrosPerSec)));
  put("# HELP docket_archive_reports The number of reports the archive holds (a report's corrections count once).\n");
  put("# TYPE docket_archive_reports gauge\n");
  put(fmt::format("docket_archive_reports {}\n", size->reports));
  return {};
}

}  // namespace

Status ExportCellMetrics(Archive& archive, const ExportPut& put) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  std::vector<const SeriesInfo*> ordered;
  for (const auto& [id, info] : *series) ordered.push_back(&info);
  std::sort(ordered.begin(), ordered.end(),
            [](const SeriesInfo* a, const SeriesInfo* b) { return a->text < b->text; });
  put("# HELP docket_value The current resolved figure of each cell: the bound's finite end.\n");
  put("# TYPE docket_value gauge\n");
  std::vector<Version> versions;
  for (const SeriesInfo* info : ordered) {
    DOCKET_RETURN_IF_ERROR(archive.ScanCurrentReports(info->id, std::nullopt, Cutoffs{}, &versions));
    for (const auto& cell : SplitCells(versions)) {
      const auto figures = SourceFigures(cell.versions, Cutoffs{}, std::nullopt);
      const SourceFigure* w = Winner(figures, archive);
      if (!w) continue;
      const Source* source = archive.SourceById(w->source);
      std::string labels = fmt::format(
          "charge=\"{}\",period=\"{}\",source=\"{}\",bound=\"{}\"", LabelValue(info->key.charge),
          cell.period, LabelValue(source ? source->name : ""),
          LabelValue(BoundSymbol(w->figure.bound)));
      for (const auto& [key, value] : info->key.labels)
        labels += fmt::format(",{}=\"{}\"", key, LabelValue(value));
      put(fmt::format("docket_value{{{}}} {}\n", labels, w->figure.count));
    }
  }
  return ExportArchiveFigures(archive, put);
}

Status Export(Archive& archive, ExportFormat format, const ExportPut& put) {
  switch (format) {
    case ExportFormat::kCsv: return ExportCsv(archive, put);
    case ExportFormat::kJsonl: return ExportJsonl(archive, put);
    case ExportFormat::kOpenMetrics:
      DOCKET_RETURN_IF_ERROR(ExportCellMetrics(archive, put));
      put("# EOF\n");
      return {};
  }
  return {};
}

int RunExport(const Options& options) {
  auto archive = Archive::Open(options.db, ReadOpen());
  auto fail = [](const Status& s, const std::string& where) {
    PrintError(nullptr, s, where);
    return ExitCode(s.kind());
  };
  if (!archive.ok()) return fail(archive.status(), options.db);
  auto sink = OutputFile::Open(options.output);
  if (!sink.ok()) return fail(sink.status(), options.output);
  Status s = Export(**archive, options.export_format, [&](std::string_view text) { sink->Put(text); });
  if (!s.ok()) return fail(s, options.db);
  s = sink->Finish();
  return s.ok() ? 0 : fail(s, options.output);  // no output: stdout, and no WHERE
}

}  // namespace docket::cli
