// End-to-end: history, vintages and diff (spec §7.3-7.5) with the real
// binary: their fields and order in csv and json, empty rows, cutoffs on
// both time axes, plot, and every error they name (exit 65, a place and a
// caret, the archive unchanged).
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

// One script, so the versions are stamped 2025-11-01T00:00:00.000000Z to
// .000005Z in this order (DOCKET_NOW is 2025-11-01).
constexpr char kScenario[] =
    "define charge espionage; define charge treason;"
    "define source IStories; define source RTVI; define source Court;"
    "record espionage[2024] >= 28 from RTVI on 2024-12;"                    // .000000
    "record espionage[2024] = 23 from IStories on 2025-04;"                 // .000001
    "retract espionage[2024] from RTVI on 2025-03-01;"                      // .000002
    "record espionage{citizenship=\"UA\"}[2024] >= 18 from RTVI on 2024-12;"  // .000003
    "record treason[2024] = 145 from IStories on 2025-04;"                  // .000004
    "record treason[2024] = 145 from Court on 2025-05-15;";                 // .000005

constexpr char kHistoryHeader[] = "series,period,from,until,value,lo,hi,approx,source,reported\n";
constexpr char kVintagesHeader[] = "series,period,vintage,value,lo,hi,approx,source,reported\n";
constexpr char kDiffHeader[] =
    "series,period,change,value_a,source_a,reported_a,value_b,source_b,reported_b\n";

class RevisionAnalyticsTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kScenario)), ""); }

  // Runs `script`, expecting exit 65, nothing on stdout, the archive
  // unchanged, and stderr `docket: -e:1:COL: MESSAGE`, the line, a caret.
  void ExpectRejected(const std::string& script, size_t column, const std::string& message) {
    SCOPED_TRACE(script);
    const std::string before = d_.Fingerprint();
    const Outcome o = d_.Query(script);
    EXPECT_EQ(o.exit_code, 65) << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "docket: -e:1:" + std::to_string(column) + ": " + message + "\n" + script + "\n" +
                         std::string(column - 1, ' ') + "^\n");
    EXPECT_EQ(d_.Fingerprint(), before);
  }

  Docket d_;
};

// ------------------------------------------------------------ history

TEST_F(RevisionAnalyticsTest, HistoryIsARowPerChangeWithTheWithdrawnDaysEmpty) {
  // 2024-12-31 RTVI's >=28; 2025-03-01 RTVI retracts and IStories has not
  // published yet: no figure; 2025-04-30 IStories' 23.
  const Outcome o = d_.Query("history(espionage[2024])");
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, std::string(kHistoryHeader) +
                       "espionage,2024,2024-12-31,2025-02-28,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-03-01,2025-04-29,,,,false,,\n"
                       "espionage,2024,2025-04-30,,23,23,23,false,IStories,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(RevisionAnalyticsTest, HistoryAsOfStopsThereWithAnOpenLastRow) {
  const Outcome o = d_.Query("history(espionage[2024]) as of 2025-03-15");
  EXPECT_EQ(o.out, std::string(kHistoryHeader) +
                       "espionage,2024,2024-12-31,2025-02-28,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-03-01,,,,,false,,\n");
}

TEST_F(RevisionAnalyticsTest, HistoryAnotherSourceWithTheSameValueStartsARow) {
  const Outcome o = d_.Query("history(treason) ; history(treason) from IStories");
  EXPECT_EQ(o.out, std::string(kHistoryHeader) +
                       "treason,2024,2025-04-30,2025-05-14,145,145,145,false,IStories,2025-04\n"
                       "treason,2024,2025-05-15,,145,145,145,false,Court,2025-05-15\n"
                       "\n" + kHistoryHeader +
                       "treason,2024,2025-04-30,,145,145,145,false,IStories,2025-04\n");
}

TEST_F(RevisionAnalyticsTest, HistoryInJsonHasNullBoundsAndEmptyStrings) {
  const Outcome o = d_.Run({"--format", "json", "-e", "history(espionage[2024]) as of 2025-03-15"});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out,
            "[{\"series\":\"espionage\",\"period\":\"2024\",\"from\":\"2024-12-31\",\"until\":\"2025-02-28\","
            "\"value\":\">=28\",\"lo\":28,\"hi\":null,\"approx\":false,\"source\":\"RTVI\",\"reported\":\"2024-12\"},"
            "{\"series\":\"espionage\",\"period\":\"2024\",\"from\":\"2025-03-01\",\"until\":\"\","
            "\"value\":\"\",\"lo\":null,\"hi\":null,\"approx\":false,\"source\":\"\",\"reported\":\"\"}]\n");
}

// ------------------------------------------------------------ vintages

TEST_F(RevisionAnalyticsTest, VintagesKeepTheTriangleShapeWithEmptyRows) {
  const Outcome o = d_.Query("vintages(espionage[2024], 2024-Q4..2025-Q2)");
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, std::string(kVintagesHeader) +
                       "espionage,2024,2024-Q4,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-Q1,,,,false,,\n"
                       "espionage,2024,2025-Q2,23,23,23,false,IStories,2025-04\n");
}

TEST_F(RevisionAnalyticsTest, VintagesOfDaysAroundAMonthEndAndOfSeveralSeries) {
  // RTVI's `2024-12` stands for 2024-12-31: unknown on the 30th. (CSV quotes the series.)
  const Outcome days = d_.Query("vintages(espionage{citizenship=*}, 2024-12-30..2024-12-31)");
  EXPECT_EQ(days.out, std::string(kVintagesHeader) +
                          "\"espionage{citizenship=\"\"UA\"\"}\",2024,2024-12-30,,,,false,,\n"
                          "\"espionage{citizenship=\"\"UA\"\"}\",2024,2024-12-31,>=18,18,,false,RTVI,2024-12\n");
  // A cell with no report of the sources left gives no rows at all.
  EXPECT_EQ(d_.Query("vintages(espionage{citizenship=*}, 2024..2025) from IStories").out, kVintagesHeader);
}

TEST_F(RevisionAnalyticsTest, VintagesWithoutAConsensusShowItsSourcesAndWarnOnce) {
  // Before RTVI's retraction was recorded: RTVI's >=28 alone until IStories'
  // 23 (2025-04-30); then the two exclude each other (spec §7.6).
  const Outcome o = d_.Query(
      "vintages(espionage[2024], 2024-Q4..2025-Q2) recorded as of 2025-11-01T00:00:00.000001Z resolve consensus");
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, std::string(kVintagesHeader) +
                       "espionage,2024,2024-Q4,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-Q1,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-Q2,,,,false,IStories/RTVI,2025-04\n");
  EXPECT_EQ(o.err, "docket: -e: no consensus on espionage[2024]: IStories 23, RTVI >=28\n");
}

TEST_F(RevisionAnalyticsTest, VintagesBySourceGiveOneRowPerSourceWithAFigure) {
  const Outcome o = d_.Query("vintages(treason[2024], 2025-04..2025-05) by source");
  EXPECT_EQ(o.out, std::string(kVintagesHeader) +
                       "treason,2024,2025-04,145,145,145,false,IStories,2025-04\n"
                       "treason,2024,2025-05,145,145,145,false,Court,2025-05-15\n"
                       "treason,2024,2025-05,145,145,145,false,IStories,2025-04\n");
}

TEST_F(RevisionAnalyticsTest, VintagesRecordedAsOfSeeOnlyWhatTheArchiveHeld) {
  // By .000001 the retraction (.000002) was not recorded: RTVI still stands on 2025-03-31.
  const Outcome o =
      d_.Query("vintages(espionage[2024], 2025-Q1..2025-Q2) recorded as of 2025-11-01T00:00:00.000001Z");
  EXPECT_EQ(o.out, std::string(kVintagesHeader) +
                       "espionage,2024,2025-Q1,>=28,28,,false,RTVI,2024-12\n"
                       "espionage,2024,2025-Q2,23,23,23,false,IStories,2025-04\n");
}

// ------------------------------------------------------------ diff

TEST_F(RevisionAnalyticsTest, DiffOnKnowledgeTimeAddedRemovedRevised) {
  EXPECT_EQ(d_.Query("diff(espionage, as of 2024-11-30, as of 2024-12-31)").out,
            std::string(kDiffHeader) + "espionage,2024,added,,,,>=28,RTVI,2024-12\n");
  EXPECT_EQ(d_.Query("diff(espionage, as of 2024-12-31, as of 2025-03-31)").out,
            std::string(kDiffHeader) + "espionage,2024,removed,>=28,RTVI,2024-12,,,\n");
  EXPECT_EQ(d_.Query("diff(espionage, as of 2024-12-31, as of 2025-06-30)").out,
            std::string(kDiffHeader) + "espionage,2024,revised,>=28,RTVI,2024-12,23,IStories,2025-04\n");
  // The Ukrainian figure did not move: no row.
  EXPECT_EQ(d_.Query("diff(espionage{citizenship=*}, as of 2024-12-31, as of 2025-06-30)").out, kDiffHeader);
}

TEST_F(RevisionAnalyticsTest, DiffSameValueFromAnotherSourceIsRestated) {
  EXPECT_EQ(d_.Query("diff(treason, as of 2025-04, as of 2025-05)").out,
            std::string(kDiffHeader) + "treason,2024,restated,145,IStories,2025-04,145,Court,2025-05-15\n");
  // `from` applies to both sides.
  EXPECT_EQ(d_.Query("diff(treason, as of 2025-04, as of 2025-05) from IStories").out, kDiffHeader);
}

TEST_F(RevisionAnalyticsTest, DiffOnSystemTimeSeesACorrection) {
  ASSERT_EQ(FailureOf(d_.Query("record treason[2024] = 150 from Court on 2025-05-15")), "");  // .000006
  EXPECT_EQ(d_.Query("diff(treason, recorded as of 2025-11-01T00:00:00.000005Z, "
                     "recorded as of 2025-11-01T00:00:00.000006Z)")
                .out,
            std::string(kDiffHeader) + "treason,2024,revised,145,Court,2025-05-15,150,Court,2025-05-15\n");
  // A date means its last microsecond: by the end of 2025-10-31 nothing was recorded.
  EXPECT_EQ(d_.Query("diff(treason, recorded as of 2025-10-31, recorded as of 2025-11)").out,
            std::string(kDiffHeader) + "treason,2024,added,,,,150,Court,2025-05-15\n");
  // Both axes on one side: what was published by April, as the archive held it at .000005.
  EXPECT_EQ(d_.Query("diff(treason, as of 2025-04 recorded as of 2025-11-01T00:00:00.000005Z, "
                     "recorded as of 2025-11-01T00:00:00.000006Z)")
                .out,
            std::string(kDiffHeader) + "treason,2024,revised,145,IStories,2025-04,150,Court,2025-05-15\n");
}

TEST_F(RevisionAnalyticsTest, DiffInJson) {
  const Outcome o = d_.Run({"--format", "json", "-e", "diff(espionage, as of 2024-12-31, as of 2025-03-31)"});
  EXPECT_EQ(o.out,
            "[{\"series\":\"espionage\",\"period\":\"2024\",\"change\":\"removed\",\"value_a\":\">=28\","
            "\"source_a\":\"RTVI\",\"reported_a\":\"2024-12\",\"value_b\":\"\",\"source_b\":\"\","
            "\"reported_b\":\"\"}]\n");
}

TEST_F(RevisionAnalyticsTest, EveryFormatCarriesTheVintagesFieldsInOrder) {
  const auto run = [&](const char* format) {
    const Outcome o = d_.Run({"--format", format, "-e", "vintages(espionage[2024], 2024-Q4..2024-Q4)"});
    EXPECT_EQ(o.exit_code, 0) << Describe(o);
    return o.out;
  };
  EXPECT_EQ(run("tsv"),
            "series\tperiod\tvintage\tvalue\tlo\thi\tapprox\tsource\treported\n"
            "espionage\t2024\t2024-Q4\t>=28\t28\t\tfalse\tRTVI\t2024-12\n");
  EXPECT_EQ(run("jsonl"),
            "{\"series\":\"espionage\",\"period\":\"2024\",\"vintage\":\"2024-Q4\",\"value\":\">=28\","
            "\"lo\":28,\"hi\":null,\"approx\":false,\"source\":\"RTVI\",\"reported\":\"2024-12\"}\n");
  // Markdown right-aligns the columns that hold numbers: here `lo` only.
  EXPECT_EQ(run("markdown"),
            "| series | period | vintage | value | lo | hi | approx | source | reported |\n"
            "|---|---|---|---|---:|---|---|---|---|\n"
            "| espionage | 2024 | 2024-Q4 | >=28 | 28 |  | false | RTVI | 2024-12 |\n");
  const std::string table = run("table");
  size_t at = 0;
  for (const char* field : {"series", "period", "vintage", "value", "lo", "hi", "approx", "source", "reported"}) {
    at = table.find(field, at);
    EXPECT_NE(at, std::string::npos) << field << "\n" << table;
  }
  EXPECT_NE(table.find("(1 row)"), std::string::npos) << table;
}

// ------------------------------------------------------------ plot

TEST_F(RevisionAnalyticsTest, PlotDrawsOneMarkPerChangeAndPerVintage) {
  const Outcome h = d_.Run({"--format", "csv", "-e", "plot history(espionage[2024])"});
  EXPECT_EQ(h.exit_code, 0) << Describe(h);
  const Strings lines = {"2024-12-31", "2025-03-01", "2025-04-30"};
  size_t at = 0;
  for (const auto& day : lines) {  // one line per change, in order
    at = h.out.find(day, at);
    EXPECT_NE(at, std::string::npos) << day << "\n" << h.out;
  }
  EXPECT_NE(h.out.find(">=28  RTVI"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("no value"), std::string::npos) << h.out;
  const Outcome v = d_.Run({"--format", "csv", "-e", "plot vintages(espionage, 2024..2025)"});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_NE(v.out.find("2024  "), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("23  IStories"), std::string::npos) << v.out;
}

// ------------------------------------------------------------ errors

TEST_F(RevisionAnalyticsTest, ModifiersSectionSevenRefusesAreErrorsAtTheModifier) {
  ExpectRejected("history(espionage[2024]) by source", 26,
                 "`by source` cannot be used with history: it follows the resolved figure "
                 "(revisions shows each source's reports)");
  ExpectRejected("vintages(espionage, 2024..2025) as of 2025", 33,
                 "`as of` cannot be used with vintages: the vintages are the cutoffs");
  ExpectRejected("diff(espionage, as of 2024, as of 2025) as of 2025", 41,
                 "`as of` cannot be used with diff: give each side its cutoff inside diff(...)");
  ExpectRejected("diff(espionage, as of 2024, as of 2025) recorded as of 2025", 41,
                 "`recorded as of` cannot be used with diff: give each side its cutoff inside diff(...)");
  ExpectRejected("diff(espionage, as of 2024, as of 2025) by source", 41, "`by source` cannot be used with diff");
}

TEST_F(RevisionAnalyticsTest, VintageRangeErrorsHaveAPlace) {
  ExpectRejected("vintages(espionage, 2024..2024-H2)", 27,
                 "a range's ends must have one granularity: 2024..2024-H2");
  ExpectRejected("vintages(espionage, 2025-01-02..2025-01-01)", 33,
                 "a range must not end before it starts: 2025-01-02..2025-01-01");
  ExpectRejected("vintages(espionage, 2000-01-01..2030-01-01)", 21,
                 "too many vintages: 2000-01-01..2030-01-01 gives 10959, at most 10000");
}

TEST(RevisionAnalyticsCapTest, TooManyVintagesIsRefusedBeforeTheArchiveIsOpened) {
  Docket d;  // no archive: opening it would fail otherwise
  const Outcome o = d.Query("vintages(treason, 0001-01..1000-01)");
  EXPECT_EQ(o.exit_code, 65) << Describe(o);
  EXPECT_EQ(o.err.rfind("docket: -e:1:19: too many vintages: 0001-01..1000-01 gives 11989, at most 10000\n", 0),
            0u)
      << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

}  // namespace
}  // namespace docket::e2e
