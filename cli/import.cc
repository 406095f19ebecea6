#include "cli/import.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "cli/backup.h"
#include "cli/csv.h"
#include "cli/diagnostics.h"
#include "cli/error_list.h"
#include "cli/input_file.h"
#include "cli/output_file.h"
#include "query/lexicon.h"
#include "query/query.h"
#include "storage/bulk_load.h"

namespace docket::cli {
namespace {

std::set<std::string, std::less<>> Names(const auto& map) {
  std::set<std::string, std::less<>> out;
  for (const auto& [name, value] : map) out.insert(name);
  return out;
}

// The columns of a CSV file, from its header.
struct Columns {
  std::optional<size_t> charge, period, value, source, reported, bound, note, url;
  std::vector<std::pair<std::string, size_t>> labels;  // key, column index; sorted by key
  size_t count = 0;
};

// Reads the header; false (with errors added) if the file cannot be read as an import.
bool ReadHeader(const CsvRecord& header, const std::string& file, ErrorList* errors, Columns* out) {
  out->count = header.fields.size();
  std::set<std::string> seen;
  bool ok = true;
  const std::pair<const char*, std::optional<size_t> Columns::*> kKnown[] = {
      {"charge", &Columns::charge}, {"period", &Columns::period},   {"value", &Columns::value},
      {"source", &Columns::source}, {"reported", &Columns::reported}, {"bound", &Columns::bound},
      {"note", &Columns::note},     {"url", &Columns::url}};
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const CsvField& f = header.fields[i];
    if (!seen.insert(f.text).second) {
      errors->Add(file, header.line, f.column, fmt::format("column `{}` appears twice", f.text));
      ok = false;
      continue;
    }
    bool known = false;
    for (const auto& [name, member] : kKnown)
      if (f.text == name) {
        out->*member = i;
        known = true;
      }
    if (known) continue;
    if (!IsLabelKey(f.text)) {
      errors->Add(file, header.line, f.column,
                  IsReservedLabelKey(f.text)
                      ? fmt::format("column `{}` is reserved and cannot be a label", f.text)
                      : fmt::format("column `{}` is not a valid label key ([a-z][a-z0-9_]*)", f.text));
      ok = false;
      continue;
    }
    out->labels.emplace_back(f.text, i);
  }
  for (const auto& [name, member] : kKnown) {
    const std::string_view n = name;
    if (n == "bound" || n == "note" || n == "url") continue;
    if (!(out->*member)) {
      errors->Add(file, header.line, 1, fmt::format("missing required column `{}`", name));
      ok = false;
    }
  }
  std::sort(out->labels.begin(), out->labels.end());
  return ok;
}

// A parsed value cell: a figure, or a retraction.
struct ValueCell {
  std::optional<Figure> figure;
};

std::optional<std::string> ParseValue(std::string_view text, std::string_view bound_column,
                                      ValueCell* out) {
  if (text == "retracted") {
    if (!bound_column.empty()) return "a retraction takes no bound";
    out->figure.reset();
    return std::nullopt;
  }
  std::optional<Bound> prefix;
  for (const char* symbol : {">=", "<=", "=", "~"}) {
    if (text.rfind(symbol, 0) == 0) {
      prefix = ParseBound(symbol);
      text.remove_prefix(std::string_view(symbol).size());
      break;
    }
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  const std::optional<uint64_t> count = ParseCount(text);
  if (!count)
    return fmt::format("invalid value: a count from 0 to {}, optionally with a bound (>=28, ~36), "
                       "or `retracted`",
                       kMaxCount);
  Figure f{prefix.value_or(Bound::kExact), *count};
  if (!bound_column.empty()) {
    auto bound = ParseBound(bound_column);
    if (!bound) return fmt::format("invalid bound `{}`: use =, >=, <= or ~", bound_column);
    if (prefix && *prefix != *bound)
      return fmt::format("the bound `{}` disagrees with the value's own `{}`", bound_column,
                         *prefix);
    f.bound = *bound;
  }
  out->figure = f;
  return std::nullopt;
}

// The text of a record's field in column `col`; empty for a column the
// file does not have.
std::string_view FieldText(const CsvRecord& record, std::optional<size_t> col) {
  return col ? std::string_view(record.fields[*col].text) : std::string_view();
}

// A record of a CSV file that passed its checks, with its parsed fields,
// on its way to the loader.
struct CheckedRow {
  CsvRecord record;
  Period period;
  Date reported;
  std::optional<Figure> figure;
};

// Hands checked rows, a batch at a time, from the thread that reads and
// checks a file to the thread that loads them (reading and checking were
// a third of an import's time, on one core). A few batches go round: the
// loader gives each back to be refilled, and their records are swapped
// with the reader's, so no field is copied and every string keeps its
// capacity.
class RowHandoff {
 public:
  struct Batch {
    std::vector<CheckedRow> rows;
    size_t size = 0;
    CheckedRow& Append() {
      if (size == rows.size()) rows.emplace_back();
      return rows[size++];
    }
  };
  static constexpr size_t kBatchRows = 4096;

  RowHandoff() {
    for (Batch& b : batches_) free_.push_back(&b);
  }
  // Reader: an empty batch to fill; nullptr once the loader has stopped.
  Batch* ToFill() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return stopped_ || !free_.empty(); });
    if (stopped_) return nullptr;
    Batch* b = free_.front();
    free_.pop_front();
    b->size = 0;
    return b;
  }
  void Filled(Batch* b) { Update([&] { full_.push_back(b); }); }
  void End() { Update([&] { ended_ = true; }); }
  // Loader: the next filled batch, in order; nullptr after the last.
  Batch* ToLoad() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return ended_ || !full_.empty(); });
    if (full_.empty()) return nullptr;
    Batch* b = full_.front();
    full_.pop_front();
    return b;
  }
  void Loaded(Batch* b) { Update([&] { free_.push_back(b); }); }
  void Stop() { Update([&] { stopped_ = true; }); }

 private:
  void Update(const auto& change) {
    {
      std::lock_guard lock(mu_);
      change();
    }
    changed_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable changed_;
  std::array<Batch, 4> batches_;
  std::deque<Batch*> free_, full_;
  bool ended_ = false, stopped_ = false;
};

// Reads and checks the rows of a CSV file after its header, and hands
// those that pass to `handoff`; errors go to `errors`, and once there are
// any, rows are only checked. Ends the handoff when done.
void CheckRows(CsvReader& reader, const Columns& cols, const std::string& file,
               const std::set<std::string, std::less<>>& charges,
               const std::set<std::string, std::less<>>& sources, int32_t today, RowHandoff& handoff,
               ErrorList* errors) {
  struct EndGuard {
    RowHandoff& handoff;
    ~EndGuard() { handoff.End(); }
  } end{handoff};
  RowHandoff::Batch* batch = nullptr;
  CsvRecord record;
  while (reader.Next(&record)) {
    if (!reader.error().empty()) {
      errors->Add(file, reader.error_line(), reader.error_column(), reader.error());
      continue;
    }
    if (record.fields.size() == 1 && record.fields[0].text.empty()) continue;  // a blank line
    if (record.fields.size() != cols.count) {
      errors->Add(file, record.line, 1,
                  fmt::format("expected {} fields, found {}", cols.count, record.fields.size()));
      continue;
    }
    bool bad = false;
    auto fail = [&](size_t column, std::string message) {
      errors->Add(file, record.line, record.fields[column].column, message);
      bad = true;
    };
    for (size_t i = 0; i < record.fields.size(); ++i)
      if (FindInvalidUtf8(record.fields[i].text) != std::string::npos) fail(i, "invalid UTF-8 or a NUL byte");
    if (bad) continue;
    auto text = [&](std::optional<size_t> col) { return FieldText(record, col); };

    // A defined name is a valid one: its form is checked only when unknown.
    const std::string_view charge = text(cols.charge);
    if (!charges.count(charge)) {
      fail(*cols.charge, CanNameCharge(charge) ? UnknownName("charge", charge, charges)
                                               : fmt::format("invalid charge name `{}`", charge));
    }
    const auto period = Period::Parse(text(cols.period));
    if (!period)
      fail(*cols.period, fmt::format("invalid period `{}`: use 2024, 2024-H1, 2024-Q3 or 2024-07",
                                     text(cols.period)));
    ValueCell value;
    if (auto message = ParseValue(text(cols.value), text(cols.bound), &value)) fail(*cols.value, *message);
    const std::string_view source = text(cols.source);
    if (!sources.count(source)) {
      fail(*cols.source, CanNameSource(source) ? UnknownName("source", source, sources)
                                               : fmt::format("invalid source name `{}`", source));
    }
    const auto reported = Date::Parse(text(cols.reported));
    if (!reported) {
      fail(*cols.reported, fmt::format("invalid date `{}`: use 2024-12-31, 2024-12 or 2024",
                                       text(cols.reported)));
    } else if (reported->first_day() > today) {
      fail(*cols.reported, fmt::format("reported date {} is in the future", *reported));
    }
    if (bad || !errors->empty()) continue;

    if (!batch && !(batch = handoff.ToFill())) return;  // the loader stopped
    CheckedRow& row = batch->Append();
    row.period = *period;
    row.reported = *reported;
    row.figure = value.figure;
    std::swap(row.record, record);
    if (batch->size == RowHandoff::kBatchRows) {
      handoff.Filled(batch);
      batch = nullptr;
    }
  }
  if (batch) handoff.Filled(batch);
}

// Imports one CSV file's rows into the loader (or only checks them once
// there are errors): a second thread reads and checks them while this one
// loads them.
Status ImportCsv(const ImportInput& input, uint32_t index, const Archive& archive, int32_t today,
                 BulkLoader* loader, ErrorList* errors) {
  const std::string& file = input.name;
  auto f = OpenInput(input.path);
  if (!f.ok()) return f.status();
  CsvReader reader(f->get());
  CsvRecord record;
  if (!reader.Next(&record)) {
    errors->Add(file, 1, 1, "empty file: a header row is required");
    return {};
  }
  if (!reader.error().empty()) {
    errors->Add(file, reader.error_line(), reader.error_column(), reader.error());
    return {};
  }
  Columns cols;
  if (!ReadHeader(record, file, errors, &cols)) return {};
  const auto charges = Names(archive.charges());
  const auto sources = Names(archive.sources());

  RowHandoff handoff;
  std::future<void> checked = std::async(std::launch::async, [&] {
    CheckRows(reader, cols, file, charges, sources, today, handoff, errors);
  });
  Status loaded;
  SeriesKey series;
  while (RowHandoff::Batch* batch = handoff.ToLoad()) {
    for (size_t i = 0; i < batch->size && loaded.ok(); ++i) {
      const CheckedRow& r = batch->rows[i];
      const std::vector<CsvField>& fields = r.record.fields;
      auto text = [&](std::optional<size_t> col) { return FieldText(r.record, col); };
      // Assigned in place: the strings keep their capacity from row to row.
      series.charge = text(cols.charge);
      size_t labels = 0;
      for (const auto& [key, col] : cols.labels) {
        if (fields[col].text.empty()) continue;
        if (labels == series.labels.size()) series.labels.emplace_back();
        series.labels[labels].first = key;
        series.labels[labels++].second = fields[col].text;
      }
      series.labels.resize(labels);
      BulkRow row;
      row.series = &series;
      row.period = r.period;
      row.source = text(cols.source);
      row.reported = r.reported;
      row.figure = r.figure;
      row.note = text(cols.note);
      row.url = text(cols.url);
      row.file = index;
      row.line = r.record.line;
      row.column = static_cast<uint32_t>(fields[*cols.value].column);
      loaded = loader->Add(row);
    }
    handoff.Loaded(batch);
    if (!loaded.ok()) {
      handoff.Stop();
      break;
    }
  }
  checked.get();
  DOCKET_RETURN_IF_ERROR(loaded);
  if (reader.io_error()) return Status::Io(fmt::format("cannot read {}", file));
  return {};
}

bool IsJsonl(const std::string& file) {
  return file.size() >= 6 && file.compare(file.size() - 6, 6, ".jsonl") == 0;
}

}  // namespace

Imported Import(const ImportJob& job,
                const std::function<Status(const std::vector<BulkCounts>&)>& before_commit) {
  Imported result;
  auto fail = [&](const Status& s, const std::string& where) {
    result.error = Diagnose(nullptr, s, where);
    return std::move(result);
  };
  auto opened = Archive::Open(job.db, WriteOpen(job.wait_seconds));
  if (!opened.ok()) return fail(opened.status(), job.db);
  Archive& archive = **opened;
  if (job.restore) {
    auto latest = archive.LatestRecorded();
    if (!archive.charges().empty() || !archive.sources().empty() || !latest.ok() || latest->has_value())
      return fail(Status::Input(fmt::format("refusing to restore into a non-empty archive ({})", job.db)),
                  job.inputs[0].name);
  }
  auto loader = std::make_unique<BulkLoader>(archive);
  if (Status s = loader->Begin(job.restore ? BulkLoader::Mode::kRestore : BulkLoader::Mode::kImport,
                               job.inputs.size());
      !s.ok())
    return fail(s, job.db);
  for (uint32_t i = 0; i < job.inputs.size(); ++i) {
    const ImportInput& input = job.inputs[i];
    Status s = job.restore
                   ? RestoreBackup(input.path, input.name, i, job.today, archive, loader.get(), &result.errors)
                   : ImportCsv(input, i, archive, job.today, loader.get(), &result.errors);
    if (!s.ok()) return fail(s, input.name);
  }
  if (!result.errors.empty()) return result;
  std::vector<BulkRowError> row_errors;
  if (Status s = loader->Plan(&result.counts, &row_errors); !s.ok()) return fail(s, job.db);
  for (const auto& e : row_errors) result.errors.Add(job.inputs[e.file].name, e.line, e.column, e.message);
  if (!result.errors.empty()) return result;
  if (Status s = before_commit(result.counts); !s.ok()) return fail(s, "");
  if (!job.dry_run) {
    if (Status s = loader->Commit(job.now); !s.ok()) return fail(s, job.db);
  }
  return result;
}

int RunImport(const Options& options) {
  const size_t jsonl = static_cast<size_t>(std::count_if(options.files.begin(), options.files.end(), IsJsonl));
  if (jsonl > 0 && (jsonl != 1 || options.files.size() != 1)) {
    std::fprintf(stderr, "docket: import takes CSV files or one JSONL backup, not both\n");
    return 64;
  }
  ImportJob job{options.db, {}, jsonl == 1, options.dry_run, options.wait_seconds, options.now, options.today};
  for (const auto& file : options.files) job.inputs.push_back({file, file});
  // The counts are printed before the commit: when they cannot be, nothing
  // is committed (as a script's lost output fails it).
  const Imported imported = Import(job, [&](const std::vector<BulkCounts>& counts) {
    for (size_t i = 0; i < options.files.size(); ++i)
      std::printf("%s: %llu new, %llu corrections, %llu unchanged%s\n", options.files[i].c_str(),
                  static_cast<unsigned long long>(counts[i].new_reports),
                  static_cast<unsigned long long>(counts[i].corrections),
                  static_cast<unsigned long long>(counts[i].unchanged),
                  options.dry_run ? " (dry run)" : "");
    return FlushStdout();
  });
  if (imported.error) PrintDiagnostic(*imported.error);
  imported.errors.Print();
  return imported.exit_code();
}

}  // namespace docket::cli
