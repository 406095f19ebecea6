// End-to-end: revisions(...) (spec §4): its fields, its ordering and the
// status of every version, also at `as of` / `recorded as of` cutoffs.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kRevisionsHeader[] =
    "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n";

// One script, so the versions are stamped .000000 to .000003 in this order.
constexpr char kEspionage[] =
    "define charge espionage; define source IStories; define source RTVI;"
    "record espionage[2024] >= 28 from RTVI on 2024-12 note \"tally\" url \"https://rtvi.com/x\";"
    "record espionage[2024] = 23 from IStories on 2025-04;"
    "record espionage[2024] = 24 from IStories on 2025-04 note \"court data\";"
    "retract espionage[2024] from RTVI on 2025-03-01 note \"superseded\";";

class RevisionsE2eTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kEspionage)), ""); }
  Docket d_;
};

TEST_F(RevisionsE2eTest, ListsEveryVersionWithItsStatus) {
  const Outcome o = d_.Query("revisions(espionage[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "espionage,2024,IStories,2025-04,2025-11-01T00:00:00.000001Z,23,23,23,false,corrected,,\n"
                       "espionage,2024,IStories,2025-04,2025-11-01T00:00:00.000002Z,24,24,24,false,current,court data,\n"
                       "espionage,2024,RTVI,2024-12,2025-11-01T00:00:00.000000Z,>=28,28,,false,superseded,tally,"
                       "https://rtvi.com/x\n"
                       "espionage,2024,RTVI,2025-03-01,2025-11-01T00:00:00.000003Z,,,,false,retracted,superseded,\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(RevisionsE2eTest, AsOfTheDayBeforeARetractionTheWithdrawnFigureIsCurrent) {
  const Outcome o = d_.Query("revisions(espionage[2024]) as of 2025-02-28");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "espionage,2024,RTVI,2024-12,2025-11-01T00:00:00.000000Z,>=28,28,,false,current,tally,"
                       "https://rtvi.com/x\n");
}

TEST_F(RevisionsE2eTest, AsOfTheDayOfARetractionTheFigureIsSuperseded) {
  const Outcome o = d_.Query("revisions(espionage[2024]) as of 2025-03-01");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "reported"), (Strings{"2024-12", "2025-03-01"}));
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"superseded", "retracted"}));
}

TEST_F(RevisionsE2eTest, RecordedAsOfDropsLaterVersionsAndRecomputesStatuses) {
  const Outcome o = d_.Query("revisions(espionage[2024]) recorded as of 2025-11-01T00:00:00.000001Z");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "espionage,2024,IStories,2025-04,2025-11-01T00:00:00.000001Z,23,23,23,false,current,,\n"
                       "espionage,2024,RTVI,2024-12,2025-11-01T00:00:00.000000Z,>=28,28,,false,current,tally,"
                       "https://rtvi.com/x\n");
}

TEST_F(RevisionsE2eTest, CellWithoutReportsGivesNoRows) {
  const Outcome o = d_.Query("revisions(espionage[2023])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, kRevisionsHeader);
  EXPECT_EQ(o.err, "");
}

TEST(RevisionsOrderTest, ReportsOrderByEffectiveDayThenAsWritten) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2024] = 1 from A on 2025;"
                              "record x[2024] = 2 from A on 2025-06-30;"
                              "record x[2024] = 3 from A on 2025-06;"
                              "record x[2024] = 4 from A on 2025-06-01;")),
            "");
  const Outcome o = d.Query("revisions(x[2024])");
  EXPECT_EQ(o.exit_code, 0);
  // Effective days: 2025-06-01, 2025-06-30 (twice: "2025-06" < "2025-06-30"), 2025-12-31.
  EXPECT_EQ(CsvColumn(o.out, "reported"), (Strings{"2025-06-01", "2025-06", "2025-06-30", "2025"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"4", "3", "2", "1"}));
}

TEST(RevisionsOrderTest, RowsOrderBySeriesPeriodSourceThenRecorded) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2024-H1] = 1 from B on 2025;"
                              "record x[2024] = 2 from B on 2025;"
                              "record x[2024] = 3 from A on 2025;"
                              "record x[2023] = 4 from A on 2025;"
                              "record x[2024] = 5 from B on 2025;"
                              "record x{k=\"v\"}[2023] = 6 from A on 2025;")),
            "");
  const Outcome o = d.Query("revisions(x); revisions(x{k=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "x,2023,A,2025,2025-11-01T00:00:00.000003Z,4,4,4,false,current,,\n"
                       "x,2024,A,2025,2025-11-01T00:00:00.000002Z,3,3,3,false,current,,\n"
                       "x,2024,B,2025,2025-11-01T00:00:00.000001Z,2,2,2,false,corrected,,\n"
                       "x,2024,B,2025,2025-11-01T00:00:00.000004Z,5,5,5,false,current,,\n"
                       "x,2024-H1,B,2025,2025-11-01T00:00:00.000000Z,1,1,1,false,current,,\n"
                       "\n" +
                       kRevisionsHeader +
                       "\"x{k=\"\"v\"\"}\",2023,A,2025,2025-11-01T00:00:00.000005Z,6,6,6,false,current,,\n");
}

TEST(RevisionsStatusTest, StatusIsPerSourceNotTheCellsWinner) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2024] = 10 from A on 2025-01-01;"
                              "record x[2024] = 12 from A on 2025-02-01;"
                              "record x[2024] = 5 from B on 2025-03-01;")),
            "");
  const Outcome o = d.Query("revisions(x[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "reported"), (Strings{"2025-01-01", "2025-02-01", "2025-03-01"}));
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"superseded", "current", "current"}));
}

TEST(RevisionsStatusTest, EveryVersionButTheNewestOfItsReportIsCorrected) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2024] = 1 from A on 2025-01-01;"
                              "record x[2024] = 2 from A on 2025-01-01;"
                              "record x[2024] = 1 from A on 2025-01-01;"
                              "record x[2024] = 7 from A on 2025-02-01;"
                              "record x[2024] = 8 from A on 2025-02-01;")),
            "");
  const Outcome o = d.Query("revisions(x[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"1", "2", "1", "7", "8"}));
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"corrected", "corrected", "superseded", "corrected", "current"}));
}

TEST(RevisionsStatusTest, ARangeListsEveryMatchedCell) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2022] = 1 from A on 2025; record x[2023] = 2 from A on 2025;"
                              "record x[2024] = 3 from A on 2025; record x[2023-H1] = 4 from A on 2025;")),
            "");
  const Outcome o = d.Query("revisions(x[2023..2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "period"), (Strings{"2023", "2024"}));
}

}  // namespace
}  // namespace docket::e2e
