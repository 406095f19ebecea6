// What the archive refuses rather than damage (issue 10): a write whose
// recorded time would reach the year 10000, a database whose CURRENT file
// is missing, a directory of other files; and the number of table files
// stays within its budget under any number of small imports.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/archive.h"
#include "storage/archive_impl.h"  // kTableFileBudget
#include "storage/bulk_load.h"
#include "storage/types.h"
#include "storage/version_rules.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

const SeriesKey kTreason{"treason", {}};

class ArchiveFaultsTest : public ::testing::Test {
 protected:
  std::string ArchivePath() const { return dir_.File("archive"); }

  Result<std::unique_ptr<Archive>> Open(OpenOptions::Mode mode) {
    OpenOptions o;
    o.mode = mode;
    o.wait_seconds = 0.2;
    return Archive::Open(ArchivePath(), o);
  }

  // An archive with treason, IStories and one committed report.
  void CreateWithOneReport() {
    auto a = Open(OpenOptions::Mode::kWrite);
    ASSERT_TRUE(a.ok()) << a.status().message();
    ASSERT_TRUE((*a)->DefineCharge({"treason", std::nullopt, std::nullopt}).ok());
    ASSERT_TRUE((*a)->DefineSource({"IStories", std::nullopt, std::nullopt, std::nullopt}).ok());
    ASSERT_TRUE((*a)->Record({kTreason, *Period::Parse("2024"), "IStories", *Date::Parse("2025-04"),
                              Figure{Bound::kExact, 145}, "", "", 1000})
                    .ok());
    ASSERT_TRUE((*a)->Commit().ok());
  }

  // Every file in the archive directory with its size: compare before and
  // after to prove a refused open changed nothing.
  std::map<std::string, uintmax_t> Files() const {
    std::map<std::string, uintmax_t> out;
    for (const auto& e : fs::directory_iterator(ArchivePath()))
      out[e.path().filename().string()] = e.is_regular_file() ? e.file_size() : 0;
    return out;
  }

  size_t TableFiles() const {
    size_t n = 0;
    for (const auto& [name, size] : Files()) n += name.ends_with(".sst");
    return n;
  }

  // Defined with the tests that use it, below.
  std::unique_ptr<Archive> BigImportThenSmallOnes(const std::function<void(Archive&, int)>& small);

  TempDir dir_;
};

// ------------------------------------------------------------ year 10000

TEST_F(ArchiveFaultsTest, TheRecordedLimitIsTheFirstMicrosecondOfYear10000) {
  // 9999-12-31T23:59:59.999999Z is the last time a version may get.
  auto last = ParseTimestamp("9999-12-31T23:59:59.999999Z");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last + 1, version_rules::kRecordedLimit);
}

TEST_F(ArchiveFaultsTest, RecordStampedInYear10000IsRefusedAndBuffersNothing) {
  CreateWithOneReport();
  const Micros last = version_rules::kRecordedLimit - 1;
  {
    auto a = Open(OpenOptions::Mode::kWrite);
    ASSERT_TRUE(a.ok());
    // `now` at the last microsecond of 9999 is still accepted...
    auto r = (*a)->Record({kTreason, *Period::Parse("2023"), "IStories", *Date::Parse("2025"),
                           Figure{Bound::kExact, 1}, "", "", last});
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_TRUE((*a)->Commit().ok());
  }
  auto a = Open(OpenOptions::Mode::kWrite);
  ASSERT_TRUE(a.ok());
  // ...but the next version would be stamped 10000-01-01.
  auto r = (*a)->Record({kTreason, *Period::Parse("2022"), "IStories", *Date::Parse("2025"),
                         Figure{Bound::kExact, 2}, "", "", 5000});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInput);
  EXPECT_EQ(r.status().message(),
            "cannot record: the recorded time would reach the year 10000 (the archive's latest "
            "recorded time is 9999-12-31T23:59:59.999999Z); nothing was written");
  EXPECT_FALSE((*a)->dirty());
  auto latest = (*a)->LatestRecorded();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, std::optional<Micros>(last));
}

TEST_F(ArchiveFaultsTest, ImportStampedInYear10000IsRefusedAndWritesNothing) {
  CreateWithOneReport();
  {
    auto a = Open(OpenOptions::Mode::kWrite);
    ASSERT_TRUE(a.ok());
    // Two microseconds left: an import of three rows does not fit.
    ASSERT_TRUE((*a)->Record({kTreason, *Period::Parse("2023"), "IStories", *Date::Parse("2025"),
                              Figure{Bound::kExact, 1}, "", "", version_rules::kRecordedLimit - 3})
                    .ok());
    ASSERT_TRUE((*a)->Commit().ok());
  }
  {
    auto a = Open(OpenOptions::Mode::kWrite);
    ASSERT_TRUE(a.ok());
    BulkLoader loader(**a);
    ASSERT_TRUE(loader.Begin(BulkLoader::Mode::kImport, 1).ok());
    for (const char* period : {"2019", "2020", "2021"}) {
      BulkRow row;
      row.series = &kTreason;
      row.period = *Period::Parse(period);
      row.source = "IStories";
      row.reported = *Date::Parse("2025");
      row.figure = Figure{Bound::kExact, 7};
      ASSERT_TRUE(loader.Add(row).ok());
    }
    std::vector<BulkCounts> counts;
    std::vector<BulkRowError> errors;
    ASSERT_TRUE(loader.Plan(&counts, &errors).ok());
    ASSERT_TRUE(errors.empty());
    Status s = loader.Commit(5000);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::kInput);
    EXPECT_NE(s.message().find("year 10000"), std::string::npos) << s.message();
  }
  // The archive holds its two versions, nothing of the import.
  auto r = Open(OpenOptions::Mode::kRead);
  ASSERT_TRUE(r.ok());
  auto size = (*r)->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->versions, 2u);
  std::vector<Version> cell;
  ASSERT_TRUE((*r)->ScanCell(1, *Period::Parse("2019"), &cell).ok());
  EXPECT_TRUE(cell.empty());
}

// ------------------------------------------------------------ damaged and foreign directories

TEST_F(ArchiveFaultsTest, MissingCurrentIsDamageForWritesAndReadsAndChangesNothing) {
  CreateWithOneReport();
  fs::remove(ArchivePath() + "/CURRENT");
  const auto before = Files();
  const std::string expected = "archive " + ArchivePath() +
                               " is damaged: its CURRENT file is missing; nothing was changed; run "
                               "`docket repair`";
  for (auto mode : {OpenOptions::Mode::kWrite, OpenOptions::Mode::kRead}) {
    auto a = Open(mode);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
    EXPECT_EQ(a.status().message(), expected);
    EXPECT_EQ(Files(), before);
  }
}

TEST_F(ArchiveFaultsTest, DirectoryOfOtherFilesIsNotTurnedIntoAnArchive) {
  fs::create_directories(ArchivePath());
  std::ofstream(ArchivePath() + "/notes.txt") << "my notes\n";
  std::ofstream(ArchivePath() + "/000001.txt") << "random\n";
  const auto before = Files();
  for (auto mode : {OpenOptions::Mode::kWrite, OpenOptions::Mode::kRead}) {
    auto a = Open(mode);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
    EXPECT_EQ(a.status().message(), ArchivePath() + " is not a docket archive: it holds other files");
    EXPECT_EQ(Files(), before);
  }
}

TEST_F(ArchiveFaultsTest, CreationCutShortBeforeCurrentIsCreatedAgain) {
  // What RocksDB leaves when killed before it wrote CURRENT.
  fs::create_directories(ArchivePath());
  std::ofstream(ArchivePath() + "/LOCK");
  std::ofstream(ArchivePath() + "/IDENTITY") << "id\n";
  EXPECT_EQ(Open(OpenOptions::Mode::kRead).status().kind(), ErrorKind::kNotFound);
  CreateWithOneReport();
  auto a = Open(OpenOptions::Mode::kRead);
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto size = (*a)->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->versions, 1u);
}

// ------------------------------------------------------------ bounded table files

// Imports, at `now`, one report from IStories for each year of
// [first_year, first_year + years) of each of `regions` series of treason:
// the year plus `revision`.
void ImportYears(Archive& a, int regions, int first_year, int years, Micros now, uint64_t revision = 0) {
  std::vector<SeriesKey> series;
  for (int r = 0; r < regions; ++r) series.push_back(SeriesKey{"treason", {{"region", std::to_string(r)}}});
  BulkLoader loader(a);
  ASSERT_TRUE(loader.Begin(BulkLoader::Mode::kImport, 1).ok());
  for (const SeriesKey& key : series) {
    for (int year = first_year; year < first_year + years; ++year) {
      BulkRow row;
      row.series = &key;
      row.period = Period(year, Grain::kYear, 1);
      row.source = "IStories";
      row.reported = *Date::Parse("2025");
      row.figure = Figure{Bound::kExact, static_cast<uint64_t>(year) + revision};
      ASSERT_TRUE(loader.Add(row).ok());
    }
  }
  std::vector<BulkCounts> counts;
  std::vector<BulkRowError> errors;
  ASSERT_TRUE(loader.Plan(&counts, &errors).ok());
  ASSERT_TRUE(errors.empty());
  ASSERT_TRUE(loader.Commit(now).ok());
}

// One report, then an import of 40 series x 800 years, then 60 small
// imports, the i-th by `small(archive, i)`: the table files must stay few
// after each (the file budget's merge of the whole archive is 48 away).
// Returns the archive, open to read.
std::unique_ptr<Archive> ArchiveFaultsTest::BigImportThenSmallOnes(
    const std::function<void(Archive&, int)>& small) {
  CreateWithOneReport();
  {
    auto a = Open(OpenOptions::Mode::kWrite);
    EXPECT_TRUE(a.ok());
    if (!a.ok()) return nullptr;
    ImportYears(**a, 40, 1000, 800, 2000);
  }
  for (int i = 0; i < 60; ++i) {
    auto a = Open(OpenOptions::Mode::kWrite);
    EXPECT_TRUE(a.ok());
    if (!a.ok()) return nullptr;
    small(**a, i);
    a->reset();
    EXPECT_LE(TableFiles(), 24u) << "after small import " << i + 1;
    if (TableFiles() > 24) return nullptr;
  }
  auto a = Open(OpenOptions::Mode::kRead);
  EXPECT_TRUE(a.ok());
  return a.ok() ? std::move(a).value() : nullptr;
}

TEST_F(ArchiveFaultsTest, SmallImportsRevisingABigOneLeaveFewTableFiles) {
  // Each import leaves a time-index file of its own, which no merge of
  // report runs takes (time-index ranges never overlap). Without merging
  // them among themselves, they would pile up until the file budget's merge
  // of the whole archive, under the publish lock.
  auto a = BigImportThenSmallOnes([](Archive& archive, int i) {
    ImportYears(archive, 1, 1000, 3, 3000 + i, static_cast<uint64_t>(i + 1));
  });
  ASSERT_TRUE(a);
  auto size = a->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->reports, 1u + 40 * 800);
  EXPECT_EQ(size->versions, 1u + 40 * 800 + 60 * 3);
  std::vector<Version> cell;
  auto id = a->FindSeries(SeriesKey{"treason", {{"region", "0"}}});
  ASSERT_TRUE(id.ok() && id->has_value());
  ASSERT_TRUE(a->ScanCell(**id, Period(1001, Grain::kYear, 1), &cell).ok());
  ASSERT_EQ(cell.size(), 61u);
  EXPECT_EQ(cell[0].figure->count, 1001u + 60);  // the newest revision first
}

TEST_F(ArchiveFaultsTest, SmallImportsOfNewPeriodsLeaveFewTableFiles) {
  // Each import's reports fall between the big import's (a series' new
  // periods) without overlapping each other: a file each in one level, one
  // run, which only the merge of neighbouring files takes.
  auto a = BigImportThenSmallOnes([](Archive& archive, int i) {
    ImportYears(archive, 1, 1800 + 3 * i, 3, 3000 + i);
  });
  ASSERT_TRUE(a);
  auto size = a->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->reports, 1u + 40 * 800 + 60 * 3);
  auto id = a->FindSeries(SeriesKey{"treason", {{"region", "0"}}});
  ASSERT_TRUE(id.ok() && id->has_value());
  for (int year : {1000, 1799, 1800, 1979}) {
    std::vector<Version> cell;
    ASSERT_TRUE(a->ScanCell(**id, Period(year, Grain::kYear, 1), &cell).ok());
    ASSERT_EQ(cell.size(), 1u) << year;
    EXPECT_EQ(cell[0].figure->count, static_cast<uint64_t>(year));
  }
}

TEST_F(ArchiveFaultsTest, TableFilesStayWithinTheBudgetUnderManySmallImports) {
  CreateWithOneReport();
  // Each one-row import ingests three files; without merging, 150 imports
  // would leave over 450.
  for (int i = 0; i < 150; ++i) {
    auto a = Open(OpenOptions::Mode::kWrite);
    ASSERT_TRUE(a.ok());
    BulkLoader loader(**a);
    ASSERT_TRUE(loader.Begin(BulkLoader::Mode::kImport, 1).ok());
    BulkRow row;
    row.series = &kTreason;
    row.period = Period(static_cast<int>(1800 + i), Grain::kYear, 1);
    row.source = "IStories";
    row.reported = *Date::Parse("2025");
    row.figure = Figure{Bound::kExact, static_cast<uint64_t>(i)};
    ASSERT_TRUE(loader.Add(row).ok());
    std::vector<BulkCounts> counts;
    std::vector<BulkRowError> errors;
    ASSERT_TRUE(loader.Plan(&counts, &errors).ok());
    ASSERT_TRUE(loader.Commit(2000 + i).ok());
    ASSERT_LE(TableFiles(), kTableFileBudget) << "after import " << i;
  }
  auto a = Open(OpenOptions::Mode::kRead);
  ASSERT_TRUE(a.ok());
  auto size = a.value()->GetSize();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->reports, 151u);
  std::vector<Version> cell;
  auto id = (*a)->FindSeries(kTreason);
  ASSERT_TRUE(id.ok() && id->has_value());
  ASSERT_TRUE((*a)->ScanCell(**id, Period(1949, Grain::kYear, 1), &cell).ok());
  ASSERT_EQ(cell.size(), 1u);
  EXPECT_EQ(cell[0].figure->count, 149u);
}

}  // namespace
}  // namespace docket
