#include "cli/server/routes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/export.h"
#include "cli/import.h"
#include "cli/server/api_error.h"
#include "cli/server/page.h"
#include "cli/server/request_log.h"
#include "cli/server/sinks.h"

namespace docket::cli::server {
namespace {

void SendError(Response& res, const ApiError& e) {
  res = Response();
  res.status = HttpStatus(e.kind);
  if (IsRetryable(e.kind)) res.SetHeader("Retry-After", "1");
  if (e.kind == ApiErrorKind::kUnauthorized) res.SetHeader("WWW-Authenticate", "Bearer");
  res.SetBody(ErrorJson(e), "application/json");
}

ApiError Error(ApiErrorKind kind, std::string message) {
  ApiError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

// The write rule of spec §8, after the request was parsed and checked.
std::optional<ApiError> RefuseWrite(const ServerContext& ctx, const Request& req) {
  if (ctx.views->follow())
    return Error(ApiErrorKind::kForbidden, "writes are refused: this server follows another process's archive");
  switch (ctx.auth.ForWrite(req.Header("Authorization"))) {
    case WriteAccess::kAllowed: return std::nullopt;
    case WriteAccess::kForbidden:
      return Error(ApiErrorKind::kForbidden, "writes are refused: the server was started without --token-file");
    case WriteAccess::kUnauthorized:
      return Error(ApiErrorKind::kUnauthorized, "a write needs `Authorization: Bearer TOKEN` with the server's token");
  }
  return std::nullopt;
}

std::string ContentType(Format format) {
  switch (format) {
    case Format::kTable: return "text/plain; charset=utf-8";
    case Format::kCsv: return "text/csv; charset=utf-8";
    case Format::kTsv: return "text/tab-separated-values; charset=utf-8";
    case Format::kJson: return "application/json";
    case Format::kJsonl: return "application/x-ndjson";
    case Format::kMarkdown: return "text/markdown; charset=utf-8";
  }
  return "text/plain; charset=utf-8";
}

Micros Now(const ServerContext& ctx) {
  if (ctx.options.now) return *ctx.options.now;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// When `--timeout` ends the request: counted from its arrival.
Clock::time_point RequestDeadline(const ServerContext& ctx, const Request& req) {
  return req.start + std::chrono::microseconds(static_cast<int64_t>(ctx.options.timeout_seconds * 1e6));
}

// Runs `text` through the statement pipeline and answers with its results:
// the json object, or the bytes of `docket --format F`.
void RunStatements(ServerContext& ctx, const Request& req, Response& res,
                   const std::string& text, bool may_write) {
  std::optional<Format> format;  // unset: the json results object
  if (const auto name = req.Param("format"); name && *name != "json") {
    format = ParseFormat(*name);
    if (!format)
      return SendError(res, Error(ApiErrorKind::kParameter,
                                  fmt::format("format takes json, table, csv, tsv, jsonl or markdown, not `{}`",
                                              *name)));
  }
  PipelineOptions options;
  options.db = ctx.options.db;
  options.wait_seconds = ctx.options.wait_seconds;
  options.now = ctx.options.now;
  thread_local ParseCache parse_cache;  // monitoring asks the same queries again and again
  options.parse_cache = &parse_cache;
  const Clock::time_point deadline = RequestDeadline(ctx, req);
  options.deadline = Deadline(deadline);
  std::shared_ptr<Archive> view;  // the request's one snapshot, taken at its first read
  options.open_view = [&]() -> Result<std::shared_ptr<Archive>> {
    if (!view) {
      auto acquired = ctx.views->Acquire();
      if (!acquired.ok()) return acquired.status();
      view = std::move(*acquired);
    }
    return view;
  };
  Pipeline pipeline(std::move(options));
  if (auto e = pipeline.Parse("request", text)) return SendError(res, FromDiagnostic(*e, true));
  if (auto e = pipeline.Check()) return SendError(res, FromDiagnostic(*e, false));
  if (pipeline.writes()) {
    if (!may_write)
      return SendError(res, Error(ApiErrorKind::kForbidden,
                                  "the query endpoints do not write: send define, record and retract to "
                                  "POST /api/v1/script"));
    if (auto refused = RefuseWrite(ctx, req)) return SendError(res, *refused);
  }
  Limits limits(ctx.options.max_rows, deadline);
  auto run = [&](Sink& sink) {
    const Ran ran = pipeline.Run(0, pipeline.size(), sink);
    std::optional<ApiError> error;
    if (limits.too_many_rows())
      error = Error(ApiErrorKind::kTooLarge, fmt::format("too many rows: {} so far, more than --max-rows {}",
                                                         limits.rows(), limits.max_rows()));
    else if (limits.timed_out() && (ran.error || !pipeline.writes()))
      error = Error(ApiErrorKind::kTimeout,
                    fmt::format("the request took longer than --timeout {} s; nothing was written",
                                ctx.options.timeout_seconds));
    else if (ran.error)
      error = FromDiagnostic(*ran.error, false);
    return std::make_pair(ran, error);
  };
  if (!format) {
    JsonSink sink(pipeline.script(), &limits);
    const auto [ran, error] = run(sink);
    if (error) return SendError(res, *error);
    res.SetBody(sink.Body(ran.state, ran.exit_code()), "application/json");
    return;
  }
  TextSink sink(*format, &limits);
  const auto [ran, error] = run(sink);
  if (error) return SendError(res, *error);
  sink.WritePluginOutput();
  res.SetHeader("Docket-Exit-Code", std::to_string(ran.exit_code()));
  res.SetHeader("Docket-Outcome", std::string(CheckStateName(ran.state)));
  res.SetBody(sink.body(), ContentType(*format));
}

// The body of an import, as a file the import can open: a memfd, gone
// with its descriptor.
class BodyFile {
 public:
  explicit BodyFile(const std::string& body) : fd_(::memfd_create("docket-import", MFD_CLOEXEC)) {
    for (size_t done = 0; fd_ >= 0 && done < body.size();) {
      const ssize_t n = ::write(fd_, body.data() + done, body.size() - done);
      if (n <= 0) {
        ::close(fd_);
        fd_ = -1;
      } else {
        done += static_cast<size_t>(n);
      }
    }
  }
  ~BodyFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  bool ok() const { return fd_ >= 0; }
  std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }

 private:
  int fd_;
};

void RunImportRequest(ServerContext& ctx, const Request& req, Response& res) {
  if (auto refused = RefuseWrite(ctx, req)) return SendError(res, *refused);
  const std::string type = req.Header("Content-Type");
  const std::string media = type.substr(0, type.find(';'));
  if (media != "text/csv" && media != "application/x-ndjson")
    return SendError(res, Error(ApiErrorKind::kParameter,
                                fmt::format("an import's Content-Type is text/csv or application/x-ndjson, not `{}`",
                                            type)));
  const std::string dry_run = req.Param("dry_run").value_or("0");
  if (dry_run != "0" && dry_run != "1")
    return SendError(res, Error(ApiErrorKind::kParameter, fmt::format("dry_run takes 0 or 1, not `{}`", dry_run)));
  BodyFile body(req.body);
  if (!body.ok()) return SendError(res, Error(ApiErrorKind::kIo, "cannot hold the request's body"));
  ImportJob job;
  job.db = ctx.options.db;
  job.inputs = {{body.path(), "import"}};
  job.restore = media == "application/x-ndjson";
  job.dry_run = dry_run == "1";
  job.wait_seconds = ctx.options.wait_seconds;
  job.now = Now(ctx);
  job.today = static_cast<int32_t>(job.now >= 0 ? job.now / kMicrosPerDay : (job.now + 1) / kMicrosPerDay - 1);
  Limits limits(ctx.options.max_rows, RequestDeadline(ctx, req));
  const Imported imported = Import(job, [&](const std::vector<BulkCounts>&) { return limits.Check(); });
  if (imported.error && limits.timed_out())
    return SendError(res, Error(ApiErrorKind::kTimeout,
                                fmt::format("the import took longer than --timeout {} s; nothing was written",
                                            ctx.options.timeout_seconds)));
  if (imported.error) return SendError(res, FromDiagnostic(*imported.error, false));
  if (!imported.errors.empty()) return SendError(res, FromErrorList(imported.errors));
  const BulkCounts& c = imported.counts.at(0);
  res.SetBody(nlohmann::ordered_json{{"new", c.new_reports},
                                         {"corrections", c.corrections},
                                         {"unchanged", c.unchanged},
                                         {"dry_run", job.dry_run}}
                          .dump() +
                      "\n",
                  "application/json");
}

// Streams what `write` puts, in pieces of about 64 KiB; a failed `write`
// (a storage error half-way) cuts the answer off, so the client sees a cut
// answer rather than a whole-looking one.
void Stream(Response& res, const std::string& content_type, std::function<Status(const ExportPut&)> write) {
  res.SetHeader("Content-Type", content_type);
  res.stream = [write = std::move(write)](const BodyWriter& out) {
    std::string buffer;
    bool open = true;
    auto flush = [&] {
      if (open && !buffer.empty()) open = out(buffer);
      buffer.clear();
    };
    const Status s = write([&](std::string_view text) {
      buffer += text;
      if (buffer.size() >= (64 << 10)) flush();
    });
    if (!s.ok()) return false;
    flush();
    return open;
  };
}

void RunExportRequest(ServerContext& ctx, const Request& req, Response& res) {
  static constexpr std::pair<std::string_view, ExportFormat> kFormats[] = {
      {"csv", ExportFormat::kCsv}, {"jsonl", ExportFormat::kJsonl}, {"openmetrics", ExportFormat::kOpenMetrics}};
  static constexpr const char* kTypes[] = {"text/csv; charset=utf-8", "application/x-ndjson",
                                           "application/openmetrics-text; version=1.0.0; charset=utf-8"};
  const std::string name = req.Param("format").value_or("csv");
  size_t chosen = std::size(kFormats);
  for (size_t i = 0; i < std::size(kFormats); ++i)
    if (kFormats[i].first == name) chosen = i;
  if (chosen == std::size(kFormats))
    return SendError(res, Error(ApiErrorKind::kParameter,
                                fmt::format("export's format takes csv, jsonl or openmetrics, not `{}`", name)));
  auto view = ctx.views->Acquire();
  if (!view.ok()) return SendError(res, FromDiagnostic(Diagnose(nullptr, view.status(), ""), false));
  const ExportFormat format = kFormats[chosen].second;
  Stream(res, kTypes[chosen], [archive = *view, format](const ExportPut& put) { return Export(*archive, format, put); });
}

void RunMetricsRequest(ServerContext& ctx, Response& res) {
  auto view = ctx.views->Acquire();
  if (!view.ok()) return SendError(res, FromDiagnostic(Diagnose(nullptr, view.status(), ""), false));
  Stream(res, "application/openmetrics-text; version=1.0.0; charset=utf-8",
         [&ctx, archive = *view](const ExportPut& put) {
           DOCKET_RETURN_IF_ERROR(ExportCellMetrics(*archive, put));
           put(ctx.metrics.Text());
           put("# EOF\n");
           return Status();
         });
}

// An embedded file of the page, or 304 when the browser has it already.
void SendPageAsset(const PageAsset& asset, const Request& req, Response& res) {
  res.SetHeader("ETag", std::string(asset.etag));
  res.SetHeader("Cache-Control", std::string(kPageCacheControl));
  if (EtagMatches(req.Header("If-None-Match"), asset.etag)) {
    res.status = 304;
    return;
  }
  res.SetBody(std::string(asset.body), std::string(asset.content_type));
}

void RunNamesRequest(ServerContext& ctx, Response& res) {
  auto view = ctx.views->Acquire();
  if (!view.ok()) return SendError(res, FromDiagnostic(Diagnose(nullptr, view.status(), ""), false));
  res.SetBody(CompletionNamesJson(**view), "application/json");
}

void RunHealthRequest(ServerContext& ctx, Response& res) {
  auto view = ctx.views->Acquire();
  if (!view.ok()) return SendError(res, FromDiagnostic(Diagnose(nullptr, view.status(), ""), false));
  auto latest = (*view)->LatestRecorded();
  if (!latest.ok()) return SendError(res, FromDiagnostic(Diagnose(nullptr, latest.status(), ""), false));
  res.SetBody("ok\n", "text/plain; charset=utf-8");
}

// The two requests that may write.
bool IsScript(const Request& req) { return req.method == "POST" && req.path == "/api/v1/script"; }
bool IsImport(const Request& req) { return req.method == "POST" && req.path == "/api/v1/import"; }

}  // namespace

Response Handle(ServerContext& ctx, const Request& req) {
  const ServerMetrics::Answering answering(ctx.metrics);
  Response res;
  try {
    if (req.body_too_large) {
      SendError(res, Error(ApiErrorKind::kTooLarge, fmt::format("the request's body is over {} MiB", kMaxBodyBytes >> 20)));
    } else if (req.method == "GET" && req.path == "/api/v1/query") {
      if (const auto q = req.Param("q"))
        RunStatements(ctx, req, res, *q, false);
      else
        SendError(res, Error(ApiErrorKind::kParameter, "missing parameter q (the statements)"));
    } else if (req.method == "POST" && req.path == "/api/v1/query") {
      RunStatements(ctx, req, res, req.body, false);
    } else if (IsScript(req)) {
      RunStatements(ctx, req, res, req.body, true);
    } else if (IsImport(req)) {
      RunImportRequest(ctx, req, res);
    } else if (req.method == "GET" && req.path == "/api/v1/export") {
      RunExportRequest(ctx, req, res);
    } else if (req.method == "GET" && req.path == "/metrics") {
      RunMetricsRequest(ctx, res);
    } else if (req.method == "GET" && req.path == "/healthz") {
      RunHealthRequest(ctx, res);
    } else if (req.method == "GET" && req.path == "/api/v1/names") {
      RunNamesRequest(ctx, res);
    } else if (const PageAsset* asset = req.method == "GET" ? FindPageAsset(req.path) : nullptr) {
      SendPageAsset(*asset, req, res);
    } else {
      SendError(res, Error(ApiErrorKind::kNoEndpoint, fmt::format("no endpoint {} {}", req.method, req.path)));
    }
  } catch (const std::exception& e) {
    SendError(res, Error(ApiErrorKind::kIo, fmt::format("internal error: {}", e.what())));
  }
  return res;
}

bool MayWaitForTheLock(const Request& req) {
  return IsScript(req) || IsImport(req);
}

void RecordFinished(ServerContext& ctx, const Request& req, int status, size_t bytes) {
  const double seconds = std::chrono::duration<double>(Clock::now() - req.start).count();
  ctx.metrics.Observe(status, seconds);
  LogRequest({req.client, req.method, req.target, status, bytes, seconds * 1000});
}

}  // namespace docket::cli::server
