// End-to-end: expressions and functions (spec §2.2) and interval results (§3):
// growth/change/pct, aggregates, arithmetic pairing, display of intervals.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kGrowthHeader[] = "series,from,to,from_value,to_value,value,lo,hi,approx,source\n";

// treason 2022 = 16 (Rosbalt), 2023 = 39 (PervyiOtdel), 2024 = 145 (IStories),
// 2024-H1 = 52 (TASS); espionage 2023 = 9, 2024 = 23, 2025-H1 = 11.
constexpr char kFigures[] =
    "define charge treason; define charge espionage;"
    "define source Rosbalt; define source PervyiOtdel; define source IStories; define source TASS;"
    "record treason[2022] = 16 from Rosbalt on 2024;"
    "record treason[2023] = 39 from PervyiOtdel on 2024;"
    "record treason[2024] = 145 from IStories on 2025-04;"
    "record treason[2024-H1] = 52 from TASS on 2024-10;"
    "record espionage[2023] = 9 from PervyiOtdel on 2024;"
    "record espionage[2024] = 23 from IStories on 2025-04;"
    "record espionage[2025-H1] = 11 from TASS on 2025-10-21;";

class ExpressionTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kFigures)), ""); }
  Docket d_;
};

TEST_F(ExpressionTest, GrowthIsTheRatioOfTheLaterPeriodToTheEarlier) {
  const Outcome o = d_.Query("growth(treason, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) +
                       "treason,2023,2024,39,145,3.72,3.717948717948718,3.717948717948718,false,PervyiOtdel/IStories\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ExpressionTest, ChangeIsTheDifferenceAndACount) {
  const Outcome o = d_.Query("change(treason, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) + "treason,2023,2024,39,145,106,106,106,false,PervyiOtdel/IStories\n");
}

TEST_F(ExpressionTest, PctIsThePercentChange) {
  const Outcome o = d_.Query("pct(treason, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"271.79"});
  const Strings lo = CsvColumn(o.out, "lo"), hi = CsvColumn(o.out, "hi");
  ASSERT_EQ(lo.size(), 1u);
  ASSERT_EQ(hi.size(), 1u);
  EXPECT_NEAR(std::stod(lo[0]), 10600.0 / 39.0, 1e-9);
  EXPECT_NEAR(std::stod(hi[0]), 10600.0 / 39.0, 1e-9);
}

TEST_F(ExpressionTest, ChangeOfPeriodsInDecreasingOrderIsNegative) {
  const Outcome o = d_.Query("change(treason, 2024, 2023)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) + "treason,2024,2023,145,39,-106,-106,-106,false,IStories/PervyiOtdel\n");
}

TEST_F(ExpressionTest, GrowthRangeFormGivesOneRowPerPeriodAfterTheFirst) {
  const Outcome o = d_.Query("growth(treason[2022..2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) +
                       "treason,2022,2023,16,39,2.44,2.4375,2.4375,false,Rosbalt/PervyiOtdel\n"
                       "treason,2023,2024,39,145,3.72,3.717948717948718,3.717948717948718,false,PervyiOtdel/IStories\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ExpressionTest, RangeFormWithAMissingSideGivesAnEmptyValueAndNeverSkipsBack) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2020] = 10 from Rosbalt on 2024")), "");
  // 2021 is missing: 2020->2021 and 2021->2022 have no value; 2022->2023 does.
  const Outcome o = d_.Query("growth(treason[2020..2023])");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(CsvColumn(o.out, "from"), (Strings{"2020", "2021", "2022"}));
  EXPECT_EQ(CsvColumn(o.out, "to"), (Strings{"2021", "2022", "2023"}));
  EXPECT_EQ(CsvColumn(o.out, "from_value"), (Strings{"10", "", "16"}));
  EXPECT_EQ(CsvColumn(o.out, "to_value"), (Strings{"", "16", "39"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"", "", "2.44"}));
  EXPECT_EQ(CsvColumn(o.out, "lo"), (Strings{"", "", "2.4375"}));
  EXPECT_EQ(CsvColumn(o.out, "hi"), (Strings{"", "", "2.4375"}));
}

TEST_F(ExpressionTest, ThreeArgumentFormWithAMissingSideGivesARowWithAnEmptyValue) {
  const Outcome o = d_.Query("change(treason, 2021, 2022)");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{""});
  EXPECT_EQ(CsvColumn(o.out, "to_value"), Strings{"16"});
  EXPECT_EQ(CsvColumn(o.out, "lo"), Strings{""});
  EXPECT_EQ(CsvColumn(o.out, "hi"), Strings{""});
}

TEST_F(ExpressionTest, GrowthOfHalfYearsUsesTheImmediatelyPrecedingHalf) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2025-H1] = 105 from TASS on 2025-10-21")), "");
  // 2024-H2 lies between 2024-H1 and 2025-H1: no value, no skipping back.
  const Outcome o = d_.Query("growth(treason[2024-H1..2025-H1])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "to"), (Strings{"2024-H2", "2025-H1"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"", ""}));
}

TEST(ExpressionBySourceTest, GrowthBySourcePairsEachSourcesOwnFigures) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2023] = 39 from A on 2024; record x[2024] = 145 from A on 2025;"
                              "record x[2023] = 40 from B on 2024; record x[2024] = 150 from B on 2025-02;")),
            "");
  const Outcome o = d.Query("growth(x, 2023, 2024) by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kGrowthHeader) +
                       "x,2023,2024,39,145,3.72,3.717948717948718,3.717948717948718,false,A\n"
                       "x,2023,2024,40,150,3.75,3.75,3.75,false,B\n");
  EXPECT_EQ(o.err, "");
}

TEST(ExpressionBySourceTest, GrowthWithoutBySourceUsesEachPeriodsWinner) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B;"
                              "record x[2023] = 39 from A on 2024; record x[2024] = 145 from A on 2025-01;"
                              "record x[2023] = 40 from B on 2024; record x[2024] = 150 from B on 2025-02;")),
            "");
  // 2023: A and B tie on 2024, A first in byte order; 2024: B reported later.
  const Outcome o = d.Query("change(x, 2023, 2024)");
  EXPECT_EQ(o.out, std::string(kGrowthHeader) + "x,2023,2024,39,150,111,111,111,false,A/B\n");
}

// espionage by citizenship: 2024 UA = 18 (RTVI), RU = 7 (IStories), US >= 2
// (RTVI); 2023 UA = 5 (RTVI); plus the unlabelled espionage[2024] = 23.
constexpr char kCitizenship[] =
    "define charge espionage; define source RTVI; define source IStories;"
    "record espionage{citizenship=\"UA\"}[2024] = 18 from RTVI on 2024-12;"
    "record espionage{citizenship=\"RU\"}[2024] = 7 from IStories on 2025-04;"
    "record espionage{citizenship=\"US\"}[2024] >= 2 from RTVI on 2024-12;"
    "record espionage{citizenship=\"UA\"}[2023] = 5 from RTVI on 2024-01;"
    "record espionage[2024] = 23 from IStories on 2025-04;";

class AggregateTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kCitizenship)), ""); }
  Docket d_;
};

TEST_F(AggregateTest, SumCombinesTheWinnersPerPeriodAndJoinsTheirSources) {
  const Outcome o = d_.Query("sum(espionage{citizenship=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "sum(espionage{citizenship=*}),2023,5,5,5,false,RTVI,2024-01\n"
                       "sum(espionage{citizenship=*}),2024,>=27,27,,false,IStories/RTVI,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(AggregateTest, MinWorksOnEachBound) {
  // 2024: lo = min(18, 7, 2), hi = min(18, 7, +inf)
  const Outcome o = d_.Query("min(espionage{citizenship=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "min(espionage{citizenship=*}),2023,5,5,5,false,RTVI,2024-01\n"
                       "min(espionage{citizenship=*}),2024,2..7,2,7,false,IStories/RTVI,2025-04\n");
}

TEST_F(AggregateTest, MaxWorksOnEachBound) {
  // 2024: lo = max(18, 7, 2), hi = max(18, 7, +inf)
  const Outcome o = d_.Query("max(espionage{citizenship=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "max(espionage{citizenship=*}),2023,5,5,5,false,RTVI,2024-01\n"
                       "max(espionage{citizenship=*}),2024,>=18,18,,false,IStories/RTVI,2025-04\n");
}

TEST_F(AggregateTest, ARangeSelectsThePeriodsToAggregate) {
  const Outcome o = d_.Query("sum(espionage{citizenship=*}[2024..2025])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "period"), Strings{"2024"});
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{">=27"});
}

TEST_F(AggregateTest, CountCountsTheSeriesWithAFigureExactly) {
  const Outcome o = d_.Query("count(espionage{citizenship=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "count(espionage{citizenship=*}),2023,1,1,1,false,RTVI,2024-01\n"
                       "count(espionage{citizenship=*}),2024,3,3,3,false,IStories/RTVI,2025-04\n");
}

TEST_F(AggregateTest, CountIsExactEvenOverApproximateFigures) {
  ASSERT_EQ(FailureOf(d_.Query("record espionage{citizenship=\"BY\"}[2024] ~ 4 from RTVI on 2024-12")), "");
  const Outcome o = d_.Query("count(espionage{citizenship=*}); sum(espionage{citizenship=*})");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "count(espionage{citizenship=*}),2023,1,1,1,false,RTVI,2024-01\n"
                       "count(espionage{citizenship=*}),2024,4,4,4,false,IStories/RTVI,2025-04\n\n" +
                       kValueHeader +
                       "sum(espionage{citizenship=*}),2023,5,5,5,false,RTVI,2024-01\n"
                       "sum(espionage{citizenship=*}),2024,~>=31,31,,true,IStories/RTVI,2025-04\n");
}

TEST_F(AggregateTest, PeriodWhereNoSeriesHasAFigureGivesNoRow) {
  ASSERT_EQ(FailureOf(d_.Query("retract espionage{citizenship=\"UA\"}[2023] from RTVI on 2024-02")), "");
  const Outcome o = d_.Query("sum(espionage{citizenship=*}[2022..2023])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, kValueHeader);
}

TEST_F(AggregateTest, AggregateBySourceCombinesOnlyThatSourcesFigures) {
  const Outcome o = d_.Query("sum(espionage{citizenship=*}) by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "sum(espionage{citizenship=*}),2023,5,5,5,false,RTVI,2024-01\n"
                       "sum(espionage{citizenship=*}),2024,7,7,7,false,IStories,2025-04\n"
                       "sum(espionage{citizenship=*}),2024,>=20,20,,false,RTVI,2024-12\n");
}

TEST_F(AggregateTest, AnAggregateHoldsOneSeriesInArithmetic) {
  // 2023: 5 / no espionage[2023] -> unpaired; 2024: (>=27) / 23.
  const Outcome o = d_.Query("sum(espionage{citizenship=*}) / espionage");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(CsvColumn(o.out, "period"), Strings{"2024"});
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{">=1.17"});
  EXPECT_EQ(CsvColumn(o.out, "lo"), Strings{"1.173913043478261"});
  EXPECT_EQ(CsvColumn(o.out, "series"), Strings{"sum(espionage{citizenship=*}) / espionage"});
}

TEST_F(ExpressionTest, OneRowOnEachSidePairsWhateverTheirPeriods) {
  const Outcome o = d_.Query("treason[2024-H1] / treason[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "treason,2024-H1/2024,0.36,0.3586206896551724,0.3586206896551724,false,TASS/IStories,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ExpressionTest, SeveralRowsPairByEqualPeriodAndUnpairedRowsAreDropped) {
  // treason has 2022, 2023, 2024, 2024-H1; espionage 2023, 2024, 2025-H1.
  const Outcome o = d_.Query("treason / espionage");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "treason / espionage,2023,4.33,4.333333333333333,4.333333333333333,false,PervyiOtdel,2024\n"
                       "treason / espionage,2024,6.30,6.304347826086956,6.304347826086956,false,IStories,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(ExpressionTest, ExpressionSeriesTextHasItsSpacingNormalised) {
  const Outcome o = d_.Query("treason[2024]/espionage[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "series"), Strings{"treason[2024] / espionage[2024]"});
  EXPECT_EQ(CsvColumn(o.out, "period"), Strings{"2024"});
}

TEST_F(ExpressionTest, APlainNumberAppliesToEveryRow) {
  const Outcome o = d_.Query("treason * 2");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "period"), (Strings{"2022", "2023", "2024", "2024-H1"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"32", "78", "290", "104"}));
  EXPECT_EQ(CsvColumn(o.out, "source"), (Strings{"Rosbalt", "PervyiOtdel", "IStories", "TASS"}));
}

TEST_F(ExpressionTest, CountsCombinedWithIntegersStayCounts) {
  const Outcome o = d_.Query("treason[2024] + 1; treason[2024] - espionage[2024]; treason[2024] * 3");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2024,146,146,146,false,IStories,2025-04\n\n" + kValueHeader +
                       "treason[2024] - espionage[2024],2024,122,122,122,false,IStories,2025-04\n\n" + kValueHeader +
                       "treason,2024,435,435,435,false,IStories,2025-04\n");
}

TEST_F(ExpressionTest, DivisionOrADecimalLiteralMakesARatioWithTwoDecimals) {
  const Outcome o = d_.Query("treason[2024] / 5; treason[2024] * 1.0");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2024,29.00,29,29,false,IStories,2025-04\n\n" + kValueHeader +
                       "treason,2024,145.00,145,145,false,IStories,2025-04\n");
}

TEST_F(ExpressionTest, ParenthesesGroup) {
  const Outcome o = d_.Query("(treason[2024] - treason[2023]) / treason[2023] * 100");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"271.79"});
}

TEST_F(ExpressionTest, DoubleDashStartsACommentSoUnaryMinusNeedsASpace) {
  const Outcome o = d_.Query("treason[2024] + 5--3 is a comment\n; treason[2024] - -3");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2024,150,150,150,false,IStories,2025-04\n\n" + kValueHeader +
                       "treason,2024,148,148,148,false,IStories,2025-04\n");
}

TEST_F(ExpressionTest, APeriodLiteralWhereNoPeriodIsExpectedIsArithmetic) {
  // 2024-07 is 2024 - 7 = 2017 here.
  const Outcome o = d_.Query("treason[2024] + 2024-07");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"2162"});
}

TEST_F(ExpressionTest, ANumberNeedsADigitOnEachSideOfThePoint) {
  for (const char* query : {"treason[2024] * .5", "treason[2024] * 5."}) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 65) << query;
    EXPECT_EQ(o.err.rfind("docket: -e:1:", 0), 0u) << query << ": " << o.err;
  }
}

TEST_F(ExpressionTest, ANumberAppliedToACompoundExpressionKeepsTheWholeExpressionAsSeries) {
  // No common series (treason vs espionage): the series is the expression as written.
  const Outcome o = d_.Query("(treason[2024] - espionage[2024]) / 2");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"61.00"});
  EXPECT_EQ(CsvColumn(o.out, "series"), Strings{"(treason[2024] - espionage[2024]) / 2"});
}

TEST_F(ExpressionTest, OneRowAgainstSeveralRowsPairsByPeriod) {
  const Outcome o = d_.Query("treason[2024] / espionage");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "treason[2024] / espionage,2024,6.30,6.304347826086956,6.304347826086956,false,IStories,2025-04\n");
}

TEST_F(ExpressionTest, BySourcePairsRowsByPeriodAndSource) {
  ASSERT_EQ(FailureOf(d_.Query("record espionage[2023] = 10 from Rosbalt on 2024-06;"
                               "record treason[2023] = 40 from Rosbalt on 2024-06;")),
            "");
  // treason 2023: PervyiOtdel 39, Rosbalt 40; espionage 2023: PervyiOtdel 9, Rosbalt 10.
  const Outcome o = d_.Query("treason[2023] / espionage by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "source"), (Strings{"PervyiOtdel", "Rosbalt"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"4.33", "4.00"}));
}

TEST_F(ExpressionTest, LeftSideHoldingSeveralSeriesIsAnErrorNamingTheLeftSide) {
  ASSERT_EQ(FailureOf(d_.Query("record espionage{citizenship=\"UA\"}[2024] = 18 from IStories on 2025-04")), "");
  const std::string before = d_.Fingerprint();
  const Outcome o = d_.Query("espionage{citizenship=*}[2024] / espionage[2024]");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("left"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("right"), std::string::npos) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before);
}

TEST_F(ExpressionTest, RightSideHoldingSeveralSeriesIsAnErrorNamingTheRightSide) {
  const Outcome o = d_.Query("espionage[2024] / espionage{citizenship=*}[2024]");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("right"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("left"), std::string::npos) << o.err;
}

TEST_F(ExpressionTest, SeveralSeriesErrorIsFoundBeforeAnEarlierRecordRuns) {
  const std::string before = d_.Fingerprint();
  const Outcome o = d_.Query(
      "record treason[2019] = 1 from Rosbalt on 2024; treason[2019];"
      "espionage{citizenship=*} * 2");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");  // not even the query before it ran
  EXPECT_EQ(d_.Fingerprint(), before);
}

// Intervals (§3): a = 145, b >= 36, c: 2023 >= 52 and 2024 = 0, e: 2023 >= 5 and
// 2024 >= 10, f = 28, g <= 12, h ~ 36, z = 0, w <= 10, one = 1, three >= 3,
// s: 2023 = 157, 2024 >= 209, t: 2023 = 156, 2024 >= 209, u: 2023 ~ 157.
constexpr char kIntervals[] =
    "define source S; define charge a; define charge b; define charge c; define charge e;"
    "define charge f; define charge g; define charge h; define charge z; define charge w;"
    "define charge one; define charge three; define charge s; define charge t; define charge u;"
    "record a[2024] = 145 from S on 2025; record b[2024] >= 36 from S on 2025;"
    "record c[2023] >= 52 from S on 2025; record c[2024] = 0 from S on 2025;"
    "record e[2023] >= 5 from S on 2025; record e[2024] >= 10 from S on 2025;"
    "record f[2024] = 28 from S on 2025; record g[2024] <= 12 from S on 2025;"
    "record h[2024] ~ 36 from S on 2025; record z[2024] = 0 from S on 2025;"
    "record w[2024] <= 10 from S on 2025; record one[2024] = 1 from S on 2025;"
    "record three[2024] >= 3 from S on 2025;"
    "record s[2023] = 157 from S on 2025; record s[2024] >= 209 from S on 2025;"
    "record t[2023] = 156 from S on 2025; record t[2024] >= 209 from S on 2025;"
    "record u[2023] ~ 157 from S on 2025; record u[2024] >= 209 from S on 2025;";

class IntervalE2eTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kIntervals)), ""); }
  // value, lo, hi, approx of a one-row result.
  Strings Cells(const std::string& query) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 0) << query << "\n" << Describe(o);
    const auto records = ParseCsv(o.out);
    if (records.size() != 2) {
      std::string count = std::to_string(records.size());
      count += " records";
      return {count};
    }
    const auto& header = records[0];
    Strings cells;
    for (const char* name : {"value", "lo", "hi", "approx"}) {
      size_t i = 0;
      while (i < header.size() && header[i] != name) ++i;
      cells.push_back(i < records[1].size() ? records[1][i] : "<none>");
    }
    return cells;
  }
  Docket d_;
};

TEST_F(IntervalE2eTest, GrowthOfAtLeastOverExactIsAtLeast) {
  EXPECT_EQ(Cells("growth(s, 2023, 2024)"), (Strings{">=1.33", "1.3312101910828025", "", "false"}));
}

TEST_F(IntervalE2eTest, ApproximateInputMakesTheResultApproximate) {
  EXPECT_EQ(Cells("growth(u, 2023, 2024)"), (Strings{"~>=1.33", "1.3312101910828025", "", "true"}));
  EXPECT_EQ(Cells("h[2024] * 2"), (Strings{"~72", "72", "72", "true"}));
}

TEST_F(IntervalE2eTest, LowerBoundRoundsDown) {
  // 209 / 156 = 1.3397...: nearest would be 1.34, outward is 1.33.
  EXPECT_EQ(Cells("growth(t, 2023, 2024)"), (Strings{">=1.33", "1.3397435897435896", "", "false"}));
}

TEST_F(IntervalE2eTest, CountOverAtLeastIsAtMost) {
  EXPECT_EQ(Cells("a[2024] / b[2024]"), (Strings{"<=4.03", "0", "4.027777777777778", "false"}));
}

TEST_F(IntervalE2eTest, UpperBoundRoundsUp) {
  // 1 / (>=3) = [0, 0.333...]: nearest would be 0.33, outward is 0.34.
  EXPECT_EQ(Cells("one[2024] / three[2024]"), (Strings{"<=0.34", "0", "0.3333333333333333", "false"}));
}

TEST_F(IntervalE2eTest, UnboundedBelowShowsAtMost) {
  // 0 - [52, +inf] = [-inf, -52]
  EXPECT_EQ(Cells("change(c, 2023, 2024)"), (Strings{"<=-52", "", "-52", "false"}));
}

TEST_F(IntervalE2eTest, UnboundedBothWaysShowsQuestionMark) {
  // [10, +inf] - [5, +inf] = [-inf, +inf]
  EXPECT_EQ(Cells("change(e, 2023, 2024)"), (Strings{"?", "", "", "false"}));
}

TEST_F(IntervalE2eTest, TwoSidedIntervalShowsBothEnds) {
  // 28 + [0, 12] = [28, 40]
  EXPECT_EQ(Cells("f[2024] + g[2024]"), (Strings{"28..40", "28", "40", "false"}));
}

TEST_F(IntervalE2eTest, DivisionByAnIntervalContainingZeroIsUnbounded) {
  // 145 / [0, 10] = [14.5, +inf]
  EXPECT_EQ(Cells("a[2024] / w[2024]"), (Strings{">=14.50", "14.5", "", "false"}));
}

TEST_F(IntervalE2eTest, PointValuesRoundHalfAwayFromZero) {
  EXPECT_EQ(Cells("one[2024] / 8"), (Strings{"0.13", "0.125", "0.125", "false"}));
  EXPECT_EQ(Cells("(z[2024] - one[2024]) / 8"), (Strings{"-0.13", "-0.125", "-0.125", "false"}));
}

TEST_F(IntervalE2eTest, DivisionByExactlyZeroGivesNoValueAndAWarning) {
  const Outcome o = d_.Query("a[2024] / z[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "a[2024] / z[2024],2024,,,,false,S,2025\n");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("warning"), std::string::npos) << o.err;
}

TEST(ExpressionPeriodTest, QuarterRangeCrossesTheYearWithoutSkippingBack) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge y; define source A;"
                              "record y[2024-Q3] = 3 from A on 2025; record y[2024-Q4] = 6 from A on 2025;"
                              "record y[2025-Q1] = 9 from A on 2025; record y[2024] = 100 from A on 2025;")),
            "");
  const Outcome o = d.Query("change(y[2024-Q3..2025-Q2])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "series,from,to,from_value,to_value,value,lo,hi,approx,source\n"
            "y,2024-Q3,2024-Q4,3,6,3,3,3,false,A\n"
            "y,2024-Q4,2025-Q1,6,9,3,3,3,false,A\n"
            "y,2025-Q1,2025-Q2,9,,,,,false,A\n");
}

TEST(ExpressionPeriodTest, MonthRangeCrossesTheYear) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge y; define source A;"
                              "record y[2024-12] = 1 from A on 2025; record y[2025-01] = 2 from A on 2025;"
                              "record y[2025-03] = 5 from A on 2025;")),
            "");
  const Outcome o = d.Query("change(y[2024-12..2025-03])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "to"), (Strings{"2025-01", "2025-02", "2025-03"}));
  EXPECT_EQ(CsvColumn(o.out, "value"), (Strings{"1", "", ""}));
}

TEST(ExpressionPeriodTest, ThreeArgumentFormTakesAnyTwoPeriodsOfOneGranularity) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge y; define source A;"
                              "record y[2024-Q3] = 3 from A on 2025; record y[2025-Q1] = 9 from A on 2025;")),
            "");
  EXPECT_EQ(CsvColumn(d.Query("growth(y, 2024-Q3, 2025-Q1)").out, "value"), Strings{"3.00"});
  const Outcome mixed = d.Query("growth(y, 2024, 2025-Q1)");
  EXPECT_EQ(mixed.exit_code, 65);
  EXPECT_EQ(mixed.out, "");
}

TEST(ExpressionSizeTest, ALongChainOfAdditionsDoesNotCrash) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge y; define source A; record y[2024] = 1 from A on 2025")), "");
  std::string script = "y[2024]";
  for (int i = 0; i < 12000; ++i) script += " + 1";
  const std::string path = d.WriteFile("long.docket", script + ";\n");
  const Outcome o = d.Run({"-f", path});
  // Either the sum (1 + 12000) or a clean refusal; never a signal.
  EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 65) << "exit " << o.exit_code << "\n" << o.err.substr(0, 300);
  if (o.exit_code == 0) {
    EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"12001"});
  } else if (o.exit_code == 65) {
    EXPECT_EQ(o.err.rfind("docket: " + path + ":", 0), 0u) << o.err.substr(0, 300);
  }
}

TEST(ExpressionSizeTest, DeeplyNestedParenthesesAreRefusedCleanly) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge y; define source A; record y[2024] = 1 from A on 2025")), "");
  const std::string path =
      d.WriteFile("deep.docket", std::string(100000, '(') + "y[2024]" + std::string(100000, ')') + "\n");
  const Outcome o = d.Run({"-f", path});
  EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 65) << "exit " << o.exit_code;
  if (o.exit_code == 65) {
    EXPECT_EQ(o.err.rfind("docket: " + path + ":1:", 0), 0u) << o.err.substr(0, 300);
  }
}

TEST(ExpressionReportedTest, ReportedIsTheLaterOfTheTwoByEffectiveDay) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge a; define charge b; define source A; define source B;"
                              "record a[2024] = 10 from A on 2025-04; record b[2024] = 5 from B on 2025-04-15;")),
            "");
  // 2025-04 stands for 2025-04-30, later than 2025-04-15.
  const Outcome o = d.Query("a[2024] / b[2024]; b[2024] / a[2024]");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "a[2024] / b[2024],2024,2.00,2,2,false,A/B,2025-04\n\n" + kValueHeader +
                       "b[2024] / a[2024],2024,0.50,0.5,0.5,false,B/A,2025-04\n");
}

TEST(ExpressionReportedTest, AggregateReportedIsTheLatestByEffectiveDay) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge a; define source A; define source B;"
                              "record a{k=\"x\"}[2024] = 1 from A on 2025;"
                              "record a{k=\"y\"}[2024] = 2 from B on 2025-06-01;")),
            "");
  EXPECT_EQ(d.Query("sum(a{k=*})").out, std::string(kValueHeader) + "sum(a{k=*}),2024,3,3,3,false,A/B,2025\n");
}

}  // namespace
}  // namespace docket::e2e
