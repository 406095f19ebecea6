// Resolution (query/resolve.h, spec §1 "Resolution" and §4 `revisions`):
// which figure counts per source at the two cutoffs, which source wins,
// and the status of every version. Scenarios are built from Version
// structs in the archive's key order (source, reported by effective day
// then as written, newest version first), as ScanCell returns them.

#include "query/resolve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "storage/archive.h"
#include "storage/types.h"
#include "tests/query/cell_versions.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

using namespace testing_cells;  // V, Eq, AtLeast, kRetraction, D, Day, Cell

Cutoffs NoCutoffs() { return Cutoffs{}; }
Cutoffs AsOf(const char* date) { return Cutoffs{Day(date), std::nullopt}; }
Cutoffs RecordedAsOf(Micros t) { return Cutoffs{std::nullopt, t}; }

// "source reported recorded figure" per source, for readable comparisons.
std::vector<std::string> Describe(const std::vector<SourceFigure>& figures) {
  std::vector<std::string> out;
  for (const auto& f : figures)
    out.push_back(std::to_string(f.source) + " " + f.reported.ToString() + " @" +
                  std::to_string(f.recorded) + " " + f.figure.ToString());
  return out;
}

using Lines = std::vector<std::string>;

// ------------------------------------------------------------ per source

TEST(ResolveTest, PerSourceTheGreatestReportedAtOrBeforeAsOf) {
  const auto cell = Cell({{1, "2024-12-20", 10, AtLeast(28)}, {1, "2025-04-10", 20, Eq(30)}});
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-04-10 @20 30"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-04-10"), std::nullopt)), (Lines{"1 2025-04-10 @20 30"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-04-09"), std::nullopt)), (Lines{"1 2024-12-20 @10 >=28"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2024-12-20"), std::nullopt)), (Lines{"1 2024-12-20 @10 >=28"}));
  EXPECT_TRUE(SourceFigures(cell, AsOf("2024-12-19"), std::nullopt).empty());
}

TEST(ResolveTest, APartialDateCountsAsItsLastDay) {
  const auto cell = Cell({{1, "2025-04", 10, Eq(23)}, {2, "2025", 20, Eq(24)}});
  EXPECT_TRUE(SourceFigures(cell, AsOf("2025-04-15"), std::nullopt).empty());
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-04-30"), std::nullopt)), (Lines{"1 2025-04 @10 23"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-12-30"), std::nullopt)), (Lines{"1 2025-04 @10 23"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-12-31"), std::nullopt)),
            (Lines{"1 2025-04 @10 23", "2 2025 @20 24"}));
}

TEST(ResolveTest, EachReportUsesItsNewestVersionRecordedByTheCutoff) {
  const auto cell = Cell({{1, "2024-12", 50, Eq(5)}, {1, "2025-01", 100, Eq(10)}, {1, "2025-01", 200, Eq(12)}});
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-01 @200 12"}));
  EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(200), std::nullopt)), (Lines{"1 2025-01 @200 12"}));
  EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(199), std::nullopt)), (Lines{"1 2025-01 @100 10"}));
  // A report with no version recorded by T does not exist yet: the older one counts.
  EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(99), std::nullopt)), (Lines{"1 2024-12 @50 5"}));
  EXPECT_TRUE(SourceFigures(cell, RecordedAsOf(49), std::nullopt).empty());
}

TEST(ResolveTest, BothCutoffsTogether) {
  const auto cell = Cell({{1, "2024-12", 50, Eq(5)}, {1, "2024-12", 300, Eq(6)}, {1, "2025-01", 100, Eq(10)}});
  Cutoffs c{Day("2024-12-31"), Micros{299}};
  EXPECT_EQ(Describe(SourceFigures(cell, c, std::nullopt)), (Lines{"1 2024-12 @50 5"}));
  c.recorded_as_of = 300;
  EXPECT_EQ(Describe(SourceFigures(cell, c, std::nullopt)), (Lines{"1 2024-12 @300 6"}));
}

TEST(ResolveTest, OfTwoReportsOnOneEffectiveDayTheLaterRecordedCounts) {
  // `2025-04` and `2025-04-30` share the effective day 2025-04-30.
  {
    const auto cell = Cell({{1, "2025-04", 300, Eq(1)}, {1, "2025-04-30", 200, Eq(2)}});
    EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-04 @300 1"}));
    EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(250), std::nullopt)), (Lines{"1 2025-04-30 @200 2"}));
  }
  {
    const auto cell = Cell({{1, "2025-04", 200, Eq(1)}, {1, "2025-04-30", 300, Eq(2)}});
    EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-04-30 @300 2"}));
  }
  {
    // The newest version decides: `2025-04` was corrected at 400.
    const auto cell = Cell({{1, "2025-04", 100, Eq(1)}, {1, "2025-04", 400, Eq(3)}, {1, "2025-04-30", 300, Eq(2)}});
    EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-04 @400 3"}));
    EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(350), std::nullopt)), (Lines{"1 2025-04-30 @300 2"}));
  }
}

TEST(ResolveTest, ARetractionWithdrawsTheSourceFromItsDateOn) {
  const auto cell = Cell({{1, "2024-12", 10, AtLeast(28)}, {1, "2025-03-01", 20, kRetraction}, {2, "2025-04", 15, Eq(23)}});
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"2 2025-04 @15 23"}));
  EXPECT_EQ(Describe(SourceFigures(cell, AsOf("2025-02-28"), std::nullopt)), (Lines{"1 2024-12 @10 >=28"}));
  EXPECT_TRUE(SourceFigures(cell, AsOf("2025-03-01"), std::nullopt).empty());
  // Before the retraction was recorded, the figure stands.
  EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(19), std::nullopt)),
            (Lines{"1 2024-12 @10 >=28", "2 2025-04 @15 23"}));
}

TEST(ResolveTest, ALaterReportAfterARetractionCountsAgain) {
  const auto cell = Cell({{1, "2024-12", 10, AtLeast(28)}, {1, "2025-03-01", 20, kRetraction}, {1, "2025-05-01", 30, Eq(30)}});
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)), (Lines{"1 2025-05-01 @30 30"}));
  EXPECT_TRUE(SourceFigures(cell, AsOf("2025-04-30"), std::nullopt).empty());
}

TEST(ResolveTest, ARetractionAsACorrectionOfTheSameReport) {
  // `retract` with a report's own identity is a version of that report.
  const auto cell = Cell({{1, "2025-01", 10, Eq(5)}, {1, "2025-01", 20, kRetraction}, {1, "2024-06", 5, Eq(4)}});
  EXPECT_TRUE(SourceFigures(cell, NoCutoffs(), std::nullopt).empty());
  EXPECT_EQ(Describe(SourceFigures(cell, RecordedAsOf(15), std::nullopt)), (Lines{"1 2025-01 @10 5"}));
}

TEST(ResolveTest, SourceFilterIsAppliedFirst) {
  const auto cell = Cell({{1, "2025-01", 10, Eq(1)}, {2, "2025-02", 20, Eq(2)}, {3, "2025-03", 30, Eq(3)}});
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::nullopt)),
            (Lines{"1 2025-01 @10 1", "2 2025-02 @20 2", "3 2025-03 @30 3"}));
  EXPECT_EQ(Describe(SourceFigures(cell, NoCutoffs(), std::vector<SourceId>{3, 1})),
            (Lines{"1 2025-01 @10 1", "3 2025-03 @30 3"}));
  EXPECT_TRUE(SourceFigures(cell, NoCutoffs(), std::vector<SourceId>{}).empty());
  EXPECT_TRUE(SourceFigures(cell, NoCutoffs(), std::vector<SourceId>{9}).empty());
}

TEST(ResolveTest, EmptyCellHasNoFigures) {
  EXPECT_TRUE(SourceFigures({}, NoCutoffs(), std::nullopt).empty());
  EXPECT_TRUE(Revisions({}, NoCutoffs(), std::nullopt).empty());
}

// ------------------------------------------------------------ the winner

class WinnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = testing_cells::WritableArchive(dir_);
    ASSERT_NE(archive_, nullptr);
    // Definitions are visible before commit.
    for (const auto& [name, priority] : std::vector<std::pair<const char*, int64_t>>{
             {"RTVI", 0}, {"IStories", 0}, {"abc", 0}, {"Zed", 0}, {"High", 10}, {"Low", -1}})
      ASSERT_TRUE(archive_->DefineSource({name, std::nullopt, std::nullopt, priority}).ok());
  }

  SourceFigure F(const char* source, const char* reported, uint64_t count = 1) const {
    const Source* s = archive_->FindSource(source);
    EXPECT_NE(s, nullptr) << source;
    return SourceFigure{s ? s->id : SourceId{0}, D(reported), 0, Figure{Bound::kExact, count}};
  }

  std::string WinnerOf(std::vector<SourceFigure> figures) const {
    const SourceFigure* w = Winner(figures, *archive_);
    if (!w) return "(none)";
    const SourceId winner = w->source;
    // Tie-breaks must not depend on the input order.
    std::reverse(figures.begin(), figures.end());
    const SourceFigure* again = Winner(figures, *archive_);
    EXPECT_NE(again, nullptr);
    if (again) {
      EXPECT_EQ(again->source, winner) << "the winner changed with the input order";
    }
    return archive_->SourceById(winner)->name;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(WinnerTest, LatestReportedWinsWhateverThePriority) {
  EXPECT_EQ(WinnerOf({F("High", "2024-12-31"), F("Low", "2025-01-01")}), "Low");
  EXPECT_EQ(WinnerOf({F("IStories", "2025-04"), F("RTVI", "2024-12")}), "IStories");
}

TEST_F(WinnerTest, SameEffectiveDayGoesToTheHigherPriority) {
  EXPECT_EQ(WinnerOf({F("RTVI", "2025-04-30"), F("High", "2025-04-30")}), "High");
  EXPECT_EQ(WinnerOf({F("Low", "2025-04-30"), F("RTVI", "2025-04-30")}), "RTVI");
  // A partial date stands for its last day: `2025-04` ties with `2025-04-30`.
  EXPECT_EQ(WinnerOf({F("RTVI", "2025-04-30"), F("High", "2025-04")}), "High");
  EXPECT_EQ(WinnerOf({F("Low", "2025"), F("RTVI", "2025-12-31")}), "RTVI");
}

TEST_F(WinnerTest, EqualPriorityGoesToTheNameFirstInByteOrder) {
  EXPECT_EQ(WinnerOf({F("RTVI", "2025-04-30"), F("IStories", "2025-04-30")}), "IStories");
  EXPECT_EQ(WinnerOf({F("IStories", "2025-04"), F("RTVI", "2025-04-30")}), "IStories");
  // Byte order, not alphabetical: `Z` (0x5A) comes before `a` (0x61).
  EXPECT_EQ(WinnerOf({F("abc", "2025-04-30"), F("Zed", "2025-04-30")}), "Zed");
  EXPECT_EQ(WinnerOf({F("abc", "2025-04-30"), F("Zed", "2025-04-30"), F("RTVI", "2025-04-30")}), "RTVI");
}

TEST_F(WinnerTest, NoFiguresNoWinner) { EXPECT_EQ(WinnerOf({}), "(none)"); }

TEST_F(WinnerTest, PriorityChangesApplyAtOnce) {
  // Definitions are not versioned: a changed priority applies to every query.
  ASSERT_TRUE(archive_->DefineSource({"RTVI", std::nullopt, std::nullopt, 20}).ok());
  EXPECT_EQ(WinnerOf({F("RTVI", "2025-04-30"), F("High", "2025-04-30")}), "RTVI");
}

// ------------------------------------------------------------ revisions

// "source reported @recorded status" per version.
Lines Statuses(const std::vector<VersionWithStatus>& rows) {
  Lines out;
  for (const auto& r : rows)
    out.push_back(std::to_string(r.version->report.source) + " " + r.version->report.reported.ToString() +
                  " @" + std::to_string(r.version->recorded) + " " + StatusName(r.status));
  return out;
}

TEST(RevisionsTest, StatusNamesAreTheSpecsWords) {
  EXPECT_STREQ(StatusName(VersionStatus::kCurrent), "current");
  EXPECT_STREQ(StatusName(VersionStatus::kCorrected), "corrected");
  EXPECT_STREQ(StatusName(VersionStatus::kSuperseded), "superseded");
  EXPECT_STREQ(StatusName(VersionStatus::kRetracted), "retracted");
}

// Source 1 reports >=28 in 2024-12 (corrected to >=30), then retracts on
// 2025-03-01; source 2 reports 23 in 2025-04.
std::vector<Version> RetractionScenario() {
  return Cell({{1, "2024-12", 100, AtLeast(28)},
               {1, "2024-12", 200, AtLeast(30)},
               {1, "2025-03-01", 300, kRetraction},
               {2, "2025-04", 150, Eq(23)}});
}

TEST(RevisionsTest, StatusesWithNoCutoff) {
  const auto cell = RetractionScenario();
  EXPECT_EQ(Statuses(Revisions(cell, NoCutoffs(), std::nullopt)),
            (Lines{"1 2024-12 @200 superseded", "1 2024-12 @100 corrected", "1 2025-03-01 @300 retracted",
                   "2 2025-04 @150 current"}));
}

TEST(RevisionsTest, AsOfTheDayBeforeARetractionTheWithdrawnFigureIsCurrent) {
  const auto cell = RetractionScenario();
  EXPECT_EQ(Statuses(Revisions(cell, AsOf("2025-02-28"), std::nullopt)),
            (Lines{"1 2024-12 @200 current", "1 2024-12 @100 corrected"}));
  EXPECT_EQ(Statuses(Revisions(cell, AsOf("2025-03-01"), std::nullopt)),
            (Lines{"1 2024-12 @200 superseded", "1 2024-12 @100 corrected", "1 2025-03-01 @300 retracted"}));
}

TEST(RevisionsTest, RecordedAsOfDropsLaterVersionsAndRecomputesStatuses) {
  const auto cell = RetractionScenario();
  EXPECT_EQ(Statuses(Revisions(cell, RecordedAsOf(250), std::nullopt)),
            (Lines{"1 2024-12 @200 current", "1 2024-12 @100 corrected", "2 2025-04 @150 current"}));
  EXPECT_EQ(Statuses(Revisions(cell, RecordedAsOf(150), std::nullopt)),
            (Lines{"1 2024-12 @100 current", "2 2025-04 @150 current"}));
  EXPECT_TRUE(Revisions(cell, RecordedAsOf(99), std::nullopt).empty());
}

TEST(RevisionsTest, StatusIsPerSourceNotTheCellsWinner) {
  // Source 2's older figure is still its current one, though source 1's is later.
  const auto cell = Cell({{1, "2025-05", 10, Eq(1)}, {2, "2025-01", 20, Eq(2)}});
  EXPECT_EQ(Statuses(Revisions(cell, NoCutoffs(), std::nullopt)),
            (Lines{"1 2025-05 @10 current", "2 2025-01 @20 current"}));
}

TEST(RevisionsTest, SourceFilterDropsOtherSources) {
  const auto cell = RetractionScenario();
  EXPECT_EQ(Statuses(Revisions(cell, NoCutoffs(), std::vector<SourceId>{2})), (Lines{"2 2025-04 @150 current"}));
}

TEST(RevisionsTest, ARetractedReportCorrectedBackToAFigureIsCurrent) {
  const auto cell = Cell({{1, "2024-12", 10, Eq(5)}, {1, "2025-01", 20, kRetraction}, {1, "2025-01", 30, Eq(6)}});
  EXPECT_EQ(Statuses(Revisions(cell, NoCutoffs(), std::nullopt)),
            (Lines{"1 2024-12 @10 superseded", "1 2025-01 @30 current", "1 2025-01 @20 corrected"}));
}

TEST(RevisionsTest, OfTwoReportsOnOneEffectiveDayTheOneThatCountsIsCurrent) {
  // Resolution counts the later-recorded of `2025-04` and `2025-04-30`; the
  // other is replaced by a report of the same source and day.
  const auto cell = Cell({{1, "2025-04", 300, Eq(1)}, {1, "2025-04-30", 200, Eq(2)}});
  EXPECT_EQ(Statuses(Revisions(cell, NoCutoffs(), std::nullopt)),
            (Lines{"1 2025-04 @300 current", "1 2025-04-30 @200 superseded"}));
}

// ------------------------------------------------------------ cells of a series

TEST(SplitCellsTest, SplitsASeriesScanByPeriod) {
  std::vector<Version> series;
  for (const char* p : {"2024", "2024", "2024-H1", "2024-01", "2024-01", "2024-01"}) {
    Version v;
    v.report.period = *Period::Parse(p);
    series.push_back(v);
  }
  const auto cells = SplitCells(series);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].period.ToString(), "2024");
  EXPECT_EQ(cells[0].versions.size(), 2u);
  EXPECT_EQ(cells[1].period.ToString(), "2024-H1");
  EXPECT_EQ(cells[1].versions.size(), 1u);
  EXPECT_EQ(cells[2].period.ToString(), "2024-01");
  EXPECT_EQ(cells[2].versions.size(), 3u);
  EXPECT_TRUE(SplitCells({}).empty());
}

}  // namespace
}  // namespace docket
