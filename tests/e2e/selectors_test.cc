// End-to-end: selectors (spec §2.1): exact label key sets, `*`, ranges of one
// granularity, no-match and undefined charges.
#include <gtest/gtest.h>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";

// Five espionage series for 2024, each with its own count.
constexpr char kSeries[] =
    "define charge espionage; define charge treason; define source R;"
    "record espionage[2024] = 10 from R on 2025;"
    "record espionage{citizenship=\"UA\"}[2024] = 4 from R on 2025;"
    "record espionage{citizenship=\"RU\"}[2024] = 3 from R on 2025;"
    "record espionage{citizenship=\"UA\", region=\"Kyiv\"}[2024] = 2 from R on 2025;"
    "record espionage{region=\"Omsk\"}[2024] = 1 from R on 2025;";

class SelectorTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kSeries)), ""); }
  // The `value` column of a query's csv output.
  std::vector<std::string> Values(const std::string& query) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 0) << Describe(o);
    return CsvColumn(o.out, "value");
  }
  Docket d_;
};

using Strings = std::vector<std::string>;

TEST_F(SelectorTest, PlainChargeSelectsOnlyTheSeriesWithoutLabels) {
  const Outcome o = d_.Query("espionage[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "espionage,2024,10,10,10,false,R,2025\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(SelectorTest, EmptyBracesAreTheSeriesWithoutLabels) {
  EXPECT_EQ(Values("espionage{}[2024]"), Strings{"10"});
}

TEST_F(SelectorTest, ExactLabelMatchesOnlyThatKeySet) {
  // Not espionage{citizenship="UA",region="Kyiv"}, whose keys differ.
  const Outcome o = d_.Query("espionage{citizenship=\"UA\"}[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "\"espionage{citizenship=\"\"UA\"\"}\",2024,4,4,4,false,R,2025\n");
}

TEST_F(SelectorTest, StarMatchesEverySeriesWithExactlyThoseKeys) {
  const Outcome o = d_.Query("espionage{citizenship=*}[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "\"espionage{citizenship=\"\"RU\"\"}\",2024,3,3,3,false,R,2025\n"
                       "\"espionage{citizenship=\"\"UA\"\"}\",2024,4,4,4,false,R,2025\n");
}

TEST_F(SelectorTest, StarMixedWithAnExactValue) {
  EXPECT_EQ(Values("espionage{citizenship=\"UA\", region=*}[2024]"), Strings{"2"});
  EXPECT_EQ(Values("espionage{citizenship=*, region=\"Kyiv\"}[2024]"), Strings{"2"});
  EXPECT_EQ(Values("espionage{citizenship=\"RU\", region=*}[2024]"), Strings{});
}

TEST_F(SelectorTest, StarOnEveryKeyMatchesOnlyThatKeySet) {
  EXPECT_EQ(Values("espionage{region=*}[2024]"), Strings{"1"});
  EXPECT_EQ(Values("espionage{region=*, citizenship=*}[2024]"), Strings{"2"});
}

TEST_F(SelectorTest, LabelKeyOrderDoesNotMatter) {
  const Outcome a = d_.Query("espionage{citizenship=\"UA\", region=\"Kyiv\"}[2024]");
  const Outcome b = d_.Query("espionage{region=\"Kyiv\", citizenship=\"UA\"}[2024]");
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(CsvColumn(a.out, "value"), Strings{"2"});
  EXPECT_EQ(a.out, b.out);
}

TEST_F(SelectorTest, SeriesTextListsLabelsSortedByKey) {
  // Written region first; the canonical text sorts by key. The separator
  // between labels is the program's choice (the spec shows one label only).
  const Outcome o = d_.Query("espionage{region=\"Kyiv\", citizenship=\"UA\"}[2024]");
  const Strings series = CsvColumn(o.out, "series");
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].rfind("espionage{citizenship=\"UA\",", 0), 0u) << series[0];
  EXPECT_TRUE(series[0].ends_with("region=\"Kyiv\"}")) << series[0];
}

TEST_F(SelectorTest, SelectorThatMatchesNoSeriesGivesNoRows) {
  for (const char* query : {"espionage{citizenship=\"XX\"}[2024]", "espionage{court=*}[2024]", "treason",
                            "espionage[2023]", "espionage[2024-H1]"}) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 0) << query;
    EXPECT_EQ(o.out, kValueHeader) << query;
    EXPECT_EQ(o.err, "") << query;
  }
}

TEST_F(SelectorTest, UndefinedChargeIsAnErrorThatSuggestsTheClosestCharge) {
  const std::string before = d_.Fingerprint();
  const Outcome o = d_.Query("espionaeg[2024]");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("unknown charge `espionaeg`; did you mean `espionage`?"), std::string::npos) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before);
}

TEST(SelectorTextTest, SeriesTextOfALabelWithQuotesReadsBackAsASelector) {
  // The spec does not say how a quote in a label value is written in the
  // series text; whatever it is, it should select the same series.
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge c; define source S;"
                              "record c{k=\"say \\\"hi\\\" \\\\ bye\"}[2024] = 7 from S on 2025;"
                              "record c{k=\"other\"}[2024] = 8 from S on 2025;")),
            "");
  const Outcome o = d.Query("c{k=\"say \\\"hi\\\" \\\\ bye\"}");
  const Strings series = CsvColumn(o.out, "series");
  ASSERT_EQ(series.size(), 1u) << o.out;
  const Outcome back = d.Query(series[0] + "[2024]");
  EXPECT_EQ(back.exit_code, 0) << Describe(back);
  EXPECT_EQ(CsvColumn(back.out, "value"), Strings{"7"});
}

TEST(SelectorPeriodTest, ChargeWithoutPeriodSelectsEveryPeriodInPeriodOrder) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge t; define source S;"
                              "record t[2024-Q2] = 7 from S on 2025; record t[2024-02] = 5 from S on 2025;"
                              "record t[2024-01] = 4 from S on 2025; record t[2024-Q1] = 3 from S on 2025;"
                              "record t[2024-H1] = 2 from S on 2025; record t[2024] = 1 from S on 2025;"
                              "record t[2024-03] = 6 from S on 2025; record t[2023] = 0 from S on 2025;")),
            "");
  const Outcome o = d.Query("t");
  EXPECT_EQ(o.exit_code, 0);
  // By first day, longer first.
  EXPECT_EQ(CsvColumn(o.out, "period"),
            (Strings{"2023", "2024", "2024-H1", "2024-Q1", "2024-01", "2024-02", "2024-03", "2024-Q2"}));
}

class SelectorRangeTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge t; define source S;"
                                 "record t[2021] = 21 from S on 2025; record t[2022] = 22 from S on 2025;"
                                 "record t[2023] = 23 from S on 2025; record t[2024] = 24 from S on 2025;"
                                 "record t[2025] = 25 from S on 2025;"
                                 "record t[2023-Q1] = 231 from S on 2025; record t[2024-H1] = 241 from S on 2025;"
                                 "record t[2024-H2] = 242 from S on 2025; record t[2025-H1] = 251 from S on 2025;"
                                 "record t[2024-06] = 246 from S on 2025;")),
              "");
  }
  Strings Periods(const std::string& query) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 0) << Describe(o);
    return CsvColumn(o.out, "period");
  }
  Docket d_;
};

TEST_F(SelectorRangeTest, YearRangeIsInclusiveAndSelectsOnlyYears) {
  EXPECT_EQ(Periods("t[2022..2024]"), (Strings{"2022", "2023", "2024"}));
}

TEST_F(SelectorRangeTest, HalfYearRangeSelectsOnlyHalves) {
  EXPECT_EQ(Periods("t[2024-H1..2025-H1]"), (Strings{"2024-H1", "2024-H2", "2025-H1"}));
}

TEST_F(SelectorRangeTest, RangeOfOnePeriod) {
  EXPECT_EQ(Periods("t[2023..2023]"), (Strings{"2023"}));
}

TEST_F(SelectorRangeTest, MonthRangeSelectsOnlyMonths) {
  EXPECT_EQ(Periods("t[2024-01..2024-12]"), (Strings{"2024-06"}));
}

TEST_F(SelectorRangeTest, RangeWithStartAfterEndIsAnError) {
  const std::string before = d_.Fingerprint();
  const Outcome o = d_.Query("t[2024..2022]");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_EQ(d_.Fingerprint(), before);
}

}  // namespace
}  // namespace docket::e2e
