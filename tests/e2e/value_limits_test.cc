// End-to-end: values at the limits (spec §3): number literals of any length,
// results far beyond the double range, ratios of large counts and products
// above 2^53. Arithmetic is exact, so no result is NaN or infinite, every
// shown bound holds in exact terms and every whole number prints in full.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

// 10^n as a literal: 1 followed by n zeros.
std::string Power(size_t n) {
  std::string digits(n + 1, '0');
  digits[0] = '1';
  return digits;
}

// x = 145; y >= 28; big = 94906267 (big^2 = 9007199515875289 > 2^53, odd,
// so no double holds it); small ~ 4; huge >= 10^14; ten11 = 10^11;
// upto <= 10^11 + 1.
constexpr char kFigures[] =
    "define charge x; define charge y; define charge big; define charge small;"
    "define charge huge; define charge ten11; define charge upto; define source A;"
    "record x[2024] = 145 from A on 2025;"
    "record y[2024] >= 28 from A on 2025;"
    "record big[2024] = 94906267 from A on 2025;"
    "record small[2024] ~ 4 from A on 2025;"
    "record huge[2024] >= 100000000000000 from A on 2025;"
    "record ten11[2024] = 100000000000 from A on 2025;"
    "record upto[2024] <= 100000000001 from A on 2025;";

class ValueLimitsTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kFigures)), ""); }
  Outcome As(const std::string& format, const std::string& script) const {
    return d_.Run({"--format", format, "-e", script});
  }
  // The value, lo and hi fields of a one-row csv result.
  Strings ValueLoHi(const std::string& query) const {
    const Outcome o = d_.Query(query);
    EXPECT_EQ(o.exit_code, 0) << Describe(o);
    EXPECT_EQ(o.err, "") << query;
    const Strings value = CsvColumn(o.out, "value"), lo = CsvColumn(o.out, "lo"), hi = CsvColumn(o.out, "hi");
    if (value.size() != 1 || lo.size() != 1 || hi.size() != 1) return {"<not one row>", o.out};
    return {value[0], lo[0], hi[0]};
  }
  // Expects `query` to print no `nan` or `inf` in any format.
  void ExpectNoNanOrInf(const std::string& query) const {
    for (const char* format : {"csv", "tsv", "json", "jsonl", "markdown", "table"}) {
      const Outcome o = As(format, query);
      EXPECT_EQ(o.exit_code, 0) << format << "\n" << Describe(o);
      EXPECT_EQ(o.out.find("nan"), std::string::npos) << format << "\n" << o.out;
      EXPECT_EQ(o.out.find("inf"), std::string::npos) << format << "\n" << o.out;
    }
  }
  Docket d_;
};

// ---------------------------------------------------------------- literals

TEST_F(ValueLimitsTest, ALongThresholdIsReadExactly) {
  // 10^308 has 309 digits: it was read as 0, so `145 < 10^308` failed.
  Outcome o = d_.Query("assert x[2024] < " + Power(308));
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.err, "");
  // Beyond the double range too.
  const std::string beyond = "x[2024] > " + Power(400);
  o = d_.Query("assert " + beyond);
  EXPECT_EQ(o.exit_code, 2) << Describe(o);
  EXPECT_EQ(o.err, "docket: -e: assertion failed: " + beyond + " (got 145)\n");
  o = d_.Query("assert x[2024] < -" + Power(400));
  EXPECT_EQ(o.exit_code, 2) << Describe(o);
}

TEST_F(ValueLimitsTest, ThresholdsWithManyDecimalsCompareExactly) {
  // 145 / 1000 = 0.145 exactly; both thresholds are 0.145 as doubles.
  for (const char* script : {"assert x[2024] / 1000 > 0.14499999999999999999",
                             "assert x[2024] / 1000 < 0.14500000000000000001",
                             "assert x[2024] / 1000 = 0.145"}) {
    const Outcome o = d_.Query(script);
    EXPECT_EQ(o.exit_code, 0) << script << "\n" << Describe(o);
  }
}

TEST_F(ValueLimitsTest, ALongLiteralInAnExpressionIsExact) {
  // 145 * 10^308 = 145 followed by 308 zeros: a count, printed in full.
  const std::string product = "145" + std::string(308, '0');
  EXPECT_EQ(ValueLoHi("x[2024] * " + Power(308)), (Strings{product, product, product}));
  // 145 / 10^30 = 1.45 / 10^28: 27 zeros after the point, then 145; a ratio.
  const std::string quotient = "0." + std::string(27, '0') + "145";
  EXPECT_EQ(ValueLoHi("x[2024] / " + Power(30)), (Strings{"0.00", quotient, quotient}));
}

// ---------------------------------------------------------------- counts

TEST_F(ValueLimitsTest, ACountAbove2To53MinusOneIsRejectedWithItsPlace) {
  const std::string before = d_.Fingerprint();
  const std::string statement = "record x[2023] = 9007199254740992 from A on 2025";
  const Outcome o = d_.Query(statement);
  EXPECT_EQ(o.exit_code, 65) << Describe(o);
  EXPECT_EQ(o.out, "");
  // `record x[2023] = ` is 17 characters: the count starts at column 18.
  EXPECT_EQ(o.err, "docket: -e:1:18: invalid count `9007199254740992`: a count is a whole number from 0 to "
                   "9007199254740991\n" + statement + "\n" + std::string(17, ' ') + "^\n");
  EXPECT_EQ(d_.Fingerprint(), before);
}

TEST_F(ValueLimitsTest, RecordAndImportReadCountsByOneRule) {
  // Leading zeros are read, not counted: twenty digits that are 145.
  ASSERT_EQ(FailureOf(d_.Query("record x[2023] = 00000000000000000145 from A on 2025")), "");
  EXPECT_EQ(ValueLoHi("x[2023]"), (Strings{"145", "145", "145"}));
  const std::string file = d_.WriteFile("counts.csv", "charge,period,value,source,reported\n"
                                                      "x,2022,00000000000000000146,A,2025\n");
  const Outcome o = d_.Run({"import", file});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(ValueLoHi("x[2022]"), (Strings{"146", "146", "146"}));
  // 2^53 is refused by both.
  const std::string before = d_.Fingerprint();
  const std::string too_big = d_.WriteFile("big.csv", "charge,period,value,source,reported\n"
                                                      "x,2021,9007199254740992,A,2025\n");
  const Outcome rejected = d_.Run({"import", too_big});
  EXPECT_EQ(rejected.exit_code, 65) << Describe(rejected);
  EXPECT_NE(rejected.err.find("invalid value: a count from 0 to 9007199254740991"), std::string::npos)
      << rejected.err;
  EXPECT_EQ(d_.Fingerprint(), before);
}

// ---------------------------------------------------------------- beyond the double range

TEST_F(ValueLimitsTest, ProductsBeyondTheDoubleRangeStayExact) {
  // 145 * 10^200 * 10^200 = 145 * 10^400 (a double overflowed to inf).
  const std::string query = "x[2024] * " + Power(200) + " * " + Power(200);
  const std::string product = "145" + std::string(400, '0');
  EXPECT_EQ(ValueLoHi(query), (Strings{product, product, product}));
  const Outcome json = As("jsonl", query);
  EXPECT_NE(json.out.find("\"lo\":" + product + ","), std::string::npos) << json.out;
  ExpectNoNanOrInf(query);
}

TEST_F(ValueLimitsTest, TheDifferenceOfTwoHugeValuesIsZeroNotNan) {
  // Each side is 145 * 10^309: inf - inf printed `-nan`.
  const std::string side = "x[2024] * " + Power(308) + " * 10";
  const std::string query = side + " - " + side;
  EXPECT_EQ(ValueLoHi(query), (Strings{"0", "0", "0"}));
  ExpectNoNanOrInf(query);
}

TEST_F(ValueLimitsTest, UnboundedMinusUnboundedIsUnboundedBothWays) {
  // [28, inf] - [28, inf] = [28 - inf, inf - 28]: `?`, no bounds.
  EXPECT_EQ(ValueLoHi("y[2024] - y[2024]"), (Strings{"?", "", ""}));
  // [28, inf] * 10^400 - 145 = [28 * 10^400 - 145, inf]
  EXPECT_EQ(ValueLoHi("y[2024] * " + Power(400) + " - x[2024]"),
            (Strings{">=" + std::string("27") + std::string(397, '9') + "855",
                     "27" + std::string(397, '9') + "855", ""}));
  const Outcome json = As("jsonl", "y[2024] - y[2024]");
  EXPECT_NE(json.out.find(R"("value":"?","lo":null,"hi":null)"), std::string::npos) << json.out;
  ExpectNoNanOrInf("y[2024] - y[2024]");
}

TEST_F(ValueLimitsTest, PerformanceDataOfHugeAndUnboundedValues) {
  // 145 * 10^309 > 1: WARNING, with the number in full.
  const std::string huge = "145" + std::string(309, '0');
  Outcome o = d_.Query("check x[2024] * " + Power(308) + " * 10 warn > 1");
  EXPECT_EQ(o.exit_code, 1) << Describe(o);
  EXPECT_NE(o.out.find("'=" + huge + ";"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("inf"), std::string::npos) << o.out;
  // `?` compares unknown and has no number: U.
  o = d_.Query("check y[2024] - y[2024] warn > 1");
  EXPECT_EQ(o.exit_code, 3) << Describe(o);
  EXPECT_NE(o.out.find("'=U;"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("nan"), std::string::npos) << o.out;
}

// ---------------------------------------------------------------- ratios of large counts

TEST_F(ValueLimitsTest, ShownBoundsOfTinyRatiosHoldInExactTerms) {
  // ~4 / [10^14, inf] = ~[0, 4 / 10^14]: hi is above 0.00, so it shows 0.01.
  EXPECT_EQ(ValueLoHi("small[2024] / huge[2024]"), (Strings{"~<=0.01", "0", "0.00000000000004"}));
  // 10^11 / [0, 10^11 + 1] = [0.99999999999000…, inf]: lo is below 1.00.
  EXPECT_EQ(ValueLoHi("ten11[2024] / upto[2024]"), (Strings{">=0.99", "0.99999999999", ""}));
  const Outcome md = As("markdown", "small[2024] / huge[2024]; ten11[2024] / upto[2024]");
  EXPECT_NE(md.out.find("| ~<=0.01 | 0.00 | 0.01 | true |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| >=0.99 | 0.99 |  | false |"), std::string::npos) << md.out;
}

// ---------------------------------------------------------------- above 2^53

TEST_F(ValueLimitsTest, ProductsAbove2To53PrintExactly) {
  // 94906267^2 = 9007199515875289; the nearest double is …288.
  EXPECT_EQ(ValueLoHi("big[2024] * big[2024]"),
            (Strings{"9007199515875289", "9007199515875289", "9007199515875289"}));
  // (2^53 - 1)^2 = 81129638414606663681390495662081
  EXPECT_EQ(ValueLoHi("9007199254740991 * 9007199254740991"),
            (Strings{"81129638414606663681390495662081", "81129638414606663681390495662081",
                     "81129638414606663681390495662081"}));
  // Exact, so the difference of two such products is exactly 1.
  EXPECT_EQ(ValueLoHi("big[2024] * big[2024] + 1 - big[2024] * big[2024]"), (Strings{"1", "1", "1"}));
  const Outcome json = As("json", "big[2024] * big[2024]");
  EXPECT_NE(json.out.find(R"("lo":9007199515875289,"hi":9007199515875289)"), std::string::npos) << json.out;
  const Outcome table = As("table", "big[2024] * big[2024]");
  EXPECT_NE(table.out.find(" 9007199515875289 │ 9007199515875289 │"), std::string::npos) << table.out;
}

// ---------------------------------------------------------------- lo and hi for people (v1.1)

TEST_F(ValueLimitsTest, TableAndMarkdownShowCountBoundsWholeAndRatiosRoundedAsTheirEnds) {
  const std::string script =
      "x[2024]; y[2024]; x[2024] / 36; x[2024] / y[2024]; x[2024] * 0 + 2.675; 1.001 + y[2024] * 0.001";
  const Outcome md = As("markdown", script);
  EXPECT_EQ(md.exit_code, 0) << Describe(md);
  // counts: whole numbers
  EXPECT_NE(md.out.find("| 145 | 145 | 145 | false |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| >=28 | 28 |  | false |"), std::string::npos) << md.out;
  // a ratio point, 145 / 36 = 4.0277…: half away from zero at both ends
  EXPECT_NE(md.out.find("| 4.03 | 4.03 | 4.03 | false |"), std::string::npos) << md.out;
  // 145 / [28, inf] = [0, 5.178…]: hi rounds up
  EXPECT_NE(md.out.find("| <=5.18 | 0.00 | 5.18 | false |"), std::string::npos) << md.out;
  // the point 2.675: 2.68 at both ends (a bound would round lo down)
  EXPECT_NE(md.out.find("| 2.68 | 2.68 | 2.68 | false |"), std::string::npos) << md.out;
  // 1.001 + [28, inf] * 0.001 = [1.029, inf]: lo rounds down to 1.02
  EXPECT_NE(md.out.find("| >=1.02 | 1.02 |  | false |"), std::string::npos) << md.out;
  EXPECT_EQ(md.out.find("145.00"), std::string::npos) << md.out;

  const Outcome table = As("table", "x[2024]; y[2024]");
  EXPECT_NE(table.out.find("│ 145   │ 145 │ 145 │"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("│ >=28  │ 28 │    │"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find(".00"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace docket::e2e
