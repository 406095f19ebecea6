#include "storage/verify.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>

#include "storage/archive_impl.h"
#include "storage/file_lock.h"
#include "storage/key_codec.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

// 10000-01-01T00:00:00Z: recorded times stay below it (they print as four-digit years).
constexpr Micros kYear10000 = int64_t{253402300800} * 1'000'000;

// A database directory, whole or damaged: CURRENT, or any table or log
// file. A MANIFEST alone is a creation cut short before CURRENT was
// written: it never held data, and the next write creates the archive anew.
bool HoldsDatabase(const std::string& path) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const std::string ext = entry.path().extension().string();
    if (entry.path().filename() == "CURRENT" || ext == ".sst" || ext == ".log") return true;
  }
  return false;
}

Status NotFound(const std::string& path) {
  return Status::Error(ErrorKind::kNotFound, fmt::format("archive not found: {}", path));
}

// A key for a message: its tag, then its bytes in hex (at most 24 of them).
std::string KeyText(std::string_view key) {
  std::string out = fmt::format("key {}", key.empty() ? "(empty)" : std::string(1, key[0]));
  const size_t shown = std::min<size_t>(key.size(), 24);
  for (size_t i = 1; i < shown; ++i) out += fmt::format(" {:02x}", static_cast<unsigned char>(key[i]));
  if (shown < key.size()) out += " …";
  return out;
}

// Empty if `s` is valid UTF-8 without NUL, else why not.
std::optional<std::string> BadString(std::string_view what, std::string_view s) {
  const size_t at = FindInvalidUtf8(s);
  if (at == std::string_view::npos) return std::nullopt;
  return fmt::format("{} holds {} at byte {}", what, s[at] == '\0' ? "a NUL" : "invalid UTF-8", at);
}

// Checks of one archive, fed its keys in order by Run.
class Verifier {
 public:
  Verifier(rocksdb::DB* db, size_t max_problems) : db_(db), max_problems_(max_problems) {}

  VerifyReport Run() {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAll()));
    bool any_key = false;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      any_key = true;
      const std::string_view key(it->key().data(), it->key().size());
      const std::string_view value(it->value().data(), it->value().size());
      Check(key, value);
    }
    // A scan cut short would make the cross-checks report what it never read.
    if (!it->status().ok()) Problem(fmt::format("reading the archive: {}", it->status().ToString()));
    else Finish(any_key);
    return std::move(report_);
  }

 private:
  static rocksdb::ReadOptions ReadAll() {
    rocksdb::ReadOptions ro;
    ro.verify_checksums = true;
    ro.fill_cache = false;
    return ro;
  }

  void Problem(std::string text) {
    if (report_.problems.size() < max_problems_) report_.problems.push_back(std::move(text));
    ++report_.problem_count;
  }
  void Problem(std::string_view key, std::string_view text) {
    Problem(fmt::format("{}: {}", KeyText(key), text));
  }

  // Nullopt if `key` is stored; true if it is absent, false if reading it failed.
  std::optional<bool> Missing(const std::string& key) {
    std::string ignored;
    const rocksdb::Status s = db_->Get(ReadAll(), key, &ignored);
    if (s.ok()) return std::nullopt;
    return s.IsNotFound();
  }

  void Check(std::string_view key, std::string_view value) {
    if (key.empty()) return Problem(key, "empty key");
    switch (key[0]) {
      case keys::kFormatTag: return CheckFormat(key, value);
      case keys::kCountsTag: return CheckCounts(key, value);
      case keys::kChargeTag: return CheckCharge(key, value);
      case keys::kSourceTag: return CheckSource(key, value);
      case keys::kSeriesByIdTag: return CheckSeriesById(key, value);
      case keys::kSeriesByNameTag: return CheckSeriesByName(key, value);
      // A format-2 archive holds a key per version, and its cells, if any,
      // are an upgrade's that was cut short (the next one rewrites them).
      case keys::kCellTag:
        if (format_ == keys::kFormatWithVersionKeys) return;
        return CheckCell(key, value);
      case keys::kVersionTag:
        if (format_ != keys::kFormatWithVersionKeys) return Problem(key, "unknown key tag");
        return CheckVersionKey(key, value);
      case keys::kTimeTag: return CheckTimeEntry(key);
      default: return Problem(key, "unknown key tag");
    }
  }

  void CheckFormat(std::string_view key, std::string_view value) {
    uint32_t version = 0;
    if (key.size() != 1 || !keys::DecodeFormatValue(value, &version))
      return Problem(key, "undecodable format version");
    format_ = version;
    if (version != keys::kFormatVersion && version != keys::kFormatWithVersionKeys)
      return Problem(fmt::format("format version {}; this docket reads version {}", version,
                                 keys::kFormatVersion));
    format_ok_ = true;
  }

  void CheckCounts(std::string_view key, std::string_view value) {
    uint64_t reports = 0, versions = 0;
    if (key.size() != 1 || !keys::DecodeCounts(value, &reports, &versions))
      return Problem(key, "undecodable counts");
    stored_counts_ = std::make_pair(reports, versions);
  }

  void CheckCharge(std::string_view key, std::string_view value) {
    Charge charge;
    if (!keys::DecodeCharge(key.substr(1), value, &charge)) return Problem(key, "undecodable charge");
    if (!IsChargeName(charge.name)) return Problem(key, fmt::format("invalid charge name `{}`", charge.name));
    for (const auto& [what, text] : {std::pair{"title", &charge.title}, {"article", &charge.article}})
      if (auto bad = BadString(fmt::format("charge {}'s {}", charge.name, what), *text)) Problem(key, *bad);
    charges_.insert(charge.name);
  }

  void CheckSource(std::string_view key, std::string_view value) {
    Source source;
    if (!keys::DecodeSource(key.substr(1), value, &source)) return Problem(key, "undecodable source");
    if (!IsSourceName(source.name)) return Problem(key, fmt::format("invalid source name `{}`", source.name));
    for (const auto& [what, text] : {std::pair{"title", &source.title}, {"url", &source.url}})
      if (auto bad = BadString(fmt::format("source {}'s {}", source.name, what), *text)) Problem(key, *bad);
    if (source.id == 0 || !source_ids_.insert(source.id).second)
      Problem(key, fmt::format("source {} has id {}, zero or taken", source.name, source.id));
  }

  // Why `series` is not a valid series key, given the charges seen so far.
  std::optional<std::string> BadSeries(const SeriesKey& series) const {
    if (!charges_.count(series.charge)) return fmt::format("series of undefined charge `{}`", series.charge);
    for (size_t i = 0; i < series.labels.size(); ++i) {
      const auto& [label, text] = series.labels[i];
      if (!IsLabelKey(label)) return fmt::format("invalid label key `{}`", label);
      if (i > 0 && series.labels[i - 1].first >= label) return std::string("labels not sorted by key");
      if (text.empty()) return fmt::format("label {} is empty", label);
      if (auto bad = BadString(fmt::format("label {}", label), text)) return bad;
    }
    return std::nullopt;
  }

  // 'I' keys come before 'S' keys: each is kept until its 'S' key is seen.
  void CheckSeriesById(std::string_view key, std::string_view value) {
    SeriesKey series;
    if (key.size() != 5 || !keys::DecodeSeries(value, &series))
      return Problem(key, "undecodable series entry");
    const SeriesId id = keys::DecodeFixed32(key.data() + 1);
    if (auto bad = BadSeries(series)) Problem(key, *bad);
    series_by_id_.emplace(id, SeriesEntry{std::string(value), false});
  }

  void CheckSeriesByName(std::string_view key, std::string_view value) {
    SeriesKey series;
    if (value.size() != 4 || !keys::DecodeSeries(key.substr(1), &series))
      return Problem(key, "undecodable series name entry");
    const SeriesId id = keys::DecodeFixed32(value.data());
    auto it = series_by_id_.find(id);
    if (it == series_by_id_.end())
      return Problem(key, fmt::format("series {} by name has no entry by id {}", series, id));
    if (it->second.encoded != key.substr(1))
      return Problem(key, fmt::format("series {} by name names id {}, which is another series", series, id));
    it->second.named = true;
  }

  void CheckCell(std::string_view key, std::string_view value) {
    std::vector<Version> cell;
    if (!keys::DecodeCell(key, value, &cell)) {
      undecodable_cells_.insert(std::string(key));
      return Problem(key, "undecodable cell");
    }
    for (size_t i = 0; i < cell.size(); ++i) CheckVersion(key, cell[i], i == 0 || cell[i].report != cell[i - 1].report);
  }

  void CheckVersionKey(std::string_view key, std::string_view value) {
    Version v;
    if (!keys::DecodeVersionKey(key, &v.report, &v.recorded) || !keys::DecodeVersionValue(value, &v))
      return Problem(key, "undecodable version");
    CheckVersion(key, v, !last_report_ || *last_report_ != v.report);
    last_report_ = v.report;
  }

  // `v` is stored under `key`; `new_report` if it is its report's first.
  void CheckVersion(std::string_view key, const Version& v, bool new_report) {
    ++report_.versions;
    if (new_report) ++report_.reports;
    versions_index_.Add(keys::TimeKey(v.recorded, v.report));
    if (!series_by_id_.count(v.report.series))
      Problem(key, fmt::format("version of series {}, which has no entry", v.report.series));
    if (!source_ids_.count(v.report.source))
      Problem(key, fmt::format("version from source id {}, which is not defined", v.report.source));
    if (auto date = Date::Parse(v.report.reported.ToString()); !date || *date != v.report.reported)
      Problem(key, "reported date is not a date a source can give");
    if (auto bad = BadString("note", v.note)) Problem(key, *bad);
    if (auto bad = BadString("url", v.url)) Problem(key, *bad);
  }

  void CheckTimeEntry(std::string_view key) {
    Micros recorded;
    ReportKey report;
    if (!keys::DecodeTimeKey(key, &recorded, &report)) return Problem(key, "undecodable time-index entry");
    if (last_recorded_ && recorded <= *last_recorded_)
      Problem(key, fmt::format("recorded {} again: recorded times must be strictly increasing",
                               FormatTimestamp(recorded)));
    last_recorded_ = recorded;
    if (recorded >= kYear10000) Problem(key, "recorded after year 9999");
    time_index_.Add(key);
  }

  // The second pass, only when the versions and the time index disagree:
  // one point lookup per key names each entry without its counterpart.
  void FindUnpairedIndexEntries() {
    const bool version_keys = format_ == keys::kFormatWithVersionKeys;
    std::vector<Version> versions;
    ScanTag(version_keys ? keys::kVersionTag : keys::kCellTag, [&](std::string_view key, std::string_view value) {
      versions.clear();
      if (version_keys) {
        Version& v = versions.emplace_back();
        if (!keys::DecodeVersionKey(key, &v.report, &v.recorded)) return;
      } else if (!keys::DecodeCell(key, value, &versions)) {
        return;
      }
      for (const Version& v : versions)
        if (auto missing = Missing(keys::TimeKey(v.recorded, v.report)))
          Problem(key, fmt::format("version recorded {}: {}", FormatTimestamp(v.recorded),
                                   *missing ? "its time-index entry is missing"
                                            : "reading its time-index entry failed"));
    });
    ScanTag(keys::kTimeTag, [&](std::string_view key, std::string_view) {
      ReportKey report;
      Micros recorded;
      if (!keys::DecodeTimeKey(key, &recorded, &report)) return;
      if (undecodable_cells_.count(keys::CellKey(report.series, report.period))) return;  // a problem already
      if (auto missing = version_keys ? Missing(keys::VersionKey(report, recorded)) : MissingVersion(report, recorded))
        Problem(key, fmt::format("time-index entry recorded {}: {}", FormatTimestamp(recorded),
                                 *missing ? "its version is missing" : "reading its version failed"));
    });
  }

  // Nullopt if the cell holds the version; true if it does not, false if reading it failed.
  std::optional<bool> MissingVersion(const ReportKey& report, Micros recorded) {
    std::string value;
    const std::string key = keys::CellKey(report.series, report.period);
    const rocksdb::Status s = db_->Get(ReadAll(), key, &value);
    if (!s.ok()) return s.IsNotFound();
    std::vector<Version> cell;
    if (!keys::DecodeCell(key, value, &cell) || !keys::FindInCell(cell, report, recorded)) return true;
    return std::nullopt;
  }

  void ScanTag(char tag, const std::function<void(std::string_view key, std::string_view value)>& visit) {
    const std::string end(1, static_cast<char>(tag + 1));
    const rocksdb::Slice end_slice(end);
    rocksdb::ReadOptions ro = ReadAll();
    ro.iterate_upper_bound = &end_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
    for (it->Seek(std::string(1, tag)); it->Valid(); it->Next())
      visit(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()));
    if (!it->status().ok()) Problem(fmt::format("reading the archive: {}", it->status().ToString()));
  }

  void Finish(bool any_key) {
    // An archive whose creation was cut short holds no key at all.
    if (any_key && !format_ok_ && report_.problem_count == 0) Problem("no format version key");
    for (const auto& [id, entry] : series_by_id_)
      if (!entry.named) Problem(fmt::format("series {} has no entry by name", id));
    report_.series = series_by_id_.size();
    if (versions_index_ != time_index_) FindUnpairedIndexEntries();
    if (stored_counts_ && undecodable_cells_.empty() &&
        *stored_counts_ != std::make_pair(report_.reports, report_.versions))
      Problem(fmt::format("stored counts say {} reports, {} versions; the archive holds {}, {}",
                          stored_counts_->first, stored_counts_->second, report_.reports,
                          report_.versions));
  }

  // A multiset of time-index keys in constant memory: their number and two
  // sums of hashes. Equal digests mean (but for a 2^-128 chance) that every
  // version has its entry and every entry its version: a key names one
  // version, and keys are unique on each side.
  struct IndexDigest {
    uint64_t count = 0, sum = 0, sum_of_mixed = 0;
    void Add(std::string_view time_key) {
      const uint64_t h = std::hash<std::string_view>()(time_key);
      ++count;
      sum += h;
      sum_of_mixed += (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL;
    }
    friend bool operator==(const IndexDigest&, const IndexDigest&) = default;
  };

  struct SeriesEntry {
    std::string encoded;  // the 'I' value, which its 'S' key must repeat
    bool named = false;   // its 'S' key was seen
  };

  rocksdb::DB* db_;
  size_t max_problems_;
  VerifyReport report_;
  bool format_ok_ = false;
  uint32_t format_ = 0;  // the format key's, once seen
  std::optional<ReportKey> last_report_;  // format 2: the report of the version key read last
  std::set<std::string, std::less<>> undecodable_cells_;  // their keys: their versions are not counted
  std::optional<std::pair<uint64_t, uint64_t>> stored_counts_;
  std::set<std::string, std::less<>> charges_;
  std::set<SourceId> source_ids_;
  std::map<SeriesId, SeriesEntry> series_by_id_;
  std::optional<Micros> last_recorded_;
  IndexDigest versions_index_, time_index_;  // from the cells, from the 'T' keys
};

}  // namespace

Result<VerifyReport> VerifyArchive(const std::string& path, size_t max_problems) {
  if (!HoldsDatabase(path)) return NotFound(path);
  rocksdb::Options options = ArchiveOptions();
  options.max_open_files = -1;  // every table opened under the publish lock, as readers do
  auto publish = FileLock::Acquire(path + "/" + kPublishLockFile, FileLock::Mode::kShared,
                                   kPublishWaitSeconds);
  if (!publish.ok()) return publish.status();
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status opened = rocksdb::DB::OpenForReadOnly(options, path, &raw);
  publish->Release();
  if (!opened.ok()) {
    VerifyReport report;
    report.problems.push_back(fmt::format("cannot open the archive: {} (docket repair may save it)",
                                          opened.ToString()));
    report.problem_count = 1;
    return report;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  return Verifier(db.get(), max_problems).Run();
}

Status RepairArchive(const std::string& path, const std::string& copy) {
  if (!HoldsDatabase(path)) return NotFound(path);
  std::error_code ec;
  if (fs::exists(copy, ec)) return Status::Io(fmt::format("cannot copy the archive to {}: it exists", copy));
  auto publish = FileLock::Acquire(path + "/" + kPublishLockFile, FileLock::Mode::kExclusive,
                                   kPublishWaitSeconds);
  if (!publish.ok()) return publish.status();
  // A writer that has the database open holds its LOCK; none can open it
  // while this process holds the publish lock, so the probe stays true
  // until RepairDB takes the LOCK itself.
  rocksdb::Env* env = rocksdb::Env::Default();
  rocksdb::FileLock* probe = nullptr;
  if (!env->LockFile(path + "/LOCK", &probe).ok())
    return Status::Error(ErrorKind::kLocked, fmt::format("archive is locked by another writer: {}/LOCK", path));
  DOCKET_RETURN_IF_ERROR(FromRocks(env->UnlockFile(probe), "releasing the archive's lock"));
  fs::copy(path, copy, fs::copy_options::recursive, ec);
  if (ec) return Status::Io(fmt::format("cannot copy the archive to {}: {}", copy, ec.message()));
  return FromRocks(rocksdb::RepairDB(path, ArchiveOptions()), fmt::format("cannot repair archive {}", path));
}

Status CheckpointArchive(const std::string& path, const std::string& dir) {
  if (!HoldsDatabase(path)) return NotFound(path);
  std::error_code ec;
  if (fs::exists(dir, ec) || fs::is_symlink(dir, ec))
    return Status::Io(fmt::format("cannot write a checkpoint to {}: it exists", dir));
  auto publish = FileLock::Acquire(path + "/" + kPublishLockFile, FileLock::Mode::kShared,
                                   kPublishWaitSeconds);
  if (!publish.ok()) return publish.status();
  auto fail = [&](const fs::path& file, const std::error_code& error) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return Status::Io(fmt::format("cannot write a checkpoint to {}: {}: {}", dir, file.string(), error.message()));
  };
  if (!fs::create_directory(dir, ec)) return fail(dir, ec);
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const fs::path name = entry.path().filename();
    // The locks belong to the processes using the archive; RocksDB's own
    // directories (lost/, archive/) are no part of it.
    if (name == "LOCK" || name == kPublishLockFile || !entry.is_regular_file()) continue;
    const fs::path to = fs::path(dir) / name;
    if (entry.path().extension() == ".sst") {
      fs::create_hard_link(entry.path(), to, ec);  // table files never change
      if (!ec) continue;
    }
    if (!fs::copy_file(entry.path(), to, ec)) return fail(entry.path(), ec);
  }
  if (ec) return fail(path, ec);
  return {};
}

}  // namespace docket
