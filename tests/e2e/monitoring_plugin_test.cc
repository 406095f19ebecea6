// docket as monitoring hosts read it (spec §5 v1.1): its check output
// parsed by a strict reader of the Nagios plugin guidelines, and the state
// a plugin library computes from the performance data with the guidelines'
// range semantics agreeing with docket's exit code, on every comparator,
// negative and decimal thresholds, several rows and several checks.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/nagios_plugin.h"

namespace docket::e2e {
namespace {

// Exact figures only: for an exact value the library's verdict must be
// docket's. treason 16, 39, 145; growth 2022..2023 is 2.4375; the change
// 2024 -> 2022 (as a difference) is -129.
constexpr const char* kFigures = R"(
define charge treason; define source IStories; define source RTVI;
record treason[2022] = 16 from IStories on 2023;
record treason[2023] = 39 from IStories on 2024;
record treason[2024] = 145 from IStories on 2025-04;
record treason[2024] = 140 from RTVI on 2025-02;
)";

class MonitoringPluginTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d.Query(kFigures)), ""); }

  // Runs `script`, parses its output strictly and checks that it agrees with
  // itself and with the exit code: the status word is the exit state, the
  // worst state the performance data give (by the guidelines' ranges) is
  // the exit state, and the status line counts the rows that follow.
  void ExpectAgreement(const std::string& script) {
    SCOPED_TRACE(script);
    const Outcome o = d.Run({"-e", script});
    ASSERT_EQ(o.err, "");
    std::string error;
    const auto parsed = ParsePluginOutput(o.out, &error);
    ASSERT_TRUE(parsed) << error << "\n" << o.out;
    ASSERT_EQ(parsed->text.rfind("DOCKET ", 0), 0u) << o.out;
    const std::string word = parsed->text.substr(7, parsed->text.find(" - ") - 7);
    EXPECT_EQ(StateCode(word), o.exit_code) << o.out;
    int worst = 0;
    for (const auto& datum : parsed->perf) worst = WorstState(worst, StateOf(datum));
    EXPECT_EQ(worst, o.exit_code) << o.out;
    if (parsed->long_text.empty()) {
      EXPECT_EQ(parsed->perf.size(), 1u) << o.out;
      return;
    }
    // Several rows: one line per datum, each with its own state, worst first.
    ASSERT_EQ(parsed->long_text.size(), parsed->perf.size()) << o.out;
    EXPECT_NE(parsed->text.find(std::to_string(parsed->perf.size()) + " checks: "), std::string::npos) << o.out;
    std::vector<int> line_states, perf_states;
    for (const auto& line : parsed->long_text) line_states.push_back(StateCode(line.substr(0, line.find(" - "))));
    for (const auto& datum : parsed->perf) perf_states.push_back(StateOf(datum));
    for (size_t i = 1; i < line_states.size(); ++i)
      EXPECT_EQ(WorstState(line_states[i - 1], line_states[i]), line_states[i - 1]) << o.out;
    std::sort(line_states.begin(), line_states.end());
    std::sort(perf_states.begin(), perf_states.end());
    EXPECT_EQ(line_states, perf_states) << o.out;
  }

  Docket d;
};

TEST(NagiosPluginTest, RangesMeanWhatTheGuidelinesSay) {
  // The guidelines' table: 10, 10:, ~:10, 10:20, @10:20.
  const struct {
    const char* range;
    double value;
    bool alerts;
  } kCases[] = {
      {"10", -1, true},    {"10", 0, false},     {"10", 10, false},  {"10", 10.5, true},
      {"10:", 9.9, true},  {"10:", 10, false},   {"~:10", -1e9, false}, {"~:10", 10.1, true},
      {"10:20", 9, true},  {"10:20", 20, false}, {"10:20", 21, true}, {"@10:20", 10, true},
      {"@10:20", 9, false}, {"@10:20", 20, true}, {"@10:10", 10, true}, {"10:10", 10, false},
      {"-1.5:", -1.6, true}, {"-1.5:", -1.5, false}, {"@~:-1.5", -1.5, true},
  };
  for (const auto& c : kCases) {
    const auto r = ParseRange(c.range);
    ASSERT_TRUE(r) << c.range;
    EXPECT_EQ(r->Alerts(c.value), c.alerts) << c.range << " " << c.value;
  }
  for (const char* bad : {"", "@", "20:10", "1e3", "+5", "5.", "~", "a:b", "10::"}) EXPECT_FALSE(ParseRange(bad)) << bad;
}

TEST(NagiosPluginTest, TheParserRefusesWhatHostsMisread) {
  std::string error;
  EXPECT_TRUE(ParsePluginOutput("DOCKET OK - x | 'a b'=1;~:2;@3: c=U;;\nOK - y\n", &error)) << error;
  for (const char* bad : {"", "DOCKET OK - x", "DOCKET OK - x | 'a'=1 | 'b'=2\n", "DOCKET OK - x | 'a=b'=1\n",
                          "DOCKET OK - x | 'a'=1e3\n", "DOCKET OK - x | 'a'=1;>3\n", "DOCKET OK - x | 'a'=1 'a'=2\n",
                          "DOCKET OK - x\nOK - y | 'a'=1\n", "DOCKET OK - x | 'a'=1;;;;;\n", " | 'a'=1\n"})
    EXPECT_FALSE(ParsePluginOutput(bad, &error)) << bad;
}

TEST_F(MonitoringPluginTest, EveryComparatorAgreesOnExactValuesWithNegativeAndDecimalThresholds) {
  const std::vector<std::string> exprs = {"treason[2024]", "growth(treason, 2022, 2023)",
                                          "treason[2022] - treason[2024]"};
  const std::vector<std::string> ops = {"=", "!=", "<", "<=", ">", ">="};
  const std::vector<std::string> thresholds = {"145", "144.5", "2.4375", "2.5", "-129", "-129.5", "0"};
  for (const auto& expr : exprs)
    for (const auto& op : ops)
      for (const auto& t : thresholds) ExpectAgreement("check " + expr + " warn " + op + " " + t);
  // Both thresholds, crit winning when both alert.
  for (const auto& op : ops) {
    ExpectAgreement("check treason[2024] warn " + op + " 145 crit " + op + " -1.5");
    ExpectAgreement("check growth(treason, 2022, 2023) warn " + op + " 2.4375 crit " + op + " 2.4375");
    ExpectAgreement("check treason[2022] - treason[2024] crit " + op + " -129");
  }
}

TEST_F(MonitoringPluginTest, SeveralRowsAndSeveralChecksAgree) {
  ExpectAgreement("check treason[2022..2024] warn > 20 crit > 100");
  ExpectAgreement("check treason[2024] by source warn >= 141 crit >= 145");
  ExpectAgreement("check treason[2022..2024] by source warn != 39 crit < 20");
  ExpectAgreement("check treason[2024] warn > 100; check treason[2024] crit <= 145; check treason[2022] warn = 16");
  ExpectAgreement("check treason[2023] warn > 100; check growth(treason, 2022, 2023) warn >= 2.4 crit > 2.5");
  ExpectAgreement("check treason[2022..2023] warn < 20 crit < -1; check treason[2024] by source warn <= 140");
}

}  // namespace
}  // namespace docket::e2e
