// End-to-end: every statement kind of spec §2.4 (define, record, retract,
// queries, assert, show, describe), run by the real binary.
#include <gtest/gtest.h>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";

// treason 2023 = 39 (PervyiOtdel), 2024 = 145 (IStories); espionage 2024 >= 28 (RTVI).
constexpr char kFigures[] =
    "define charge treason; define charge espionage;"
    "define source IStories; define source PervyiOtdel; define source RTVI;"
    "record treason[2023] = 39 from PervyiOtdel on 2024;"
    "record treason[2024] = 145 from IStories on 2025-04;"
    "record espionage[2024] >= 28 from RTVI on 2024-12;";

TEST(StatementTest, DefineRecordAndRetractPrintNothing) {
  Docket d;
  const Outcome o = d.Query(
      "define charge treason title \"High treason\" article \"275\";"
      "define source IStories title \"Important Stories\" url \"https://istories.media\" priority 10;"
      "record treason[2024] = 145 from IStories on 2025-01 note \"court data analysis\";"
      "retract treason[2024] from IStories on 2025-03-01 note \"withdrawn\";");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, DefineOfExistingNameReplacesOnlyTheGivenAttributes) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(
                "define charge treason title \"High treason\" article \"275\";"
                "define source IStories title \"Important Stories\" url \"https://istories.media\" priority 10;")),
            "");
  ASSERT_EQ(FailureOf(d.Query("define charge treason title \"Treason\"; define source IStories priority 3;")), "");
  const Outcome o = d.Query("show charges; show sources");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "charge,title,article\n"
            "treason,Treason,275\n"
            "\n"
            "source,title,url,priority\n"
            "IStories,Important Stories,https://istories.media,3\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, ChargesAndSourcesAreSeparateNamespaces) {
  Docket d;
  // The same name may be a charge and a source; each kind keeps its own attributes.
  ASSERT_EQ(FailureOf(d.Query("define charge tass title \"not a source\"; define source tass title \"a source\";")),
            "");
  const Outcome o = d.Query("show charges; show sources");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "charge,title,article\n"
            "tass,not a source,\n"
            "\n"
            "source,title,url,priority\n"
            "tass,a source,,0\n");
}

TEST(StatementTest, RecordedFigureIsReturnedByAQuery) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("treason[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2024,145,145,145,false,IStories,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, RecordKeepsEachBound) {
  Docket d;
  const Outcome o = d.Query(
      "define charge c; define source S;"
      "record c[2021] = 5 from S on 2025; record c[2022] >= 28 from S on 2025;"
      "record c[2023] <= 10 from S on 2025; record c[2024] ~ 36 from S on 2025;"
      "c");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "c,2021,5,5,5,false,S,2025\n"
                       "c,2022,>=28,28,,false,S,2025\n"
                       "c,2023,<=10,0,10,false,S,2025\n"
                       "c,2024,~36,36,36,true,S,2025\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, RetractWithdrawsTheSourcesFigureSoAnotherSourceWins) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge c; define source A; define source B;"
                              "record c[2024] = 3 from B on 2024-12-01;"
                              "record c[2024] = 5 from A on 2025-01-01;")),
            "");
  ASSERT_EQ(FailureOf(d.Query("retract c[2024] from A on 2025-02-01")), "");
  const Outcome o = d.Query("c[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "c,2024,3,3,3,false,B,2024-12-01\n");
}

TEST(StatementTest, PassingAssertPrintsNothingAndExitsZero) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2024] >= 100");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, FailedAssertReportsTheAssertionAsWrittenAndExitsTwo) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2024] > 200");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: treason[2024] > 200 (got 145)\n");
}

TEST(StatementTest, FailedAssertWithElseReportsTheElseText) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert growth(treason, 2023, 2024) < 3 else \"treason more than tripled\"");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: treason more than tripled (got 3.72)\n");
}

TEST(StatementTest, AssertWithNoRowsIsUnknownAndExitsThree) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2020] > 1");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: -e: assertion unknown: treason[2020] > 1 (no rows)\n");
}

TEST(StatementTest, AssertOnAnIntervalStraddlingTheThresholdIsUnknown) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert espionage[2024] < 30");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: -e: assertion unknown: espionage[2024] < 30 (got >=28)\n");
}

TEST(StatementTest, AssertOnAnIntervalEntirelyPastTheThresholdIsFalse) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  // >=28 is never < 28.
  const Outcome o = d.Query("assert espionage[2024] < 28");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err, "docket: -e: assertion failed: espionage[2024] < 28 (got >=28)\n");
}

TEST(StatementTest, AssertThresholdMayBeNegativeOrDecimal) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  // change(treason, 2024, 2023) = 39 - 145 = -106; growth(...) = 3.717...
  const Outcome o = d.Query("assert change(treason, 2024, 2023) < -105.5; assert growth(treason, 2023, 2024) > 3.71");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, AssertOverSeveralRowsIsFalseIfAnyRowIsFalse) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  // 2023: 39 > 50 is false; 2024: 145 > 50 is true.
  const Outcome o = d.Query("assert treason > 50");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err.rfind("docket: -e: assertion failed: treason > 50 (got ", 0), 0u) << o.err;
}

TEST(StatementTest, AssertOverSeveralRowsReportsTheFailingValueAsGot) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  // Only 2023 (39) fails; the spec's message is `(got VALUE)`.
  const Outcome o = d.Query("assert treason > 50");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: treason > 50 (got 39)\n");
}

TEST(StatementTest, AssertOverSeveralRowsIsUnknownIfAnyRowIsUnknownAndNoneFalse) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures + std::string("record espionage[2023] = 9 from PervyiOtdel on 2024;"))), "");
  // 2023: 9 < 30 is true; 2024: >=28 < 30 is unknown.
  const Outcome o = d.Query("assert espionage < 30");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err.rfind("docket: -e: assertion unknown: espionage < 30 (got ", 0), 0u) << o.err;
}

TEST(StatementTest, StatementsRunOnAfterAFailedAssert) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2024] > 200; treason[2023]");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2023,39,39,39,false,PervyiOtdel,2024\n");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: treason[2024] > 200 (got 145)\n");
}

TEST(StatementTest, FailedAssertOutranksALaterUnknownAssert) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2024] > 200; assert treason[2020] > 1");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err,
            "docket: -e: assertion failed: treason[2024] > 200 (got 145)\n"
            "docket: -e: assertion unknown: treason[2020] > 1 (no rows)\n");
}

TEST(StatementTest, FailedAssertOutranksAnEarlierUnknownAssert) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("assert treason[2020] > 1; assert treason[2024] > 200");
  EXPECT_EQ(o.exit_code, 2);
}

TEST(StatementTest, AssertUsesItsModifiers) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures + std::string("record espionage[2024] = 23 from IStories on 2025-04;"))),
            "");
  // Now 23 (IStories); as of 2024-12-31 only RTVI's >=28 was known.
  const Outcome o = d.Query("assert espionage[2024] < 25; assert espionage[2024] as of 2024-12-31 >= 28");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, ShowChargesListsEveryChargeOrderedByName) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge treason title \"High treason\" article \"275\";"
                              "define charge espionage article \"276\";"
                              "define charge confidential_cooperation title \"Confidential cooperation\";")),
            "");
  const Outcome o = d.Query("show charges");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "charge,title,article\n"
            "confidential_cooperation,Confidential cooperation,\n"
            "espionage,,276\n"
            "treason,High treason,275\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, ShowSourcesListsEverySourceOrderedByName) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define source TASS; define source RTVI url \"https://rtvi.com\";"
                              "define source IStories title \"Important Stories\" priority 10;"
                              "define source Kommersant priority 2;")),
            "");
  const Outcome o = d.Query("show sources");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "source,title,url,priority\n"
            "IStories,Important Stories,,10\n"
            "Kommersant,,,2\n"
            "RTVI,,https://rtvi.com,0\n"
            "TASS,,,0\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, ShowSeriesCountsCellsSourcesAndVersionsPerSeries) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge espionage; define charge treason;"
                              "define source IStories; define source PervyiOtdel; define source RTVI;"
                              "record espionage[2023] = 9 from PervyiOtdel on 2024;"
                              "record espionage[2024] >= 28 from RTVI on 2024-12;"
                              "record espionage[2024] = 23 from IStories on 2025-04;"
                              "record espionage[2024] = 24 from IStories on 2025-04;"  // a correction
                              "record espionage{citizenship=\"UA\"}[2024] >= 18 from RTVI on 2024-12;"
                              "record treason[2024] = 145 from IStories on 2025-04;")),
            "");
  const Outcome o = d.Query("show series espionage");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "series,periods,first,last,sources,reports\n"
            "espionage,2,2023,2024,\"IStories, PervyiOtdel, RTVI\",4\n"
            "\"espionage{citizenship=\"\"UA\"\"}\",1,2024,2024,RTVI,1\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, DescribeCollapsesRunsOfPeriodsPerGranularity) {
  Docket d;
  std::string script =
      "define charge treason title \"High treason\" article \"275\"; define source A; define source B;"
      "record treason[2013] = 4 from A on 2024;"
      "record treason[2024-H1] = 52 from B on 2024-10;"
      "record treason[2025-H1] = 105 from B on 2025-10-21;"
      "record treason{region=\"X\"}[2024] = 1 from B on 2025;";
  for (int year = 2015; year <= 2024; ++year)
    script += "record treason[" + std::to_string(year) + "] = 10 from B on 2025;";
  ASSERT_EQ(FailureOf(d.Query(script)), "");
  const Outcome o = d.Query("describe treason");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "charge,title,article,series,periods,sources\n"
            "treason,High treason,275,treason,\"2013, 2015..2024, 2024-H1, 2025-H1\",\"A, B\"\n"
            "treason,High treason,275,\"treason{region=\"\"X\"\"}\",2024,B\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementTest, DescribeOfAnUndefinedChargeSuggestsTheClosestName) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("describe tresaon");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("unknown charge `tresaon`; did you mean `treason`?"), std::string::npos) << o.err;
}

TEST(StatementTest, AQueryIsAStatementAndEachPrintsItsOwnResult) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kFigures)), "");
  const Outcome o = d.Query("treason[2023]; espionage[2024];");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2023,39,39,39,false,PervyiOtdel,2024\n\n" + kValueHeader +
                       "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
  EXPECT_EQ(o.err, "");
}

TEST(StatementKeywordTest, KeywordsAreLowerCaseSoFromCanNameASource) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge c; define source From; record c[2024] = 1 from From on 2025")), "");
  const Outcome o = d.Query("c[2024] from From");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "c,2024,1,1,1,false,From,2025\n");
}

TEST(StatementKeywordTest, KeywordsAreCaseSensitive) {
  Docket d;
  const Outcome o = d.Query("Define charge c");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: -e:1:1: expected ", 0), 0u) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(StatementKeywordTest, DoubleDashInsideAStringIsNotAComment) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge c; define source S;"
                              "record c[2024] = 1 from S on 2025 note \"a -- b; c\" -- a real comment\n")),
            "");
  EXPECT_EQ(CsvColumn(d.Query("revisions(c[2024])").out, "note"), std::vector<std::string>{"a -- b; c"});
}

}  // namespace
}  // namespace docket::e2e
