// The bulk loader (storage/bulk_load.h, spec §5 "CSV import" and "Export
// and restore"): import mode (per-file counts, rows in file order,
// retractions, consecutive recorded times), restore mode (recorded times
// kept) and a dry run (Plan without Commit writes nothing).

#include "storage/bulk_load.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>

#include "storage/archive.h"
#include "storage/archive_impl.h"  // PickRunMerge, kMaxRuns, ArchiveOptions
#include "storage/key_codec.h"
#include "storage/types.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

const SeriesKey kTreason{"treason", {}};
const SeriesKey kEspionage{"espionage", {}};
const SeriesKey kEspionageUA{"espionage", {{"citizenship", "UA"}}};

std::optional<Figure> Eq(uint64_t n) { return Figure{Bound::kExact, n}; }
std::optional<Figure> AtLeast(uint64_t n) { return Figure{Bound::kAtLeast, n}; }

// One input row, owning its strings until Add copies them.
struct Input {
  const SeriesKey* series;
  const char* period;
  const char* source;
  const char* reported;
  std::optional<Figure> figure;
  uint32_t file;
  uint64_t line;
  uint32_t column = 1;
  std::optional<Micros> recorded = std::nullopt;
  std::string note = "";
};

class BulkLoadTest : public ::testing::Test {
 protected:
  std::string ArchivePath() const { return dir_.File("archive"); }

  std::unique_ptr<Archive> OpenWrite() {
    OpenOptions o;
    o.mode = OpenOptions::Mode::kWrite;
    o.wait_seconds = 0.2;
    auto a = Archive::Open(ArchivePath(), o);
    if (!a.ok()) {
      ADD_FAILURE() << a.status().message();
      return nullptr;
    }
    return std::move(a).value();
  }
  // The archive opened read-only with RocksDB directly, with the archive's
  // table settings and statistics counting what it reads, and read options
  // that keep every read out of the block cache (each block read is then
  // counted); db is null (and the test failed) if it cannot be opened.
  struct CountedOpen {
    std::shared_ptr<rocksdb::Statistics> statistics = rocksdb::CreateDBStatistics();
    std::unique_ptr<rocksdb::DB> db;
    rocksdb::ReadOptions uncached;
  };
  CountedOpen OpenCounted() const {
    CountedOpen open;
    open.uncached.fill_cache = false;
    rocksdb::Options options = ArchiveOptions();
    options.statistics = open.statistics;
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, ArchivePath(), &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    open.db.reset(raw);
    return open;
  }
  std::unique_ptr<Archive> OpenRead() {
    OpenOptions o;
    o.mode = OpenOptions::Mode::kRead;
    auto a = Archive::Open(ArchivePath(), o);
    if (!a.ok()) {
      ADD_FAILURE() << a.status().message();
      return nullptr;
    }
    return std::move(a).value();
  }

  static void DefineCatalog(Archive& a) {
    ASSERT_TRUE(a.DefineCharge({"treason", "High treason", "275"}).ok());
    ASSERT_TRUE(a.DefineCharge({"espionage", std::nullopt, std::nullopt}).ok());
    ASSERT_TRUE(a.DefineSource({"IStories", std::nullopt, std::nullopt, 10}).ok());
    ASSERT_TRUE(a.DefineSource({"RTVI", std::nullopt, std::nullopt, std::nullopt}).ok());
  }

  static Status Add(BulkLoader& loader, const Input& in) {
    BulkRow row;
    row.series = in.series;
    row.period = *Period::Parse(in.period);
    row.source = in.source;
    row.reported = *Date::Parse(in.reported);
    row.figure = in.figure;
    row.note = in.note;
    row.recorded = in.recorded;
    row.file = in.file;
    row.line = in.line;
    row.column = in.column;
    return loader.Add(row);
  }

  // Begin, Add every row, Plan. Fails the test if any step fails.
  static void Load(BulkLoader& loader, BulkLoader::Mode mode, size_t files, const std::vector<Input>& rows,
                   std::vector<BulkCounts>* counts, std::vector<BulkRowError>* errors) {
    ASSERT_TRUE(loader.Begin(mode, files).ok());
    for (const auto& r : rows) {
      Status s = Add(loader, r);
      ASSERT_TRUE(s.ok()) << s.message();
    }
    Status s = loader.Plan(counts, errors);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // A new archive holding DefineCatalog's definitions, committed.
  void CreateWithCatalog() {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    ASSERT_TRUE(a->Commit().ok());
  }

  // Imports `rows` into the archive at `path` (none may be refused) and
  // commits them at `now`, with DefineCatalog's definitions first if the
  // archive has none.
  void ImportRows(const std::vector<Input>& rows, Micros now) { ImportRows(ArchivePath(), rows, now); }
  static void ImportRows(const std::string& path, const std::vector<Input>& rows, Micros now) {
    OpenOptions o;
    o.mode = OpenOptions::Mode::kWrite;
    auto a = Archive::Open(path, o);
    ASSERT_TRUE(a.ok()) << a.status().message();
    if (!(*a)->FindCharge("treason")) DefineCatalog(**a);
    BulkLoader loader(**a);
    std::vector<BulkCounts> counts;
    std::vector<BulkRowError> errors;
    Load(loader, BulkLoader::Mode::kImport, 1, rows, &counts, &errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    Status s = loader.Commit(now);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  static std::vector<Version> Since(Archive& a, Micros from) {
    std::vector<Version> out;
    EXPECT_TRUE(a.ScanRecordedSince(from, [&](const Version& v) {
                   out.push_back(v);
                   return true;
                 }).ok());
    return out;
  }

  static std::vector<Version> Cell(Archive& a, const SeriesKey& s, const char* period) {
    std::vector<Version> out;
    auto id = a.FindSeries(s);
    EXPECT_TRUE(id.ok() && id->has_value()) << s.ToString();
    if (!id.ok() || !id->has_value()) return out;
    EXPECT_TRUE(a.ScanCell(**id, *Period::Parse(period), &out).ok());
    return out;
  }

  bool TempDirsLeft() const {
    for (const auto& e : fs::directory_iterator(dir_.path()))
      if (e.path().filename().string().rfind("archive.import-", 0) == 0) return true;
    return false;
  }

  TempDir dir_;
};

void ExpectCounts(const BulkCounts& c, uint64_t new_reports, uint64_t corrections, uint64_t unchanged) {
  EXPECT_EQ(c.new_reports, new_reports);
  EXPECT_EQ(c.corrections, corrections);
  EXPECT_EQ(c.unchanged, unchanged);
}

// ------------------------------------------------------------ import

TEST_F(BulkLoadTest, ImportCountsPerFileAndAppliesRowsInFileOrder) {
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    ASSERT_TRUE(a->Record({kTreason, *Period::Parse("2024"), "IStories", *Date::Parse("2025-04"), Eq(145),
                          "", "", 100}).ok());
    ASSERT_TRUE(a->Commit().ok());
  }
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kImport, 2,
       {
           {&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 2},        // unchanged (archive)
           {&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 3},        // correction
           {&kEspionage, "2024", "RTVI", "2024-12", AtLeast(28), 0, 4},     // new
           {&kEspionage, "2024", "RTVI", "2024-12", AtLeast(28), 0, 5},     // unchanged (row 4)
           {&kTreason, "2024", "IStories", "2025-04", Eq(145), 1, 2},        // correction: A, B, A
           {&kEspionageUA, "2024", "RTVI", "2024-12", AtLeast(18), 1, 3},   // new, a new series
           {&kEspionage, "2024", "RTVI", "2025-03-01", std::nullopt, 1, 4}, // new: retracts row 4
       },
       &counts, &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(counts.size(), 2u);
  ExpectCounts(counts[0], 1, 1, 2);
  ExpectCounts(counts[1], 2, 1, 0);

  // now (50) is behind the archive's latest (100): the written rows get
  // 101, 102, … in input order, the unchanged ones nothing.
  ASSERT_TRUE(loader->Commit(50).ok());
  loader.reset();

  auto check = [&](Archive& ar, size_t total) {
    const auto since = Since(ar, 0);
    ASSERT_EQ(since.size(), total);
    const Micros expected_times[] = {100, 101, 102, 103, 104, 105};
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(since[i].recorded, expected_times[i]) << i;
    EXPECT_EQ(since[1].figure, Eq(146));
    EXPECT_EQ(since[2].figure, AtLeast(28));
    EXPECT_EQ(since[3].figure, Eq(145));
    EXPECT_EQ(since[4].figure, AtLeast(18));
    EXPECT_TRUE(since[5].is_retraction());

    const auto treason = Cell(ar, kTreason, "2024");
    ASSERT_EQ(treason.size(), 3u);  // newest first: 145 @103, 146 @101, 145 @100
    EXPECT_EQ(treason[0].recorded, 103);
    EXPECT_EQ(treason[0].figure, Eq(145));
    EXPECT_EQ(treason[1].recorded, 101);
    EXPECT_EQ(treason[1].figure, Eq(146));
    EXPECT_EQ(treason[2].recorded, 100);

    const auto espionage = Cell(ar, kEspionage, "2024");
    ASSERT_EQ(espionage.size(), 2u);
    EXPECT_EQ(espionage[0].report.reported.ToString(), "2024-12");
    EXPECT_TRUE(espionage[1].is_retraction());
    EXPECT_EQ(Cell(ar, kEspionageUA, "2024").size(), 1u);
  };
  {
    SCOPED_TRACE("the loading archive");
    check(*a, 6);
  }
  // The loading archive knows its new latest time.
  auto next = a->Record({kTreason, *Period::Parse("2023"), "RTVI", *Date::Parse("2025"), Eq(1), "", "", 0});
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(a->Commit().ok());
  EXPECT_EQ(Since(*a, 106).size(), 1u);
  a.reset();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  SCOPED_TRACE("reopened");
  check(*r, 7);  // and the record made after the load, at 106

  // Series: treason, espionage, espionage{UA}. Reports: treason 2024
  // (IStories 2025-04), espionage 2024 RTVI 2024-12 and 2025-03-01,
  // espionage{UA}, treason 2023: 5. Versions: the 7 above.
  auto size = r->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->series, 3u);
  EXPECT_EQ(size->reports, 5u);
  EXPECT_EQ(size->versions, 7u);
}

TEST_F(BulkLoadTest, ImportIntoAMissingArchiveCreatesItWithBufferedDefinitions) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kImport, 1,
       {{&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 2},
        {&kTreason, "2023", "IStories", "2025-04", Eq(39), 0, 3}},
       &counts, &errors);
  ASSERT_TRUE(errors.empty());
  ExpectCounts(counts[0], 2, 0, 0);
  EXPECT_FALSE(fs::exists(ArchivePath()));
  ASSERT_TRUE(loader->Commit(1'000'000).ok());
  loader.reset();
  a.reset();
  EXPECT_FALSE(TempDirsLeft());

  auto r = OpenRead();
  ASSERT_TRUE(r);
  ASSERT_NE(r->FindCharge("treason"), nullptr);
  EXPECT_EQ(r->FindCharge("treason")->title, "High treason");
  ASSERT_NE(r->FindSource("IStories"), nullptr);
  EXPECT_EQ(r->FindSource("IStories")->priority, 10);
  const auto since = Since(*r, 0);
  ASSERT_EQ(since.size(), 2u);
  EXPECT_EQ(since[0].recorded, 1'000'000);  // an empty archive: from now
  EXPECT_EQ(since[0].report.period.ToString(), "2024");
  EXPECT_EQ(since[1].recorded, 1'000'001);
  EXPECT_EQ(since[1].report.period.ToString(), "2023");
}

// Whether a table file's key range takes in cells ('Q').
bool HoldsReports(const rocksdb::SstFileMetaData& file) {
  return !file.smallestkey.empty() && !file.largestkey.empty() && file.smallestkey[0] <= 'Q' &&
         file.largestkey[0] >= 'Q';
}

TEST_F(BulkLoadTest, ImportIntoADefinedArchiveKeepsItsReportsOutOfLevelZero) {
  // RocksDB reads the whole index of a level-0 table at every open, so an
  // import's reports must not land there beside the definitions' file.
  ASSERT_NO_FATAL_FAILURE(CreateWithCatalog());
  ASSERT_NO_FATAL_FAILURE(ImportRows({{&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 2},
                                      {&kEspionageUA, "2024", "RTVI", "2024-12", AtLeast(18), 0, 3}},
                                     1'000'000));
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), ArchivePath(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(&meta);
  size_t files = 0, reports_files = 0;
  for (const auto& level : meta.levels)
    for (const auto& file : level.files) {
      ++files;
      const bool has_reports = HoldsReports(file);
      reports_files += has_reports;
      if (level.level == 0) {
        EXPECT_FALSE(has_reports) << file.name << " at level 0";
      }
    }
  EXPECT_EQ(reports_files, 1u);
  EXPECT_EQ(files, 4u);  // definitions; the import's catalog, reports, series by name + time index
}

// Cells of one series, as ImportCellsOfManySizes writes them.
struct SizedCell {
  std::string period;
  size_t versions;
  bool big() const { return versions >= 200; }
};

class CellBlocksTest : public BulkLoadTest {
 protected:
  // Imports 120 cells of 1 to 25 reports with a note (~60 bytes each, so
  // blocks of several cells), then one cell of 200 reports (~10 KB in a
  // block), into a defined archive; sets cells_ and series_.
  void ImportCellsOfManySizes() {
    ASSERT_NO_FATAL_FAILURE(CreateWithCatalog());
    for (int year = 1900; year < 2020; ++year) cells_.push_back({std::to_string(year), static_cast<size_t>(1 + (year * 7) % 25)});
    cells_.push_back({"2020", 200});
    std::vector<std::string> dates;
    for (int month = 1; month <= 10; ++month)
      for (int day = 1; day <= 20; ++day) dates.push_back(fmt::format("2025-{:02}-{:02}", month, day));
    std::vector<Input> rows;
    for (const SizedCell& cell : cells_)
      for (size_t v = 0; v < cell.versions; ++v)
        rows.push_back({&kTreason, cell.period.c_str(), "IStories", dates[v].c_str(), Eq(v), 0, rows.size() + 2, 1,
                        std::nullopt, fmt::format("note {:04} of a report, long enough to weigh", v)});
    ASSERT_NO_FATAL_FAILURE(ImportRows(rows, 1'000'000));
    auto a = OpenRead();
    ASSERT_TRUE(a);
    auto id = a->FindSeries(kTreason);
    ASSERT_TRUE(id.ok() && id->has_value());
    series_ = **id;
  }

  std::vector<SizedCell> cells_;
  SeriesId series_ = 0;
};

// Read operations (read, pread) of this process so far.
uint64_t ReadCalls() {
  std::ifstream io("/proc/self/io");
  std::string field;
  uint64_t value = 0;
  while (io >> field >> value)
    if (field == "syscr:") return value;
  ADD_FAILURE() << "no syscr in /proc/self/io";
  return 0;
}

TEST_F(CellBlocksTest, EachCellIsOneKeyReadInOneDataBlock) {
  // A cell's versions are one value: its read decompresses one block, the
  // big cell's (~10 KB of notes, past four times the 2 KiB block size) too.
  ASSERT_NO_FATAL_FAILURE(ImportCellsOfManySizes());
  const CountedOpen open = OpenCounted();
  ASSERT_TRUE(open.db);
  size_t cells = 0;
  std::unique_ptr<rocksdb::Iterator> all(open.db->NewIterator(open.uncached));
  const std::string series_prefix = keys::CellSeriesPrefix(series_);
  for (all->Seek(series_prefix); all->Valid() && all->key().starts_with(series_prefix); all->Next()) ++cells;
  EXPECT_EQ(cells, cells_.size());
  for (const SizedCell& cell : cells_) {
    const std::string key = keys::CellKey(series_, *Period::Parse(cell.period));
    const uint64_t before = open.statistics->getTickerCount(rocksdb::BLOCK_CACHE_DATA_MISS);
    std::string value;
    ASSERT_TRUE(open.db->Get(open.uncached, key, &value).ok()) << cell.period;
    EXPECT_EQ(open.statistics->getTickerCount(rocksdb::BLOCK_CACHE_DATA_MISS) - before, 1u) << cell.period;
    std::vector<Version> versions;
    ASSERT_TRUE(keys::DecodeCell(key, value, &versions)) << cell.period;
    EXPECT_EQ(versions.size(), cell.versions) << cell.period;
    if (cell.big()) {
      EXPECT_GT(value.size(), 4 * 2048u);
    }
  }
}

TEST_F(CellBlocksTest, AReadOfACellStopsAtItsEnd) {
  // Data blocks end between cells, so many a cell is its block's last: a
  // read that stepped past the cell's last key would read the next block
  // too. Read alone, on an open of its own without a block cache, a small
  // cell costs at most two read calls: its block, and the part of the
  // table's index that points to it (a third is the next block).
  ASSERT_NO_FATAL_FAILURE(ImportCellsOfManySizes());
  for (const SizedCell& cell : cells_) {
    if (cell.big()) continue;
    OpenOptions o;
    o.mode = OpenOptions::Mode::kRead;
    o.block_cache_bytes = 0;
    auto a = Archive::Open(ArchivePath(), o);
    ASSERT_TRUE(a.ok()) << a.status().message();
    std::vector<Version> versions;
    const uint64_t before = ReadCalls();
    ASSERT_TRUE((*a)->ScanCell(series_, *Period::Parse(cell.period), &versions).ok());
    const uint64_t reads = ReadCalls() - before;
    EXPECT_GE(reads, 1u) << cell.period;
    EXPECT_LE(reads, 2u) << cell.period;
    EXPECT_EQ(versions.size(), cell.versions) << cell.period;
  }
}

TEST_F(CellBlocksTest, AScanAfterANarrowerOneOnTheSameIteratorReadsToItsOwnEnd) {
  // A read-only open reuses its iterators, each cursor setting the bound
  // afresh. A series' scan leaves the iterator with a bound at the
  // series' end; a scan of the time index after it must read past that.
  ASSERT_NO_FATAL_FAILURE(ImportCellsOfManySizes());
  OpenOptions o;
  o.mode = OpenOptions::Mode::kRead;
  auto a = Archive::Open(ArchivePath(), o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  size_t all = 0;
  for (const SizedCell& cell : cells_) all += cell.versions;
  std::vector<Version> versions;
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE((*a)->ScanSeries(series_, &versions).ok());
    EXPECT_EQ(versions.size(), all);
    size_t entries = 0;
    ASSERT_TRUE((*a)->ScanTimeIndex(0, [&](Micros, const ReportKey&) { return ++entries, true; }).ok());
    EXPECT_EQ(entries, all) << "round " << round;
  }
}

TEST_F(BulkLoadTest, EveryTableHoldsTheTimeIndexInItsOwnBlockSize) {
  // An import writes its time index in blocks of kTimeIndexBlockBytes;
  // a script's table (and a merge's) is written with the archive's 2 KiB
  // blocks, but its time-index entries close blocks at the same size.
  std::vector<std::string> years, dates;
  for (int year = 1950; year < 2010; ++year) years.push_back(std::to_string(year));
  for (int day = 1; day <= 25; ++day) dates.push_back(fmt::format("2025-01-{:02}", day));
  size_t versions = 0;
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    for (const std::string& year : years)
      for (const char* source : {"IStories", "RTVI"})
        for (const std::string& date : dates) {
          auto r = a->Record({kTreason, *Period::Parse(year), source, *Date::Parse(date), Eq(versions), "", "",
                              static_cast<Micros>(1'000'000 + versions)});
          ASSERT_TRUE(r.ok()) << r.status().message();
          ++versions;
        }
    ASSERT_TRUE(a->Commit().ok());
  }
  const CountedOpen open = OpenCounted();
  ASSERT_TRUE(open.db);
  std::unique_ptr<rocksdb::Iterator> it(open.db->NewIterator(open.uncached));
  size_t entries = 0, bytes = 0;
  for (it->Seek(keys::KindPrefix(keys::kTimeTag)); it->Valid() && keys::IsTimeKey(std::string_view(it->key().data(), it->key().size())); it->Next()) {
    ++entries;
    bytes += it->key().size() + it->value().size();
  }
  ASSERT_TRUE(it->status().ok());
  ASSERT_EQ(entries, versions);
  // 3,000 entries of 23 bytes, ~13 in a block after their shared prefix:
  // 2-3 blocks of 16 KiB (~20 of 2 KiB). At most one block per 8 KiB of
  // the entries' own bytes.
  const uint64_t blocks = open.statistics->getTickerCount(rocksdb::BLOCK_CACHE_DATA_MISS);
  EXPECT_GE(blocks, 1u);
  EXPECT_LE(blocks, bytes / (8 * 1024)) << bytes << " bytes of entries";
}

TEST_F(BulkLoadTest, RetractionWithNoEarlierReportIsARowErrorAndNothingIsWritten) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kImport, 2,
       {
           {&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 2, 1},
           // No report of RTVI for the cell at all.
           {&kEspionage, "2024", "RTVI", "2025-03-01", std::nullopt, 0, 3, 17},
           // The report comes later in the file than the retraction: rows apply in order.
           {&kTreason, "2024", "RTVI", "2025-03-01", std::nullopt, 1, 7, 33},
           {&kTreason, "2024", "RTVI", "2024-12", Eq(5), 1, 8, 1},
           // Dated before the source's only report.
           {&kTreason, "2024", "IStories", "2025-03-31", std::nullopt, 1, 9, 40},
       },
       &counts, &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].file, 0u);
  EXPECT_EQ(errors[0].line, 3u);
  EXPECT_EQ(errors[0].column, 17u);
  EXPECT_EQ(errors[1].file, 1u);
  EXPECT_EQ(errors[1].line, 7u);
  EXPECT_EQ(errors[1].column, 33u);
  EXPECT_EQ(errors[2].file, 1u);
  EXPECT_EQ(errors[2].line, 9u);
  EXPECT_EQ(errors[2].column, 40u);
  for (const auto& e : errors) EXPECT_FALSE(e.message.empty());

  Status s = loader->Commit(1000);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kInput);
  loader.reset();
  a.reset();
  EXPECT_FALSE(fs::exists(ArchivePath()));
  EXPECT_FALSE(TempDirsLeft());
}

TEST_F(BulkLoadTest, RetractionAfterAnEarlierReportInTheArchiveOrTheLoadIsFine) {
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    ASSERT_TRUE(a->Record({kTreason, *Period::Parse("2024"), "RTVI", *Date::Parse("2024-12"), AtLeast(28),
                          "", "", 100}).ok());
    ASSERT_TRUE(a->Commit().ok());
  }
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kImport, 1,
       {
           {&kTreason, "2024", "RTVI", "2025-03-01", std::nullopt, 0, 2},  // the archive's 2024-12
           {&kEspionage, "2024", "RTVI", "2024-12", Eq(3), 0, 3},
           {&kEspionage, "2024", "RTVI", "2024-12-31", std::nullopt, 0, 4},  // same day as row 3
           {&kEspionage, "2024", "RTVI", "2024-12-31", std::nullopt, 0, 5},  // unchanged
       },
       &counts, &errors);
  EXPECT_TRUE(errors.empty()) << errors.front().message;
  ExpectCounts(counts[0], 3, 0, 1);
  ASSERT_TRUE(loader->Commit(0).ok());
  const auto treason = Cell(*a, kTreason, "2024");
  ASSERT_EQ(treason.size(), 2u);
  EXPECT_TRUE(treason[1].is_retraction());
  EXPECT_EQ(treason[1].recorded, 101);
}

TEST_F(BulkLoadTest, UnknownSourceOrChargeIsRefusedAtAdd) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto loader = std::make_unique<BulkLoader>(*a);
  ASSERT_TRUE(loader->Begin(BulkLoader::Mode::kImport, 1).ok());
  Status s = Add(*loader, {&kTreason, "2024", "Nobody", "2025", Eq(1), 0, 2});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kInput);
  const SeriesKey piracy{"piracy", {}};
  s = Add(*loader, {&piracy, "2024", "RTVI", "2025", Eq(1), 0, 3});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kInput);
}

// ------------------------------------------------------------ restore

TEST_F(BulkLoadTest, RestoreKeepsRecordedTimes) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kRestore, 1,
       {
           {&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 2, 1, Micros{30}},
           {&kEspionage, "2024", "RTVI", "2024-12", AtLeast(28), 0, 3, 1, Micros{20}},
           {&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 4, 1, Micros{10}, "first"},
           {&kEspionage, "2024", "RTVI", "2025-03-01", std::nullopt, 0, 5, 1, Micros{40}},
       },
       &counts, &errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(counts[0].new_reports + counts[0].corrections + counts[0].unchanged, 4u);
  EXPECT_EQ(counts[0].unchanged, 0u);
  ASSERT_TRUE(loader->Commit(999'999).ok());
  loader.reset();

  const auto since = Since(*a, 0);
  ASSERT_EQ(since.size(), 4u);
  EXPECT_EQ(since[0].recorded, 10);
  EXPECT_EQ(since[0].note, "first");
  EXPECT_EQ(since[1].recorded, 20);
  EXPECT_EQ(since[2].recorded, 30);
  EXPECT_EQ(since[3].recorded, 40);
  const auto treason = Cell(*a, kTreason, "2024");
  ASSERT_EQ(treason.size(), 2u);
  EXPECT_EQ(treason[0].recorded, 30);  // newest first
  EXPECT_EQ(treason[0].figure, Eq(146));
  EXPECT_EQ(treason[1].recorded, 10);

  // Later records continue after the restored times.
  auto next = a->Record({kTreason, *Period::Parse("2023"), "RTVI", *Date::Parse("2025"), Eq(1), "", "", 5});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(Since(*a, 41).front().recorded, 41);
}

TEST_F(BulkLoadTest, RestoreRefusesTwoVersionsOfOneReportAtOneTime) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto loader = std::make_unique<BulkLoader>(*a);
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  Load(*loader, BulkLoader::Mode::kRestore, 1,
       {
           {&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 2, 1, Micros{30}},
           {&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 3, 5, Micros{30}},
       },
       &counts, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3u);
  EXPECT_EQ(errors[0].column, 5u);
  EXPECT_FALSE(loader->Commit(0).ok());
}

// ------------------------------------------------------------ dry run

TEST_F(BulkLoadTest, DryRunPlansWithoutWriting) {
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    ASSERT_TRUE(a->Record({kTreason, *Period::Parse("2024"), "IStories", *Date::Parse("2025-04"), Eq(145),
                          "", "", 100}).ok());
    ASSERT_TRUE(a->Commit().ok());
  }
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    auto loader = std::make_unique<BulkLoader>(*a);
    std::vector<BulkCounts> counts;
    std::vector<BulkRowError> errors;
    Load(*loader, BulkLoader::Mode::kImport, 1,
         {{&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 2},
          {&kEspionageUA, "2024", "RTVI", "2024-12", AtLeast(18), 0, 3}},
         &counts, &errors);
    EXPECT_TRUE(errors.empty());
    ExpectCounts(counts[0], 1, 1, 0);
    // No Commit.
  }
  EXPECT_FALSE(TempDirsLeft());
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_EQ(Since(*r, 0).size(), 1u);
  auto ua = r->FindSeries(kEspionageUA);
  ASSERT_TRUE(ua.ok());
  EXPECT_FALSE(ua->has_value());
}

TEST_F(BulkLoadTest, DryRunOnAMissingArchiveCreatesNothing) {
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    auto loader = std::make_unique<BulkLoader>(*a);
    std::vector<BulkCounts> counts;
    std::vector<BulkRowError> errors;
    Load(*loader, BulkLoader::Mode::kImport, 1, {{&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 2}},
         &counts, &errors);
    ExpectCounts(counts[0], 1, 0, 0);
  }
  EXPECT_FALSE(fs::exists(ArchivePath()));
  EXPECT_FALSE(TempDirsLeft());
}

// ------------------------------------------------------------ table settings

// What an archive holds, as text: catalog, sizes, every version by series,
// the time index.
std::string Dump(Archive& a) {
  std::string out;
  for (const auto& [name, c] : a.charges()) out += fmt::format("charge {} {} {}\n", name, c.title, c.article);
  for (const auto& [name, s] : a.sources()) out += fmt::format("source {} {} {}\n", name, s.id, s.priority);
  auto size = a.GetSize();
  EXPECT_TRUE(size.ok());
  if (size.ok()) out += fmt::format("size {} {} {}\n", size->series, size->reports, size->versions);
  auto line = [](const Version& v) {
    return fmt::format("{} {} {} {} {} {} {}\n", v.report.series, v.report.period.ToString(), v.report.source,
                       v.report.reported, v.recorded, v.figure ? v.figure->ToString() : "retracted", v.note);
  };
  std::vector<SeriesInfo> series;
  EXPECT_TRUE(a.ForEachSeries([&](const SeriesInfo& info) { series.push_back(info); }).ok());
  for (const auto& info : series) {
    out += fmt::format("series {} {}\n", info.id, info.text);
    std::vector<Version> versions;
    EXPECT_TRUE(a.ScanSeries(info.id, &versions).ok());
    for (const auto& v : versions) out += line(v);
  }
  EXPECT_TRUE(a.ScanRecordedSince(std::numeric_limits<Micros>::min(), [&](const Version& v) {
                 out += "since " + line(v);
                 return true;
               }).ok());
  return out;
}

// The compression of every table file of the database at `path`.
std::vector<std::string> TableCompressions(const std::string& path) {
  rocksdb::DB* raw = nullptr;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::string> out;
  rocksdb::TablePropertiesCollection tables;
  if (db && db->GetPropertiesOfAllTables(&tables).ok())
    for (const auto& [file, props] : tables) out.push_back(props->compression_name);
  return out;
}

TEST_F(BulkLoadTest, AnArchiveWrittenWithTheFormerTableSettingsAnswersAlike) {
  // Format 2 as docket wrote it before ZSTD: LZ4 tables of 4 KiB blocks with
  // a restart point every 16 keys. A copy of an archive's keys in such
  // tables must answer as the archive does, before and after an import
  // adds tables with today's settings to both.
  const std::vector<Input> first = {
      {&kTreason, "2024", "IStories", "2025-04", Eq(145), 0, 2, 1, std::nullopt, "first count"},
      {&kTreason, "2024", "IStories", "2025-04", Eq(146), 0, 3},
      {&kTreason, "2023", "RTVI", "2024-01-15", AtLeast(90), 0, 4},
      {&kEspionageUA, "2024", "RTVI", "2024-12", AtLeast(18), 0, 5},
      {&kTreason, "2023", "RTVI", "2024-02-01", std::nullopt, 0, 6}};
  auto dump = [](const std::string& path) {
    OpenOptions o;
    auto a = Archive::Open(path, o);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() ? Dump(**a) : std::string();
  };
  ASSERT_NO_FATAL_FAILURE(ImportRows(first, 1'000'000));
  const std::vector<std::string> compressions = TableCompressions(ArchivePath());
  EXPECT_EQ(compressions.size(), 3u);  // the import's catalog, reports, series names + time index
  for (const std::string& compression : compressions) EXPECT_EQ(compression, "ZSTD");

  const std::string former = dir_.File("former");
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.compression = o.bottommost_compression = rocksdb::kLZ4Compression;
    rocksdb::BlockBasedTableOptions table;
    table.block_size = 4 * 1024;
    table.block_restart_interval = 16;
    table.format_version = 5;
    table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    table.metadata_block_size = 4096;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    rocksdb::DB *from_raw = nullptr, *to_raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), ArchivePath(), &from_raw).ok());
    std::unique_ptr<rocksdb::DB> from(from_raw);
    ASSERT_TRUE(rocksdb::DB::Open(o, former, &to_raw).ok());
    std::unique_ptr<rocksdb::DB> to(to_raw);
    std::unique_ptr<rocksdb::Iterator> it(from->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      ASSERT_TRUE(to->Put(rocksdb::WriteOptions(), it->key(), it->value()).ok());
    ASSERT_TRUE(to->Flush(rocksdb::FlushOptions()).ok());
  }
  const std::vector<std::string> former_compressions = TableCompressions(former);
  ASSERT_EQ(former_compressions.size(), 1u);
  EXPECT_EQ(former_compressions[0], "LZ4");

  const std::string answers = dump(ArchivePath());
  // 2 charges and 2 sources; treason and espionage{UA}; the 2023 RTVI
  // report retracted; 5 versions of 4 reports; each in the time index.
  EXPECT_NE(answers.find("size 2 4 5\n"), std::string::npos) << answers;
  EXPECT_NE(answers.find(" 146 \n"), std::string::npos) << answers;
  EXPECT_NE(answers.find(" 145 first count\n"), std::string::npos) << answers;
  EXPECT_NE(answers.find(" retracted \n"), std::string::npos) << answers;
  EXPECT_EQ(dump(former), answers);

  const std::vector<Input> second = {{&kTreason, "2024", "IStories", "2025-04", Eq(147), 0, 2},
                                     {&kEspionage, "2022", "RTVI", "2023-03", Eq(7), 0, 3}};
  ASSERT_NO_FATAL_FAILURE(ImportRows(second, 2'000'000));
  ASSERT_NO_FATAL_FAILURE(ImportRows(former, second, 2'000'000));
  const std::string after = dump(ArchivePath());
  EXPECT_NE(after.find("size 3 5 7\n"), std::string::npos) << after;
  EXPECT_EQ(dump(former), after);
}

// The sorted runs of the database at `path` that a cell's read seeks in:
// each level-0 file holding reports, and each deeper level holding any.
size_t ReportRunsOnDisk(const std::string& path) {
  rocksdb::DB* raw = nullptr;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!db) return 0;
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(&meta);
  size_t runs = 0;
  for (const auto& level : meta.levels) {
    size_t holding = 0;
    for (const auto& file : level.files) holding += HoldsReports(file);
    runs += level.level == 0 ? holding : std::min<size_t>(holding, 1);
  }
  return runs;
}

TEST_F(BulkLoadTest, RepeatedImportsKeepTheirReportsInFewRunsWrittenLikeTheImports) {
  // Each import's reports land in a level above the last import's (they
  // overlap), and a cell's read seeks in every such run: the commit merges
  // them (PickRunMerge), in the archive's table settings.
  ASSERT_NO_FATAL_FAILURE(CreateWithCatalog());
  const SeriesKey* series[] = {&kTreason, &kEspionage, &kEspionageUA};
  std::vector<std::string> years;
  for (int y = 1990; y < 2020; ++y) years.push_back(std::to_string(y));
  constexpr int kImports = 6;
  for (int i = 0; i < kImports; ++i) {
    // Every import revises every report: one more version of each.
    std::vector<Input> rows;
    for (size_t s = 0; s < std::size(series); ++s)
      for (size_t y = 0; y < years.size(); ++y)
        rows.push_back({series[s], years[y].c_str(), "IStories", "2025-04",
                        Eq(static_cast<uint64_t>(1000 * i) + 100 * s + y), 0, rows.size() + 2});
    ASSERT_NO_FATAL_FAILURE(ImportRows(rows, 1'000'000 * (i + 1)));
    const size_t runs = ReportRunsOnDisk(ArchivePath());
    EXPECT_LE(runs, kMaxRuns) << "after import " << i + 1;
    // Two imports of one size weigh the same: merged into one run.
    if (i == 1) {
      EXPECT_EQ(runs, 1u);
    }
    for (const std::string& compression : TableCompressions(ArchivePath()))
      EXPECT_EQ(compression, "ZSTD") << "after import " << i + 1;
  }
  auto a = OpenRead();
  ASSERT_TRUE(a);
  auto size = a->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->reports, std::size(series) * years.size());
  EXPECT_EQ(size->versions, kImports * std::size(series) * years.size());
  for (size_t s = 0; s < std::size(series); ++s)
    for (size_t y = 0; y < years.size(); ++y) {
      const std::vector<Version> cell = Cell(*a, *series[s], years[y].c_str());
      ASSERT_EQ(cell.size(), static_cast<size_t>(kImports)) << series[s]->ToString() << " " << years[y];
      for (int i = 0; i < kImports; ++i)  // newest first
        EXPECT_EQ(cell[static_cast<size_t>(i)].figure->count,
                  static_cast<uint64_t>(1000 * (kImports - 1 - i)) + 100 * s + y);
    }
}

// ------------------------------------------------------------ which runs merge

rocksdb::SstFileMetaData TableFile(std::string name, uint64_t size, std::string smallest = "",
                                   std::string largest = "") {
  rocksdb::SstFileMetaData f;
  f.name = std::move(name);
  f.size = size;
  f.smallestkey = std::move(smallest);
  f.largestkey = std::move(largest);
  return f;
}

// A column family of seven levels holding `levels[i]` at level i.
rocksdb::ColumnFamilyMetaData MetaOf(std::array<std::vector<rocksdb::SstFileMetaData>, 7> levels) {
  rocksdb::ColumnFamilyMetaData meta;
  for (int level = 0; level < 7; ++level) meta.levels.emplace_back(level, 0, std::move(levels[static_cast<size_t>(level)]));
  return meta;
}

SortedRun OneFile(int level, uint64_t bytes, std::string file) { return SortedRun{level, {std::move(file)}, bytes}; }

// PickRunMerge over `runs`, at most level 6, a merge reading its runs' files only.
std::optional<RunMerge> Pick(const std::vector<SortedRun>& runs) {
  return PickRunMerge(runs, 6, [&runs](const RunMerge& merge) {
    uint64_t bytes = 0;
    for (const SortedRun& run : runs)
      if (std::find(merge.files.begin(), merge.files.end(), run.files[0]) != merge.files.end()) bytes += run.bytes;
    return bytes;
  });
}

TEST(PickRunMergeTest, RunsOfOneSizeMergeIntoTheBottomLevel) {
  const auto merge = Pick({OneFile(5, 100, "new"), OneFile(6, 100, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"new", "old"}));
  EXPECT_EQ(merge->output_level, 6);
}

TEST(PickRunMergeTest, ASmallRunOnABigOneIsLeftUntilRunsAreTooMany) {
  EXPECT_FALSE(Pick({OneFile(5, 10, "new"), OneFile(6, 1000, "old")}));
  EXPECT_FALSE(Pick({OneFile(4, 10, "a"), OneFile(5, 25, "b"), OneFile(6, 1000, "old")}));
  // A fourth: the newest two merge, into the level above the third.
  const auto merge =
      Pick({OneFile(2, 10, "a"), OneFile(3, 25, "b"), OneFile(5, 100, "c"), OneFile(6, 1000, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(merge->output_level, 4);
}

TEST(PickRunMergeTest, TheDeepestRunTheNewerOnesOutweighIsTaken) {
  // 10 + 10 >= 40 / 2 and 10 + 10 + 40 >= 100 / 2, but not >= 1000 / 2.
  const auto merge = Pick({OneFile(2, 10, "a"), OneFile(3, 10, "b"), OneFile(4, 40, "c"), OneFile(5, 100, "d"),
                                   OneFile(6, 1000, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(merge->output_level, 5);
}

TEST(PickRunMergeTest, NoMergeReadsMoreThanTheBudget) {
  const uint64_t half = kMergeBudgetBytes / 2;
  EXPECT_FALSE(Pick({OneFile(5, half + 1, "new"), OneFile(6, half + 1, "old")}));
  // All four weigh enough, but read too much: the newest two still merge.
  const auto merge =
      Pick({OneFile(2, 10, "a"), OneFile(3, 10, "b"), OneFile(4, half, "c"), OneFile(6, half + 1, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(merge->output_level, 3);
}

TEST(PickRunMergeTest, LevelZeroFilesMergeDownUnlessTheyWouldStayAtLevelZero) {
  // Into a deeper run, or into the level above it.
  auto merge = Pick({OneFile(0, 10, "a"), OneFile(0, 10, "b"), OneFile(6, 15, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b", "old"}));
  EXPECT_EQ(merge->output_level, 6);
  merge = Pick({OneFile(0, 10, "a"), OneFile(0, 10, "b"), OneFile(6, 1000, "old")});
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(merge->output_level, 5);
  // The next older run is a level-0 file too: left for the rule that
  // merges levels 0 and 1 once four files sit at level 0.
  EXPECT_FALSE(
      Pick({OneFile(0, 10, "a"), OneFile(0, 10, "b"), OneFile(0, 1000, "c"), OneFile(6, 5000, "old")}));
}

TEST(PickNeighbourMergeTest, PastEightFilesInALevelTheCheapestThreeNeighboursOfLikeSizeMergeInPlace) {
  const auto file = [](std::string name, uint64_t size) { return TableFile(std::move(name), size); };
  const auto meta_of = [](std::vector<rocksdb::SstFileMetaData> level0,
                          std::vector<rocksdb::SstFileMetaData> level5) {
    return MetaOf({std::move(level0), {}, {}, {}, {}, std::move(level5), {}});
  };
  // What each file weighs, as the merge's reads.
  auto reads = [](const rocksdb::ColumnFamilyMetaData& meta) {
    return [&meta](const RunMerge& merge) {
      uint64_t bytes = 0;
      for (const auto& level : meta.levels)
        for (const auto& f : level.files)
          if (std::find(merge.files.begin(), merge.files.end(), f.name) != merge.files.end()) bytes += f.size;
      return bytes;
    };
  };
  // Files of unlike sizes (each ten times the last): no three of them merge.
  auto unlike = [&](size_t n) {
    std::vector<rocksdb::SstFileMetaData> files;
    uint64_t size = 7;
    for (size_t i = 0; i < n; ++i, size *= 10) files.push_back(file("u" + std::to_string(i), size));
    return files;
  };
  ASSERT_EQ(kMaxFilesPerLevel, 8u);
  std::vector<rocksdb::SstFileMetaData> level5 = unlike(6);
  level5.insert(level5.begin() + 3, {file("a", 5), file("b", 5), file("c", 5)});
  auto meta = meta_of({}, level5);
  auto merge = PickNeighbourMerge(meta, reads(meta));
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->files, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(merge->output_level, 5);
  // Eight files: left alone; so is level 0, which has its own rule.
  level5.pop_back();
  std::vector<rocksdb::SstFileMetaData> level0;
  for (int i = 0; i < 10; ++i) level0.push_back(file("0" + std::to_string(i), 1));
  meta = meta_of(level0, level5);
  EXPECT_FALSE(PickNeighbourMerge(meta, reads(meta)));
  // Neighbours of unlike size: a big import's time index is not rewritten
  // for two small ones.
  level5 = unlike(6);
  level5.insert(level5.end(), {file("times", 500), file("t1", 5), file("t2", 5)});
  meta = meta_of({}, level5);
  EXPECT_FALSE(PickNeighbourMerge(meta, reads(meta)));
  // Every three neighbours read more than the budget: none.
  const uint64_t third = kMergeBudgetBytes / 3 + 1;
  meta = meta_of({}, std::vector<rocksdb::SstFileMetaData>(9, file("x", third)));
  EXPECT_FALSE(PickNeighbourMerge(meta, reads(meta)));
}

TEST(BytesMergeReadsTest, AMergeReadsTheFilesRocksDbAddsToIt) {
  // A script's table holds every kind of key: merging it down reads every
  // file its range overlaps on the way, time indexes included.
  const std::vector<rocksdb::SstFileMetaData> bottom = {
      TableFile("r6", 100, "R1", "R9"), TableFile("s6", 7, "S1", "T2"), TableFile("t6", 5000, "T3", "T4")};
  const auto meta = MetaOf({{{TableFile("script", 10, "C1", "T9")}, {}, {}, {}, {},
                             {TableFile("r5", 300, "R1", "R9"), TableFile("t5", 1000, "T5", "T6")}, bottom}});
  EXPECT_EQ(BytesMergeReads(meta, RunMerge{{"script", "r5", "r6"}, 6}), 10u + 300 + 1000 + 100 + 7 + 5000);
  // Reports alone: the time indexes beside them are not read.
  EXPECT_EQ(BytesMergeReads(meta, RunMerge{{"r5", "r6"}, 6}), 300u + 100);
  EXPECT_EQ(BytesMergeReads(meta, RunMerge{{"r5"}, 5}), 300u);

  // A file added on the way widens the range the next level is read in.
  const auto widened = MetaOf(
      {{{}, {}, {}, {}, {}, {TableFile("r5", 300, "R1", "R3"), TableFile("x5", 20, "R8", "S5")}, bottom}});
  EXPECT_EQ(BytesMergeReads(widened, RunMerge{{"r5", "r6"}, 6}), 300u + 20 + 100 + 7);
}

}  // namespace
}  // namespace docket
