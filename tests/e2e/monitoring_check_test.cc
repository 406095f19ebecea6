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

TEST_F(MonitoringCheckTest, OkWhenNeitherThresholdIsReachedExitsZero) {
  ExpectCheck("check treason[2024] warn > 200 crit > 300",
              "DOCKET OK - treason[2024] = 145 | 'treason'=145;~:200;~:300\n", 0);
}

TEST_F(MonitoringCheckTest, WarningPrintsTheSpecExampleLineAndExitsOne) {
  ExpectCheck("check growth(treason, 2023, 2024) warn > 3 crit > 5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n", 1);
}

TEST_F(MonitoringCheckTest, CriticalWinsOverWarningOnOneRowAndExitsTwo) {
  ExpectCheck("check treason[2024] warn > 100 crit > 140",
              "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;~:100;~:140\n", 2);
}

TEST_F(MonitoringCheckTest, NoRowsIsUnknownNoDataAndExitsThree) {
  ExpectCheck("check treason[2030] warn > 1 crit > 2", "DOCKET UNKNOWN - treason[2030]: no data | 'treason[2030]'=U;~:1;~:2\n", 3);
  ExpectCheck("check espionage{citizenship=*}[2024] warn > 1 crit > 2",
              "DOCKET UNKNOWN - espionage{citizenship=*}[2024]: no data | 'espionage{citizenship_*}[2024]'=U;~:1;~:2\n", 3);
}

TEST_F(MonitoringCheckTest, LowerBoundStraddlingTheCritThresholdIsUnknown) {
  // >=28 > 50 holds for some points of [28, inf] and not others.
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit > 50",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;~:30;~:50\n", 3);
}

TEST_F(MonitoringCheckTest, LowerBoundStraddlingOnlyTheWarnThresholdIsUnknown) {
  // crit < 10 is false for every point of [28, inf]; warn > 30 is unknown.
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit < 10",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;~:30;10:\n", 3);
}

TEST_F(MonitoringCheckTest, TrueWarnDoesNotHideAnUnknownCrit) {
  // warn > 20 is true, crit > 30 unknown: UNKNOWN comes before WARNING.
  ExpectCheck("check espionage[2024] from RTVI warn > 20 crit > 30",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;~:20;~:30\n", 3);
}

TEST_F(MonitoringCheckTest, TrueCritWinsEvenWhenWarnIsUnknown) {
  ExpectCheck("check espionage[2024] from RTVI warn > 30 crit > 20",
              "DOCKET CRITICAL - espionage[2024] = >=28 | 'espionage'=28;~:30;~:20\n", 2);
}

TEST_F(MonitoringCheckTest, UpperBoundGivesItsFiniteEndAsPerformanceData) {
  ExpectCheck("check espionage[2023] warn > 20 crit > 50",
              "DOCKET OK - espionage[2023] = <=10 | 'espionage'=10;~:20;~:50\n", 0);
}

TEST_F(MonitoringCheckTest, ApproximateLowerBoundRatioShowsDisplayedValueAndFiniteEnd) {
  // >=209 / ~157 = ~>=1.33 (209/157 = 1.3312..., the lower bound rounded down).
  ExpectCheck("check growth(state_secrets, 2023, 2024) warn < 1 crit < 0.5",
              "DOCKET OK - growth(state_secrets, 2023, 2024) = ~>=1.33 | 'state_secrets'=1.3312101910828025;1:;0.5:\n", 0);
}

TEST_F(MonitoringCheckTest, ApproximateValueComparesAsItsPoint) {
  ExpectCheck("check state_secrets[2023] warn = 157 crit > 200",
              "DOCKET WARNING - state_secrets[2023] = ~157 | 'state_secrets'=157;@157:157;~:200\n", 1);
}

TEST_F(MonitoringCheckTest, NegativeThresholdsBecomeRangesWithTheirSign) {
  ExpectCheck("check change(treason, 2023, 2024) warn < -10 crit < -50",
              "DOCKET OK - change(treason, 2023, 2024) = 106 | 'treason'=106;-10:;-50:\n", 0);
}

TEST_F(MonitoringCheckTest, EveryComparisonOperatorDecides) {
  ExpectCheck("check treason[2024] warn >= 145 crit = 0",
              "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;@145:;@0:0\n", 1);
  ExpectCheck("check treason[2024] warn <= 144 crit != 145",
              "DOCKET OK - treason[2024] = 145 | 'treason'=145;@~:144;145:145\n", 0);
  ExpectCheck("check treason[2024] warn < 146 crit = 145",
              "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;146:;@145:145\n", 2);
}

TEST_F(MonitoringCheckTest, WarnAloneOrCritAloneIsEnough) {
  Outcome o = d.Query("check treason[2024] warn >= 145");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_TRUE(StartsWith(o.out, "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;@145:;\n")) << o.out;
  o = d.Query("check treason[2024] crit >= 145");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(StartsWith(o.out, "DOCKET CRITICAL - treason[2024] = 145 | 'treason'=145;")) << o.out;
  EXPECT_TRUE(EndsWith(o.out, ";;@145:\n")) << o.out;
}

TEST_F(MonitoringCheckTest, RowWithoutValueIsUnknownWithPerformanceDataU) {
  // treason 2022 is missing: the growth row has an empty value.
  const Outcome o = d.Query("check growth(treason, 2022, 2023) warn > 3 crit > 5");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err, "");
  ASSERT_EQ(Lines(o.out).size(), 1u) << o.out;
  EXPECT_TRUE(StartsWith(o.out, "DOCKET UNKNOWN - growth(treason, 2022, 2023)")) << o.out;
  EXPECT_TRUE(EndsWith(o.out, " | 'treason'=U;~:3;~:5\n")) << o.out;
}

TEST_F(MonitoringCheckTest, ValueUnboundedBothWaysIsUnknownWithPerformanceDataU) {
  // [28, inf] - [28, inf] = [-inf, inf], shown `?`.
  ExpectCheck("check espionage[2024] - espionage[2024] from RTVI warn > 1 crit > 2",
              "DOCKET UNKNOWN - espionage[2024] - espionage[2024] = ? | 'espionage'=U;~:1;~:2\n", 3);
}

TEST_F(MonitoringCheckTest, ModifiersAreDroppedFromTheText) {
  ExpectCheck("check treason[2024] as of 2025-12-31 from IStories, PervyiOtdel warn > 100 crit > 200",
              "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;~:100;~:200\n", 1);
  ExpectCheck("check espionage[2024] recorded as of 2025-12-31T00:00Z as of 2025-01-01 warn > 30 crit > 50",
              "DOCKET UNKNOWN - espionage[2024] = >=28 | 'espionage'=28;~:30;~:50\n", 3);
}

TEST_F(MonitoringCheckTest, TextIsTheExpressionWithSpacingNormalised) {
  ExpectCheck("check   growth( treason ,2023,  2024 )warn>3 crit>5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n", 1);
  ExpectCheck("check growth(treason, -- a comment\n 2023,\n\t2024) warn > 3 crit > 5",
              "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n", 1);
}

TEST_F(MonitoringCheckTest, LabelsAreWrittenKeyColonValueAndLoseEqualsQuotesAndBars) {
  ASSERT_EQ(d.Query(R"(record treason{court="O'Brien=a|b"}[2024] = 3 from TASS on 2025)").exit_code, 0);
  // The line keeps the expression, but a `|` would start performance data.
  ExpectCheck(R"(check treason{court="O'Brien=a|b"}[2024] warn > 5 crit > 10)",
              "DOCKET OK - treason{court=\"O'Brien=a_b\"}[2024] = 3 | 'treason{court:O_Brien_a_b}'=3;~:5;~:10\n", 0);
}

TEST_F(MonitoringCheckTest, SeveralSeriesGiveOneStatusLineThenOneLinePerRowWorstFirst) {
  ASSERT_EQ(d.Query(R"(
    record espionage{citizenship="UA"}[2024] = 18 from RTVI on 2024-12;
    record espionage{citizenship="RU"}[2024] = 7 from RTVI on 2024-12;
    record espionage{citizenship="US"}[2024] = 2 from RTVI on 2024-12;)")
                .exit_code,
            0);
  // Rows in series order RU 7 (WARNING), UA 18 (CRITICAL), US 2 (OK).
  ExpectCheck("check espionage{citizenship=*}[2024] warn > 5 crit > 10",
              "DOCKET CRITICAL - 3 checks: 1 critical, 1 warning, 1 ok"
              " | 'espionage{citizenship:RU}'=7;~:5;~:10 'espionage{citizenship:UA}'=18;~:5;~:10"
              " 'espionage{citizenship:US}'=2;~:5;~:10\n"
              "CRITICAL - espionage{citizenship=*}[2024] espionage{citizenship:UA} = 18\n"
              "WARNING - espionage{citizenship=*}[2024] espionage{citizenship:RU} = 7\n"
              "OK - espionage{citizenship=*}[2024] espionage{citizenship:US} = 2\n",
              2);
}

TEST_F(MonitoringCheckTest, SeveralPeriodsAddThePeriodOnly) {
  // Only the period tells these rows apart: a label that also named the
  // winning source would change whenever another source wins, breaking the
  // performance-data history of a monitored cell.
  ExpectCheck("check treason[2023..2024] warn > 100 crit > 200",
              "DOCKET WARNING - 2 checks: 1 warning, 1 ok | 'treason 2023'=39;~:100;~:200 'treason 2024'=145;~:100;~:200\n"
              "WARNING - treason[2023..2024] 2024 = 145\n"
              "OK - treason[2023..2024] 2023 = 39\n",
              1);
}

TEST_F(MonitoringCheckTest, BySourceAddsOnlyTheSourceAndDropsTheModifier) {
  // IStories 23: OK; RTVI >=28: warn true, crit unknown -> UNKNOWN. Both
  // rows are espionage 2024, so only the source tells them apart.
  ExpectCheck("check espionage[2024] by source warn > 25 crit > 40",
              "DOCKET UNKNOWN - 2 checks: 1 unknown, 1 ok | 'espionage IStories'=23;~:25;~:40 'espionage RTVI'=28;~:25;~:40\n"
              "UNKNOWN - espionage[2024] RTVI = >=28\n"
              "OK - espionage[2024] IStories = 23\n",
              3);
}

TEST_F(MonitoringCheckTest, LabelsStillAlikeAfterPeriodAndSourceAreNumbered) {
  // 2023 and the two 2024 rows: the period is needed; the 2024 rows have
  // the same source too, so the second one is numbered.
  ExpectCheck("check treason[2023..2024] warn > 100; check treason[2024] crit > 100",
              "DOCKET CRITICAL - 3 checks: 1 critical, 1 warning, 1 ok"
              " | 'treason 2023'=39;~:100; 'treason 2024'=145;~:100; 'treason 2024 #2'=145;;~:100\n"
              "CRITICAL - treason[2024] = 145\n"
              "WARNING - treason[2023..2024] 2024 = 145\n"
              "OK - treason[2023..2024] 2023 = 39\n",
              2);
}

// The worst state wins: CRITICAL > WARNING > UNKNOWN > OK (spec §5); asserts
// that did not hold are rows too, and a passing one prints nothing.
TEST_F(MonitoringCheckTest, WorstStateWinsAcrossChecksAndAsserts) {
  const std::string ok = "check treason[2024] warn > 200 crit > 300";
  const std::string warn = "check treason[2024] warn > 100 crit > 300";
  const std::string crit = "check treason[2024] warn > 100 crit > 140";
  const std::string unknown = "check treason[2030] warn > 1";
  const std::string assert_true = "assert treason[2024] > 100 else \"passes\"";
  const std::string assert_false = "assert treason[2024] < 100 else \"too many\"";
  const std::string assert_unknown = "assert treason[2030] > 1 else \"no figure\"";
  const std::string false_err = "docket: -e: assertion failed: too many (got 145)\n";
  const std::string unknown_err = "docket: -e: assertion unknown: no figure (no rows)\n";
  const struct {
    std::vector<std::string> statements;
    std::string out, err;
    int exit_code;
  } kCases[] = {
      {{ok, ok},
       "DOCKET OK - 2 checks: 2 ok | 'treason'=145;~:200;~:300 'treason #2'=145;~:200;~:300\n"
       "OK - treason[2024] = 145\nOK - treason[2024] = 145\n",
       "", 0},
      {{ok, warn},
       "DOCKET WARNING - 2 checks: 1 warning, 1 ok | 'treason'=145;~:200;~:300 'treason #2'=145;~:100;~:300\n"
       "WARNING - treason[2024] = 145\nOK - treason[2024] = 145\n",
       "", 1},
      {{warn, crit},
       "DOCKET CRITICAL - 2 checks: 1 critical, 1 warning | 'treason'=145;~:100;~:300 'treason #2'=145;~:100;~:140\n"
       "CRITICAL - treason[2024] = 145\nWARNING - treason[2024] = 145\n",
       "", 2},
      {{unknown, warn},
       "DOCKET WARNING - 2 checks: 1 warning, 1 unknown | 'treason[2030]'=U;~:1; 'treason'=145;~:100;~:300\n"
       "WARNING - treason[2024] = 145\nUNKNOWN - treason[2030]: no data\n",
       "", 1},
      {{ok, unknown},
       "DOCKET UNKNOWN - 2 checks: 1 unknown, 1 ok | 'treason'=145;~:200;~:300 'treason[2030]'=U;~:1;\n"
       "UNKNOWN - treason[2030]: no data\nOK - treason[2024] = 145\n",
       "", 3},
      {{unknown, crit, warn, ok},
       "DOCKET CRITICAL - 4 checks: 1 critical, 1 warning, 1 unknown, 1 ok | 'treason[2030]'=U;~:1;"
       " 'treason'=145;~:100;~:140 'treason #2'=145;~:100;~:300 'treason #3'=145;~:200;~:300\n"
       "CRITICAL - treason[2024] = 145\nWARNING - treason[2024] = 145\n"
       "UNKNOWN - treason[2030]: no data\nOK - treason[2024] = 145\n",
       "", 2},
      {{assert_true, ok}, "DOCKET OK - treason[2024] = 145 | 'treason'=145;~:200;~:300\n", "", 0},
      {{assert_false}, "", false_err, 2},
      {{assert_false, warn},
       "DOCKET CRITICAL - 2 checks: 1 critical, 1 warning | 'treason'=145;~:100;~:300\n"
       "CRITICAL - assert too many (got 145)\nWARNING - treason[2024] = 145\n",
       false_err, 2},
      {{warn, assert_false},
       "DOCKET CRITICAL - 2 checks: 1 critical, 1 warning | 'treason'=145;~:100;~:300\n"
       "CRITICAL - assert too many (got 145)\nWARNING - treason[2024] = 145\n",
       false_err, 2},
      {{assert_unknown}, "", unknown_err, 3},
      {{assert_unknown, ok},
       "DOCKET UNKNOWN - 2 checks: 1 unknown, 1 ok | 'treason'=145;~:200;~:300\n"
       "UNKNOWN - assert no figure (no rows)\nOK - treason[2024] = 145\n",
       unknown_err, 3},
      {{assert_unknown, warn},
       "DOCKET WARNING - 2 checks: 1 warning, 1 unknown | 'treason'=145;~:100;~:300\n"
       "WARNING - treason[2024] = 145\nUNKNOWN - assert no figure (no rows)\n",
       unknown_err, 1},
      {{crit, assert_unknown},
       "DOCKET CRITICAL - 2 checks: 1 critical, 1 unknown | 'treason'=145;~:100;~:140\n"
       "CRITICAL - treason[2024] = 145\nUNKNOWN - assert no figure (no rows)\n",
       unknown_err, 2},
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
  const std::string line = "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;~:100;~:300\n";
  for (const char* format : {"json", "jsonl", "csv", "tsv", "markdown", "table"}) {
    const Outcome o = d.Run({"--format", format, "-e", "check treason[2024] warn > 100 crit > 300"});
    EXPECT_EQ(o.out, line) << format;
    EXPECT_EQ(o.exit_code, 1) << format;
  }
}

TEST_F(MonitoringCheckTest, PluginOutputComesOnceAfterEveryOtherResult) {
  const Outcome o = d.Run({"--format", "json", "-e",
                           "check treason[2024] warn > 100 crit > 300; treason[2023]; check treason[2023] warn > 100"});
  EXPECT_EQ(o.out,
            R"([{"series":"treason","period":"2023","value":"39","lo":39,"hi":39,"approx":false,"source":"PervyiOtdel","reported":"2024"}])"
            "\nDOCKET WARNING - 2 checks: 1 warning, 1 ok | 'treason 2024'=145;~:100;~:300 'treason 2023'=39;~:100;\n"
            "WARNING - treason[2024] = 145\n"
            "OK - treason[2023] = 39\n");
  EXPECT_EQ(o.exit_code, 1);
}

TEST_F(MonitoringCheckTest, RunsAsAPluginWithoutFormatAndReadOnly) {
  // What a Nagios command definition runs: no --format, maybe --read-only.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-e", "check growth(treason, 2023, 2024) warn > 3 crit > 5"},
        std::vector<std::string>{"--read-only", "-e", "check growth(treason, 2023, 2024) warn > 3 crit > 5"}}) {
    const Outcome o = d.Run(args);
    EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n");
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.exit_code, 1);
  }
}

TEST_F(MonitoringCheckTest, ChecksRunOnAfterAFailedAssertInTheSameScript) {
  const Outcome o = d.Query(
      "assert espionage[2024] > 100 else \"few\"; check treason[2024] warn > 200 crit > 300; "
      "check espionage[2024] warn > 20 crit > 30");
  EXPECT_EQ(o.out,
            "DOCKET CRITICAL - 3 checks: 1 critical, 1 warning, 1 ok | 'treason'=145;~:200;~:300 'espionage'=23;~:20;~:30\n"
            "CRITICAL - assert few (got 23)\n"
            "WARNING - espionage[2024] = 23\n"
            "OK - treason[2024] = 145\n");
  EXPECT_EQ(o.err, "docket: -e: assertion failed: few (got 23)\n");
  EXPECT_EQ(o.exit_code, 2);
}

TEST_F(MonitoringCheckTest, AnErrorAnywhereStopsTheScriptAndSaysUnknownWithItsExitCode) {
  // An undefined source is found before anything runs: 65, and the plugin
  // line says why.
  const std::string before = d.Fingerprint();
  Outcome o = d.Query("record treason[2025] = 1 from TASS on 2025-06; check treason[2024] warn > 1; treason[2024] from Nobody");
  EXPECT_EQ(o.out, "DOCKET UNKNOWN - unknown source `Nobody`\n");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_TRUE(StartsWith(o.err, "docket: -e:1:")) << o.err;
  EXPECT_EQ(d.Fingerprint(), before);
  // A parse error: the statements did not parse, the keyword tells.
  o = d.Query("check treason[2024] warn >");
  EXPECT_TRUE(StartsWith(o.out, "DOCKET UNKNOWN - expected ")) << o.out;
  EXPECT_EQ(Lines(o.out).size(), 1u) << o.out;
  EXPECT_EQ(o.exit_code, 65);
  // A missing archive: 66.
  o = RunProgram(DocketBinary(), {"--db", d.dir().path() + "/missing", "-e", "check treason[2024] warn > 1"});
  EXPECT_TRUE(StartsWith(o.out, "DOCKET UNKNOWN - ")) << o.out;
  EXPECT_NE(o.out.find("missing"), std::string::npos) << o.out;
  EXPECT_EQ(o.exit_code, 66);
  // A bad command line (64): a bad DOCKET_NOW, a bad --wait.
  d.env()["DOCKET_NOW"] = "yesterday";
  o = d.Run({"-e", "check treason[2024] warn > 1"});
  EXPECT_TRUE(StartsWith(o.out, "DOCKET UNKNOWN - DOCKET_NOW must be a timestamp")) << o.out;
  EXPECT_EQ(Lines(o.out).size(), 1u) << o.out;
  EXPECT_EQ(o.exit_code, 64);
  d.env()["DOCKET_NOW"] = "2025-11-01T00:00:00Z";
  o = d.Run({"--wait", "soon", "-e", "check treason[2024] warn > 1"});
  EXPECT_EQ(o.out, "DOCKET UNKNOWN - --wait takes a number of seconds, not `soon`\n");
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(d.Fingerprint(), before);
  // A script without a check is no plugin: stdout stays empty.
  o = d.Query("treason[2024] from Nobody");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.exit_code, 65);
}

}  // namespace
}  // namespace docket::e2e
