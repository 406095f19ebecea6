#include "cli/pipeline.h"

#include <chrono>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "query/lexicon.h"

namespace docket::cli {
namespace {

// The UTC day of `now`, in days since the epoch (rounded down).
int32_t DayOf(Micros now) {
  return static_cast<int32_t>(now / kMicrosPerDay - (now % kMicrosPerDay < 0 ? 1 : 0));
}

Result<std::shared_ptr<Archive>> OpenView(const std::string& db) {
  auto opened = Archive::Open(db, ReadOpen());
  if (!opened.ok()) return opened.status();
  return std::shared_ptr<Archive>(std::move(*opened));
}

}  // namespace

PipelineOptions PipelineOptionsFrom(const Options& options) {
  PipelineOptions p;
  p.db = options.db;
  p.read_only = options.read_only;
  p.wait_seconds = options.wait_seconds;
  // Options::now is DOCKET_NOW when it is set, else the clock at start,
  // which a long-lived front end must not keep using.
  if (std::getenv("DOCKET_NOW")) p.now = options.now;
  return p;
}

Pipeline::Pipeline(PipelineOptions options) : options_(std::move(options)) {
  if (!options_.open_view) options_.open_view = [db = options_.db] { return OpenView(db); };
}

Pipeline::~Pipeline() = default;

std::optional<Diagnostic> Pipeline::Parse(std::string origin, std::string text) {
  const std::string where = origin;
  const ParseOptions parse{DayOf(Now())};
  const Status s = options_.parse_cache
                       ? options_.parse_cache->Parse(std::move(origin), std::move(text), parse, &script_)
                       : ParsePiece(std::move(origin), std::move(text), parse, &script_);
  if (!s.ok()) return Diagnose(&script_, s, where);
  return std::nullopt;
}

std::optional<Diagnostic> Pipeline::Check() {
  if (script_.statements.empty()) return std::nullopt;
  if (options_.read_only) {
    for (const auto& st : script_.statements) {
      if (st.writes())
        return Error(Status::Input("--read-only: define, record and retract are refused",
                                   Place{true, st.span.piece, st.span.begin}));
    }
  }
  auto view = options_.open_view();
  if (!view.ok() && (view.status().kind() != ErrorKind::kNotFound || !writes()))
    return Error(view.status());
  if (Status s = docket::CheckNames(script_, view.ok() ? view->get() : nullptr); !s.ok()) return Error(s);
  if (view.ok()) {
    for (const auto& name : ReservedNamesIn(**view))
      warnings_.push_back(fmt::format("warning: {} is a reserved word since v1.1; statements cannot name it", name));
    checked_ = std::move(*view);
  }
  return std::nullopt;
}

Ran Pipeline::Run(size_t first, size_t last, Sink& sink) {
  bool range_writes = false;
  for (size_t i = first; i < last; ++i) range_writes = range_writes || script_.statements[i].writes();
  last_view_.reset();
  std::shared_ptr<Archive> archive = std::move(checked_);  // the checked view serves once
  if (range_writes) {
    archive.reset();
    auto opened = Archive::Open(options_.db, WriteOpen(options_.wait_seconds));
    if (!opened.ok()) return {Error(opened.status())};
    archive = std::move(*opened);
    if (Status s = docket::CheckNames(script_, first, archive.get()); !s.ok()) return {Error(s)};
  } else if (!archive) {
    auto opened = options_.open_view();
    if (!opened.ok()) return {Error(opened.status())};
    archive = std::move(*opened);
  }
  for (const auto& warning : warnings_) sink.Message(options_.db, warning);
  warnings_.clear();
  const RunResult result = docket::Run(script_, first, last, *archive, RunOptions{Now(), options_.deadline}, sink);
  const Status flushed = sink.Flush();
  if (!result.error.ok())
    return {Diagnose(&script_, result.error, script_.pieces[result.piece].origin)};
  // Output that was lost (a full disk) fails the statements before their
  // writes are committed, as any other error.
  if (!flushed.ok()) return {Diagnose(nullptr, flushed, "")};
  if (Status s = archive->Commit(); !s.ok()) return {Error(s)};
  if (!range_writes) last_view_ = std::move(archive);
  return {std::nullopt, result.state};
}

Micros Pipeline::Now() const {
  if (options_.now) return *options_.now;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view Pipeline::where() const {
  return script_.pieces.empty() ? std::string_view() : script_.pieces.front().origin;
}

Diagnostic Pipeline::Error(const Status& status) const { return Diagnose(&script_, status, where()); }

}  // namespace docket::cli
