// conflicts(SELECTOR) (spec §2.2, §2.3, §4 "conflicts rows"): pairs of
// sources whose current figures for one cell cannot both be true.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr const char* kHeader = "series,period,source_a,value_a,reported_a,source_b,value_b,reported_b\n";

class MonitoringConflictsTest : public ::testing::Test {
 protected:
  void Write(const std::string& script) {
    const Outcome o = d.Query(script);
    ASSERT_EQ(o.exit_code, 0) << script << "\n" << o.err;
  }
  void ExpectRows(const std::string& query, const std::string& rows) {
    const Outcome o = d.Query(query);
    EXPECT_EQ(o.out, kHeader + rows) << query;
    EXPECT_EQ(o.err, "") << query;
    EXPECT_EQ(o.exit_code, 0) << query;
  }
  Docket d;
};

// The demo's espionage figures (spec §6): RTVI's "at least 28" of December
// 2024 against IStories' 23 from court data of April 2025.
constexpr const char* kDemoEspionage = R"(
define charge espionage; define charge treason;
define source IStories priority 10; define source RTVI; define source PervyiOtdel; define source TASS;
record espionage[2024] >= 28 from RTVI on 2024-12;
record espionage[2024] = 23 from IStories on 2025-04;
record espionage[2023] = 9 from PervyiOtdel on 2024;
record espionage[2024-H1] = 18 from TASS on 2024-10;
record treason[2024] = 145 from IStories on 2025-04;
)";

TEST_F(MonitoringConflictsTest, DemoFindsRtviAgainstIStoriesForEspionage2024) {
  Write(kDemoEspionage);
  ExpectRows("conflicts(espionage)", "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
  ExpectRows("conflicts(espionage[2024])", "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
  ExpectRows("conflicts(espionage[2023..2024])", "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
  ExpectRows("conflicts(treason)", "");
}

TEST_F(MonitoringConflictsTest, AsOfBeforeTheSecondReportFindsNone) {
  Write(kDemoEspionage);
  ExpectRows("conflicts(espionage) as of 2024-12-31", "");
  // 2025-04 stands for its last day: not yet known on 2025-04-29.
  ExpectRows("conflicts(espionage) as of 2025-04-29", "");
  ExpectRows("conflicts(espionage) as of 2025-04-30", "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
}

TEST_F(MonitoringConflictsTest, FromKeepsOnlyTheNamedSources) {
  Write(kDemoEspionage);
  ExpectRows("conflicts(espionage) from RTVI, TASS", "");
  ExpectRows("conflicts(espionage) from RTVI, IStories",
             "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
}

TEST_F(MonitoringConflictsTest, RecordedAsOfBeforeTheSecondVersionFindsNone) {
  d.env()["DOCKET_NOW"] = "2025-01-05T00:00:00Z";
  Write("define charge espionage; define source IStories; define source RTVI;"
        "record espionage[2024] >= 28 from RTVI on 2024-12");
  d.env()["DOCKET_NOW"] = "2025-05-01T00:00:00Z";
  Write("record espionage[2024] = 23 from IStories on 2025-04");
  ExpectRows("conflicts(espionage) recorded as of 2025-02-01", "");
  ExpectRows("conflicts(espionage) recorded as of 2025-05-01T00:00:00Z",
             "espionage,2024,IStories,23,2025-04,RTVI,>=28,2024-12\n");
}

TEST_F(MonitoringConflictsTest, BySourceIsAnErrorAndWritesNothing) {
  Write(kDemoEspionage);
  const std::string before = d.Fingerprint();
  const Outcome o = d.Query("record treason[2023] = 39 from PervyiOtdel on 2024; conflicts(espionage) by source");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("by source"), std::string::npos) << o.err;
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST_F(MonitoringConflictsTest, ApproximateValueCountsAsTenPercentEitherWay) {
  Write(R"(
    define charge c; define source A; define source B;
    record c[2001] ~ 36 from A on 2025;  record c[2001] = 40 from B on 2025;   -- [32.4, 39.6] vs 40
    record c[2002] ~ 36 from A on 2025;  record c[2002] = 39 from B on 2025;   -- 39 inside
    record c[2003] ~ 36 from A on 2025;  record c[2003] ~ 44 from B on 2025;   -- [32.4, 39.6] vs [39.6, 48.4]: touch
    record c[2004] ~ 10 from A on 2025;  record c[2004] = 11 from B on 2025;   -- 11 is the upper end
    record c[2005] ~ 10 from A on 2025;  record c[2005] = 12 from B on 2025;
    record c[2006] ~ 10 from A on 2025;  record c[2006] = 9 from B on 2025;    -- 9 is the lower end
    record c[2007] ~ 10 from A on 2025;  record c[2007] = 8 from B on 2025;
    record c[2008] ~ 10 from A on 2025;  record c[2008] <= 8 from B on 2025;   -- [0, 8] vs [9, 11]
    record c[2009] ~ 100 from A on 2025; record c[2009] >= 111 from B on 2025; -- [90, 110] vs [111, inf]
  )");
  ExpectRows("conflicts(c)",
             "c,2001,A,~36,2025,B,40,2025\n"
             "c,2005,A,~10,2025,B,12,2025\n"
             "c,2007,A,~10,2025,B,8,2025\n"
             "c,2008,A,~10,2025,B,<=8,2025\n"
             "c,2009,A,~100,2025,B,>=111,2025\n");
}

TEST_F(MonitoringConflictsTest, BoundsConflictOnlyWhenTheirIntervalsAreDisjoint) {
  Write(R"(
    define charge c; define source A; define source B;
    record c[2001] >= 28 from A on 2025; record c[2001] = 23 from B on 2025;   -- disjoint
    record c[2002] >= 23 from A on 2025; record c[2002] = 23 from B on 2025;   -- closed: touch
    record c[2003] >= 28 from A on 2025; record c[2003] <= 30 from B on 2025;  -- overlap
    record c[2004] >= 28 from A on 2025; record c[2004] <= 27 from B on 2025;  -- disjoint
    record c[2005] = 5 from A on 2025;   record c[2005] = 5 from B on 2025;    -- agree
    record c[2006] = 5 from A on 2025;   record c[2006] = 6 from B on 2025;    -- exact figures differ
    record c[2007] <= 3 from A on 2025;  record c[2007] <= 100 from B on 2025; -- nested
    record c[2008] >= 0 from A on 2025;  record c[2008] = 0 from B on 2025;
  )");
  ExpectRows("conflicts(c)",
             "c,2001,A,>=28,2025,B,23,2025\n"
             "c,2004,A,>=28,2025,B,<=27,2025\n"
             "c,2006,A,5,2025,B,6,2025\n");
}

TEST_F(MonitoringConflictsTest, OneRowPerConflictingPairWithSourceAFirstInByteOrder) {
  // Defined out of order on purpose; `Zed` sorts before `alpha` in byte order.
  Write(R"(
    define charge c; define source D; define source C; define source B; define source A;
    define source alpha; define source Zed;
    record c[2024] = 30 from C on 2025; record c[2024] = 10 from A on 2025;
    record c[2024] >= 15 from D on 2025; record c[2024] = 20 from B on 2025;
    record c[2023] = 1 from alpha on 2025-03; record c[2023] = 2 from Zed on 2025-02;
  )");
  // 2024: A 10, B 20, C 30, D [15, inf]: D agrees with B and C only.
  ExpectRows("conflicts(c)",
             "c,2023,Zed,2,2025-02,alpha,1,2025-03\n"
             "c,2024,A,10,2025,B,20,2025\n"
             "c,2024,A,10,2025,C,30,2025\n"
             "c,2024,A,10,2025,D,>=15,2025\n"
             "c,2024,B,20,2025,C,30,2025\n");
}

TEST_F(MonitoringConflictsTest, RowsAreOrderedBySeriesThenPeriod) {
  Write(R"(
    define charge espionage; define source A; define source B;
    record espionage{citizenship="UA"}[2024] = 1 from A on 2025; record espionage{citizenship="UA"}[2024] = 2 from B on 2025;
    record espionage{citizenship="UA"}[2023] = 1 from A on 2025; record espionage{citizenship="UA"}[2023] = 2 from B on 2025;
    record espionage{citizenship="RU"}[2024-H1] = 1 from A on 2025; record espionage{citizenship="RU"}[2024-H1] = 2 from B on 2025;
    record espionage{citizenship="RU"}[2024] = 1 from A on 2025; record espionage{citizenship="RU"}[2024] = 2 from B on 2025;
    record espionage{citizenship="RU"}[2024-01] = 1 from A on 2025; record espionage{citizenship="RU"}[2024-01] = 2 from B on 2025;
    record espionage{citizenship="RU"}[2024-Q1] = 1 from A on 2025; record espionage{citizenship="RU"}[2024-Q1] = 2 from B on 2025;
    record espionage[2024] = 1 from A on 2025; record espionage[2024] = 2 from B on 2025;
  )");
  // Periods: by first day, longer first (2024, 2024-H1, 2024-Q1, 2024-01).
  ExpectRows("conflicts(espionage{citizenship=*})",
             "\"espionage{citizenship=\"\"RU\"\"}\",2024,A,1,2025,B,2,2025\n"
             "\"espionage{citizenship=\"\"RU\"\"}\",2024-H1,A,1,2025,B,2,2025\n"
             "\"espionage{citizenship=\"\"RU\"\"}\",2024-Q1,A,1,2025,B,2,2025\n"
             "\"espionage{citizenship=\"\"RU\"\"}\",2024-01,A,1,2025,B,2,2025\n"
             "\"espionage{citizenship=\"\"UA\"\"}\",2023,A,1,2025,B,2,2025\n"
             "\"espionage{citizenship=\"\"UA\"\"}\",2024,A,1,2025,B,2,2025\n");
}

TEST_F(MonitoringConflictsTest, OnlyCurrentFiguresCount) {
  Write(R"(
    define charge c; define source A; define source B;
    record c[2001] >= 28 from A on 2024-12; record c[2001] = 23 from B on 2025-04;
    record c[2001] <= 25 from A on 2025-05;            -- A revises: [0, 25] holds 23
    record c[2002] >= 28 from A on 2024-12; record c[2002] = 23 from B on 2025-04;
    retract c[2002] from A on 2025-05;                  -- A withdraws its figure
    record c[2003] >= 28 from A on 2024-12; record c[2003] = 23 from B on 2025-04;
    record c[2003] >= 20 from A on 2024-12;            -- a correction of A's report
    record c[2004] = 5 from A on 2025; record c[2004] = 5 from B on 2025;
    record c[2004] = 6 from B on 2025;                  -- a correction creates the conflict
  )");
  ExpectRows("conflicts(c)", "c,2004,A,5,2025,B,6,2025\n");
  // Before A's revision and retraction, the first two cells conflicted
  // (c[2004]'s reports, dated 2025, stand for 2025-12-31: not yet known).
  ExpectRows("conflicts(c) as of 2025-04-30",
             "c,2001,A,>=28,2024-12,B,23,2025-04\n"
             "c,2002,A,>=28,2024-12,B,23,2025-04\n");
}

TEST_F(MonitoringConflictsTest, DifferentGranularitiesAreDifferentCells) {
  Write(R"(
    define charge c; define source A; define source B;
    record c[2024] = 10 from A on 2025; record c[2024-H1] = 50 from B on 2025;
    record c[2024-07] = 80 from A on 2025;
  )");
  ExpectRows("conflicts(c)", "");
}

TEST_F(MonitoringConflictsTest, UndefinedChargeIsAnError) {
  Write("define charge espionage; define source A");
  const Outcome o = d.Query("conflicts(espionag)");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("did you mean `espionage`?"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace docket::e2e
