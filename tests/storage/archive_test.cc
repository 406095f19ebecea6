// The archive (storage/archive.h, spec §1 and §5): opening, creation at
// commit, record outcomes, recorded stamping, retractions, scan order, the
// writer's lock and the format-version check. Each test opens its own
// archive under its own temporary directory.

#include "storage/archive.h"

#include <gtest/gtest.h>

#include <stdlib.h>

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

#include "storage/types.h"

namespace docket {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "docket-archive-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class ArchiveTest : public ::testing::Test {
 protected:
  std::string ArchivePath() const { return (dir_.path() / "archive").string(); }

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
  auto r = a.Record(s, p, source, D(reported), f, note, url, now);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : WriteOutcome::kUnchanged;
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
  auto rec = r->Record(kTreason, k2024, "IStories", D("2025-04"), Eq(1), "", "", 1);
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
  auto unknown_source = a->Record(kTreason, k2024, "Nobody", D("2025"), Eq(1), "", "", 1);
  ASSERT_FALSE(unknown_source.ok());
  EXPECT_EQ(unknown_source.status().kind(), ErrorKind::kInput);
  auto unknown_charge = a->Record({"piracy", {}}, k2024, "RTVI", D("2025"), Eq(1), "", "", 1);
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
  auto r = a->Record(kTreason, k2024, "RTVI", D("2025-03-01"), kRetraction, "", "", 1);
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
    auto r = a->Record(kTreason, c.period, c.source, D(c.reported), kRetraction, "", "", 500);
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
  size_t series_count = 0, versions = 0;
  ASSERT_TRUE(r->Count(&series_count, &versions).ok());
  EXPECT_EQ(series_count, 7u);
  EXPECT_EQ(versions, 7u);
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

// A test cannot use RocksDB itself, so the tests below rewrite the
// format-version entry in the table file a commit leaves behind (a commit
// flushes), and fix that block's checksum. RocksDB 7.8 writes block-based
// tables whose blocks end in a trailer: one compression-type byte, then
// the low 32 bits of XXH3-64 of the block, xor'ed with the type byte times
// 0x6b9083d9. The helper finds the block by that checksum, so a wrong
// assumption fails loudly (see UnpatchedTableStillOpens) instead of
// patching blindly.

constexpr unsigned char kXxh3Secret[192] = {
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
    0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
    0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
    0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
    0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
    0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
    0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
    0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
    0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
    0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
    0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

uint64_t ReadLe64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The 128-bit product of a and b, folded: low half xor high half.
uint64_t MulFold(uint64_t a, uint64_t b) {
  const uint64_t a_lo = a & 0xFFFFFFFF, a_hi = a >> 32, b_lo = b & 0xFFFFFFFF, b_hi = b >> 32;
  const uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFF) + lo_hi;
  const uint64_t upper = (hi_lo >> 32) + (cross >> 32) + hi_hi;
  const uint64_t lower = (cross << 32) | (lo_lo & 0xFFFFFFFF);
  return lower ^ upper;
}

uint64_t Mix16(const unsigned char* in, const unsigned char* secret) {
  return MulFold(ReadLe64(in) ^ ReadLe64(secret), ReadLe64(in + 8) ^ ReadLe64(secret + 8));
}

uint64_t Avalanche(uint64_t h) {
  h ^= h >> 37;
  h *= 0x165667919E3779F9ULL;
  return h ^ (h >> 32);
}

// XXH3-64 with seed 0, for 17 to 240 bytes (the sizes of the small blocks here).
std::optional<uint64_t> Xxh3(const unsigned char* in, size_t n) {
  const unsigned char* s = kXxh3Secret;
  uint64_t acc = n * 0x9E3779B185EBCA87ULL;
  if (n >= 17 && n <= 128) {
    if (n > 32) {
      if (n > 64) {
        if (n > 96) acc += Mix16(in + 48, s + 96) + Mix16(in + n - 64, s + 112);
        acc += Mix16(in + 32, s + 64) + Mix16(in + n - 48, s + 80);
      }
      acc += Mix16(in + 16, s + 32) + Mix16(in + n - 32, s + 48);
    }
    acc += Mix16(in, s) + Mix16(in + n - 16, s + 16);
    return Avalanche(acc);
  }
  if (n >= 129 && n <= 240) {
    for (size_t i = 0; i < 8; ++i) acc += Mix16(in + 16 * i, s + 16 * i);
    acc = Avalanche(acc);
    for (size_t i = 8; i < n / 16; ++i) acc += Mix16(in + 16 * i, s + 16 * (i - 8) + 3);
    acc += Mix16(in + n - 16, s + 136 - 17);
    return Avalanche(acc);
  }
  return std::nullopt;
}

std::optional<uint32_t> BlockChecksum(const unsigned char* block, size_t n, unsigned char type) {
  auto h = Xxh3(block, n);
  if (!h) return std::nullopt;
  return static_cast<uint32_t>(*h) ^ (uint32_t{type} * 0x6b9083d9u);
}

uint32_t ReadLe32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// The format-version entry in a table's first data block: shared 0,
// unshared 9 (`F` and the 8-byte sequence/type), value length 4, `F`, the
// 8 bytes, then the version u32 big-endian (1).
bool IsFormatEntry(const std::string& data, size_t at) {
  return data.compare(at, 4, std::string("\x00\x09\x04" "F", 4)) == 0 && at + 16 <= data.size() &&
         data.compare(at + 12, 4, std::string("\x00\x00\x00\x01", 4)) == 0;
}

// Applies `patch(data, entry_offset)` to the format entry of the table file
// holding it and recomputes its block's checksum. Returns what went wrong,
// or an empty string.
template <class Patch>
std::string PatchFormatEntry(const fs::path& dir, Patch patch) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".sst") continue;
    std::string data;
    {
      std::ifstream in(entry.path(), std::ios::binary);
      data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    size_t at = std::string::npos;
    for (size_t i = 0; i + 16 <= data.size(); ++i)
      if (IsFormatEntry(data, i)) {
        at = i;
        break;
      }
    if (at == std::string::npos) continue;
    // The first data block starts at 0: find its end by its checksum.
    auto* u = reinterpret_cast<unsigned char*>(data.data());
    size_t end = 0;
    for (size_t e = at + 16; e + 5 <= data.size() && e <= 240; ++e) {
      if (u[e] != 0) continue;  // compression type: none
      auto sum = BlockChecksum(u, e, u[e]);
      if (sum && *sum == ReadLe32(u + e + 1)) {
        end = e;
        break;
      }
    }
    if (end == 0) return "no uncompressed block with a matching checksum around the format entry";
    patch(data, at);
    const uint32_t sum = *BlockChecksum(u, end, u[end]);
    for (size_t k = 0; k < 4; ++k) u[end + 1 + k] = static_cast<unsigned char>(sum >> (8 * k));
    std::ofstream out(entry.path(), std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return out ? "" : "cannot rewrite the table file";
  }
  return "the format-version entry is in no table file";
}

// A committed archive holding one charge and the format key: small enough
// for the helper above, and with a title that does not compress, so that
// RocksDB stores the block as it is.
void CreateSmallArchive(const std::string& path) {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kWrite;
  auto a = Archive::Open(path, o);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->DefineCharge({"treason", "Qx7kP2vL9wR4zN8mB3tY6hJ1cF5gD0sA", "275"}).ok());
  ASSERT_TRUE((*a)->Commit().ok());
}

TEST_F(ArchiveTest, ArchiveOfAnUnknownFormatVersionIsRefused) {
  CreateSmallArchive(ArchivePath());
  const std::string problem =
      PatchFormatEntry(ArchivePath(), [](std::string& data, size_t at) { data[at + 15] = '\x02'; });
  ASSERT_EQ(problem, "");
  for (auto mode : {OpenOptions::Mode::kRead, OpenOptions::Mode::kWrite}) {
    OpenOptions o;
    o.mode = mode;
    o.wait_seconds = 0.2;
    auto a = Archive::Open(ArchivePath(), o);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
    EXPECT_NE(a.status().message().find("format version"), std::string::npos) << a.status().message();
  }
}

TEST_F(ArchiveTest, DatabaseWithoutTheFormatKeyIsNotAnArchive) {
  CreateSmallArchive(ArchivePath());
  // Rename the key `F` to `E`: the database holds keys but no format version.
  const std::string problem =
      PatchFormatEntry(ArchivePath(), [](std::string& data, size_t at) { data[at + 3] = 'E'; });
  ASSERT_EQ(problem, "");
  for (auto mode : {OpenOptions::Mode::kRead, OpenOptions::Mode::kWrite}) {
    OpenOptions o;
    o.mode = mode;
    o.wait_seconds = 0.2;
    auto a = Archive::Open(ArchivePath(), o);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
    EXPECT_NE(a.status().message().find("not a docket archive"), std::string::npos) << a.status().message();
  }
}

TEST_F(ArchiveTest, UnpatchedTableStillOpens) {
  // The control for the two tests above: rewriting the entry unchanged
  // (and its checksum) leaves a valid archive.
  CreateSmallArchive(ArchivePath());
  ASSERT_EQ(PatchFormatEntry(ArchivePath(), [](std::string&, size_t) {}), "");
  auto r = OpenRead();
  ASSERT_TRUE(r);
  EXPECT_NE(r->FindCharge("treason"), nullptr);
}

}  // namespace
}  // namespace docket
