// VerifyArchive (storage/verify.h, spec §5 v1.1 `docket verify`): a real
// archive written by the library, then damaged by writing or deleting keys
// with RocksDB directly, one damage per test; each check must fire alone.

#include "storage/verify.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <rocksdb/db.h>

#include "storage/archive.h"
#include "storage/key_codec.h"
#include "storage/types.h"
#include "tests/storage/exact_version.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

Date D(const char* text) { return Date::Parse(text).value(); }
Period P(const char* text) { return Period::Parse(text).value(); }
Micros T(const char* text) { return ParseTimestamp(text).value(); }

const SeriesKey kTreason{"treason", {}};
const SeriesKey kEspionageX{"espionage", {{"region", "X"}}};
// The reports the archive holds (series ids in order of creation, sources
// in order of definition).
const ReportKey kReport1{1, P("2024"), 1, D("2025-01-10")};
const ReportKey kReport2{2, P("2023"), 2, D("2024-12")};
// A report of no version yet, for damage that adds one.
const ReportKey kReport3{1, P("2025"), 1, D("2025-02-01")};
const Micros kT1 = T("2025-11-01T00:00:00Z"), kT2 = T("2025-11-01T00:00:01Z"),
             kT3 = T("2025-11-01T00:00:02Z"), kT4 = T("2025-11-01T00:00:03Z");

std::string Fixed32(uint32_t v) {
  std::string s;
  keys::PutFixed32(&s, v);
  return s;
}

// The key and value of the cell of `versions` (one cell's, in cell order).
std::pair<std::string, std::string> Cell(const std::vector<Version>& versions) {
  const ReportKey& r = versions.front().report;
  return {keys::CellKey(r.series, r.period), keys::EncodeCell(versions)};
}

class VerifyTest : public ::testing::Test {
 protected:
  // Two series, two reports, three versions: treason[2024] = 145 then 150
  // from IStories on 2025-01-10; espionage{region="X"}[2023] = 3 from RTVI
  // on 2024-12.
  void SetUp() override {
    OpenOptions o;
    o.mode = OpenOptions::Mode::kWrite;
    auto a = Archive::Open(path(), o);
    ASSERT_TRUE(a.ok()) << a.status().message();
    Archive& archive = **a;
    ASSERT_TRUE(archive.DefineCharge({"treason", "High treason", "275"}).ok());
    ASSERT_TRUE(archive.DefineCharge({"espionage", "Espionage", "276"}).ok());
    ASSERT_TRUE(archive.DefineSource({"IStories", "Important Stories", "https://istories.media", 10}).ok());
    ASSERT_TRUE(archive.DefineSource({"RTVI", std::nullopt, std::nullopt, std::nullopt}).ok());
    auto record = [&](const SeriesKey& s, const char* period, const char* source, const char* reported,
                      uint64_t count, Micros now) {
      auto r = archive.Record({s, P(period), source, D(reported), Figure{Bound::kExact, count}, "", "", now});
      ASSERT_TRUE(r.ok()) << r.status().message();
    };
    record(kTreason, "2024", "IStories", "2025-01-10", 145, kT1);
    record(kTreason, "2024", "IStories", "2025-01-10", 150, kT2);
    record(kEspionageX, "2023", "RTVI", "2024-12", 3, kT3);
    ASSERT_TRUE(archive.Commit().ok());
  }

  std::string path() const { return dir_.File("archive"); }

  // Writes `puts` and deletes `deletes` with RocksDB directly.
  void Damage(const std::vector<std::pair<std::string, std::string>>& puts,
              const std::vector<std::string>& deletes = {}) {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    for (const auto& [key, value] : puts) ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
    for (const auto& key : deletes) ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), key).ok());
  }

  // Adds `v`, a report's only version in a cell of its own, with its
  // time-index entry and the counts that include it: only what its report
  // or recorded time break is wrong.
  void AddVersion(const Version& v) {
    Damage({Cell({v}), {keys::TimeKey(v.recorded, v.report), ""}, {keys::CountsKey(), keys::EncodeCounts(3, 4)}});
  }

  // The one problem the archive has (a failure if it has another number).
  std::string OnlyProblem() {
    auto report = VerifyArchive(path());
    EXPECT_TRUE(report.ok()) << report.status().message();
    if (!report.ok()) return "";
    EXPECT_EQ(report->problem_count, 1u) << ::testing::PrintToString(report->problems);
    return report->problems.empty() ? "" : report->problems.front();
  }

  TempDir dir_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(VerifyTest, HealthyArchiveIsOkWithItsRecount) {
  auto report = VerifyArchive(path());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->series, 2u);
  EXPECT_EQ(report->reports, 2u);
  EXPECT_EQ(report->versions, 3u);
}

TEST_F(VerifyTest, MissingArchiveIsNotFound) {
  auto missing = VerifyArchive(dir_.File("nothing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(missing.status().message(), "archive not found: " + dir_.File("nothing"));
  std::filesystem::create_directory(dir_.File("empty"));
  auto empty = VerifyArchive(dir_.File("empty"));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().kind(), ErrorKind::kNotFound);
  // A creation cut short before CURRENT was written holds no data.
  std::ofstream(dir_.File("empty") + "/MANIFEST-000001") << "x";
  auto cut_short = VerifyArchive(dir_.File("empty"));
  ASSERT_FALSE(cut_short.ok());
  EXPECT_EQ(cut_short.status().kind(), ErrorKind::kNotFound);
}

TEST_F(VerifyTest, MissingCurrentIsAProblemNamingRepair) {
  std::filesystem::remove(path() + "/CURRENT");
  EXPECT_PRED2(Contains, OnlyProblem(), "cannot open the archive");
  EXPECT_PRED2(Contains, OnlyProblem(), "docket repair may save it");
}

TEST_F(VerifyTest, VerifiesWhileAWriterHoldsTheLock) {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kWrite;
  auto writer = Archive::Open(path(), o);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  auto report = VerifyArchive(path());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok());
}

TEST_F(VerifyTest, OtherFormatVersion) {
  Damage({{keys::FormatKey(), keys::EncodeFormatValue(1)}});
  EXPECT_EQ(OnlyProblem(), "format version 1; this docket reads version 3");
}

TEST_F(VerifyTest, AFormatTwoArchiveIsCheckedByItsVersionKeys) {
  // As docket 1.0 wrote it: a key per version, no cell; the counts and the
  // time index pair with the version keys.
  Damage({{keys::FormatKey(), keys::EncodeFormatValue(2)},
          {keys::VersionKey(kReport1, kT1), keys::EncodeVersionValue(ExactVersion(kReport1, kT1, 145))},
          {keys::VersionKey(kReport1, kT2), keys::EncodeVersionValue(ExactVersion(kReport1, kT2, 150))},
          {keys::VersionKey(kReport2, kT3), keys::EncodeVersionValue(ExactVersion(kReport2, kT3, 3))}},
         {keys::CellKey(1, P("2024")), keys::CellKey(2, P("2023"))});
  auto report = VerifyArchive(path());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->reports, 2u);
  EXPECT_EQ(report->versions, 3u);
  // An upgrade's cells left beside them are not counted; a version key
  // without its time-index entry is a problem.
  Damage({{keys::VersionKey(kReport3, kT4), keys::EncodeVersionValue(ExactVersion(kReport3, kT4, 7))},
          {keys::CountsKey(), keys::EncodeCounts(3, 4)},
          Cell({ExactVersion(kReport1, kT2, 150), ExactVersion(kReport1, kT1, 145)})});
  EXPECT_PRED2(Contains, OnlyProblem(), "version recorded 2025-11-01T00:00:03.000000Z: its time-index entry is missing");
}

TEST_F(VerifyTest, AVersionKeyInAFormatThreeArchiveIsAnUnknownKey) {
  Damage({{keys::VersionKey(kReport1, kT1), keys::EncodeVersionValue(ExactVersion(kReport1, kT1, 145))}});
  EXPECT_PRED2(Contains, OnlyProblem(), "key R 00 00 00 01");
  EXPECT_PRED2(Contains, OnlyProblem(), ": unknown key tag");
}

TEST_F(VerifyTest, MissingFormatVersion) {
  Damage({}, {keys::FormatKey()});
  EXPECT_EQ(OnlyProblem(), "no format version key");
}

TEST_F(VerifyTest, UnknownKeyTag) {
  Damage({{"Zoo", ""}});
  EXPECT_EQ(OnlyProblem(), "key Z 6f 6f: unknown key tag");
}

TEST_F(VerifyTest, EmptyKey) {
  Damage({{"", "x"}});
  EXPECT_EQ(OnlyProblem(), "key (empty): empty key");
}

TEST_F(VerifyTest, UndecodableCellKey) {
  Damage({{"Q\x01", "x"}});
  EXPECT_EQ(OnlyProblem(), "key Q 01: undecodable cell");
}

TEST_F(VerifyTest, UndecodableCellIsOneProblem) {
  // Its versions' time-index entries and the counts are not problems of
  // their own: they cannot be checked.
  Damage({{keys::CellKey(1, P("2024")), "\x09"}});
  EXPECT_EQ(OnlyProblem(), "key Q 00 00 00 01 07 e8 00: undecodable cell");
}

TEST_F(VerifyTest, UndecodableCounts) {
  Damage({{keys::CountsKey(), "\xff"}});
  EXPECT_EQ(OnlyProblem(), "key N: undecodable counts");
}

TEST_F(VerifyTest, VersionWithoutItsTimeIndexEntry) {
  Damage({}, {keys::TimeKey(kT2, kReport1)});
  EXPECT_PRED2(Contains, OnlyProblem(), "version recorded 2025-11-01T00:00:01.000000Z: its time-index entry is missing");
}

TEST_F(VerifyTest, TimeIndexEntryWithoutItsVersion) {
  Damage({{keys::TimeKey(kT4, kReport1), ""}});
  EXPECT_PRED2(Contains, OnlyProblem(), "time-index entry recorded 2025-11-01T00:00:03.000000Z: its version is missing");
}

TEST_F(VerifyTest, SeriesWithoutItsNameEntry) {
  Damage({}, {keys::SeriesByNameKey(kTreason)});
  EXPECT_EQ(OnlyProblem(), "series 1 has no entry by name");
}

TEST_F(VerifyTest, NameEntryWithoutItsSeries) {
  Damage({{keys::SeriesByNameKey({"treason", {{"region", "Y"}}}), Fixed32(7)}});
  EXPECT_PRED2(Contains, OnlyProblem(), "series treason{region=\"Y\"} by name has no entry by id 7");
}

TEST_F(VerifyTest, NameEntryNamingAnotherSeries) {
  Damage({{keys::SeriesByNameKey({"treason", {{"region", "Y"}}}), Fixed32(2)}});
  EXPECT_PRED2(Contains, OnlyProblem(), "series treason{region=\"Y\"} by name names id 2, which is another series");
}

TEST_F(VerifyTest, RecordedTimeRepeated) {
  AddVersion(ExactVersion(kReport3, kT3, 7));
  EXPECT_PRED2(Contains, OnlyProblem(), "recorded 2025-11-01T00:00:02.000000Z again: recorded times must be strictly increasing");
}

TEST_F(VerifyTest, RecordedAfterYear9999) {
  AddVersion(ExactVersion(kReport3, T("9999-12-31T23:59:59Z") + 1'000'000, 7));
  EXPECT_PRED2(Contains, OnlyProblem(), "recorded after year 9999");
}

TEST_F(VerifyTest, ReportedDateNoSourceCanGive) {
  // A month's precision on a day that is not the month's last.
  AddVersion(ExactVersion({1, P("2025"), 1, Date(DaysFromCivil(2025, 2, 10), DatePrecision::kMonth)}, kT4, 7));
  EXPECT_PRED2(Contains, OnlyProblem(), "reported date is not a date a source can give");
}

TEST_F(VerifyTest, NulInANote) {
  Damage({Cell({ExactVersion(kReport1, kT2, 150), ExactVersion(kReport1, kT1, 145, std::string("a\0b", 3))})});
  EXPECT_PRED2(Contains, OnlyProblem(), "note holds a NUL at byte 1");
}

TEST_F(VerifyTest, InvalidUtf8InACatalogString) {
  Damage({{keys::ChargeKey("treason"), keys::EncodeCharge({"treason", "\xff", ""})}});
  EXPECT_EQ(OnlyProblem(), "key C 74 72 65 61 73 6f 6e: charge treason's title holds invalid UTF-8 at byte 0");
}

TEST_F(VerifyTest, InvalidUtf8InALabelValue) {
  const SeriesKey bad{"espionage", {{"region", "\xff"}}};
  Damage({{keys::SeriesByIdKey(2), keys::EncodeSeries(bad)}, {keys::SeriesByNameKey(bad), Fixed32(2)}},
         {keys::SeriesByNameKey(kEspionageX)});
  EXPECT_EQ(OnlyProblem(), "key I 00 00 00 02: label region holds invalid UTF-8 at byte 0");
}

TEST_F(VerifyTest, SeriesOfAnUndefinedCharge) {
  Damage({}, {keys::ChargeKey("treason")});
  EXPECT_EQ(OnlyProblem(), "key I 00 00 00 01: series of undefined charge `treason`");
}

TEST_F(VerifyTest, VersionFromAnUndefinedSource) {
  Damage({}, {keys::SourceKey("RTVI")});
  EXPECT_PRED2(Contains, OnlyProblem(), "version from source id 2, which is not defined");
}

TEST_F(VerifyTest, UndecodableSource) {
  Damage({{keys::SourceKey("Bad"), "x"}});
  EXPECT_EQ(OnlyProblem(), "key O 42 61 64: undecodable source");
}

TEST_F(VerifyTest, InvalidChargeName) {
  Damage({{keys::ChargeKey("Bad"), keys::EncodeCharge({"Bad", "", ""})}});
  EXPECT_EQ(OnlyProblem(), "key C 42 61 64: invalid charge name `Bad`");
}

TEST_F(VerifyTest, SourceIdTaken) {
  Damage({{keys::SourceKey("Other"), keys::EncodeSource({"Other", 1, 0, "", ""})}});
  EXPECT_EQ(OnlyProblem(), "key O 4f 74 68 65 72: source Other has id 1, zero or taken");
}

TEST_F(VerifyTest, StoredCountsDisagreeWithARecount) {
  Damage({{keys::CountsKey(), keys::EncodeCounts(2, 4)}});
  EXPECT_EQ(OnlyProblem(), "stored counts say 2 reports, 4 versions; the archive holds 2, 3");
}

TEST_F(VerifyTest, ShowsTheFirstProblemsAndCountsTheRest) {
  std::vector<std::pair<std::string, std::string>> junk;
  for (int i = 0; i < 25; ++i) junk.emplace_back(std::string{'Z', static_cast<char>('a' + i)}, "");
  Damage(junk);
  auto report = VerifyArchive(path(), 20);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->problems.size(), 20u);
  EXPECT_EQ(report->problem_count, 25u);
  EXPECT_EQ(report->problems.front(), "key Z 61: unknown key tag");
  EXPECT_EQ(report->problems.back(), "key Z 74: unknown key tag");
}

}  // namespace
}  // namespace docket
