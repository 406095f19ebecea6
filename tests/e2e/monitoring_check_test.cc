// `check` as a Nagios/Icinga plugin (spec §2.4, §3 comparisons, §4 "check
// lines are plain text", §5 exit codes and the check line): each state and
// its exit code, the line and its performance data, several rows, and the
// worst state winning across checks and asserts.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

// The demo's figures that the checks below look at (spec §6), plus an
// upper bound for espionage 2023.
constexpr const char* kDemo = R"(
define charge treason; define charge espionage; define charge state_secrets;
define source IStories priority 10; define source RTVI; define source PervyiOtdel; define source TASS;
record treason[2023] = 39 from PervyiOtdel on 2024;
record treason[2024] = 145 from IStories on 2025-04;
record espionage[2024] = 23 from IStories on 2025-04;
record espionage[2024] >= 28 from RTVI on 2024-12;
record espionage[2023] <= 10 from TASS on 2024;
record state_secrets[2023] ~ 157 from IStories on 2025-04;
record state_secrets[2024] >= 209 from IStories on 2025-04;
)";

class MonitoringCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Outcome o = d.Query(kDemo);
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
  // Runs one script and expects exactly `out` on stdout, nothing on stderr.
  void ExpectCheck(const std::string& script, const std::string& out, int exit_code) {
    const Outcome o = d.Query(script);
    EXPECT_EQ(o.out, out) << script;
    EXPECT_EQ(o.err, "") << script;
    EXPECT_EQ(o.exit_code, exit_code) << script;
  }
  Docket d;
};

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The performance label of a check line: the text between `| '` and `'=`.
std::string PerfLabel(const std::string& line) {
  const size_t start = line.find(" | '");
  const size_t end = line.rfind("'=");
  if (start == std::string::npos || end == std::string::npos || end < start + 4) return "<none>";
  return line.substr(start + 4, end - start - 4);
}

// The check's text: between `DOCKET STATE - ` and ` = `.
std::string CheckText(const std::string& line) {
  const size_t start = line.find(" - ");
  const size_t end = line.find(" = ", start == std::string::npos ? 0 : start);
  if (start == std::string::npos || end == std::string::npos) return "<none>";
  return line.substr(start + 3, end - start - 3);
}

TEST_F(MonitoringCheckTest, OkWhenNeitherThresholdIsReachedExitsZero) {
  ExpectCheck("check treason[2024] warn > 200 crit > 300",
              "DOCKET OK - treason[2024] = 145 | 'treason'=145;200;300\n", 0);
}

TEST_F(MonitoringCheckTest, WarningPrintsTheSpecExampleLineAndExitsOne) {
  ExpectCheck("check growth(treason, 2023, 2024) warn > 3 crit > 5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n", 1);
}

TEST_F(MonitoringCheckTest, CriticalWinsOverWarningOnOneRowAndExitsTwo) {
  ExpectCheck("check treason[2024] warn > 100 crit > 140",
              "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;100;140\n", 2);
}

TEST_F(MonitoringCheckTest, NoRowsIsUnknownNoDataAndExitsThree) {
  ExpectCheck("check treason[2030] warn > 1 crit > 2", "DOCKET UNKNOWN - treason[2030]: no data\n", 3);
  ExpectCheck("check espionage{citizenship=*}[2024] warn > 1 crit > 2",
              "DOCKET UNKNOWN - espionage{citizenship=*}[2024]: no data\n", 3);
}

TEST_F(MonitoringCheckTest, LowerBoundStraddlingTheCritThresholdIsUnknown) {
  // >=28 > 50 holds for some points of [28, inf] and not others.
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit > 50",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;30;50\n", 3);
}

TEST_F(MonitoringCheckTest, LowerBoundStraddlingOnlyTheWarnThresholdIsUnknown) {
  // crit < 10 is false for every point of [28, inf]; warn > 30 is unknown.
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit < 10",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;30;10\n", 3);
}

TEST_F(MonitoringCheckTest, TrueWarnDoesNotHideAnUnknownCrit) {
  // warn > 20 is true, crit > 30 unknown: UNKNOWN comes before WARNING.
  ExpectCheck("check espionage[2024] from RTVI warn > 20 crit > 30",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;20;30\n", 3);
}

TEST_F(MonitoringCheckTest, TrueCritWinsEvenWhenWarnIsUnknown) {
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit > 20",
              "DOCKET CRITICAL - espionage[2024] = >=28 | 'espionage'=28;30;20\n", 2);
}

TEST_F(MonitoringCheckTest, UpperBoundGivesItsFiniteEndAsPerformanceData) {
  ExpectCheck("check espionage[2023] warn > 20 crit > 50",
              "DOCKET OK - espionage[2023] = <=10 | 'espionage'=10;20;50\n", 0);
}

TEST_F(MonitoringCheckTest, ApproximateLowerBoundRatioShowsDisplayedValueAndFiniteEnd) {
  // >=209 / ~157 = ~>=1.33 (209/157 = 1.3312..., the lower bound rounded down).
  ExpectCheck("check growth(state_secrets, 2023, 2024) warn < 1 crit < 0.5",
              "DOCKET OK - growth(state_secrets, 2023, 2024) = ~>=1.33 | 'state_secrets'=1.33;1;0.5\n", 0);
}

TEST_F(MonitoringCheckTest, ApproximateValueComparesAsItsPoint) {
  ExpectCheck("check state_secrets[2023] warn = 157 crit > 200",
              "DOCKET WARNING - state_secrets[2023] = ~157 | 'state_secrets'=157;157;200\n", 1);
}

TEST_F(MonitoringCheckTest, NegativeThresholdsAppearAsWritten) {
  ExpectCheck("check change(treason, 2023, 2024) warn < -10 crit < -50",
              "DOCKET OK - change(treason, 2023, 2024) = 106 | 'treason'=106;-10;-50\n", 0);
}

TEST_F(MonitoringCheckTest, EveryComparisonOperatorDecides) {
  ExpectCheck("check treason[2024] warn >= 145 crit = 0",
              "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;145;0\n", 1);
  ExpectCheck("check treason[2024] warn <= 144 crit != 145",
              "DOCKET OK - treason[2024] = 145 | 'treason'=145;144;145\n", 0);
  ExpectCheck("check treason[2024] warn < 146 crit = 145",
              "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;146;145\n", 2);
}

TEST_F(MonitoringCheckTest, WarnAloneOrCritAloneIsEnough) {
  Outcome o = d.Query("check treason[2024] warn >= 145");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_TRUE(StartsWith(o.out, "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;145")) << o.out;
  o = d.Query("check treason[2024] crit >= 145");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(StartsWith(o.out, "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;")) << o.out;
  EXPECT_TRUE(EndsWith(o.out, ";145\n")) << o.out;
}

TEST_F(MonitoringCheckTest, RowWithoutValueIsUnknownWithPerformanceDataU) {
  // treason 2022 is missing: the growth row has an empty value.
  const Outcome o = d.Query("check growth(treason, 2022, 2023) warn > 3 crit > 5");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err, "");
  ASSERT_EQ(Lines(o.out).size(), 1u) << o.out;
  EXPECT_TRUE(StartsWith(o.out, "DOCKET UNKNOWN - growth(treason, 2022, 2023)")) << o.out;
  EXPECT_TRUE(EndsWith(o.out, " | 'treason'=U;3;5\n")) << o.out;
}

TEST_F(MonitoringCheckTest, ValueUnboundedBothWaysIsUnknownWithPerformanceDataU) {
  // [28, inf] - [28, inf] = [-inf, inf], shown `?`.
  ExpectCheck("check espionage[2024] - espionage[2024] from RTVI warn > 1 crit > 2",
              "DOCKET UNKNOWN - espionage[2024] - espionage[2024] = ? | 'espionage'=U;1;2\n", 3);
}

TEST_F(MonitoringCheckTest, ModifiersAreDroppedFromTheText) {
  ExpectCheck("check treason[2024] as of 2025-12-31 from IStories, PervyiOtdel warn > 100 crit > 200",
              "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;100;200\n", 1);
  ExpectCheck("check espionage[2024] recorded as of 2025-12-31T00:00Z as of 2025-01-01 warn > 30 crit > 50",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;30;50\n", 3);
}

TEST_F(MonitoringCheckTest, TextIsTheExpressionWithSpacingNormalised) {
  ExpectCheck("check   growth( treason ,2023,  2024 )warn>3 crit>5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n", 1);
  ExpectCheck("check growth(treason, -- a comment\n 2023,\n\t2024) warn > 3 crit > 5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n", 1);
}

TEST_F(MonitoringCheckTest, QuoteInLabelIsDoubledInPerformanceData) {
  ASSERT_EQ(d.Query(R"(record treason{court="O'Brien"}[2024] = 3 from TASS on 2025)").exit_code, 0);
  ExpectCheck(R"(check treason{court="O'Brien"}[2024] warn > 5 crit > 10)",
              "DOCKET OK - treason{court=\"O'Brien\"}[2024] = 3 | 'treason{court=\"O''Brien\"}'=3;5;10\n", 0);
}

TEST_F(MonitoringCheckTest, SeveralSeriesGiveOneLinePerRowWithTheSeriesAdded) {
  ASSERT_EQ(d.Query(R"(
    record espionage{citizenship="UA"}[2024] = 18 from RTVI on 2024-12;
    record espionage{citizenship="RU"}[2024] = 7 from RTVI on 2024-12;
    record espionage{citizenship="US"}[2024] = 2 from RTVI on 2024-12;)")
                .exit_code,
            0);
  const Outcome o = d.Query("check espionage{citizenship=*}[2024] warn > 5 crit > 10");
  EXPECT_EQ(o.exit_code, 2);  // UA is CRITICAL
  EXPECT_EQ(o.err, "");
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o.out;
  // Rows in series order: RU, UA, US.
  const struct {
    const char* state;
    const char* series;
    const char* tail;
  } kWant[] = {
      {"WARNING", R"(espionage{citizenship="RU"})", R"( = 7 | 'espionage{citizenship="RU"}'=7;5;10)"},
      {"CRITICAL", R"(espionage{citizenship="UA"})", R"( = 18 | 'espionage{citizenship="UA"}'=18;5;10)"},
      {"OK", R"(espionage{citizenship="US"})", R"( = 2 | 'espionage{citizenship="US"}'=2;5;10)"},
  };
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(StartsWith(lines[i], std::string("DOCKET ") + kWant[i].state + " - ")) << lines[i];
    EXPECT_NE(CheckText(lines[i]).find(kWant[i].series), std::string::npos) << lines[i];
    EXPECT_TRUE(EndsWith(lines[i], kWant[i].tail)) << lines[i];
  }
}

TEST_F(MonitoringCheckTest, SeveralPeriodsAddThePeriodAndKeepLabelsUnique) {
  const Outcome o = d.Query("check treason[2023..2024] warn > 100 crit > 200");
  EXPECT_EQ(o.exit_code, 1);  // 2024 is WARNING, 2023 OK
  EXPECT_EQ(o.err, "");
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_TRUE(StartsWith(lines[0], "DOCKET OK - ")) << lines[0];
  EXPECT_TRUE(StartsWith(lines[1], "DOCKET WARNING - ")) << lines[1];
  EXPECT_NE(CheckText(lines[0]).find("2023"), std::string::npos) << lines[0];
  EXPECT_NE(CheckText(lines[1]).find("2024"), std::string::npos) << lines[1];
  EXPECT_TRUE(EndsWith(lines[0], "'=39;100;200")) << lines[0];
  EXPECT_TRUE(EndsWith(lines[1], "'=145;100;200")) << lines[1];
  const std::string a = PerfLabel(lines[0]), b = PerfLabel(lines[1]);
  EXPECT_NE(a, b);
  EXPECT_TRUE(StartsWith(a, "treason")) << a;
  EXPECT_TRUE(StartsWith(b, "treason")) << b;
  EXPECT_NE(a.find("2023"), std::string::npos) << a;
  EXPECT_NE(b.find("2024"), std::string::npos) << b;
  // Only the period is needed to tell these rows apart: a label that also
  // named the winning source would change whenever another source wins,
  // breaking the performance-data history of a monitored cell.
  EXPECT_EQ(a.find("PervyiOtdel"), std::string::npos) << a;
  EXPECT_EQ(b.find("IStories"), std::string::npos) << b;
}

TEST_F(MonitoringCheckTest, BySourceAddsTheSourceAndDropsTheModifier) {
  const Outcome o = d.Query("check espionage[2024] by source warn > 25 crit > 40");
  // IStories 23: OK; RTVI >=28: warn true, crit unknown -> UNKNOWN.
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err, "");
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_TRUE(StartsWith(lines[0], "DOCKET OK - ")) << lines[0];
  EXPECT_TRUE(StartsWith(lines[1], "DOCKET UNKNOWN - ")) << lines[1];
  EXPECT_TRUE(EndsWith(lines[0], " = 23 | '" + PerfLabel(lines[0]) + "'=23;25;40")) << lines[0];
  EXPECT_TRUE(EndsWith(lines[1], " = >=28 | '" + PerfLabel(lines[1]) + "'=28;25;40")) << lines[1];
  EXPECT_NE(CheckText(lines[0]).find("IStories"), std::string::npos) << lines[0];
  EXPECT_NE(CheckText(lines[1]).find("RTVI"), std::string::npos) << lines[1];
  EXPECT_EQ(CheckText(lines[0]).find("by source"), std::string::npos) << lines[0];
  EXPECT_NE(PerfLabel(lines[0]).find("IStories"), std::string::npos) << lines[0];
  EXPECT_NE(PerfLabel(lines[1]).find("RTVI"), std::string::npos) << lines[1];
  EXPECT_TRUE(StartsWith(PerfLabel(lines[0]), "espionage")) << lines[0];
}

TEST_F(MonitoringCheckTest, BySourceLabelsAddOnlyTheSourceWhenThePeriodIsShared) {
  // "LABEL the series text plus period/source where needed to be unique":
  // both rows are espionage 2024, so only the source tells them apart.
  const auto lines = Lines(d.Query("check espionage[2024] by source warn > 25 crit > 40").out);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    const std::string label = PerfLabel(line);
    EXPECT_TRUE(StartsWith(label, "espionage")) << line;
    EXPECT_EQ(label.find("2024"), std::string::npos) << line;
  }
  EXPECT_NE(PerfLabel(lines[0]).find("IStories"), std::string::npos) << lines[0];
  EXPECT_NE(PerfLabel(lines[1]).find("RTVI"), std::string::npos) << lines[1];
}

// The worst state wins: CRITICAL > WARNING > UNKNOWN > OK (spec §5).
TEST_F(MonitoringCheckTest, WorstStateWinsAcrossChecksAndAsserts) {
  const std::string ok = "check treason[2024] warn > 200 crit > 300";
  const std::string warn = "check treason[2024] warn > 100 crit > 300";
  const std::string crit = "check treason[2024] warn > 100 crit > 140";
  const std::string unknown = "check treason[2030] warn > 1";
  const std::string assert_true = "assert treason[2024] > 100 else \"passes\"";
  const std::string assert_false = "assert treason[2024] < 100 else \"too many\"";
  const std::string assert_unknown = "assert treason[2030] > 1 else \"no figure\"";
  const std::string ok_line = "DOCKET OK - treason[2024] = 145 | 'treason'=145;200;300\n";
  const std::string warn_line = "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;100;300\n";
  const std::string crit_line = "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;100;140\n";
  const std::string unknown_line = "DOCKET UNKNOWN - treason[2030]: no data\n";
  const std::string false_err = "docket: -e: assertion failed: too many (got 145)\n";
  const std::string unknown_err = "docket: -e: assertion unknown: no figure (no rows)\n";
  const struct {
    std::vector<std::string> statements;
    std::string out, err;
    int exit_code;
  } kCases[] = {
      {{ok, ok}, ok_line + ok_line, "", 0},
      {{ok, warn}, ok_line + warn_line, "", 1},
      {{warn, ok}, warn_line + ok_line, "", 1},
      {{warn, crit}, warn_line + crit_line, "", 2},
      {{crit, warn}, crit_line + warn_line, "", 2},
      {{unknown, warn}, unknown_line + warn_line, "", 1},
      {{warn, unknown}, warn_line + unknown_line, "", 1},
      {{unknown, ok}, unknown_line + ok_line, "", 3},
      {{ok, unknown}, ok_line + unknown_line, "", 3},
      {{crit, unknown}, crit_line + unknown_line, "", 2},
      {{unknown, crit, warn, ok}, unknown_line + crit_line + warn_line + ok_line, "", 2},
      {{assert_true, ok}, ok_line, "", 0},
      {{assert_false}, "", false_err, 2},
      {{assert_false, warn}, warn_line, false_err, 2},
      {{warn, assert_false}, warn_line, false_err, 2},
      {{assert_unknown}, "", unknown_err, 3},
      {{assert_unknown, ok}, ok_line, unknown_err, 3},
      {{assert_unknown, warn}, warn_line, unknown_err, 1},
      {{crit, assert_unknown}, crit_line, unknown_err, 2},
  };
  for (const auto& c : kCases) {
    std::string script;
    for (const auto& s : c.statements) script += s + ";\n";
    const Outcome o = d.Query(script);
    EXPECT_EQ(o.out, c.out) << script;
    EXPECT_EQ(o.err, c.err) << script;
    EXPECT_EQ(o.exit_code, c.exit_code) << script;
  }
}

TEST_F(MonitoringCheckTest, CheckLinesArePlainTextWhateverTheFormat) {
  const std::string line = "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;100;300\n";
  for (const char* format : {"json", "jsonl", "csv", "tsv", "markdown", "table"}) {
    const Outcome o = d.Run({"--format", format, "-e", "check treason[2024] warn > 100 crit > 300"});
    EXPECT_EQ(o.out, line) << format;
    EXPECT_EQ(o.exit_code, 1) << format;
  }
  // After a query's result, in statement order.
  const Outcome o = d.Run({"--format", "json", "-e", "treason[2023]; check treason[2024] warn > 100 crit > 300"});
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_TRUE(StartsWith(lines[0], "[")) << lines[0];
  EXPECT_EQ(lines[1] + "\n", line);
  EXPECT_EQ(o.exit_code, 1);
}

TEST_F(MonitoringCheckTest, RunsAsAPluginWithoutFormatAndReadOnly) {
  // What a Nagios command definition runs: no --format, maybe --read-only.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-e", "check growth(treason, 2023, 2024) warn > 3 crit > 5"},
        std::vector<std::string>{"--read-only", "-e", "check growth(treason, 2023, 2024) warn > 3 crit > 5"}}) {
    const Outcome o = d.Run(args);
    EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n");
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.exit_code, 1);
  }
}

TEST_F(MonitoringCheckTest, ChecksRunOnAfterAFailedAssertInTheSameScript) {
  const Outcome o = d.Query(
      "assert espionage[2024] > 100 else \"few\"; check treason[2024] warn > 200 crit > 300; "
      "check espionage[2024] warn > 20 crit > 30");
  EXPECT_EQ(o.out,
            "DOCKET OK - treason[2024] = 145 | 'treason'=145;200;300\n"
            "DOCKET WARNING - espionage[2024] = 23 | 'espionage'=23;20;30\n");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: few (got 23)\n");
  EXPECT_EQ(o.exit_code, 2);
}

TEST_F(MonitoringCheckTest, AnErrorAnywhereStopsTheScriptBeforeAnyCheckRuns) {
  // An undefined source is found before anything runs: 65, nothing printed.
  const Outcome o = d.Query("check treason[2024] warn > 1; treason[2024] from Nobody");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_TRUE(StartsWith(o.err, "docket: -e")) << o.err;
}

}  // namespace
}  // namespace docket::e2e
