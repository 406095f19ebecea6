// Resolution (query/resolve.h, spec §1 "Resolution" and §4 `revisions`):
// which figure counts per source at the two cutoffs, which source wins,
// and the status of every version; the rules of `resolve` (§7.6), the
// first release (§7.1) and its lag (§7.2), expected values worked out by
// hand in the comment beside each. Scenarios are built from Version
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
             {"RTVI", 0}, {"IStories", 0}, {"abc", 0}, {"Zed", 0}, {"High", 10}, {"Low", -1},
             {"A", 0}, {"B", 0}, {"C", 0}})
      ASSERT_TRUE(archive_->DefineSource({name, std::nullopt, std::nullopt, priority}).ok());
  }

  SourceId Id(const char* source) const {
    const Source* s = archive_->FindSource(source);
    EXPECT_NE(s, nullptr) << source;
    return s ? s->id : SourceId{0};
  }

  SourceFigure F(const char* source, const char* reported, uint64_t count = 1) const {
    return SourceFigure{Id(source), D(reported), 0, Figure{Bound::kExact, count}};
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

// ------------------------------------------------------------ rules (§7.6), first release (§7.1), lag (§7.2)

// `23`, `>=28`, `~36` as a Figure.
Figure Fig(const char* text) {
  const std::string s(text);
  const size_t digits = s.find_first_of("0123456789");
  Figure f;
  f.bound = digits == 0 ? Bound::kExact : *ParseBound(s.substr(0, digits));
  f.count = std::stoull(s.substr(digits));
  return f;
}

// ------------------------------------------------------------ Resolve

// One source's figure as a case states it: "name reported figure".
struct Given {
  const char* source;
  const char* reported;
  const char* figure;
};

struct RuleCase {
  const char* name;
  ResolveRule rule;
  std::vector<Given> figures;
  // Expected: the displayed value ("" for an empty consensus), its ends
  // as exact decimals ("inf" for unbounded), the source text, reported,
  // and the warning's list of figures.
  const char* value;
  const char* lo;
  const char* hi;
  const char* source;
  const char* reported;
  const char* disagreement;
};

class ResolveRuleTest : public WinnerTest {
 protected:
  std::vector<SourceFigure> Figures(const std::vector<Given>& given) const {
    std::vector<SourceFigure> out;
    for (const auto& g : given) out.push_back({Id(g.source), D(g.reported), 0, Fig(g.figure)});
    // SourceFigures gives ascending ids: resolution must not depend on it.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.source < b.source; });
    return out;
  }
};

std::string End(const Interval& v, bool upper) {
  const Real& x = upper ? v.hi : v.lo;
  return x.finite() ? FormatExact(x) : "inf";
}

TEST_F(ResolveRuleTest, EachRuleAndEdge) {
  using R = ResolveRule;
  const std::vector<RuleCase> cases = {
      // latest: §1's rule; the later effective day wins whatever the priority.
      {"latest: later day", R::kLatest, {{"High", "2024-12", "10"}, {"Low", "2025-01-01", "12"}},
       "12", "12", "12", "Low", "2025-01-01", ""},
      {"latest: same day, priority", R::kLatest, {{"A", "2025-04-30", "1"}, {"High", "2025-04", "2"}},
       "2", "2", "2", "High", "2025-04", ""},
      // priority: High (10) wins though RTVI published later.
      {"priority: highest wins", R::kPriority, {{"High", "2024-12", ">=28"}, {"RTVI", "2025-04", "23"}},
       ">=28", "28", "inf", "High", "2024-12", ""},
      {"priority: over a negative one", R::kPriority, {{"Low", "2025-06", "1"}, {"A", "2024", "2"}},
       "2", "2", "2", "A", "2024", ""},
      // Equal priority: the later effective day.
      {"priority tie: later day", R::kPriority, {{"A", "2024", "1"}, {"B", "2025-01", "2"}},
       "2", "2", "2", "B", "2025-01", ""},
      // Equal priority, one effective day (2025-04 stands for 2025-04-30): the name.
      {"priority tie: same day, name", R::kPriority, {{"B", "2025-04", "2"}, {"A", "2025-04-30", "1"}},
       "1", "1", "1", "A", "2025-04-30", ""},
      // Byte order: `Z` (0x5A) before `a` (0x61).
      {"priority tie: byte order", R::kPriority, {{"abc", "2025-04-30", "1"}, {"Zed", "2025-04-30", "2"}},
       "2", "2", "2", "Zed", "2025-04-30", ""},
      // consensus with one source: its figure unchanged, `~36` stays a point.
      {"consensus: one source", R::kConsensus, {{"A", "2025", "~36"}},
       "~36", "36", "36", "A", "2025", ""},
      // [28, inf] ∩ [0, 30] = [28, 30].
      {"consensus: at least and at most", R::kConsensus, {{"A", "2024-12", ">=28"}, {"B", "2025-01", "<=30"}},
       "28..30", "28", "30", "A/B", "2025-01", ""},
      {"consensus: equal exact figures", R::kConsensus, {{"A", "2024", "5"}, {"B", "2024", "5"}},
       "5", "5", "5", "A/B", "2024", ""},
      {"consensus: two upper bounds", R::kConsensus, {{"A", "2024", "<=10"}, {"B", "2024", "<=8"}},
       "<=8", "0", "8", "A/B", "2024", ""},
      {"consensus: two lower bounds", R::kConsensus, {{"A", "2024", ">=28"}, {"B", "2024", ">=30"}},
       ">=30", "30", "inf", "A/B", "2024", ""},
      // ~36 spans [32.4, 39.6]; with = 35: [35, 35], approximate.
      {"consensus: approximate widening", R::kConsensus, {{"A", "2024", "~36"}, {"B", "2024", "35"}},
       "~35", "35", "35", "A/B", "2024", ""},
      // [32.4, 39.6] ∩ [30, inf] = [32.4, 39.6], rounded inward to [33, 39].
      {"consensus: inward rounding", R::kConsensus, {{"A", "2024", "~36"}, {"B", "2024", ">=30"}},
       "~33..39", "33", "39", "A/B", "2024", ""},
      // ~10: [9, 11]; ~12: [10.8, 13.2]; meet [10.8, 11] → [11, 11].
      {"consensus: two approximate", R::kConsensus, {{"A", "2024", "~10"}, {"B", "2024", "~12"}},
       "~11", "11", "11", "A/B", "2024", ""},
      // [22.5, 27.5] ∩ [0, 30] ∩ [20, inf] = [22.5, 27.5] → [23, 27]; the latest reported.
      {"consensus: three sources", R::kConsensus,
       {{"C", "2024-06", "~25"}, {"A", "2025-02", "<=30"}, {"B", "2024-12-31", ">=20"}},
       "~23..27", "23", "27", "A/B/C", "2025-02", ""},
      // Same effective day: the later as written (2025-04-30 after 2025-04).
      {"consensus: reported as written", R::kConsensus, {{"A", "2025-04", "3"}, {"B", "2025-04-30", "3"}},
       "3", "3", "3", "A/B", "2025-04-30", ""},
      // The seed: = 23 against >= 28 cannot meet.
      {"consensus: empty", R::kConsensus, {{"RTVI", "2024-12", ">=28"}, {"IStories", "2025-04", "23"}},
       "", "", "", "IStories/RTVI", "2025-04", "IStories 23, RTVI >=28"},
      // ~7: [6.3, 7.7]; ~8: [7.2, 8.8]; meet [7.2, 7.7] holds no whole number.
      {"consensus: empty after rounding", R::kConsensus, {{"B", "2024", "~8"}, {"A", "2024", "~7"}},
       "", "", "", "A/B", "2024", "A ~7, B ~8"},
      {"consensus: byte order of names", R::kConsensus, {{"abc", "2024", "1"}, {"Zed", "2024", "2"}},
       "", "", "", "Zed/abc", "2024", "Zed 2, abc 1"},
  };
  for (const auto& c : cases) {
    auto figures = Figures(c.figures);
    for (int order = 0; order < 2; ++order) {  // the result does not depend on the input order
      const auto r = Resolve(figures, c.rule, *archive_);
      ASSERT_TRUE(r.has_value()) << c.name;
      EXPECT_EQ(r->value ? DisplayValue(*r->value) : "", c.value) << c.name;
      EXPECT_EQ(r->value ? End(*r->value, false) : "", c.lo) << c.name;
      EXPECT_EQ(r->value ? End(*r->value, true) : "", c.hi) << c.name;
      EXPECT_FALSE(r->value && r->value->ratio) << c.name;
      EXPECT_EQ(r->source, c.source) << c.name;
      EXPECT_EQ(r->reported.ToString(), c.reported) << c.name;
      EXPECT_EQ(r->disagreement, c.disagreement) << c.name;
      std::reverse(figures.begin(), figures.end());
    }
  }
}

TEST_F(ResolveRuleTest, NoFiguresNoResolutionUnderAnyRule) {
  for (auto rule : {ResolveRule::kLatest, ResolveRule::kPriority, ResolveRule::kConsensus})
    EXPECT_FALSE(Resolve({}, rule, *archive_).has_value()) << RuleName(rule);
}

TEST_F(ResolveRuleTest, ResolveCellAppliesTheCutoffsAndFilterFirst) {
  // A: >=28 on 2024-12; B: 23 on 2025-04. As of 2024-12-31 only A is left,
  // so consensus is A's figure unchanged; `from B` leaves only B.
  std::vector<Version> cell(2);
  cell[0].report = ReportKey{1, Period(2024, Grain::kYear, 1), Id("A"), D("2024-12")};
  cell[0].recorded = 10;
  cell[0].figure = Fig(">=28");
  cell[1].report = ReportKey{1, Period(2024, Grain::kYear, 1), Id("B"), D("2025-04")};
  cell[1].recorded = 20;
  cell[1].figure = Fig("23");
  std::sort(cell.begin(), cell.end(), [](const Version& a, const Version& b) {
    return a.report.source < b.report.source;
  });
  const auto rule = ResolveRule::kConsensus;
  auto r = ResolveCell(cell, Cutoffs{D("2024-12-31").last_day(), std::nullopt}, std::nullopt, rule, *archive_);
  ASSERT_TRUE(r && r->value);
  EXPECT_EQ(DisplayValue(*r->value), ">=28");
  EXPECT_EQ(r->source, "A");
  r = ResolveCell(cell, Cutoffs{}, std::vector<SourceId>{Id("B")}, rule, *archive_);
  ASSERT_TRUE(r && r->value);
  EXPECT_EQ(r->source, "B");
  r = ResolveCell(cell, Cutoffs{std::nullopt, Micros{15}}, std::nullopt, rule, *archive_);
  ASSERT_TRUE(r && r->value);
  EXPECT_EQ(r->source, "A");
  r = ResolveCell(cell, Cutoffs{}, std::nullopt, rule, *archive_);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->value.has_value());
  EXPECT_FALSE(ResolveCell(cell, Cutoffs{D("2024-11").last_day(), std::nullopt}, std::nullopt, rule,
                           *archive_).has_value());
}

// ------------------------------------------------------------ first release

// One version of the cell: source, reported, recorded, figure ("-": a retraction).
struct Ver {
  const char* source;
  const char* reported;
  Micros recorded;
  const char* figure;
};

struct FirstCase {
  const char* name;
  std::vector<Ver> versions;
  Cutoffs cutoffs;
  const char* expected;             // "source reported figure" of the first release, or "(none)"
  std::vector<const char*> per_source;  // FirstFigures, ascending id
};

class FirstReleaseTest : public WinnerTest {
 protected:
  // The versions in archive key order: source id, reported, newest first.
  std::vector<Version> CellOf(const std::vector<Ver>& vs) const {
    std::vector<Version> out;
    for (const auto& v : vs) {
      Version version;
      version.report = ReportKey{1, Period(2024, Grain::kYear, 1), Id(v.source), D(v.reported)};
      version.recorded = v.recorded;
      if (std::string(v.figure) != "-") version.figure = Fig(v.figure);
      out.push_back(version);
    }
    std::sort(out.begin(), out.end(), [](const Version& a, const Version& b) {
      return std::make_tuple(a.report.source, a.report.reported, -a.recorded) <
             std::make_tuple(b.report.source, b.report.reported, -b.recorded);
    });
    return out;
  }
  std::string Text(const SourceFigure& f) const {
    return archive_->SourceById(f.source)->name + " " + f.reported.ToString() + " " + f.figure.ToString();
  }
};


TEST_F(FirstReleaseTest, EachEdge) {
  const std::vector<FirstCase> cases = {
      {"the earliest report, not the latest",
       {{"A", "2024-12", 10, ">=28"}, {"A", "2025-04-10", 20, "30"}}, {}, "A 2024-12 >=28", {"A 2024-12 >=28"}},
      {"as of drops the later-dated reports",
       {{"A", "2024-12", 10, ">=28"}, {"B", "2024-11-30", 20, "5"}}, AsOf("2024-12-30"),
       "B 2024-11-30 5", {"B 2024-11-30 5"}},
      {"nothing dated by as of", {{"A", "2024-12", 10, ">=28"}}, AsOf("2024-12-30"), "(none)", {}},
      // A retraction is skipped: the first figure is still the one it withdrew.
      {"a later retraction does not undo the first release",
       {{"A", "2024-12", 10, "5"}, {"A", "2025-01", 20, "-"}}, {}, "A 2024-12 5", {"A 2024-12 5"}},
      {"a retracted report is skipped",
       {{"A", "2024-12", 10, "5"}, {"A", "2024-12", 15, "-"}, {"A", "2025-02", 20, "7"}}, {},
       "A 2025-02 7", {"A 2025-02 7"}},
      // A report's newest version by the cutoff counts: a correction changes the first figure.
      {"the first report as corrected", {{"A", "2024-12", 10, "5"}, {"A", "2024-12", 20, "6"}}, {},
       "A 2024-12 6", {"A 2024-12 6"}},
      {"the correction not yet recorded", {{"A", "2024-12", 10, "5"}, {"A", "2024-12", 20, "6"}},
       RecordedAsOf(15), "A 2024-12 5", {"A 2024-12 5"}},
      // A back-dated report recorded later is the first release once recorded.
      {"a back-dated report", {{"A", "2025-01", 50, "9"}, {"A", "2024-12", 100, "8"}}, {},
       "A 2024-12 8", {"A 2024-12 8"}},
      {"a back-dated report not yet recorded", {{"A", "2025-01", 50, "9"}, {"A", "2024-12", 100, "8"}},
       RecordedAsOf(60), "A 2025-01 9", {"A 2025-01 9"}},
      // One source, one effective day: the report whose first version was
      // recorded first (2025-04-30 @20), at its newest version (@40).
      {"same source, same day: first recorded",
       {{"A", "2025-04", 30, "1"}, {"A", "2025-04-30", 20, "2"}, {"A", "2025-04-30", 40, "3"}}, {},
       "A 2025-04-30 3", {"A 2025-04-30 3"}},
      {"same source, same day: the other way",
       {{"A", "2025-04", 10, "1"}, {"A", "2025-04-30", 20, "2"}}, {}, "A 2025-04 1", {"A 2025-04 1"}},
      // Across sources on one effective day: the higher priority, then the name.
      {"same day: priority", {{"A", "2025-04-30", 10, "1"}, {"High", "2025-04", 20, "2"}}, {},
       "High 2025-04 2", {"A 2025-04-30 1", "High 2025-04 2"}},
      {"same day: name", {{"B", "2025-04-30", 10, "1"}, {"A", "2025-04", 20, "2"}}, {},
       "A 2025-04 2", {"A 2025-04 2", "B 2025-04-30 1"}},
      {"the earliest day whatever the priority", {{"Low", "2024-12", 10, "1"}, {"High", "2025", 20, "2"}},
       {}, "Low 2024-12 1", {"High 2025 2", "Low 2024-12 1"}},
  };
  for (const auto& c : cases) {
    const auto cell = CellOf(c.versions);
    const auto firsts = FirstFigures(cell, c.cutoffs, std::nullopt);
    std::vector<std::string> per_source;
    for (const auto& f : firsts) per_source.push_back(Text(f));
    std::sort(per_source.begin(), per_source.end());
    std::vector<std::string> expected(c.per_source.begin(), c.per_source.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(per_source, expected) << c.name;
    const SourceFigure* first = FirstRelease(firsts, *archive_);
    EXPECT_EQ(first ? Text(*first) : "(none)", c.expected) << c.name;
  }
}

TEST_F(FirstReleaseTest, FromLeavesOnlyItsSources) {
  const auto cell = CellOf({{"A", "2024-12", 10, "1"}, {"B", "2025-01", 20, "2"}});
  const auto firsts = FirstFigures(cell, Cutoffs{}, std::vector<SourceId>{Id("B")});
  ASSERT_EQ(firsts.size(), 1u);
  EXPECT_EQ(Text(firsts.front()), "B 2025-01 2");
}

// ------------------------------------------------------------ lag

TEST(LagDaysTest, FromThePeriodsLastDayToTheEffectiveDay) {
  struct Case {
    const char* period;
    const char* reported;
    int32_t days;
  };
  const std::vector<Case> cases = {
      {"2024", "2025-01-01", 1},
      {"2024", "2024-12-31", 0},
      {"2024", "2024-12", 0},          // a month stands for its last day, 2024-12-31
      {"2024", "2025", 365},           // 2025-12-31; 2025 has 365 days
      {"2023", "2024", 366},           // 2024 is a leap year
      {"2024-02", "2024-03-01", 1},    // February 2024 ends on the 29th
      {"2023-02", "2023-03-01", 1},    // February 2023 on the 28th
      {"2024-02", "2024-02-28", -1},   // published before the period ended
      {"2024-02", "2024-03", 31},      // 2024-03-31
      {"2024-H1", "2024-12", 184},     // 2024-06-30 to 2024-12-31: 31+31+30+31+30+31
      {"2024-Q1", "2024", 275},        // 2024-03-31 to 2024-12-31: 366 - (31+29+31)
      {"2025-Q4", "2025-10-21", -71},  // 2025-12-31 back to 2025-10-21: 10+30+31
      {"2013", "2024", 4018},          // eleven years, three of them leap (2016, 2020, 2024)
      {"2000-02", "2000-03-01", 1},    // 2000 is a leap year (divisible by 400)
      {"1900-02", "1900-03-01", 1},    // 1900 is not (divisible by 100): Feb ends the 28th
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LagDays(*Period::Parse(c.period), D(c.reported)), c.days) << c.period << " " << c.reported;
  }
}

}  // namespace
}  // namespace docket
