// One cell through time (query/timeline.h, spec §7.3-7.5): history steps,
// vintages and the change between two cutoffs, on cells built from Version
// structs in the archive's key order. Expected rows are worked out by hand
// from §1's resolution rule.

#include "query/timeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "storage/archive.h"
#include "tests/query/cell_versions.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

using testing_cells::AtLeast;
using testing_cells::About;
using testing_cells::D;
using testing_cells::Day;
using testing_cells::Eq;
using testing_cells::kRetraction;

std::string DayText(int32_t day) { return Date(day, DatePrecision::kDay).ToString(); }

class TimelineTest : public ::testing::Test {
 protected:
  // One version as a scenario states it: source name, reported, recorded, figure.
  struct V {
    const char* source;
    const char* reported;
    Micros recorded;
    std::optional<Figure> figure;
  };

  void SetUp() override {
    archive_ = testing_cells::WritableArchive(dir_);
    ASSERT_NE(archive_, nullptr);
    for (const auto& [name, priority] :
         std::vector<std::pair<const char*, int64_t>>{{"RTVI", 0}, {"IStories", 0}, {"Court", 10}})
      ASSERT_TRUE(archive_->DefineSource({name, std::nullopt, std::nullopt, priority}).ok());
  }

  SourceId Id(const char* name) const { return archive_->FindSource(name)->id; }

  // The versions of one cell (testing_cells::Cell), sources by name.
  std::vector<Version> Cell(const std::vector<V>& vs) const {
    std::vector<testing_cells::V> by_id;
    for (const V& v : vs) by_id.push_back({Id(v.source), v.reported, v.recorded, v.figure});
    return testing_cells::Cell(by_id);
  }

  // "FROM..UNTIL VALUE SOURCE REPORTED" per step ("-" for an empty part).
  std::vector<std::string> History(const std::vector<Version>& cell, Cutoffs cutoffs = {},
                                   SourceFilter filter = std::nullopt) const {
    std::vector<std::string> out;
    auto steps = CellHistory(cell, cutoffs, filter, ResolveRule::kLatest, *archive_, Deadline());
    for (const auto& s : *steps)
      out.push_back(DayText(s.from) + ".." + (s.until ? DayText(*s.until) : "") + " " + Text(s.result));
    return out;
  }

  static std::string Text(const Resolved& r) {
    if (!r.value) return "-";
    return DisplayValue(*r.value) + " " + r.source + " " + (r.reported ? r.reported->ToString() : "-");
  }

  Resolved At(const std::vector<Version>& cell, Cutoffs cutoffs) const {
    return ResolveAt(cell, cutoffs, std::nullopt, ResolveRule::kLatest, *archive_);
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
};

using Lines = std::vector<std::string>;

// ------------------------------------------------------------ history

TEST_F(TimelineTest, HistoryStartsARowOnTheFirstDayAndWheneverTheResultChanges) {
  // RTVI's "at least 28" in December, IStories' 23 in April (spec §7's example).
  const auto cell = Cell({{"RTVI", "2024-12", 10, AtLeast(28)}, {"IStories", "2025-04", 20, Eq(23)}});
  EXPECT_EQ(History(cell), (Lines{"2024-12-31..2025-04-29 >=28 RTVI 2024-12",
                                  "2025-04-30.. 23 IStories 2025-04"}));
}

TEST_F(TimelineTest, HistoryDayWhoseResultIsUnchangedStartsNoRow) {
  // IStories' retraction on 02-01 leaves RTVI's figure the winner: no new row.
  const auto cell = Cell({{"IStories", "2025-01-05", 10, Eq(8)},
                          {"RTVI", "2025-01-10", 20, Eq(10)},
                          {"IStories", "2025-02-01", 30, kRetraction}});
  EXPECT_EQ(History(cell), (Lines{"2025-01-05..2025-01-09 8 IStories 2025-01-05",
                                  "2025-01-10.. 10 RTVI 2025-01-10"}));
}

TEST_F(TimelineTest, HistoryAllRetractedDayIsAnEmptyRow) {
  const auto cell = Cell({{"RTVI", "2025-01-10", 10, Eq(10)},
                          {"RTVI", "2025-03-01", 20, kRetraction},
                          {"RTVI", "2025-05-01", 30, Eq(12)}});
  EXPECT_EQ(History(cell), (Lines{"2025-01-10..2025-02-28 10 RTVI 2025-01-10",
                                  "2025-03-01..2025-04-30 -", "2025-05-01.. 12 RTVI 2025-05-01"}));
}

TEST_F(TimelineTest, HistoryAsOfKeepsDaysUpToItAndLeavesTheLastUntilEmpty) {
  const auto cell = Cell({{"RTVI", "2025-01-10", 10, Eq(10)},
                          {"RTVI", "2025-03-01", 20, kRetraction},
                          {"RTVI", "2025-05-01", 30, Eq(12)}});
  EXPECT_EQ(History(cell, Cutoffs{Day("2025-04-15"), std::nullopt}),
            (Lines{"2025-01-10..2025-02-28 10 RTVI 2025-01-10", "2025-03-01.. -"}));
  // Before any report: no rows.
  EXPECT_TRUE(History(cell, Cutoffs{Day("2025-01-09"), std::nullopt}).empty());
}

TEST_F(TimelineTest, HistorySameEffectiveDayIsOneDayTheLaterRecordedReportCounts) {
  // `2025-04` and `2025-04-30` fall on one day; the one recorded later counts.
  const auto cell = Cell({{"RTVI", "2025-04-30", 10, Eq(5)}, {"RTVI", "2025-04", 20, Eq(6)}});
  EXPECT_EQ(History(cell), (Lines{"2025-04-30.. 6 RTVI 2025-04"}));
  // Same day, two sources: the higher priority wins, then the name.
  const auto tie = Cell({{"RTVI", "2025-04-30", 10, Eq(5)}, {"Court", "2025-04", 20, Eq(7)}});
  EXPECT_EQ(History(tie), (Lines{"2025-04-30.. 7 Court 2025-04"}));
}

TEST_F(TimelineTest, HistoryPartialDatesStandForTheLastDayOfTheirMonthOrYear) {
  // `2024-02` is 2024-02-29 (a leap year), `2024` is 2024-12-31.
  const auto cell = Cell({{"RTVI", "2024-02", 10, Eq(3)}, {"IStories", "2024", 20, Eq(4)}});
  EXPECT_EQ(History(cell), (Lines{"2024-02-29..2024-12-30 3 RTVI 2024-02", "2024-12-31.. 4 IStories 2024"}));
}

TEST_F(TimelineTest, HistoryRecordedAsOfSeesOnlyVersionsRecordedByThen) {
  // A correction in system time, and a report recorded only later.
  const auto cell = Cell({{"RTVI", "2025-01-10", 10, Eq(10)},
                          {"RTVI", "2025-01-10", 20, Eq(11)},
                          {"IStories", "2025-03-01", 30, Eq(5)}});
  EXPECT_EQ(History(cell, Cutoffs{std::nullopt, 15}), (Lines{"2025-01-10.. 10 RTVI 2025-01-10"}));
  EXPECT_EQ(History(cell, Cutoffs{std::nullopt, 25}), (Lines{"2025-01-10.. 11 RTVI 2025-01-10"}));
  EXPECT_EQ(History(cell), (Lines{"2025-01-10..2025-02-28 11 RTVI 2025-01-10",
                                  "2025-03-01.. 5 IStories 2025-03-01"}));
}

TEST_F(TimelineTest, HistoryFromUsesOnlyTheNamedSourcesDays) {
  const auto cell = Cell({{"RTVI", "2024-12", 10, AtLeast(28)}, {"IStories", "2025-04", 20, Eq(23)}});
  EXPECT_EQ(History(cell, {}, SourceFilter{{Id("RTVI")}}), (Lines{"2024-12-31.. >=28 RTVI 2024-12"}));
}

TEST_F(TimelineTest, HistoryApproximateOnlyChangeIsAChange) {
  const auto cell = Cell({{"RTVI", "2025-01-10", 10, Eq(36)}, {"RTVI", "2025-02-10", 20, About(36)}});
  EXPECT_EQ(History(cell), (Lines{"2025-01-10..2025-02-09 36 RTVI 2025-01-10",
                                  "2025-02-10.. ~36 RTVI 2025-02-10"}));
}

// ------------------------------------------------------------ vintages

std::vector<std::string> Steps(const char* first, const char* last) {
  ast::VintageRange r;
  const bool days = std::string(first).size() == 10;
  r.days = days;
  if (days) {
    r.first_day = Day(first);
    r.last_day = Day(last);
  } else {
    r.first = *Period::Parse(first);
    r.last = *Period::Parse(last);
  }
  std::vector<std::string> out;
  for (const auto& v : VintageSteps(r)) out.push_back(v.text + "@" + DayText(v.day));
  return out;
}

TEST(VintageStepsTest, EachStepStandsForItsLastDay) {
  EXPECT_EQ(Steps("2023", "2024"), (Lines{"2023@2023-12-31", "2024@2024-12-31"}));
  EXPECT_EQ(Steps("2024-H1", "2024-H2"), (Lines{"2024-H1@2024-06-30", "2024-H2@2024-12-31"}));
  EXPECT_EQ(Steps("2024-Q4", "2025-Q1"), (Lines{"2024-Q4@2024-12-31", "2025-Q1@2025-03-31"}));
  EXPECT_EQ(Steps("2024-01", "2024-03"),
            (Lines{"2024-01@2024-01-31", "2024-02@2024-02-29", "2024-03@2024-03-31"}));
  EXPECT_EQ(Steps("2024-12-30", "2025-01-01"),
            (Lines{"2024-12-30@2024-12-30", "2024-12-31@2024-12-31", "2025-01-01@2025-01-01"}));
  EXPECT_EQ(Steps("9999", "9999"), (Lines{"9999@9999-12-31"}));  // no step past the last year
}

TEST_F(TimelineTest, VintageAtAMonthEndSeesAReportDatedThatMonth) {
  // `2025-01` stands for 2025-01-31: known at the January vintage, not at 01-30.
  const auto cell = Cell({{"RTVI", "2025-01", 10, Eq(9)}});
  EXPECT_EQ(Text(At(cell, Cutoffs{Day("2025-01-31"), std::nullopt})), "9 RTVI 2025-01");
  EXPECT_EQ(Text(At(cell, Cutoffs{Day("2025-01-30"), std::nullopt})), "-");
}

// ------------------------------------------------------------ diff

Resolved R(std::optional<Figure> f, const char* source, const char* reported) {
  if (!f) return {};
  return {Interval::FromFigure(*f), source, D(reported)};
}

TEST(ChangeBetweenTest, AddedRemovedRevisedRestatedOrNothing) {
  const Resolved none;
  EXPECT_EQ(ChangeBetween(none, none), std::nullopt);
  EXPECT_EQ(ChangeBetween(none, R(Eq(5), "A", "2025")), DiffChange::kAdded);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), none), DiffChange::kRemoved);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(Eq(5), "A", "2025")), std::nullopt);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(Eq(6), "A", "2025")), DiffChange::kRevised);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(AtLeast(5), "A", "2025")), DiffChange::kRevised);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(About(5), "A", "2025")), DiffChange::kRevised);
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(Eq(5), "B", "2025")), DiffChange::kRestated);
  // The same effective day written another way is another report.
  EXPECT_EQ(ChangeBetween(R(Eq(5), "A", "2025"), R(Eq(5), "A", "2025-12-31")), DiffChange::kRestated);
  EXPECT_STREQ(ChangeName(DiffChange::kRestated), "restated");
}

TEST(CutoffsOfTest, AsOfIsTheLastDayAndRecordedAsOfIsKept) {
  ast::DiffCutoff side;
  side.as_of = D("2024-02");
  side.recorded_as_of = 42;
  const Cutoffs c = CutoffsOf(side);
  EXPECT_EQ(c.as_of_day, Day("2024-02-29"));
  EXPECT_EQ(c.recorded_as_of, Micros{42});
  EXPECT_FALSE(CutoffsOf(ast::DiffCutoff{}).as_of_day.has_value());
}

TEST_F(TimelineTest, DiffOnTheSystemTimeAxisSeesACorrection) {
  const auto cell = Cell({{"RTVI", "2025-01-10", 10, Eq(10)}, {"RTVI", "2025-01-10", 20, Eq(11)}});
  const Resolved a = At(cell, Cutoffs{std::nullopt, 15}), b = At(cell, Cutoffs{std::nullopt, 25});
  EXPECT_EQ(ChangeBetween(a, b), DiffChange::kRevised);
  EXPECT_EQ(ChangeBetween(At(cell, Cutoffs{std::nullopt, 5}), b), DiffChange::kAdded);
}

}  // namespace
}  // namespace docket
