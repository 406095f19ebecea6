// End-to-end: query modifiers (spec §2.3): as of, recorded as of, from, by
// source; each at most once, in any order.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";

// The `value` column of a one-result query (exit 0 expected).
Strings Values(const Docket& d, const std::string& query) {
  const Outcome o = d.Query(query);
  EXPECT_EQ(o.exit_code, 0) << query << "\n" << Describe(o);
  return CsvColumn(o.out, "value");
}

// A's 2024 figure: 10 on 2024-12-20, revised to 12 on 2025-02-01; B's 20 on
// 2025-01 (effective 2025-01-31); C's 7 on 2024 (effective 2024-12-31).
class AsOfTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge x; define charge y; define source A; define source B;"
                                 "define source C;"
                                 "record x[2024] = 10 from A on 2024-12-20;"
                                 "record x[2024] = 12 from A on 2025-02-01;"
                                 "record y[2024] = 20 from B on 2025-01;"
                                 "record y[2024] = 7 from C on 2024;")),
              "");
  }
  Docket d_;
};

TEST_F(AsOfTest, AFullDateIncludesReportsOfThatDay) {
  EXPECT_EQ(Values(d_, "x[2024] as of 2025-01-31"), Strings{"10"});
  EXPECT_EQ(Values(d_, "x[2024] as of 2025-02-01"), Strings{"12"});
}

TEST_F(AsOfTest, NothingReportedByTheCutoffGivesNoRows) {
  const Outcome o = d_.Query("x[2024] as of 2024-12-19");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, kValueHeader);
  EXPECT_EQ(o.err, "");
}

TEST_F(AsOfTest, APartialReportedDateCountsFromTheLastDayOfItsMonth) {
  // B's 2025-01 report is known from 2025-01-31 only; C's 2024 from 2024-12-31.
  EXPECT_EQ(Values(d_, "y[2024] as of 2025-01-30"), Strings{"7"});
  EXPECT_EQ(Values(d_, "y[2024] as of 2025-01-31"), Strings{"20"});
}

TEST_F(AsOfTest, APartialReportedYearCountsFromItsLastDay) {
  EXPECT_EQ(Values(d_, "y[2024] as of 2024-12-30"), Strings{});
  EXPECT_EQ(Values(d_, "y[2024] as of 2024-12-31"), Strings{"7"});
}

TEST_F(AsOfTest, APartialCutoffMeansItsLastDay) {
  EXPECT_EQ(Values(d_, "y[2024] as of 2025-01"), Strings{"20"});
  EXPECT_EQ(Values(d_, "y[2024] as of 2024-12"), Strings{"7"});
  EXPECT_EQ(Values(d_, "y[2024] as of 2024"), Strings{"7"});
  EXPECT_EQ(Values(d_, "x[2024] as of 2025-01"), Strings{"10"});
  EXPECT_EQ(Values(d_, "x[2024] as of 2025"), Strings{"12"});
}

TEST_F(AsOfTest, ReportedIsShownAsWritten) {
  const Outcome o = d_.Query("y[2024] as of 2025-01-31");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "y,2024,20,20,20,false,B,2025-01\n");
}

TEST_F(AsOfTest, AsOfAppliesToEverySelectorInTheQuery) {
  // x: 10 as of 2025-01-31 (12 later); y: 20 (B) as of then.
  const Outcome o = d_.Query("y[2024] - x[2024] as of 2025-01-31");
  EXPECT_EQ(CsvColumn(o.out, "value"), Strings{"10"});
}

// Versions recorded at different instants: x[2024] = 1 at 2025-03-01T12:00Z,
// corrected to 2 at 2025-03-02T00:00Z.
class RecordedAsOfTest : public testing::Test {
 protected:
  void SetUp() override {
    d_.env()["DOCKET_NOW"] = "2025-03-01T12:00:00Z";
    ASSERT_EQ(FailureOf(d_.Query("define charge x; define source A; record x[2024] = 1 from A on 2025-01-10")), "");
    d_.env()["DOCKET_NOW"] = "2025-03-02T00:00:00Z";
    ASSERT_EQ(FailureOf(d_.Query("record x[2024] = 2 from A on 2025-01-10")), "");
    d_.env()["DOCKET_NOW"] = "2025-11-01T00:00:00Z";
  }
  Strings At(const std::string& when) { return Values(d_, "x[2024] recorded as of " + when); }
  Docket d_;
};

TEST_F(RecordedAsOfTest, ATimestampIncludesVersionsRecordedAtThatInstant) {
  EXPECT_EQ(At("2025-03-01T11:59:59.999999Z"), Strings{});
  EXPECT_EQ(At("2025-03-01T12:00Z"), Strings{"1"});
  EXPECT_EQ(At("2025-03-01T12:00:00.000001Z"), Strings{"1"});
  EXPECT_EQ(At("2025-03-01T23:59:59.999999Z"), Strings{"1"});
  EXPECT_EQ(At("2025-03-02T00:00:00Z"), Strings{"2"});
}

TEST_F(RecordedAsOfTest, ADateMeansItsLastMicrosecond) {
  EXPECT_EQ(At("2025-02-28"), Strings{});
  EXPECT_EQ(At("2025-03-01"), Strings{"1"});
  EXPECT_EQ(At("2025-03-02"), Strings{"2"});
}

TEST_F(RecordedAsOfTest, APartialDateMeansItsLastMicrosecond) {
  EXPECT_EQ(At("2025-02"), Strings{});
  EXPECT_EQ(At("2025-03"), Strings{"2"});
  EXPECT_EQ(At("2024"), Strings{});
  EXPECT_EQ(At("2025"), Strings{"2"});
}

TEST_F(RecordedAsOfTest, TimestampsWithOffsetsAreConvertedToUtc) {
  EXPECT_EQ(At("2025-03-01T13:59:59.999999+02:00"), Strings{});
  EXPECT_EQ(At("2025-03-01T14:00+02:00"), Strings{"1"});
  EXPECT_EQ(At("2025-03-01T18:59:59-05:00"), Strings{"1"});
  EXPECT_EQ(At("2025-03-01T19:00:00-05:00"), Strings{"2"});
}

TEST_F(RecordedAsOfTest, FractionsOfASecondMayHaveFewerDigits) {
  EXPECT_EQ(At("2025-03-01T11:59:59.9Z"), Strings{});
  EXPECT_EQ(At("2025-03-01T23:59:59.9Z"), Strings{"1"});
}

// x[2024]: A = 10 on 2025-01-01, B = 20 on 2025-02-01, C retracted its 30 of
// 2025-01-15 on 2025-01-20.
class FromTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query("define charge x; define source A; define source B; define source C;"
                                 "record x[2024] = 10 from A on 2025-01-01;"
                                 "record x[2024] = 20 from B on 2025-02-01;"
                                 "record x[2024] = 30 from C on 2025-01-15;"
                                 "retract x[2024] from C on 2025-01-20;")),
              "");
  }
  Docket d_;
};

TEST_F(FromTest, FromIsAppliedBeforeResolution) {
  // B wins overall; limited to A, A's figure is the answer (not "no rows").
  EXPECT_EQ(Values(d_, "x[2024]"), Strings{"20"});
  EXPECT_EQ(Values(d_, "x[2024] from A"), Strings{"10"});
}

TEST_F(FromTest, FromTakesSeveralSources) {
  EXPECT_EQ(Values(d_, "x[2024] from A, B"), Strings{"20"});
  EXPECT_EQ(Values(d_, "x[2024] from C, A"), Strings{"10"});
}

TEST_F(FromTest, FromASourceWithoutAFigureGivesNoRows) {
  EXPECT_EQ(Values(d_, "x[2024] from C"), Strings{});
}

TEST_F(FromTest, FromAnUndefinedSourceIsAnErrorWithASuggestion) {
  const Outcome o = d_.Query("x[2024] from D, Bb");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("unknown source `D`; did you mean `A`?"), std::string::npos) << o.err;
}

TEST_F(FromTest, BySourceGivesOneRowPerSourceWithAFigure) {
  const Outcome o = d_.Query("x[2024] by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "x,2024,10,10,10,false,A,2025-01-01\n"
                       "x,2024,20,20,20,false,B,2025-02-01\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(FromTest, BySourceHonoursAsOf) {
  // As of 2025-01-17, C's 30 still stands and B has not reported.
  const Outcome o = d_.Query("x[2024] as of 2025-01-17 by source");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "x,2024,10,10,10,false,A,2025-01-01\n"
                       "x,2024,30,30,30,false,C,2025-01-15\n");
}

TEST_F(FromTest, ModifiersComeInAnyOrder) {
  const Strings expected{"30"};
  EXPECT_EQ(Values(d_, "x[2024] as of 2025-01-17 from C, A"), expected);
  EXPECT_EQ(Values(d_, "x[2024] from C, A as of 2025-01-17"), expected);
  EXPECT_EQ(Values(d_, "x[2024] recorded as of 2025-11-01 from A, C as of 2025-01-17"), expected);
}

TEST_F(FromTest, EachModifierAtMostOnce) {
  const std::string before = d_.Fingerprint();
  for (const char* query :
       {"x[2024] as of 2025-01-01 as of 2025-02-01", "x[2024] from A from B", "x[2024] by source by source",
        "x[2024] recorded as of 2025-11-01 recorded as of 2025-10-01",
        "x[2024] as of 2025-01-01 from A as of 2025-02-01"}) {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 65) << query;
    EXPECT_EQ(o.out, "") << query;
    EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << query << "\n" << o.err;
  }
  EXPECT_EQ(d_.Fingerprint(), before);
}

TEST_F(FromTest, BySourceWithRevisionsIsAnError) {
  const Outcome o = d_.Query("revisions(x[2024]) by source");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
}

TEST_F(FromTest, FromLimitsRevisions) {
  const Outcome o = d_.Query("revisions(x[2024]) from C");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(CsvColumn(o.out, "source"), (Strings{"C", "C"}));
}

TEST(AsOfLeapYearTest, APartialFebruaryEndsOnTheTwentyNinthInALeapYear) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define charge y; define source A; define source B;"
                              "record x[2023] = 1 from A on 2024-02; record x[2023] = 2 from B on 2024-02-28;"
                              "record y[2022] = 3 from A on 2023-02; record y[2022] = 4 from B on 2023-02-27;")),
            "");
  // A's 2024-02 counts from 2024-02-29, A's 2023-02 from 2023-02-28.
  EXPECT_EQ(Values(d, "x[2023] as of 2024-02-28"), Strings{"2"});
  EXPECT_EQ(Values(d, "x[2023] as of 2024-02-29"), Strings{"1"});
  EXPECT_EQ(Values(d, "x[2023] as of 2024-02"), Strings{"1"});
  EXPECT_EQ(Values(d, "y[2022] as of 2023-02-27"), Strings{"4"});
  EXPECT_EQ(Values(d, "y[2022] as of 2023-02-28"), Strings{"3"});
}

}  // namespace
}  // namespace docket::e2e
