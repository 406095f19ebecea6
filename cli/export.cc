#include "cli/export.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/diagnostics.h"
#include "cli/render.h"
#include "query/resolve.h"

namespace docket::cli {
namespace {

using Json = nlohmann::ordered_json;

// Writes to stdout, or to a temporary file beside the target that replaces
// it only once complete (so a reader never sees half a file).
class Sink {
 public:
  static Result<Sink> Open(const std::string& target) {
    Sink sink;
    sink.target_ = target;
    if (target.empty()) {
      sink.out_ = stdout;
      return sink;
    }
    sink.temp_ = fmt::format("{}.tmp-{}", target, ::getpid());
    sink.out_ = std::fopen(sink.temp_.c_str(), "wb");
    if (!sink.out_)
      return Status::Io(fmt::format("cannot create {}: {}", sink.temp_, std::strerror(errno)));
    return sink;
  }
  Sink() = default;
  Sink(Sink&& other) noexcept { *this = std::move(other); }
  Sink& operator=(Sink&& other) noexcept {
    std::swap(out_, other.out_);
    std::swap(target_, other.target_);
    std::swap(temp_, other.temp_);
    return *this;
  }
  ~Sink() {
    if (out_ && !temp_.empty()) {
      std::fclose(out_);
      std::remove(temp_.c_str());
    }
  }

  std::FILE* out() const { return out_; }
  void Put(std::string_view text) { std::fwrite(text.data(), 1, text.size(), out_); }

  // Flushes, syncs and renames into place.
  Status Finish() {
    if (temp_.empty()) return std::fflush(out_) == 0 ? Status() : Status::Io("cannot write stdout");
    const bool ok = std::fflush(out_) == 0 && ::fsync(::fileno(out_)) == 0;
    std::fclose(out_);
    out_ = nullptr;
    if (!ok || std::rename(temp_.c_str(), target_.c_str()) != 0) {
      std::remove(temp_.c_str());
      return Status::Io(fmt::format("cannot write {}: {}", target_, std::strerror(errno)));
    }
    return {};
  }

 private:
  std::FILE* out_ = nullptr;
  std::string target_, temp_;
};

// Series text and labels by id, read once per export.
Result<std::map<SeriesId, SeriesInfo>> AllSeries(Archive& archive) {
  std::map<SeriesId, SeriesInfo> out;
  DOCKET_RETURN_IF_ERROR(archive.ForEachSeries([&](const SeriesInfo& info) { out[info.id] = info; }));
  return out;
}

Status ExportCsv(Archive& archive, Sink& sink) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  std::set<std::string> keys;
  for (const auto& [id, info] : *series)
    for (const auto& [key, value] : info.key.labels) keys.insert(key);
  std::string line = "charge,period,value,source,reported,bound,note,url";
  for (const auto& key : keys) line += "," + key;
  sink.Put(line + "\n");
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
    sink.Put(line + "\n");
    return true;
  });
}

Status ExportJsonl(Archive& archive, Sink& sink) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  auto put = [&](const Json& j) { sink.Put(j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n"); };
  put(Json{{"type", "docket-backup"}, {"format", 1}});
  for (const auto& [name, c] : archive.charges())
    put(Json{{"type", "charge"}, {"name", name}, {"title", c.title}, {"article", c.article}});
  for (const auto& [name, s] : archive.sources())
    put(Json{{"type", "source"}, {"name", name}, {"title", s.title}, {"url", s.url},
             {"priority", s.priority}});
  return archive.ScanRecordedSince(std::numeric_limits<Micros>::min(), [&](const Version& v) {
    const SeriesInfo& info = series->at(v.report.series);
    Json labels = Json::object();
    for (const auto& [key, value] : info.key.labels) labels[key] = value;
    const Source* source = archive.SourceById(v.report.source);
    Json j{{"type", "version"},
           {"charge", info.key.charge},
           {"labels", labels},
           {"period", v.report.period.ToString()},
           {"source", source ? source->name : ""},
           {"reported", v.report.reported.ToString()},
           {"recorded", FormatTimestamp(v.recorded)},
           {"value", v.figure ? Json(v.figure->count) : Json(nullptr)},
           {"bound", v.figure ? Json(std::string(BoundSymbol(v.figure->bound))) : Json(nullptr)},
           {"note", v.note},
           {"url", v.url}};
    put(j);
    return true;
  });
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

Status ExportOpenMetrics(Archive& archive, Sink& sink) {
  auto series = AllSeries(archive);
  if (!series.ok()) return series.status();
  std::vector<const SeriesInfo*> ordered;
  for (const auto& [id, info] : *series) ordered.push_back(&info);
  std::sort(ordered.begin(), ordered.end(),
            [](const SeriesInfo* a, const SeriesInfo* b) { return a->text < b->text; });
  sink.Put("# HELP docket_value The current resolved figure of each cell: the bound's finite end.\n");
  sink.Put("# TYPE docket_value gauge\n");
  std::vector<Version> versions;
  for (const SeriesInfo* info : ordered) {
    DOCKET_RETURN_IF_ERROR(archive.ScanSeries(info->id, &versions));
    for (const auto& cell : SplitCells(versions)) {
      const auto figures = SourceFigures(cell.versions, Cutoffs{}, std::nullopt);
      const SourceFigure* w = Winner(figures, archive);
      if (!w) continue;
      const Source* source = archive.SourceById(w->source);
      std::string labels = fmt::format(
          "charge=\"{}\",period=\"{}\",source=\"{}\",bound=\"{}\"", LabelValue(info->key.charge),
          cell.period.ToString(), LabelValue(source ? source->name : ""),
          LabelValue(BoundSymbol(w->figure.bound)));
      for (const auto& [key, value] : info->key.labels)
        labels += fmt::format(",{}=\"{}\"", key, LabelValue(value));
      sink.Put(fmt::format("docket_value{{{}}} {}\n", labels, w->figure.count));
    }
  }
  sink.Put("# EOF\n");
  return {};
}

}  // namespace

int RunExport(const Options& options) {
  auto archive = Archive::Open(options.db, ReadOpen());
  auto fail = [](const Status& s, const std::string& where) {
    PrintError(nullptr, s, where);
    return ExitCode(s.kind());
  };
  if (!archive.ok()) return fail(archive.status(), options.db);
  auto sink = Sink::Open(options.output);
  if (!sink.ok()) return fail(sink.status(), options.output);
  Status s;
  switch (options.export_format) {
    case ExportFormat::kCsv: s = ExportCsv(**archive, *sink); break;
    case ExportFormat::kJsonl: s = ExportJsonl(**archive, *sink); break;
    case ExportFormat::kOpenMetrics: s = ExportOpenMetrics(**archive, *sink); break;
  }
  if (s.ok()) s = sink->Finish();
  return s.ok() ? 0 : fail(s, options.output.empty() ? options.db : options.output);
}

}  // namespace docket::cli
