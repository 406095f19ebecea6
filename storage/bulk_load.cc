#include "storage/bulk_load.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <limits>
#include <span>
#include <unordered_map>

#include <fmt/format.h>
#include <rocksdb/convenience.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>

#include "storage/archive_impl.h"
#include "storage/external_sort.h"
#include "storage/key_codec.h"
#include "storage/version_rules.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

// Sort keys are run keys (key_codec.h): the report, then the row's
// position in the input (import) or its recorded time (restore).
constexpr size_t kSortBudget = 192 << 20;
constexpr size_t kTimeSortBudget = 64 << 20;  // restore only
constexpr uint64_t kSstTargetSize = 256 << 20;

// A bit per input row that Plan decided to write, and the rank of a row
// among those: the offset of its recorded time from the import's base.
class RankBitmap {
 public:
  void Resize(uint64_t n) { words_.assign((n + 63) / 64, 0); }
  void Set(uint64_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  bool IsSet(uint64_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void Finish() {
    before_.resize(words_.size());
    uint64_t total = 0;
    for (size_t w = 0; w < words_.size(); ++w) {
      before_[w] = total;
      total += static_cast<uint64_t>(std::popcount(words_[w]));
    }
  }
  uint64_t Rank(uint64_t i) const {
    const uint64_t below = words_[i / 64] & ((uint64_t{1} << (i % 64)) - 1);
    return before_[i / 64] + static_cast<uint64_t>(std::popcount(below));
  }

 private:
  std::vector<uint64_t> words_, before_;
};

struct Row {
  std::string key;  // a run key
  ReportKey report;
  uint64_t order = 0;
  uint32_t file = 0;
  uint64_t line = 0;
  uint32_t column = 0;
  std::string value;  // the version value encoding
  Version version;    // decoded value (figure, note, url)

  int32_t day() const { return report.reported.last_day(); }
};

bool DecodeRow(std::string_view key, std::string_view payload, Row* row) {
  row->key.assign(key);
  if (!keys::DecodeRunKey(key, &row->report, &row->order)) return false;
  uint64_t file, line, column;
  if (!keys::GetVarint64(&payload, &file) || !keys::GetVarint64(&payload, &line) ||
      !keys::GetVarint64(&payload, &column))
    return false;
  row->file = static_cast<uint32_t>(file);
  row->line = line;
  row->column = static_cast<uint32_t>(column);
  row->value.assign(payload);
  return keys::DecodeVersionValue(payload, &row->version);
}

// Appends the versions the archive holds in the cell `key` (none if it has
// none) to `out`, read with `it`.
Status AppendStoredCell(rocksdb::Iterator* it, const std::string& key, std::vector<Version>* out) {
  it->Seek(key);
  if (it->Valid() && it->key() == key &&
      !keys::DecodeCell(key, std::string_view(it->value().data(), it->value().size()), out))
    return Status::Io("corrupt report in the archive");
  return FromRocks(it->status(), "reading the archive");
}

bool ProcessAlive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// Removes temporary directories left by imports whose process died (kill -9).
void RemoveStaleTempDirs(const fs::path& archive) {
  std::error_code ec;
  const std::string stem = archive.filename().string() + ".import-";
  for (const auto& entry : fs::directory_iterator(archive.parent_path().empty()
                                                      ? fs::path(".")
                                                      : archive.parent_path(),
                                                  ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + stem.size(), nullptr, 10);
    if (pid > 0 && !ProcessAlive(pid)) fs::remove_all(entry.path(), ec);
  }
}

// Writes sorted key/value pairs into SST files of about kSstTargetSize.
class SstSink {
 public:
  // The archive's table settings (small blocks: fast point reads), or, for
  // the time index, which is only ever scanned in order, blocks of
  // kTimeIndexBlockBytes with a restart point every 256 keys: ~4.3 bytes
  // per entry, at ZSTD's default level (level 12 would save 0.7 bytes more
  // for 6x the time; benchmarks/README.md, item 14).
  enum class Layout { kArchive, kTimeIndex };
  SstSink(std::string dir, std::string name, Layout layout = Layout::kArchive)
      : dir_(std::move(dir)), name_(std::move(name)) {
    options_ = ArchiveOptions();
    if (layout == Layout::kTimeIndex) {
      rocksdb::BlockBasedTableOptions table = *options_.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
      table.block_size = kTimeIndexBlockBytes;
      table.block_restart_interval = 256;
      options_.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
      options_.bottommost_compression_opts.level = rocksdb::CompressionOptions().level;
    }
  }
  Status Put(std::string_view key, std::string_view value) {
    if (writer_ && writer_->FileSize() >= kSstTargetSize) DOCKET_RETURN_IF_ERROR(Close());
    if (!writer_) {
      writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options_);
      files_.push_back(fmt::format("{}/{}-{}.sst", dir_, name_, files_.size()));
      DOCKET_RETURN_IF_ERROR(FromRocks(writer_->Open(files_.back()), "writing an import file"));
    }
    return FromRocks(writer_->Put(rocksdb::Slice(key.data(), key.size()),
                                  rocksdb::Slice(value.data(), value.size())),
                     "writing an import file");
  }
  Status Close() {
    if (!writer_) return {};
    Status s = FromRocks(writer_->Finish(), "writing an import file");
    writer_.reset();
    return s;
  }
  const std::vector<std::string>& files() const { return files_; }

 private:
  std::string dir_, name_;
  rocksdb::Options options_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  std::vector<std::string> files_;
};

}  // namespace

struct BulkLoader::State {
  Mode mode = Mode::kImport;
  std::string tmp_dir;
  std::vector<BulkCounts> counts;
  std::unordered_map<std::string, SeriesId> series_ids;  // by EncodeSeries
  std::string series_scratch, key_scratch, payload_scratch;  // Add's, kept for their capacity
  Version version_scratch;
  std::optional<SeriesId> first_new_series;
  std::unique_ptr<ExternalSorter> rows;    // sort key → file, line, column, value
  uint64_t row_count = 0;
  // The rows in the time index's order. Import: each row's report, in
  // input order, which is the order of the recorded times Commit gives the
  // rows Plan wrote; nothing to sort. Restore: each row by its own recorded
  // time (every row is written, or none).
  std::unique_ptr<RunWriter> arrivals;     // report(14) → empty
  std::string arrivals_path;
  std::unique_ptr<ExternalSorter> times;   // order(8) report(14) → empty
  // Plan's output: the versions to write, in report order.
  std::unique_ptr<RunWriter> planned_writer;
  std::string planned_path;
  uint64_t planned = 0;
  RankBitmap written;
  bool planned_ok = false;

  ~State() {
    rows.reset();
    arrivals.reset();
    times.reset();
    planned_writer.reset();
    std::error_code ec;
    if (!tmp_dir.empty()) fs::remove_all(tmp_dir, ec);
  }
};

BulkLoader::BulkLoader(Archive& archive) : archive_(&archive) {}
BulkLoader::~BulkLoader() = default;

Status BulkLoader::Begin(Mode mode, size_t file_count) {
  if (!archive_->impl_->batch) return Status::Input("the archive is open read-only");
  state_ = std::make_unique<State>();
  state_->mode = mode;
  state_->counts.resize(file_count);
  const fs::path archive_path(archive_->path());
  RemoveStaleTempDirs(archive_path);
  state_->tmp_dir = archive_path.string() + fmt::format(".import-{}", ::getpid());
  std::error_code ec;
  fs::create_directories(state_->tmp_dir, ec);
  if (ec) return Status::Io(fmt::format("cannot create {}: {}", state_->tmp_dir, ec.message()));
  state_->rows = std::make_unique<ExternalSorter>(state_->tmp_dir, "rows", keys::kRunKeySize, kSortBudget);
  if (mode == Mode::kImport) {
    state_->arrivals_path = state_->tmp_dir + "/arrivals.run";
    auto arrivals = RunWriter::Create(state_->arrivals_path, keys::kReportKeySize);
    if (!arrivals.ok()) return arrivals.status();
    state_->arrivals = std::move(*arrivals);
  } else {
    state_->times = std::make_unique<ExternalSorter>(state_->tmp_dir, "times", keys::kRunKeySize, kTimeSortBudget);
  }
  return {};
}

Status BulkLoader::Add(const BulkRow& row) {
  State& st = *state_;
  Archive::Impl& impl = *archive_->impl_;
  const Source* source = archive_->FindSource(row.source);
  if (!source) return Status::Input(fmt::format("unknown source `{}`", row.source));

  std::string& encoded = st.series_scratch;
  encoded.clear();
  keys::PutSeries(&encoded, *row.series);
  auto known = st.series_ids.find(encoded);
  if (known == st.series_ids.end()) {
    if (!archive_->FindCharge(row.series->charge))
      return Status::Input(fmt::format("unknown charge `{}`", row.series->charge));
    auto found = archive_->FindSeries(*row.series);
    if (!found.ok()) return found.status();
    SeriesId id;
    if (*found) {
      id = **found;
    } else {
      auto created = impl.NewSeries(*row.series);
      if (!created.ok()) return created.status();
      id = *created;
      if (!st.first_new_series) st.first_new_series = id;
    }
    known = st.series_ids.emplace(encoded, id).first;
  }

  std::string& key = st.key_scratch;  // a run key
  key.clear();
  keys::PutRunKey(&key, ReportKey{known->second, row.period, source->id, row.reported},
                  st.mode == Mode::kRestore ? keys::EncodeMicros(row.recorded.value_or(0)) : st.row_count);
  DOCKET_RETURN_IF_ERROR(st.mode == Mode::kImport
                             ? st.arrivals->Add(std::string_view(key).substr(0, keys::kReportKeySize), {})
                             : st.times->Add(keys::TimeRunKey(key), {}));
  std::string& payload = st.payload_scratch;
  payload.clear();
  keys::PutVarint64(&payload, row.file);
  keys::PutVarint64(&payload, row.line);
  keys::PutVarint64(&payload, row.column);
  Version& v = st.version_scratch;
  v.figure = row.figure;
  v.note.assign(row.note);
  v.url.assign(row.url);
  keys::PutVersionValue(&payload, v);
  ++st.row_count;
  return st.rows->Add(key, payload);
}

Status BulkLoader::Plan(std::vector<BulkCounts>* counts, std::vector<BulkRowError>* errors) {
  State& st = *state_;
  Archive::Impl& impl = *archive_->impl_;
  if (st.arrivals) {
    DOCKET_RETURN_IF_ERROR(st.arrivals->Close());
    st.arrivals.reset();
  }
  DOCKET_RETURN_IF_ERROR(st.rows->Finish());
  st.planned_path = st.tmp_dir + "/planned.run";
  auto writer = RunWriter::Create(st.planned_path, keys::kRunKeySize);
  if (!writer.ok()) return writer.status();
  st.planned_writer = std::move(*writer);
  if (st.mode == Mode::kImport) st.written.Resize(st.row_count);

  std::unique_ptr<rocksdb::Iterator> existing_it;
  if (impl.db) existing_it.reset(impl.db->NewIterator(rocksdb::ReadOptions()));

  auto write = [&](const Row& row) -> Status {
    if (st.mode == Mode::kImport) st.written.Set(row.order);
    ++st.planned;
    return st.planned_writer->Add(row.key, row.value);
  };

  // Decides one cell-source group: every row of one source for one cell.
  // The group's rows are the first `group_size` of `group_rows`, which are
  // reused from group to group: their strings keep their capacity.
  std::vector<Row> group_rows;
  size_t group_size = 0;
  std::vector<uint64_t> earliest_upto;
  std::vector<Version> stored;  // the archive's versions for the group, cell order
  std::string stored_cell_key;  // the cell whose versions stored_cell holds
  std::vector<Version> stored_cell;
  auto decide = [&]() -> Status {
    const std::span<Row> group(group_rows.data(), group_size);
    if (group.empty()) return {};
    stored.clear();
    const ReportKey& cell = group[0].report;
    const bool old_series = !st.first_new_series || cell.series < *st.first_new_series;
    if (existing_it && old_series) {
      const std::string key = keys::CellKey(cell.series, cell.period);
      if (key != stored_cell_key) {
        stored_cell_key = key;
        stored_cell.clear();
        DOCKET_RETURN_IF_ERROR(AppendStoredCell(existing_it.get(), key, &stored_cell));
      }
      for (const Version& v : stored_cell)
        if (v.report.source == cell.source) stored.push_back(v);
    }

    if (st.mode == Mode::kRestore) {
      for (size_t i = 0; i < group.size(); ++i) {
        if (i > 0 && group[i].key == group[i - 1].key) {
          errors->push_back({group[i].file, group[i].line, group[i].column,
                             "a second version of the same report with the same recorded time"});
          continue;
        }
        // A report's first version is new; its later ones are corrections.
        const bool same_report = i > 0 && group[i].report == group[i - 1].report;
        ++(same_report ? st.counts[group[i].file].corrections : st.counts[group[i].file].new_reports);
        DOCKET_RETURN_IF_ERROR(write(group[i]));
      }
      return {};
    }

    // Rows are sorted by reported (day, then as written), then input order.
    // The earliest input row dated on or before each day, for retractions.
    earliest_upto.resize(group.size());
    for (size_t i = 0; i < group.size();) {
      size_t j = i;
      uint64_t m = i > 0 ? earliest_upto[i - 1] : UINT64_MAX;
      const int32_t day = group[i].day();
      while (j < group.size() && group[j].day() == day) m = std::min(m, group[j++].order);
      for (size_t k = i; k < j; ++k) earliest_upto[k] = m;
      i = j;
    }
    const std::optional<int32_t> first_stored_day =
        stored.empty() ? std::nullopt : std::optional<int32_t>(stored.front().report.reported.last_day());

    for (size_t i = 0; i < group.size();) {
      // One report: its rows, in input order.
      size_t j = i;
      while (j < group.size() && group[j].report == group[i].report) ++j;
      const ReportKey& report = group[i].report;
      const Version* newest = nullptr;
      for (const Version& v : stored)
        if (v.report == report) {
          newest = &v;  // the first is the newest
          break;
        }
      std::optional<Version> current;
      if (newest) current = *newest;
      for (size_t k = i; k < j; ++k) {
        Row& row = group[k];
        BulkCounts& c = st.counts[row.file];
        if (row.version.is_retraction()) {
          // An input row before this one and dated on or before it is such
          // a report too: its day is at most this row's.
          std::optional<int32_t> earliest_day = first_stored_day;
          if (earliest_upto[k] < row.order) earliest_day = std::min(earliest_day.value_or(row.day()), row.day());
          auto series = archive_->SeriesById(report.series);  // for the message
          if (!series.ok()) return series.status();
          const Source* source = archive_->SourceById(report.source);
          Status allowed = version_rules::CheckRetraction(earliest_day, series->key, report.period,
                                                          source ? source->name : "?", report.reported);
          if (!allowed.ok()) {
            errors->push_back({row.file, row.line, row.column, allowed.message()});
            continue;
          }
        }
        const WriteOutcome outcome = version_rules::Decide(current ? &*current : nullptr, row.version);
        if (outcome == WriteOutcome::kUnchanged) {
          ++c.unchanged;
          continue;
        }
        ++(outcome == WriteOutcome::kCorrection ? c.corrections : c.new_reports);
        current = row.version;
        DOCKET_RETURN_IF_ERROR(write(row));
      }
      i = j;
    }
    return {};
  };

  std::string_view key, payload;
  while (st.rows->Next(&key, &payload)) {
    if (group_size > 0 && keys::RunKeyCellSource(group_rows[0].key) != keys::RunKeyCellSource(key)) {
      DOCKET_RETURN_IF_ERROR(decide());
      group_size = 0;
    }
    if (group_size == group_rows.size()) group_rows.emplace_back();
    if (!DecodeRow(key, payload, &group_rows[group_size++])) return Status::Io("corrupt import run file");
  }
  DOCKET_RETURN_IF_ERROR(st.rows->status());
  DOCKET_RETURN_IF_ERROR(decide());
  st.rows.reset();
  DOCKET_RETURN_IF_ERROR(st.planned_writer->Close());
  st.planned_writer.reset();

  std::sort(errors->begin(), errors->end(), [](const BulkRowError& a, const BulkRowError& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  *counts = st.counts;
  st.planned_ok = errors->empty();
  return {};
}

Status BulkLoader::Commit(Micros now) {
  State& st = *state_;
  Archive::Impl& impl = *archive_->impl_;
  if (!st.planned_ok) return Status::Input("the import has errors; nothing was written");
  if (st.planned == 0 && !impl.dirty) return {};
  DOCKET_RETURN_IF_ERROR(impl.EnsureCreated());

  // Recorded times: restore keeps its own; import numbers the written rows
  // in input order from the base.
  Micros base = now;
  if (st.mode == Mode::kImport) {
    auto latest = impl.LatestRecorded();
    if (!latest.ok()) return latest.status();
    if (st.planned > 0) {
      auto first = version_rules::FirstRecorded(now, *latest, st.planned);
      if (!first.ok()) return first.status();
      base = *first;
    }
    st.written.Finish();
  }
  auto recorded_of = [&](uint64_t order) {
    return st.mode == Mode::kImport ? base + static_cast<Micros>(st.written.Rank(order))
                                    : keys::DecodeMicros(order);
  };
  Micros latest_written = std::numeric_limits<Micros>::min();

  uint64_t new_reports = 0;
  for (const auto& c : st.counts) new_reports += c.new_reports;
  DOCKET_RETURN_IF_ERROR(impl.AddCounts(new_reports, st.planned));

  // Three files that do not overlap (more past kSstTargetSize): the batch's
  // keys below the reports (definitions, new series by id, counts); the
  // reports; the batch's keys above the reports (new series by name), then
  // the time index. Every table file costs each later open a little, and a
  // file that RocksDB places at level 0 a lot (an open reads its whole
  // index): the reports stay apart from the catalog keys, which overlap
  // the catalog files that scripts write at level 0.
  SstSink catalog(st.tmp_dir, "catalog"), reports(st.tmp_dir, "reports"),
      times(st.tmp_dir, "times", SstSink::Layout::kTimeIndex);
  {
    std::unique_ptr<rocksdb::WBWIIterator> it(impl.batch->NewIterator());
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const rocksdb::WriteEntry e = it->Entry();
      const std::string_view entry_key(e.key.data(), e.key.size());
      const keys::KeyRange range = keys::RangeOf(entry_key);
      if (e.type != rocksdb::kPutRecord || range == keys::KeyRange::kVersion || keys::IsTimeKey(entry_key))
        return Status::Io("unexpected entry in an import batch");
      SstSink& sink = range == keys::KeyRange::kBelowVersions ? catalog : times;
      DOCKET_RETURN_IF_ERROR(sink.Put(std::string_view(e.key.data(), e.key.size()),
                                      std::string_view(e.value.data(), e.value.size())));
    }
    DOCKET_RETURN_IF_ERROR(FromRocks(it->status(), "reading an import batch"));
  }
  DOCKET_RETURN_IF_ERROR(catalog.Close());

  // The reports and the time index share no input and no file: the time
  // index is written on a second thread while this one writes the reports.
  auto write_time_index = [&]() -> Status {
    std::string_view key, value;
    ReportKey report;
    if (st.mode == Mode::kImport) {
      auto arrivals = RunReader::Open(st.arrivals_path, keys::kReportKeySize);
      if (!arrivals.ok()) return arrivals.status();
      for (uint64_t order = 0; (*arrivals)->Next(&key, &value); ++order) {
        if (!st.written.IsSet(order)) continue;
        if (!keys::DecodeReportKey(key, &report)) return Status::Io("corrupt import run file");
        DOCKET_RETURN_IF_ERROR(times.Put(keys::TimeKey(recorded_of(order), report), {}));
      }
      DOCKET_RETURN_IF_ERROR((*arrivals)->status());
    } else {
      DOCKET_RETURN_IF_ERROR(st.times->Finish());
      while (st.times->Next(&key, &value)) {
        uint64_t order;
        if (!keys::DecodeTimeRunKey(key, &order, &report)) return Status::Io("corrupt import run file");
        DOCKET_RETURN_IF_ERROR(times.Put(keys::TimeKey(recorded_of(order), report), {}));
      }
      DOCKET_RETURN_IF_ERROR(st.times->status());
    }
    return times.Close();
  };
  // Each cell's new versions, with the versions it holds already.
  auto write_reports = [&]() -> Status {
    auto reader = RunReader::Open(st.planned_path, keys::kRunKeySize);
    if (!reader.ok()) return reader.status();
    std::unique_ptr<rocksdb::Iterator> existing_it;
    if (impl.db) existing_it.reset(impl.db->NewIterator(rocksdb::ReadOptions()));
    std::vector<Version> cell;  // new versions first, then the stored ones
    auto flush = [&]() -> Status {
      if (cell.empty()) return {};
      const ReportKey& first = cell.front().report;
      const std::string key = keys::CellKey(first.series, first.period);
      const size_t added = cell.size();
      const bool old_series = !st.first_new_series || first.series < *st.first_new_series;
      if (existing_it && old_series) {
        DOCKET_RETURN_IF_ERROR(AppendStoredCell(existing_it.get(), key, &cell));
      }
      if (cell.size() > added) {
        // A restored version replaces a stored one of the same report and time.
        std::stable_sort(cell.begin(), cell.end(), keys::CellOrderLess);
        cell.erase(std::unique(cell.begin(), cell.end(),
                               [](const Version& a, const Version& b) {
                                 return a.report == b.report && a.recorded == b.recorded;
                               }),
                   cell.end());
      } else {
        std::sort(cell.begin(), cell.end(), keys::CellOrderLess);
      }
      DOCKET_RETURN_IF_ERROR(reports.Put(key, keys::EncodeCell(cell)));
      cell.clear();
      return {};
    };
    std::string_view key, value;
    while ((*reader)->Next(&key, &value)) {
      Version v;
      uint64_t order;
      if (!keys::DecodeRunKey(key, &v.report, &order) || !keys::DecodeVersionValue(value, &v))
        return Status::Io("corrupt import run file");
      if (!cell.empty() && (cell.front().report.series != v.report.series ||
                            !(cell.front().report.period == v.report.period)))
        DOCKET_RETURN_IF_ERROR(flush());
      v.recorded = recorded_of(order);
      latest_written = std::max(latest_written, v.recorded);
      cell.push_back(std::move(v));
    }
    DOCKET_RETURN_IF_ERROR((*reader)->status());
    DOCKET_RETURN_IF_ERROR(flush());
    return reports.Close();
  };
  {
    std::future<Status> time_index = std::async(std::launch::async, write_time_index);
    const Status reports_written = write_reports();
    const Status time_index_written = time_index.get();
    DOCKET_RETURN_IF_ERROR(reports_written);
    DOCKET_RETURN_IF_ERROR(time_index_written);
  }

  std::vector<std::string> files;
  for (const SstSink* sink : {&catalog, &reports, &times})
    files.insert(files.end(), sink->files().begin(), sink->files().end());
  auto publish = impl.Publish(FileLock::Mode::kExclusive);
  if (!publish.ok()) return publish.status();
  DOCKET_RETURN_IF_ERROR(impl.IngestOrUndo(files));
  impl.TidyAfterCommit(/*flush=*/false);
  publish->Release();

  impl.batch->Clear();
  impl.dirty = false;
  if (st.planned > 0) {
    auto latest = impl.LatestRecorded();
    if (!latest.ok()) return latest.status();
    impl.latest_recorded = std::optional<Micros>(
        *latest ? std::max(latest_written, **latest) : latest_written);
  }
  return {};
}

}  // namespace docket

namespace docket {

Status UpgradeToCells(Archive::Impl& impl) {
  // Beside the archive, like an import's files: a killed upgrade's are
  // removed by the next import or upgrade.
  const fs::path archive_path(impl.path);
  RemoveStaleTempDirs(archive_path);
  const std::string tmp_dir = archive_path.string() + fmt::format(".import-{}", ::getpid());
  std::error_code ec;
  fs::create_directories(tmp_dir, ec);
  if (ec) return Status::Io(fmt::format("cannot create {}: {}", tmp_dir, ec.message()));
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } remove_dir{tmp_dir};

  // Format 2's version keys are in cell order: each cell's keys are adjacent.
  SstSink cells(tmp_dir, "cells");
  uint64_t versions = 0;
  {
    const std::string begin(1, keys::kVersionTag), end(1, keys::kVersionTag + 1);
    const rocksdb::Slice end_slice(end);  // of format 2's version keys
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &end_slice;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(ro));
    std::vector<Version> cell;
    auto flush = [&]() -> Status {
      if (cell.empty()) return {};
      const ReportKey& first = cell.front().report;
      DOCKET_RETURN_IF_ERROR(cells.Put(keys::CellKey(first.series, first.period), keys::EncodeCell(cell)));
      versions += cell.size();
      cell.clear();
      return {};
    };
    for (it->Seek(begin); it->Valid(); it->Next()) {
      Version v;
      if (!keys::DecodeVersionKey(std::string_view(it->key().data(), it->key().size()), &v.report, &v.recorded) ||
          !keys::DecodeVersionValue(std::string_view(it->value().data(), it->value().size()), &v))
        return Status::Io(fmt::format(
            "corrupt report in archive {}; nothing was upgraded from format {} (docket verify names it)", impl.path,
            keys::kFormatWithVersionKeys));
      if (!cell.empty() &&
          (cell.front().report.series != v.report.series || !(cell.front().report.period == v.report.period)))
        DOCKET_RETURN_IF_ERROR(flush());
      cell.push_back(std::move(v));
    }
    DOCKET_RETURN_IF_ERROR(FromRocks(it->status(), "reading the archive"));
    DOCKET_RETURN_IF_ERROR(flush());
    DOCKET_RETURN_IF_ERROR(cells.Close());
  }

  auto publish = impl.Publish(FileLock::Mode::kExclusive);
  if (!publish.ok()) return publish.status();
  // Two atomic, durable steps. Until the second, the archive is format 2,
  // and its cells (if any) are rewritten by the next upgrade.
  if (!cells.files().empty()) DOCKET_RETURN_IF_ERROR(impl.IngestOrUndo(cells.files()));
  rocksdb::WriteBatch batch;
  DOCKET_RETURN_IF_ERROR(FromRocks(batch.DeleteRange(std::string(1, keys::kVersionTag),
                                                     std::string(1, keys::kVersionTag + 1)),
                                   "upgrading the archive"));
  DOCKET_RETURN_IF_ERROR(FromRocks(batch.Put(keys::FormatKey(), keys::EncodeFormatValue(keys::kFormatVersion)),
                                   "upgrading the archive"));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  DOCKET_RETURN_IF_ERROR(FromRocks(impl.db->Write(sync, &batch), "upgrading the archive"));
  // The version keys' table files go now, and what is left of them in
  // files that hold other keys too (a script's) is merged away.
  const std::string begin(1, keys::kVersionTag), end(1, keys::kVersionTag + 1);
  const rocksdb::Slice from(begin), to(end);
  DOCKET_RETURN_IF_ERROR(FromRocks(
      rocksdb::DeleteFilesInRange(impl.db.get(), impl.db->DefaultColumnFamily(), &from, &to, /*include_end=*/false),
      "upgrading the archive"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  DOCKET_RETURN_IF_ERROR(FromRocks(impl.db->CompactRange(compact, &from, &to), "upgrading the archive"));
  impl.TidyAfterCommit(/*flush=*/true);
  if (impl.options.on_upgrade)
    impl.options.on_upgrade(fmt::format("upgraded archive {} from format {} to format {} ({} versions)", impl.path,
                                        keys::kFormatWithVersionKeys, keys::kFormatVersion, versions));
  return {};
}

}  // namespace docket
