// The archive (storage/archive.h, spec §1 and §5): opening, creation at
// commit, record outcomes, recorded stamping, retractions, scan order, the
// writer's lock and the format-version check. Each test opens its own
// archive under its own temporary directory.

#include "storage/archive.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "storage/key_codec.h"
#include "storage/types.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

class ArchiveTest : public ::testing::Test {
 protected:
  std::string ArchivePath() const { return dir_.File("archive"); }

  std::unique_ptr<Archive> Open(OpenOptions::Mode mode, double wait_seconds = 0.2) {
    OpenOptions o;
    o.mode = mode;
    o.wait_seconds = wait_seconds;
    auto a = Archive::Open(ArchivePath(), o);
    if (!a.ok()) {
      ADD_FAILURE() << "open: " << a.status().message();
      return nullptr;
    }
    return std::move(a).value();
  }
  std::unique_ptr<Archive> OpenWrite() { return Open(OpenOptions::Mode::kWrite); }
  std::unique_ptr<Archive> OpenRead() { return Open(OpenOptions::Mode::kRead); }

  // treason, espionage; IStories then RTVI.
  static void DefineCatalog(Archive& a) {
    ASSERT_TRUE(a.DefineCharge({"treason", "High treason", "275"}).ok());
    ASSERT_TRUE(a.DefineCharge({"espionage", "Espionage", "276"}).ok());
    ASSERT_TRUE(a.DefineSource({"IStories", "Important Stories", "https://istories.media", 10}).ok());
    ASSERT_TRUE(a.DefineSource({"RTVI", std::nullopt, std::nullopt, std::nullopt}).ok());
  }

  // A committed archive holding only the catalog.
  void CreateWithCatalog() {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    ASSERT_TRUE(a->Commit().ok());
  }

  TempDir dir_;
};

const SeriesKey kTreason{"treason", {}};
const Period k2024(2024, Grain::kYear, 1);

Date D(const char* text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date());
}

Period P(const char* text) {
  auto p = Period::Parse(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(Period());
}

std::optional<Figure> Eq(uint64_t n) { return Figure{Bound::kExact, n}; }
std::optional<Figure> AtLeast(uint64_t n) { return Figure{Bound::kAtLeast, n}; }
const std::optional<Figure> kRetraction = std::nullopt;

WriteOutcome MustRecord(Archive& a, const SeriesKey& s, const Period& p, const char* source,
                        const char* reported, std::optional<Figure> f, Micros now,
                        const std::string& note = "", const std::string& url = "") {
  auto r = a.Record({s, p, source, D(reported), f, note, url, now});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : WriteOutcome::kUnchanged;
}

// "S series, R reports, V versions", or the error.
std::string SizeOf(Archive& a) {
  auto size = a.GetSize();
  if (!size.ok()) return size.status().message();
  return std::to_string(size->series) + " series, " + std::to_string(size->reports) + " reports, " +
         std::to_string(size->versions) + " versions";
}

std::vector<Version> Cell(Archive& a, const SeriesKey& s, const Period& p) {
  std::vector<Version> out;
  auto id = a.FindSeries(s);
  EXPECT_TRUE(id.ok());
  if (!id.ok() || !*id) return out;
  EXPECT_TRUE(a.ScanCell(**id, p, &out).ok());
  return out;
}

std::vector<Version> Since(Archive& a, Micros from) {
  std::vector<Version> out;
  EXPECT_TRUE(a.ScanRecordedSince(from, [&](const Version& v) {
                 out.push_back(v);
                 return true;
               }).ok());
  return out;
}

std::vector<Micros> Times(const std::vector<Version>& vs) {
  std::vector<Micros> out;
  for (const auto& v : vs) out.push_back(v.recorded);
  return out;
}

// ------------------------------------------------------------ open and create

TEST_F(ArchiveTest, SizeCountsSeriesReportsAndVersions) {
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    EXPECT_EQ(SizeOf(*a), "0 series, 0 reports, 0 versions");
    // treason 2024 IStories: A, B, A (one report, three versions), A again
    // (unchanged); espionage 2024 RTVI: a second series and report.
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(146), 1);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1);
    MustRecord(*a, SeriesKey{"espionage", {}}, k2024, "RTVI", "2024-12", AtLeast(28), 1);
    EXPECT_EQ(SizeOf(*a), "2 series, 2 reports, 4 versions");  // buffered, not yet committed
    ASSERT_TRUE(a->Commit().ok());
  }
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_EQ(SizeOf(*r), "2 series, 2 reports, 4 versions");
}

TEST_F(ArchiveTest, ReadOfMissingArchiveIsNotFound) {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kRead;
  auto a = Archive::Open(ArchivePath(), o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().kind(), ErrorKind::kNotFound);
  EXPECT_NE(a.status().message().find(ArchivePath()), std::string::npos) << a.status().message();
  EXPECT_FALSE(fs::exists(ArchivePath()));
}

TEST_F(ArchiveTest, WriteOfMissingArchiveCreatesItOnlyAtCommit) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->exists());
  EXPECT_FALSE(fs::exists(ArchivePath()));
  DefineCatalog(*a);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1000), WriteOutcome::kNew);
  EXPECT_TRUE(a->dirty());
  // Buffered writes are visible to reads at once, but nothing is on disk.
  EXPECT_EQ(Cell(*a, kTreason, k2024).size(), 1u);
  EXPECT_FALSE(a->exists());
  EXPECT_FALSE(fs::exists(ArchivePath()));

  ASSERT_TRUE(a->Commit().ok());
  EXPECT_TRUE(a->exists());
  EXPECT_FALSE(a->dirty());
  EXPECT_TRUE(fs::exists(ArchivePath()));
  a.reset();

  auto r = OpenRead();
  ASSERT_TRUE(r);
  ASSERT_NE(r->FindCharge("treason"), nullptr);
  EXPECT_EQ(r->FindCharge("treason")->article, "275");
  const auto cell = Cell(*r, kTreason, k2024);
  ASSERT_EQ(cell.size(), 1u);
  EXPECT_EQ(cell[0].figure, Eq(145));
  EXPECT_EQ(cell[0].recorded, 1000);
  EXPECT_EQ(cell[0].report.reported.ToString(), "2025-04");
}

TEST_F(ArchiveTest, CommitWithNothingBufferedCreatesNoArchive) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->dirty());
  ASSERT_TRUE(a->Commit().ok());
  EXPECT_FALSE(a->exists());
  EXPECT_FALSE(fs::exists(ArchivePath()));
}

TEST_F(ArchiveTest, UncommittedWritesAreLostWhenTheArchiveCloses) {
  CreateWithCatalog();
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1000);
  }
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_TRUE(Cell(*r, kTreason, k2024).empty());
}

TEST_F(ArchiveTest, ReadOnlyArchiveRefusesWrites) {
  CreateWithCatalog();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  auto rec = r->Record({kTreason, k2024, "IStories", D("2025-04"), Eq(1), "", "", 1});
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.status().kind(), ErrorKind::kInput);
  EXPECT_FALSE(r->DefineCharge({"espionage", std::nullopt, std::nullopt}).ok());
  EXPECT_FALSE(r->DefineSource({"X", std::nullopt, std::nullopt, std::nullopt}).ok());
}

// ------------------------------------------------------------ catalog

TEST_F(ArchiveTest, DefinitionsAreVisibleBeforeCommitAndKeepUngivenAttributes) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->DefineSource({"IStories", "Important Stories", "https://istories.media", 10}).ok());
  ASSERT_TRUE(a->DefineSource({"RTVI", std::nullopt, std::nullopt, std::nullopt}).ok());
  const Source* s = a->FindSource("IStories");
  ASSERT_NE(s, nullptr);
  const SourceId id = s->id;
  EXPECT_EQ(s->priority, 10);
  ASSERT_NE(a->FindSource("RTVI"), nullptr);
  EXPECT_EQ(a->FindSource("RTVI")->priority, 0);  // default
  EXPECT_NE(a->FindSource("RTVI")->id, id);
  EXPECT_EQ(a->SourceById(id), a->FindSource("IStories"));

  // A redefinition replaces what is given and keeps the rest and the id.
  ASSERT_TRUE(a->DefineSource({"IStories", std::nullopt, std::nullopt, -3}).ok());
  s = a->FindSource("IStories");
  EXPECT_EQ(s->priority, -3);
  EXPECT_EQ(s->title, "Important Stories");
  EXPECT_EQ(s->url, "https://istories.media");
  EXPECT_EQ(s->id, id);

  ASSERT_TRUE(a->DefineCharge({"treason", "High treason", "275"}).ok());
  ASSERT_TRUE(a->DefineCharge({"treason", std::nullopt, "275 UK RF"}).ok());
  EXPECT_EQ(a->FindCharge("treason")->title, "High treason");
  EXPECT_EQ(a->FindCharge("treason")->article, "275 UK RF");
  EXPECT_EQ(a->FindCharge("espionage"), nullptr);
  EXPECT_EQ(a->FindSource("istories"), nullptr);
  ASSERT_TRUE(a->Commit().ok());
  a.reset();

  auto r = OpenRead();
  ASSERT_TRUE(r);
  ASSERT_NE(r->FindSource("IStories"), nullptr);
  EXPECT_EQ(r->FindSource("IStories")->priority, -3);
  EXPECT_EQ(r->FindSource("IStories")->id, id);
  EXPECT_EQ(r->FindSource("IStories")->title, "Important Stories");
  EXPECT_EQ(r->SourceById(id), r->FindSource("IStories"));
  EXPECT_EQ(r->FindCharge("treason")->article, "275 UK RF");
  EXPECT_EQ(r->charges().size(), 1u);
  EXPECT_EQ(r->sources().size(), 2u);
}

TEST_F(ArchiveTest, RecordNeedsDefinedSourceAndCharge) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto unknown_source = a->Record({kTreason, k2024, "Nobody", D("2025"), Eq(1), "", "", 1});
  ASSERT_FALSE(unknown_source.ok());
  EXPECT_EQ(unknown_source.status().kind(), ErrorKind::kInput);
  auto unknown_charge = a->Record({{"piracy", {}}, k2024, "RTVI", D("2025"), Eq(1), "", "", 1});
  ASSERT_FALSE(unknown_charge.ok());
  EXPECT_EQ(unknown_charge.status().kind(), ErrorKind::kInput);
  auto piracy = a->SeriesOf("piracy");
  ASSERT_TRUE(piracy.ok());
  EXPECT_TRUE(piracy->empty());
}

// ------------------------------------------------------------ record outcomes

TEST_F(ArchiveTest, RecordGivesNewThenCorrectionsAndAtoBtoAIsThreeVersions) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 100), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(146), 200), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 300), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 400), WriteOutcome::kUnchanged);
  const auto cell = Cell(*a, kTreason, k2024);
  ASSERT_EQ(cell.size(), 3u);
  // Newest first.
  EXPECT_EQ(cell[0].figure, Eq(145));
  EXPECT_EQ(cell[0].recorded, 300);
  EXPECT_EQ(cell[1].figure, Eq(146));
  EXPECT_EQ(cell[1].recorded, 200);
  EXPECT_EQ(cell[2].figure, Eq(145));
  EXPECT_EQ(cell[2].recorded, 100);
}

TEST_F(ArchiveTest, RecordComparesBoundNoteAndUrlWithTheNewestVersion) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", Eq(28), 1), WriteOutcome::kNew);
  // An omitted note is the empty string.
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", Eq(28), 2, ""), WriteOutcome::kUnchanged);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 3), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 4, "n"), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 5, "n"), WriteOutcome::kUnchanged);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 6, "n", "u"), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 7, "", "u"), WriteOutcome::kCorrection);
  EXPECT_EQ(Cell(*a, kTreason, k2024).size(), 5u);
}

TEST_F(ArchiveTest, ReportsAreIdentifiedByReportedAsWritten) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  // `2025-04` and `2025-04-30` share an effective day but are two reports.
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "IStories", "2025-04-30", Eq(145), 1), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, P("2024-H1"), "IStories", "2025-04", Eq(145), 1), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-04", Eq(145), 1), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, {"treason", {{"region", "X"}}}, k2024, "RTVI", "2025-04", Eq(145), 1),
            WriteOutcome::kNew);
  EXPECT_EQ(Cell(*a, kTreason, k2024).size(), 3u);
}

// ------------------------------------------------------------ recorded stamping

TEST_F(ArchiveTest, RecordedIsMaxOfNowAndLatestPlusOneMicrosecond) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  auto latest = a->LatestRecorded();
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());

  MustRecord(*a, kTreason, k2024, "IStories", "2025-01", Eq(1), 1000);
  MustRecord(*a, kTreason, k2024, "IStories", "2025-02", Eq(2), 1000);  // fixed now
  MustRecord(*a, kTreason, k2024, "IStories", "2025-03", Eq(3), 1000);
  MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(4), 10);    // the clock stepped back
  MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(4), 9);     // unchanged: no time used
  MustRecord(*a, kTreason, k2024, "IStories", "2025-05", Eq(5), 5000);  // the clock jumped ahead
  EXPECT_EQ(Times(Since(*a, 0)), (std::vector<Micros>{1000, 1001, 1002, 1003, 5000}));
  latest = a->LatestRecorded();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, std::optional<Micros>(5000));
  ASSERT_TRUE(a->Commit().ok());
  a.reset();

  // The latest time survives a reopen.
  a = OpenWrite();
  ASSERT_TRUE(a);
  latest = a->LatestRecorded();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, std::optional<Micros>(5000));
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-05", Eq(5), 1);
  const auto cell = Cell(*a, kTreason, k2024);
  ASSERT_FALSE(cell.empty());
  EXPECT_EQ(Times(Since(*a, 5001)), (std::vector<Micros>{5001}));
}

// ------------------------------------------------------------ retractions

TEST_F(ArchiveTest, RetractionWithoutAnyReportIsAnInputErrorAndBuffersNothing) {
  CreateWithCatalog();
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  auto r = a->Record({kTreason, k2024, "RTVI", D("2025-03-01"), kRetraction, "", "", 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInput);
  EXPECT_FALSE(a->dirty());
  // Not even the series was created.
  auto id = a->FindSeries(kTreason);
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(id->has_value());
  auto series = a->SeriesOf("treason");
  ASSERT_TRUE(series.ok());
  EXPECT_TRUE(series->empty());
}

TEST_F(ArchiveTest, RetractionNeedsAnEarlierReportOfTheSameSourceAndCell) {
  CreateWithCatalog();
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    MustRecord(*a, kTreason, k2024, "RTVI", "2025-04-10", Eq(28), 100);
    MustRecord(*a, kTreason, P("2023"), "RTVI", "2025-04-10", Eq(28), 100);
    MustRecord(*a, kTreason, P("2024-H1"), "RTVI", "2025-04", Eq(28), 100);
    ASSERT_TRUE(a->Commit().ok());
  }
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  struct Case {
    const char* why;
    Period period;
    const char* source;
    const char* reported;
  } refused[] = {
      {"dated before the only report", k2024, "RTVI", "2025-04-09"},
      {"another source's report does not count", k2024, "IStories", "2025-05-01"},
      {"another period's report does not count", P("2022"), "RTVI", "2025-05-01"},
      {"a partial date stands for its last day (2025-04-30)", P("2024-H1"), "RTVI", "2025-04-15"},
  };
  for (const auto& c : refused) {
    SCOPED_TRACE(c.why);
    auto r = a->Record({kTreason, c.period, c.source, D(c.reported), kRetraction, "", "", 500});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), ErrorKind::kInput);
    EXPECT_FALSE(a->dirty());
  }
  EXPECT_EQ(Since(*a, 0).size(), 3u);

  // On the report's own day, or later, it is accepted.
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-04-10", kRetraction, 600), WriteOutcome::kCorrection);
  EXPECT_EQ(MustRecord(*a, kTreason, P("2023"), "RTVI", "2025-04", kRetraction, 600), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, P("2024-H1"), "RTVI", "2025-04-30", kRetraction, 600), WriteOutcome::kNew);
}

TEST_F(ArchiveTest, RetractionAfterAnUncommittedReportInTheSameBatchIsAccepted) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 100);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-03-01", kRetraction, 200, "superseded"),
            WriteOutcome::kNew);
  const auto cell = Cell(*a, kTreason, k2024);
  ASSERT_EQ(cell.size(), 2u);
  EXPECT_EQ(cell[0].report.reported.ToString(), "2024-12");  // effective 2024-12-31 sorts first
  EXPECT_TRUE(cell[1].is_retraction());
  EXPECT_EQ(cell[1].note, "superseded");
}

TEST_F(ArchiveTest, RepeatedRetractionIsUnchangedAndANewNoteIsACorrection) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  MustRecord(*a, kTreason, k2024, "RTVI", "2024-12", AtLeast(28), 100);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-03-01", kRetraction, 200, "a"), WriteOutcome::kNew);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-03-01", kRetraction, 300, "a"), WriteOutcome::kUnchanged);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-03-01", kRetraction, 400, "b"), WriteOutcome::kCorrection);
  // A figure after a retraction of the same report is a correction too.
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-03-01", Eq(30), 500), WriteOutcome::kCorrection);
  EXPECT_EQ(Cell(*a, kTreason, k2024).size(), 4u);
}

// ------------------------------------------------------------ series and scans

TEST_F(ArchiveTest, SeriesOfOrdersByCanonicalText) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  ASSERT_TRUE(a->DefineCharge({"espionage2", std::nullopt, std::nullopt}).ok());
  // Recorded in an order unlike the text order, so ids do not decide.
  const SeriesKey created[] = {
      {"espionage", {{"k", "a"}}},
      {"espionage2", {}},
      {"espionage", {}},
      {"espionage", {{"k", "a b"}}},
      {"espionage", {{"citizenship", "UA"}}},
      {"espionage", {{"citizenship", "RU"}, {"region", "Томская область"}}},
      {"espionage", {{"citizenship", "RU"}}},
  };
  for (const auto& s : created) MustRecord(*a, s, k2024, "RTVI", "2024-12", Eq(1), 1);
  // Byte order of the text: ` ` (0x20) < `"` (0x22) < `,` (0x2C) < `}` (0x7D).
  const char* const kExpected[] = {
      "espionage",
      "espionage{citizenship=\"RU\", region=\"Томская область\"}",
      "espionage{citizenship=\"RU\"}",
      "espionage{citizenship=\"UA\"}",
      "espionage{k=\"a b\"}",
      "espionage{k=\"a\"}",
  };
  auto series = a->SeriesOf("espionage");
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), std::size(kExpected));
  for (size_t i = 0; i < series->size(); ++i) {
    const SeriesInfo& info = (*series)[i];
    EXPECT_EQ(info.text, kExpected[i]);
    EXPECT_EQ(info.key.ToString(), info.text);
    auto id = a->FindSeries(info.key);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, std::optional<SeriesId>(info.id));
    auto by_id = a->SeriesById(info.id);
    ASSERT_TRUE(by_id.ok());
    EXPECT_EQ(by_id->key, info.key);
  }
  ASSERT_TRUE(a->Commit().ok());
  a.reset();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  auto again = r->SeriesOf("espionage");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), std::size(kExpected));
  for (size_t i = 0; i < again->size(); ++i) EXPECT_EQ((*again)[i].text, kExpected[i]);
  EXPECT_EQ(SizeOf(*r), "7 series, 7 reports, 7 versions");
}

TEST_F(ArchiveTest, SeriesIdOfAnUnknownSeriesIsAnError) {
  CreateWithCatalog();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->SeriesById(12345).ok());
}

struct Expected {
  const char* source;
  const char* reported;
  Micros recorded;
};

void ExpectVersions(const Archive& a, const std::vector<Version>& actual, const std::vector<Expected>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(i);
    const Source* s = a.SourceById(actual[i].report.source);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->name, expected[i].source);
    EXPECT_EQ(actual[i].report.reported.ToString(), expected[i].reported);
    EXPECT_EQ(actual[i].recorded, expected[i].recorded);
  }
}

TEST_F(ArchiveTest, ScanCellIsInKeyOrderNewestVersionFirstWithinAReport) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04-30", Eq(1), 1);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04", Eq(2), 2);
  MustRecord(*a, kTreason, k2024, "IStories", "2025-05-01", Eq(3), 3);
  MustRecord(*a, kTreason, k2024, "IStories", "2025", Eq(4), 4);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04-30", Eq(5), 5);
  MustRecord(*a, kTreason, k2024, "IStories", "2025-01-02", Eq(6), 6);
  MustRecord(*a, kTreason, P("2024-H1"), "RTVI", "2025", Eq(7), 7);  // another cell

  // Within a source: reported by effective day then as written (`2025-04`
  // before `2025-04-30`), newest version first. Sources in id order.
  std::vector<Expected> istories = {{"IStories", "2025-01-02", 6},
                                    {"IStories", "2025-05-01", 3},
                                    {"IStories", "2025", 4}};
  std::vector<Expected> rtvi = {{"RTVI", "2025-04", 2}, {"RTVI", "2025-04-30", 5}, {"RTVI", "2025-04-30", 1}};
  const bool istories_first = a->FindSource("IStories")->id < a->FindSource("RTVI")->id;
  std::vector<Expected> expected = istories_first ? istories : rtvi;
  const auto& second = istories_first ? rtvi : istories;
  expected.insert(expected.end(), second.begin(), second.end());

  ExpectVersions(*a, Cell(*a, kTreason, k2024), expected);
  ASSERT_TRUE(a->Commit().ok());
  a.reset();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  ExpectVersions(*r, Cell(*r, kTreason, k2024), expected);
}

TEST_F(ArchiveTest, ScanSeriesVisitsCellsInPeriodOrder) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  const char* const kRecorded[] = {"2024-01", "2023-12", "2024-Q1", "2024", "2024-H2", "2024-H1", "2025"};
  Micros t = 1;
  for (const char* p : kRecorded) MustRecord(*a, kTreason, P(p), "RTVI", "2025", Eq(1), t++);
  MustRecord(*a, {"treason", {{"region", "X"}}}, k2024, "RTVI", "2025", Eq(1), t++);  // another series

  auto id = a->FindSeries(kTreason);
  ASSERT_TRUE(id.ok() && id->has_value());
  std::vector<Version> versions;
  ASSERT_TRUE(a->ScanSeries(**id, &versions).ok());
  std::vector<std::string> periods;
  for (const auto& v : versions) periods.push_back(v.report.period.ToString());
  EXPECT_EQ(periods, (std::vector<std::string>{"2023-12", "2024", "2024-H1", "2024-Q1", "2024-01",
                                               "2024-H2", "2025"}));
}

// A script's records change their cell in memory and put it in the batch
// when a scan reads through the batch or the script commits: every read
// sees every record at each step.
TEST_F(ArchiveTest, RecordsIntoOneCellAreSeenByEveryReadBeforeAndAfterAScanAndTheCommit) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-01", Eq(1), 1);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-02", Eq(2), 2);
  ExpectVersions(*a, Cell(*a, kTreason, k2024), {{"RTVI", "2025-01", 1}, {"RTVI", "2025-02", 2}});
  // A series' scan reads the cell from the batch.
  auto id = a->FindSeries(kTreason);
  ASSERT_TRUE(id.ok() && id->has_value());
  std::vector<Version> scanned;
  ASSERT_TRUE(a->ScanSeries(**id, &scanned).ok());
  ExpectVersions(*a, scanned, {{"RTVI", "2025-01", 1}, {"RTVI", "2025-02", 2}});
  // Records after the scan start from the batch's cell.
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-02", Eq(3), 3);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-03", Eq(4), 4);
  const std::vector<Expected> all = {{"RTVI", "2025-01", 1}, {"RTVI", "2025-02", 3}, {"RTVI", "2025-02", 2},
                                     {"RTVI", "2025-03", 4}};
  ExpectVersions(*a, Cell(*a, kTreason, k2024), all);
  scanned.clear();
  ASSERT_TRUE(a->ScanSeries(**id, &scanned).ok());
  ExpectVersions(*a, scanned, all);
  EXPECT_EQ(Times(Since(*a, 0)), (std::vector<Micros>{1, 2, 3, 4}));
  ASSERT_TRUE(a->Commit().ok());
  a.reset();
  auto r = OpenRead();
  ASSERT_TRUE(r);
  ExpectVersions(*r, Cell(*r, kTreason, k2024), all);
  EXPECT_EQ(SizeOf(*r), "1 series, 3 reports, 4 versions");
}

TEST_F(ArchiveTest, AnUnchangedRecordLeavesNothingToWriteEvenAfterAScan) {
  CreateWithCatalog();
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    MustRecord(*a, kTreason, k2024, "RTVI", "2025-01", Eq(1), 1);
    ASSERT_TRUE(a->Commit().ok());
  }
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  EXPECT_EQ(MustRecord(*a, kTreason, k2024, "RTVI", "2025-01", Eq(1), 2), WriteOutcome::kUnchanged);
  EXPECT_FALSE(a->dirty());
  // The scan puts the cells records changed in the batch: this one is not.
  auto id = a->FindSeries(kTreason);
  ASSERT_TRUE(id.ok() && id->has_value());
  std::vector<Version> scanned;
  ASSERT_TRUE(a->ScanSeries(**id, &scanned).ok());
  EXPECT_EQ(scanned.size(), 1u);
  EXPECT_FALSE(a->dirty());
}

// The versions ScanCurrentReports gives for one cell, or the whole series.
std::vector<Version> Current(Archive& a, const SeriesKey& s, const std::optional<Period>& p, const Cutoffs& at) {
  std::vector<Version> out;
  auto id = a.FindSeries(s);
  EXPECT_TRUE(id.ok() && id->has_value());
  if (!id.ok() || !*id) return out;
  EXPECT_TRUE(a.ScanCurrentReports(**id, p, at, &out).ok());
  return out;
}

TEST_F(ArchiveTest, ScanCurrentReportsGivesEachSourcesLatestReportsAtTheCutoffs) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  ASSERT_LT(a->FindSource("IStories")->id, a->FindSource("RTVI")->id);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04", Eq(1), 1);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04-30", Eq(2), 2);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-04", Eq(3), 3);  // a correction
  for (Micros t = 4; t <= 9; ++t)  // six versions: more than are stepped over
    MustRecord(*a, kTreason, k2024, "RTVI", "2025-05-10", Eq(static_cast<uint64_t>(t)), t);
  MustRecord(*a, kTreason, k2024, "RTVI", "2025-06", kRetraction, 10);
  MustRecord(*a, kTreason, k2024, "IStories", "2025-03-01", Eq(11), 11);
  MustRecord(*a, kTreason, P("2024-H1"), "RTVI", "2025", Eq(12), 12);  // another cell
  const auto day = [](const char* d) { return D(d).last_day(); };

  for (int pass = 0; pass < 2; ++pass) {  // the writer's batch, then the committed archive
    SCOPED_TRACE(pass);
    Archive& r = *a;
    // No cutoffs: RTVI's latest report is its retraction.
    ExpectVersions(r, Current(r, kTreason, k2024, {}), {{"IStories", "2025-03-01", 11}, {"RTVI", "2025-06", 10}});
    // Reports dated after the cutoff do not count; the newest version of
    // the latest one left does.
    const auto may = Current(r, kTreason, k2024, {day("2025-05-31"), std::nullopt});
    ExpectVersions(r, may, {{"IStories", "2025-03-01", 11}, {"RTVI", "2025-05-10", 9}});
    ASSERT_EQ(may.size(), 2u);
    EXPECT_EQ(may[1].figure, Eq(9));
    // Two reports on one effective day are both current, each at its
    // newest version by the recorded cutoff.
    ExpectVersions(r, Current(r, kTreason, k2024, {day("2025-04-30"), std::nullopt}),
                   {{"IStories", "2025-03-01", 11}, {"RTVI", "2025-04", 3}, {"RTVI", "2025-04-30", 2}});
    ExpectVersions(r, Current(r, kTreason, k2024, {day("2025-04-30"), 2}),
                   {{"RTVI", "2025-04", 1}, {"RTVI", "2025-04-30", 2}});
    // A report with no version by the recorded cutoff does not exist yet.
    ExpectVersions(r, Current(r, kTreason, k2024, {std::nullopt, 6}), {{"RTVI", "2025-05-10", 6}});
    ExpectVersions(r, Current(r, kTreason, k2024, {std::nullopt, 5}), {{"RTVI", "2025-05-10", 5}});
    ExpectVersions(r, Current(r, kTreason, k2024, {day("2025-04-29"), std::nullopt}),
                   {{"IStories", "2025-03-01", 11}});
    EXPECT_TRUE(Current(r, kTreason, k2024, {std::nullopt, 0}).empty());
    // The whole series: cell by cell, in period order.
    ExpectVersions(r, Current(r, kTreason, std::nullopt, {}),
                   {{"IStories", "2025-03-01", 11}, {"RTVI", "2025-06", 10}, {"RTVI", "2025", 12}});
    if (pass == 0) {
      ASSERT_TRUE(a->Commit().ok());
      a.reset();
      a = OpenRead();
      ASSERT_TRUE(a);
    }
  }
}

TEST_F(ArchiveTest, ScanRecordedSinceIsInRecordedOrderFromTheBoundOn) {
  auto a = OpenWrite();
  ASSERT_TRUE(a);
  DefineCatalog(*a);
  // Keys in report order differ from recorded order on purpose.
  MustRecord(*a, kTreason, P("2025"), "RTVI", "2025-06", Eq(1), 100);
  MustRecord(*a, kTreason, P("2023"), "IStories", "2025-06", Eq(2), 200, "note", "url");
  MustRecord(*a, {"espionage", {}}, P("2024"), "RTVI", "2025-06", Eq(3), 300);
  MustRecord(*a, kTreason, P("2025"), "RTVI", "2025-06", kRetraction, 400);
  ASSERT_TRUE(a->Commit().ok());
  a.reset();
  auto r = OpenRead();
  ASSERT_TRUE(r);

  EXPECT_EQ(Times(Since(*r, 0)), (std::vector<Micros>{100, 200, 300, 400}));
  EXPECT_EQ(Times(Since(*r, -5)), (std::vector<Micros>{100, 200, 300, 400}));
  EXPECT_EQ(Times(Since(*r, 200)), (std::vector<Micros>{200, 300, 400}));  // at or after
  EXPECT_EQ(Times(Since(*r, 201)), (std::vector<Micros>{300, 400}));
  EXPECT_TRUE(Since(*r, 401).empty());

  const auto all = Since(*r, 0);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].figure, Eq(2));
  EXPECT_EQ(all[1].note, "note");
  EXPECT_EQ(all[1].url, "url");
  EXPECT_EQ(all[1].report.period.ToString(), "2023");
  EXPECT_EQ(r->SourceById(all[1].report.source)->name, "IStories");
  EXPECT_TRUE(all[3].is_retraction());

  // The visitor stops the scan.
  int visited = 0;
  ASSERT_TRUE(r->ScanRecordedSince(0, [&](const Version&) { return ++visited < 2; }).ok());
  EXPECT_EQ(visited, 2);
}

// ------------------------------------------------------------ the writer's lock

TEST_F(ArchiveTest, SecondWriterWaitsThenGetsLockedNamingTheLockFile) {
  CreateWithCatalog();
  auto first = OpenWrite();
  ASSERT_TRUE(first);
  OpenOptions o;
  o.mode = OpenOptions::Mode::kWrite;
  o.wait_seconds = 0.5;
  const auto start = std::chrono::steady_clock::now();
  auto second = Archive::Open(ArchivePath(), o);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), ErrorKind::kLocked) << second.status().message();
  EXPECT_NE(second.status().message().find(ArchivePath() + "/LOCK"), std::string::npos)
      << second.status().message();
  EXPECT_GE(waited, 0.45);  // it waited (a lower bound only; no upper bound is asserted)

  // Once the first writer is gone, a writer gets in.
  first.reset();
  auto third = Archive::Open(ArchivePath(), o);
  ASSERT_TRUE(third.ok()) << third.status().message();
}

TEST_F(ArchiveTest, ReaderWorksWhileAWriterHoldsTheLockAndSeesTheArchiveAsOfItsOpen) {
  CreateWithCatalog();
  auto writer = OpenWrite();
  ASSERT_TRUE(writer);
  MustRecord(*writer, kTreason, k2024, "RTVI", "2025", Eq(1), 100);
  ASSERT_TRUE(writer->Commit().ok());

  auto reader = OpenRead();
  ASSERT_TRUE(reader);
  EXPECT_EQ(Cell(*reader, kTreason, k2024).size(), 1u);

  MustRecord(*writer, kTreason, k2024, "RTVI", "2025", Eq(2), 200);
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(Cell(*reader, kTreason, k2024).size(), 1u);  // as of its open
  auto later = OpenRead();
  ASSERT_TRUE(later);
  EXPECT_EQ(Cell(*later, kTreason, k2024).size(), 2u);
}

// ------------------------------------------------------------ the format version

// These tests write the database under an archive with RocksDB itself (as
// only storage's own tests may): a format-version key docket does not know,
// or keys without one.
void CreateSmallArchive(const std::string& path) {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kWrite;
  auto a = Archive::Open(path, o);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->DefineCharge({"treason", "High treason", "275"}).ok());
  ASSERT_TRUE((*a)->Commit().ok());
}

// Applies `edit` to the archive's database, opened read-write by RocksDB.
template <class Edit>
void EditDatabase(const std::string& path, Edit edit) {
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(edit(db.get()).ok());
}

void ExpectRefused(const std::string& path, const std::string& message) {
  for (auto mode : {OpenOptions::Mode::kRead, OpenOptions::Mode::kWrite}) {
    OpenOptions o;
    o.mode = mode;
    o.wait_seconds = 0.2;
    auto a = Archive::Open(path, o);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
    EXPECT_NE(a.status().message().find(message), std::string::npos) << a.status().message();
  }
}

TEST_F(ArchiveTest, ArchiveOfAnUnknownFormatVersionIsRefused) {
  CreateSmallArchive(ArchivePath());
  EditDatabase(ArchivePath(), [](rocksdb::DB* db) {
    return db->Put(rocksdb::WriteOptions(), keys::FormatKey(),
                   keys::EncodeFormatValue(keys::kFormatVersion + 1));
  });
  ExpectRefused(ArchivePath(), "format version");
}

TEST_F(ArchiveTest, DatabaseWithoutTheFormatKeyIsNotAnArchive) {
  CreateSmallArchive(ArchivePath());
  EditDatabase(ArchivePath(), [](rocksdb::DB* db) {
    return db->Delete(rocksdb::WriteOptions(), keys::FormatKey());
  });
  ExpectRefused(ArchivePath(), "not a docket archive");
}

TEST_F(ArchiveTest, DatabaseEditedButStillOfThisVersionOpens) {
  // The control for the two tests above: rewriting the key unchanged
  // leaves a valid archive.
  CreateSmallArchive(ArchivePath());
  EditDatabase(ArchivePath(), [](rocksdb::DB* db) {
    return db->Put(rocksdb::WriteOptions(), keys::FormatKey(),
                   keys::EncodeFormatValue(keys::kFormatVersion));
  });
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_NE(r->FindCharge("treason"), nullptr);
}

TEST_F(ArchiveTest, SizeOfAnArchiveWithoutTheCountsKeyIsCountedAndKeptFromThen) {
  // Archives written before the 'N' key existed: counted once by a scan,
  // and the first write stores the key without counting its own version twice.
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    DefineCatalog(*a);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(145), 1);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(146), 1);
    MustRecord(*a, SeriesKey{"espionage", {}}, k2024, "RTVI", "2024-12", AtLeast(28), 1);
    ASSERT_TRUE(a->Commit().ok());
  }
  EditDatabase(ArchivePath(), [](rocksdb::DB* db) {
    return db->Delete(rocksdb::WriteOptions(), keys::CountsKey());
  });
  {
    auto r = OpenRead();
    ASSERT_TRUE(r);
    EXPECT_EQ(SizeOf(*r), "2 series, 2 reports, 3 versions");
  }
  {
    auto a = OpenWrite();
    ASSERT_TRUE(a);
    MustRecord(*a, kTreason, k2024, "IStories", "2025-04", Eq(147), 1);
    ASSERT_TRUE(a->Commit().ok());
  }
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_EQ(SizeOf(*r), "2 series, 2 reports, 4 versions");
}

}  // namespace
}  // namespace docket
