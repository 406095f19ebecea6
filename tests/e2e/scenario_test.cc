// End-to-end scenario (issue 2): one cell's history with revisions,
// corrections, a retraction and partial dates, queried at the exact
// boundaries of both time axes: the day before/of/after a report, and the
// microsecond before/at/after a recorded instant.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kRevisionsHeader[] =
    "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n";

// The history of espionage[2024], each step run at its own DOCKET_NOW:
//   T1 2025-01-10T09:00Z  RTVI     >= 28  on 2024-12     (known from 2024-12-31)
//   T2 2025-02-01T00:00Z  RTVI     >= 30  on 2025-01-31  (a revision)
//   T3 2025-05-01T08:30Z  IStories  = 23  on 2025-04     (known from 2025-04-30)
//   T4 2025-05-02T00:00Z  IStories  = 24  on 2025-04     (a correction)
//   T5 2025-06-01T00:00Z  IStories retracts on 2025-05-31 note "withdrawn"
//   T6 2025-06-15T12:00Z  IStories  = 23  on 2025-04     (corrected back: A, B, A)
//   T7 2025-07-01T00:00Z  Court     = 25  on 2025-06     (known from 2025-06-30)
class ScenarioTest : public testing::Test {
 protected:
  void SetUp() override {
    Step("2025-01-10T09:00:00Z",
         "define charge espionage; define source RTVI; define source IStories priority 10; define source Court;"
         "record espionage[2024] >= 28 from RTVI on 2024-12");
    Step("2025-02-01T00:00:00Z", "record espionage[2024] >= 30 from RTVI on 2025-01-31");
    Step("2025-05-01T08:30:00Z", "record espionage[2024] = 23 from IStories on 2025-04");
    Step("2025-05-02T00:00:00Z", "record espionage[2024] = 24 from IStories on 2025-04");
    Step("2025-06-01T00:00:00Z", "retract espionage[2024] from IStories on 2025-05-31 note \"withdrawn\"");
    Step("2025-06-15T12:00:00Z", "record espionage[2024] = 23 from IStories on 2025-04");
    Step("2025-07-01T00:00:00Z", "record espionage[2024] = 25 from Court on 2025-06");
    d_.env()["DOCKET_NOW"] = "2025-11-01T00:00:00Z";
  }
  void Step(const std::string& now, const std::string& script) {
    d_.env()["DOCKET_NOW"] = now;
    ASSERT_EQ(FailureOf(d_.Query(script)), "") << now;
  }
  // "VALUE SOURCE REPORTED" of espionage[2024] with `modifiers`, or "none".
  std::string At(const std::string& modifiers) {
    const Outcome o = d_.Query("espionage[2024] " + modifiers);
    if (o.exit_code != 0 || !o.err.empty()) return Describe(o);
    const auto records = ParseCsv(o.out);
    if (records.size() == 1) return "none";
    if (records.size() != 2 || records[1].size() != 8) return o.out;
    return records[1][2] + " " + records[1][6] + " " + records[1][7];
  }
  Docket d_;
};

TEST_F(ScenarioTest, NowTheLatestReportWins) {
  EXPECT_EQ(At(""), "25 Court 2025-06");
}

TEST_F(ScenarioTest, AsOfAroundTheFirstReport) {
  EXPECT_EQ(At("as of 2024-12-30"), "none");
  EXPECT_EQ(At("as of 2024-12-31"), ">=28 RTVI 2024-12");
  EXPECT_EQ(At("as of 2025-01-01"), ">=28 RTVI 2024-12");
}

TEST_F(ScenarioTest, AsOfAroundARevision) {
  EXPECT_EQ(At("as of 2025-01-30"), ">=28 RTVI 2024-12");
  EXPECT_EQ(At("as of 2025-01-31"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("as of 2025-02-01"), ">=30 RTVI 2025-01-31");
}

TEST_F(ScenarioTest, AsOfAroundAReportDatedByMonth) {
  EXPECT_EQ(At("as of 2025-04-29"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("as of 2025-04-30"), "23 IStories 2025-04");
  EXPECT_EQ(At("as of 2025-05-01"), "23 IStories 2025-04");
}

TEST_F(ScenarioTest, AsOfAroundARetraction) {
  EXPECT_EQ(At("as of 2025-05-30"), "23 IStories 2025-04");
  EXPECT_EQ(At("as of 2025-05-31"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("as of 2025-06-01"), ">=30 RTVI 2025-01-31");
}

TEST_F(ScenarioTest, AsOfAPartialCutoff) {
  EXPECT_EQ(At("as of 2025-05"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("as of 2025-06-29"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("as of 2025-06"), "25 Court 2025-06");
}

TEST_F(ScenarioTest, RecordedAsOfAroundTheFirstVersion) {
  EXPECT_EQ(At("recorded as of 2025-01-10T08:59:59.999999Z"), "none");
  EXPECT_EQ(At("recorded as of 2025-01-10T09:00:00Z"), ">=28 RTVI 2024-12");
  EXPECT_EQ(At("recorded as of 2025-01-10T09:00:00.000001Z"), ">=28 RTVI 2024-12");
  EXPECT_EQ(At("recorded as of 2025-01-09"), "none");
  EXPECT_EQ(At("recorded as of 2025-01-10"), ">=28 RTVI 2024-12");
}

TEST_F(ScenarioTest, RecordedAsOfAroundANewReport) {
  EXPECT_EQ(At("recorded as of 2025-05-01T08:29:59.999999Z"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("recorded as of 2025-05-01T08:30Z"), "23 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-05-01T11:30+03:00"), "23 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-05-01T11:29:59.999999+03:00"), ">=30 RTVI 2025-01-31");
}

TEST_F(ScenarioTest, RecordedAsOfAroundACorrection) {
  EXPECT_EQ(At("recorded as of 2025-05-01T23:59:59.999999Z"), "23 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-05-01"), "23 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-05-02T00:00Z"), "24 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-05-02T00:00:00.000001Z"), "24 IStories 2025-04");
}

TEST_F(ScenarioTest, RecordedAsOfAroundARetraction) {
  EXPECT_EQ(At("recorded as of 2025-05-31T23:59:59.999999Z"), "24 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-06-01T00:00Z"), ">=30 RTVI 2025-01-31");
}

TEST_F(ScenarioTest, CorrectingASupersededReportDoesNotRevive) {
  // The 2025-04 report was corrected back to 23 after the retraction of 2025-05-31.
  EXPECT_EQ(At("recorded as of 2025-06-15T12:00Z"), ">=30 RTVI 2025-01-31");
  EXPECT_EQ(At("recorded as of 2025-06-30"), ">=30 RTVI 2025-01-31");
}

TEST_F(ScenarioTest, BothAxesTogether) {
  EXPECT_EQ(At("as of 2025-05-30 recorded as of 2025-05-01T12:00+03:00"), "23 IStories 2025-04");
  EXPECT_EQ(At("as of 2025-05-30 recorded as of 2025-05-02"), "24 IStories 2025-04");
  EXPECT_EQ(At("recorded as of 2025-06-20 as of 2025-05-30"), "23 IStories 2025-04");
  EXPECT_EQ(At("as of 2025-05-31 recorded as of 2025-05-31T23:59:59.999999Z"), "24 IStories 2025-04");
  EXPECT_EQ(At("as of 2025-01-31 recorded as of 2025-01-31"), ">=28 RTVI 2024-12");
}

TEST_F(ScenarioTest, BySourceAtACutoff) {
  const Outcome o = d_.Query("espionage[2024] as of 2025-05-30 recorded as of 2025-05-02 by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "espionage,2024,24,24,24,false,IStories,2025-04\n"
                       "espionage,2024,>=30,30,,false,RTVI,2025-01-31\n");
}

TEST_F(ScenarioTest, RevisionsListTheWholeHistory) {
  const Outcome o = d_.Query("revisions(espionage[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "espionage,2024,Court,2025-06,2025-07-01T00:00:00.000000Z,25,25,25,false,current,,\n"
                       "espionage,2024,IStories,2025-04,2025-05-01T08:30:00.000000Z,23,23,23,false,corrected,,\n"
                       "espionage,2024,IStories,2025-04,2025-05-02T00:00:00.000000Z,24,24,24,false,corrected,,\n"
                       "espionage,2024,IStories,2025-04,2025-06-15T12:00:00.000000Z,23,23,23,false,superseded,,\n"
                       "espionage,2024,IStories,2025-05-31,2025-06-01T00:00:00.000000Z,,,,false,retracted,withdrawn,\n"
                       "espionage,2024,RTVI,2024-12,2025-01-10T09:00:00.000000Z,>=28,28,,false,superseded,,\n"
                       "espionage,2024,RTVI,2025-01-31,2025-02-01T00:00:00.000000Z,>=30,30,,false,current,,\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ScenarioTest, RevisionsAtBothCutoffs) {
  const Outcome o = d_.Query("revisions(espionage[2024]) as of 2025-05-30 recorded as of 2025-05-02");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kRevisionsHeader) +
                       "espionage,2024,IStories,2025-04,2025-05-01T08:30:00.000000Z,23,23,23,false,corrected,,\n"
                       "espionage,2024,IStories,2025-04,2025-05-02T00:00:00.000000Z,24,24,24,false,current,,\n"
                       "espionage,2024,RTVI,2024-12,2025-01-10T09:00:00.000000Z,>=28,28,,false,superseded,,\n"
                       "espionage,2024,RTVI,2025-01-31,2025-02-01T00:00:00.000000Z,>=30,30,,false,current,,\n");
}

TEST_F(ScenarioTest, RevisionsTheDayBeforeTheRetraction) {
  const Outcome o = d_.Query("revisions(espionage[2024]) from IStories as of 2025-05-30");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"23", "24", "23"}));
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"corrected", "corrected", "current"}));
}

TEST_F(ScenarioTest, RevisionsOnTheDayOfTheRetraction) {
  const Outcome o = d_.Query("revisions(espionage[2024]) from IStories as of 2025-05-31");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "status"), (Strings{"corrected", "corrected", "superseded", "retracted"}));
}

TEST_F(ScenarioTest, AssertsSeeTheSameHistory) {
  const Outcome o = d_.Query(
      "assert espionage[2024] as of 2025-04-30 = 23;"
      "assert espionage[2024] as of 2025-01-31 >= 30;"
      "assert espionage[2024] recorded as of 2025-05-02T00:00Z = 24;"
      "assert espionage[2024] as of 2024-12-30 > 0 else \"nothing known yet\"");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: -e: assertion unknown: nothing known yet (no rows)\n");
}

}  // namespace
}  // namespace docket::e2e
