// End-to-end: `resolve latest|priority|consensus` (spec §7.6), `first(S)`
// (§7.1) and `lag(S)` (§7.2) with the real binary: values, arithmetic,
// aggregates, growth, assert, check, plot, csv and json, and every error
// (message, place, exit 65, archive unchanged).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";

// The seed's disagreement (RTVI's "at least 28" in December against
// IStories' 23 in April), with RTVI preferred by priority, and treason
// figures revised once and published before a period ended.
constexpr char kSetUp[] =
    "define charge espionage; define charge treason; define charge y;"
    "define source IStories; define source RTVI priority 10; define source Media;"
    "record espionage[2024] >= 28 from RTVI on 2024-12;"
    "record espionage[2024] = 23 from IStories on 2025-04;"
    "record espionage[2023] = 9 from Media on 2024;"
    "record treason[2023] = 39 from Media on 2024-02;"
    "record treason[2023] = 40 from Media on 2024-06-15;"
    "record treason[2024] = 100 from Media on 2024-12-20;"
    "record treason[2024] = 145 from IStories on 2025-04;"
    "record y{k=\"a\"}[2024] = 1 from Media on 2025-01;"
    "record y{k=\"a\"}[2024] = 2 from IStories on 2025-01;"
    "record y{k=\"b\"}[2024] = 5 from Media on 2025-01;";

class FirstLagResolveTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kSetUp)), ""); }
  // stdout of a csv query that must succeed without a word on stderr.
  std::string Csv(const std::string& script) const {
    const Outcome o = d_.Query(script);
    EXPECT_EQ(o.exit_code, 0) << script << "\n" << Describe(o);
    EXPECT_EQ(o.err, "") << script;
    return o.out;
  }
  Docket d_;
};

const std::string kNoConsensus =
    "docket: -e: no consensus on espionage[2024]: IStories 23, RTVI >=28\n";

// ------------------------------------------------------------ resolve

TEST_F(FirstLagResolveTest, ResolveLatestIsTheDefault) {
  const std::string latest = std::string(kValueHeader) + "espionage,2024,23,23,23,false,IStories,2025-04\n";
  EXPECT_EQ(Csv("espionage[2024]"), latest);
  EXPECT_EQ(Csv("espionage[2024] resolve latest"), latest);
}

TEST_F(FirstLagResolveTest, ResolvePriorityPrefersTheHigherPriorityOverALaterReport) {
  EXPECT_EQ(Csv("espionage[2024] resolve priority"),
            std::string(kValueHeader) + "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
  // As of 2024-11-30 RTVI had not published: IStories had not either.
  EXPECT_EQ(Csv("espionage[2024] as of 2024-11-30 resolve priority"), kValueHeader);
  // `from` applies first: without RTVI, IStories wins.
  EXPECT_EQ(Csv("espionage[2024] resolve priority from IStories"),
            std::string(kValueHeader) + "espionage,2024,23,23,23,false,IStories,2025-04\n");
}

TEST_F(FirstLagResolveTest, ConsensusWithoutAnIntersectionGivesAnEmptyRowAndAWarning) {
  const Outcome o = d_.Query("espionage[2024] resolve consensus");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "espionage,2024,,,,false,IStories/RTVI,2025-04\n");
  EXPECT_EQ(o.err, kNoConsensus);
  const Outcome json = d_.Run({"--format", "json", "-e", "espionage[2024] resolve consensus"});
  EXPECT_EQ(json.out,
            "[{\"series\":\"espionage\",\"period\":\"2024\",\"value\":\"\",\"lo\":null,\"hi\":null,"
            "\"approx\":false,\"source\":\"IStories/RTVI\",\"reported\":\"2025-04\"}]\n");
  EXPECT_EQ(json.err, kNoConsensus);
  // As of 2024-12-31 only RTVI had published: its figure, unchanged.
  EXPECT_EQ(Csv("espionage[2024] as of 2024-12-31 resolve consensus"),
            std::string(kValueHeader) + "espionage,2024,>=28,28,,false,RTVI,2024-12\n");
}

TEST(ConsensusTest, IntersectsIntervalsWideningApproximateFiguresAndRoundingInward) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; define source B; define source C;"
                              "record x[2023] >= 28 from A on 2024-12;"
                              "record x[2023] <= 30 from B on 2025-01;"
                              "record x[2024] ~ 36 from A on 2025-01;"
                              "record x[2024] >= 30 from B on 2025-02-10;"
                              "record x[2025] ~ 7 from A on 2025-10;"
                              "record x[2025] ~ 8 from C on 2025-10;")),
            "");
  // 2023: [28, inf] ∩ [0, 30] = 28..30. 2024: ~36 spans [32.4, 39.6],
  // ∩ [30, inf], rounded inward: ~33..39. 2025: ~7 [6.3, 7.7] ∩ ~8 [7.2, 8.8]
  // = [7.2, 7.7] holds no whole number.
  const Outcome o = d.Query("x resolve consensus");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "x,2023,28..30,28,30,false,A/B,2025-01\n"
                       "x,2024,~33..39,33,39,true,A/B,2025-02-10\n"
                       "x,2025,,,,false,A/C,2025-10\n");
  EXPECT_EQ(o.err, "docket: -e: no consensus on x[2025]: A ~7, C ~8\n");
  // One source left: its figure unchanged.
  EXPECT_EQ(d.Query("x[2024] from A resolve consensus").out,
            std::string(kValueHeader) + "x,2024,~36,36,36,true,A,2025-01\n");
}

TEST_F(FirstLagResolveTest, AnEmptyConsensusCountsAsNoFigureEverywhereElse) {
  // Arithmetic: an empty value, the row kept.
  Outcome o = d_.Query("espionage[2024] + 1 resolve consensus");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "espionage,2024,,,,false,IStories/RTVI,2025-04\n");
  EXPECT_EQ(o.err, kNoConsensus);
  // growth: an empty value.
  o = d_.Query("growth(espionage, 2023, 2024) resolve consensus");
  EXPECT_EQ(o.out,
            "series,from,to,from_value,to_value,value,lo,hi,approx,source\n"
            "espionage,2023,2024,9,,,,,false,Media/IStories/RTVI\n");
  EXPECT_EQ(o.err, kNoConsensus);
  // Aggregates skip it: y{k="a"} (Media 1 against IStories 2) is left out.
  o = d_.Query("sum(y{k=*}[2024]) resolve consensus");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "sum(y{k=*}),2024,5,5,5,false,Media,2025-01\n");
  EXPECT_EQ(o.err, "docket: -e: no consensus on y{k=\"a\"}[2024]: IStories 2, Media 1\n");
  // assert and check: unknown (exit 3).
  o = d_.Query("assert espionage[2024] resolve consensus > 1");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err, kNoConsensus +
                       "docket: -e: assertion unknown: espionage[2024] resolve consensus > 1 (got no value)\n");
  o = d_.Query("check espionage[2024] resolve consensus warn > 1");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out.rfind("DOCKET UNKNOWN - espionage[2024]", 0), 0u) << o.out;
}

TEST_F(FirstLagResolveTest, ResolveAppliesToGrowthAggregatesAssertCheckAndPlot) {
  // growth under priority: 2023 Media 9 to 2024 RTVI >=28.
  EXPECT_EQ(Csv("change(espionage, 2023, 2024) resolve priority"),
            "series,from,to,from_value,to_value,value,lo,hi,approx,source\n"
            "espionage,2023,2024,9,>=28,>=19,19,,false,Media/RTVI\n");
  // y{k="a"}: latest is a tie on 2025-01 between equal priorities, so
  // IStories (first in byte order) 2; under priority too. Sum 2 + 5.
  EXPECT_EQ(Csv("sum(y{k=*}[2024]) resolve priority"),
            std::string(kValueHeader) + "sum(y{k=*}),2024,7,7,7,false,IStories/Media,2025-01\n");
  // The assert holds only under priority (>=28 >= 28; latest gives 23).
  EXPECT_EQ(d_.Query("assert espionage[2024] resolve priority >= 28").exit_code, 0);
  EXPECT_EQ(d_.Query("assert espionage[2024] >= 28").exit_code, 2);
  const Outcome check = d_.Query("check espionage[2024] resolve priority crit < 25");
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  const Outcome plot = d_.Query("plot espionage[2024] resolve priority");
  EXPECT_EQ(plot.exit_code, 0) << Describe(plot);
  EXPECT_NE(plot.out.find(">=28"), std::string::npos) << plot.out;
  EXPECT_NE(plot.out.find("RTVI"), std::string::npos) << plot.out;
}

TEST(ConsensusTest, RowsAndWarningsFollowTheSeriesTextNotTheOrderTheyWereRecorded) {
  // Eight series recorded from k="h" down to k="a", so the archive numbers
  // them (and keeps their cells) in the reverse of their text order; docket
  // reads many series in the archive's order (query/expr_eval.cc,
  // InKeyOrder), in windows of about 8,192 cells: a range of 1,200 months
  // makes windows of six series, so eight take two.
  Docket d;
  std::string script = "define charge z; define source A; define source B;";
  for (char k = 'h'; k >= 'a'; --k) {
    const std::string cell = std::string("z{k=\"") + k + "\"}[2024-01]";
    script += "record " + cell + " = 1 from A on 2025-01; record " + cell + " = 2 from B on 2025-01;";
  }
  ASSERT_EQ(FailureOf(d.Query(script)), "");
  std::string rows, warnings, pairs;
  for (char k = 'a'; k <= 'h'; ++k) {
    const std::string csv_series = std::string("\"z{k=\"\"") + k + "\"\"}\"";
    rows += csv_series + ",2024-01,,,,false,A/B,2025-01\n";
    pairs += csv_series + ",2023-12,2024-01,,,,,,false,A/B\n";
    warnings += std::string("docket: -e: no consensus on z{k=\"") + k + "\"}[2024-01]: A 1, B 2\n";
  }
  for (const char* query : {"z{k=*}[2024-01] resolve consensus", "z{k=*}[2000-01..2099-12] resolve consensus"}) {
    const Outcome o = d.Query(query);
    EXPECT_EQ(o.exit_code, 0) << query;
    EXPECT_EQ(o.out, std::string(kValueHeader) + rows) << query;
    EXPECT_EQ(o.err, warnings) << query;
  }
  // An aggregate reads its series the same way (and skips every cell here).
  const Outcome sum = d.Query("sum(z{k=*}[2000-01..2099-12]) resolve consensus");
  EXPECT_EQ(sum.exit_code, 0);
  EXPECT_EQ(sum.err, warnings);
  for (const char* query : {"growth(z{k=*}, 2023-12, 2024-01) resolve consensus",
                            "growth(z{k=*}[2023-12..2024-01]) resolve consensus"}) {
    const Outcome o = d.Query(query);
    EXPECT_EQ(o.exit_code, 0) << query;
    EXPECT_EQ(o.out, "series,from,to,from_value,to_value,value,lo,hi,approx,source\n" + pairs) << query;
    EXPECT_EQ(o.err, warnings) << query;
  }
}

TEST(ConsensusTest, EveryManySeriesQueryAnswersAsItsSeriesOneByOneInTextOrder) {
  // The same eight series recorded in the reverse of their text order, as
  // above, each with a later report from A that B contradicts. Every query
  // over many series reads them in key order (InKeyOrder), two windows of
  // six series here; its rows and warnings must be those of the same query
  // on each series alone, in text order.
  Docket d;
  std::string script = "define charge z; define source A; define source B;";
  for (char k = 'h'; k >= 'a'; --k) {
    const std::string cell = std::string("z{k=\"") + k + "\"}[2024-01]";
    script += "record " + cell + " = 1 from A on 2025-01; record " + cell + " = 2 from B on 2025-01;" +
              "record " + cell + " = 3 from A on 2025-03;";
  }
  ASSERT_EQ(FailureOf(d.Query(script)), "");
  const std::string range = "[2000-01..2099-12]";
  for (const std::string call :
       {"first(S) by source", "lag(S) by source", "history(S)", "vintages(S, 2025-01..2025-04) resolve consensus",
        "vintages(S, 2025-01..2025-04) by source", "diff(S, as of 2025-02-01, as of 2025-04-01)", "conflicts(S)",
        "revisions(S)", "sum(S) by source"}) {
    const auto query = [&](const std::string& selector) {
      std::string q = call;
      q.replace(q.find('S'), 1, selector + range);
      return d.Query(q);
    };
    const Outcome all = query("z{k=*}");
    ASSERT_EQ(all.exit_code, 0) << call << "\n" << all.err;
    std::string out, err;
    for (char k = 'a'; k <= 'h'; ++k) {
      const Outcome one = query(std::string("z{k=\"") + k + "\"}");
      ASSERT_EQ(one.exit_code, 0) << call << "\n" << one.err;
      const size_t body = one.out.find('\n') + 1;
      ASSERT_LT(body, one.out.size()) << call << ": no rows for k=" << k;
      out += k == 'a' ? one.out : one.out.substr(body);
      err += one.err;
    }
    if (call.starts_with("sum")) {
      // One row per period and source, over every series: A's current
      // figure is 3 in each of the eight, B's 2.
      EXPECT_EQ(all.out, std::string(kValueHeader) + "sum(z{k=*}),2024-01,24,24,24,false,A,2025-03\n"
                                                     "sum(z{k=*}),2024-01,16,16,16,false,B,2025-01\n");
      continue;
    }
    EXPECT_EQ(all.out, out) << call;
    EXPECT_EQ(all.err, err) << call;
  }
}

// ------------------------------------------------------------ first

TEST_F(FirstLagResolveTest, FirstIsTheEarliestRelease) {
  EXPECT_EQ(Csv("first(treason)"), std::string(kValueHeader) +
                                        "treason,2023,39,39,39,false,Media,2024-02\n"
                                        "treason,2024,100,100,100,false,Media,2024-12-20\n");
  EXPECT_EQ(Csv("first(treason[2024]) by source"),
            std::string(kValueHeader) + "treason,2024,145,145,145,false,IStories,2025-04\n"
                                        "treason,2024,100,100,100,false,Media,2024-12-20\n");
  EXPECT_EQ(Csv("first(treason[2024]) from IStories"),
            std::string(kValueHeader) + "treason,2024,145,145,145,false,IStories,2025-04\n");
  EXPECT_EQ(Csv("first(treason[2024]) as of 2024-12-19"), kValueHeader);
}

TEST_F(FirstLagResolveTest, FirstComposesWithArithmeticPairingRowsByPeriod) {
  // 2023: 40 - 39; 2024: IStories 145 - Media 100, reported the later.
  EXPECT_EQ(Csv("treason - first(treason)"),
            std::string(kValueHeader) + "treason,2023,1,1,1,false,Media,2024-06-15\n"
                                        "treason,2024,45,45,45,false,IStories/Media,2025-04\n");
  // `resolve` applies to the other operand: treason[2024] under consensus
  // (145 against 100) has no figure, so the difference is empty; the
  // source names each source once.
  const Outcome o = d_.Query("treason[2024] - first(treason[2024]) resolve consensus");
  EXPECT_EQ(o.out, std::string(kValueHeader) + "treason,2024,,,,false,IStories/Media,2025-04\n");
  EXPECT_EQ(o.err, "docket: -e: no consensus on treason[2024]: IStories 145, Media 100\n");
}

TEST(FirstTest, SkipsRetractionsAndFollowsSystemTime) {
  Docket d;
  d.env()["DOCKET_NOW"] = "2025-06-01T00:00:00Z";
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A;"
                              "record x[2024] = 9 from A on 2025-01;"
                              "record x[2023] = 5 from A on 2024-01; retract x[2023] from A on 2024-02;")),
            "");
  d.env()["DOCKET_NOW"] = "2025-07-01T00:00:00Z";
  // A back-dated report, recorded a month later.
  ASSERT_EQ(FailureOf(d.Query("record x[2024] = 8 from A on 2024-12")), "");
  const std::string header = kValueHeader;
  EXPECT_EQ(d.Query("first(x)").out, header + "x,2023,5,5,5,false,A,2024-01\n"
                                              "x,2024,8,8,8,false,A,2024-12\n");
  EXPECT_EQ(d.Query("first(x[2024]) recorded as of 2025-06-15").out,
            header + "x,2024,9,9,9,false,A,2025-01\n");
  // The retracted cell has no current figure, but its first release stays.
  EXPECT_EQ(d.Query("x[2023]").out, header);
}

// ------------------------------------------------------------ lag

TEST_F(FirstLagResolveTest, LagCountsDaysFromThePeriodsEndToTheFirstRelease) {
  // 2023: 2024-02 stands for 2024-02-29 (a leap year): 31 + 29 = 60 days.
  // 2024: 2024-12-20 is 11 days before the period's end.
  EXPECT_EQ(Csv("lag(treason)"), std::string(kValueHeader) +
                                      "treason,2023,60,60,60,false,Media,2024-02\n"
                                      "treason,2024,-11,-11,-11,false,Media,2024-12-20\n");
  // By source: IStories' 2025-04 is 2025-04-30, 120 days after 2024-12-31.
  EXPECT_EQ(Csv("lag(treason[2024]) by source"),
            std::string(kValueHeader) + "treason,2024,120,120,120,false,IStories,2025-04\n"
                                        "treason,2024,-11,-11,-11,false,Media,2024-12-20\n");
  const Outcome json = d_.Run({"--format", "json", "-e", "lag(treason[2023])"});
  EXPECT_EQ(json.out,
            "[{\"series\":\"treason\",\"period\":\"2023\",\"value\":\"60\",\"lo\":60,\"hi\":60,"
            "\"approx\":false,\"source\":\"Media\",\"reported\":\"2024-02\"}]\n");
}

TEST_F(FirstLagResolveTest, LagInCheckAndAssert) {
  Outcome o = d_.Query("check lag(treason[2023]) warn > 30 crit > 90");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out.rfind("DOCKET WARNING - lag(treason[2023]) = 60 | 'treason'=60;", 0), 0u) << o.out;
  // Not yet published as of 2024-12-19: no row, so UNKNOWN.
  o = d_.Query("check lag(treason[2024]) as of 2024-12-19 warn > 30");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out.rfind("DOCKET UNKNOWN - lag(treason[2024]): no data", 0), 0u) << o.out;
  EXPECT_EQ(d_.Query("assert lag(treason[2023]) < 61").exit_code, 0);
  o = d_.Query("assert lag(treason[2023]) <= 59");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err, "docket: -e: assertion failed: lag(treason[2023]) <= 59 (got 60)\n");
  o = d_.Query("plot lag(treason)");
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
}

// ------------------------------------------------------------ errors

struct ErrorCase {
  std::string script;
  std::string err;  // the whole of stderr
};

TEST_F(FirstLagResolveTest, EveryErrorNamesItsPlaceExits65AndWritesNothing) {
  const std::vector<ErrorCase> cases = {
      {"espionage[2024] resolve priority by source",
       "docket: -e:1:17: `resolve` cannot be used with `by source`: by source shows each source's "
       "figure, resolving nothing\nespionage[2024] resolve priority by source\n                ^\n"},
      {"revisions(espionage) resolve latest",
       "docket: -e:1:22: `resolve` cannot be used with revisions: it shows every source's figures\n"
       "revisions(espionage) resolve latest\n                     ^\n"},
      {"conflicts(espionage) resolve consensus",
       "docket: -e:1:22: `resolve` cannot be used with conflicts: it shows every source's figures\n"
       "conflicts(espionage) resolve consensus\n                     ^\n"},
      {"changes since 2024 resolve latest",
       "docket: -e:1:20: `resolve` cannot be used with changes: it lists versions, it resolves no "
       "cell\nchanges since 2024 resolve latest\n                   ^\n"},
      {"first(treason) resolve priority",
       "docket: -e:1:16: `resolve` does not apply to first and lag: they take the first release by "
       "their own rule\nfirst(treason) resolve priority\n               ^\n"},
      {"lag(treason) + 1 resolve consensus",
       "docket: -e:1:18: `resolve` does not apply to first and lag: they take the first release by "
       "their own rule\nlag(treason) + 1 resolve consensus\n                 ^\n"},
      {"check lag(treason) resolve latest warn > 1",
       "docket: -e:1:20: `resolve` does not apply to first and lag: they take the first release by "
       "their own rule\ncheck lag(treason) resolve latest warn > 1\n                   ^\n"},
      {"treason resolve latest resolve priority",
       "docket: -e:1:24: `resolve` is given twice\ntreason resolve latest resolve priority\n"
       "                       ^\n"},
      {"treason resolve median",
       "docket: -e:1:17: expected a rule after `resolve`: latest, priority or consensus\n"
       "treason resolve median\n                ^\n"},
      {"sum(first(treason))",
       "docket: -e:1:5: expected a series: a function takes a series, not another function's "
       "result\nsum(first(treason))\n    ^\n"},
      {"growth(lag(treason), 2023, 2024)",
       "docket: -e:1:8: expected a series: a function takes a series, not another function's "
       "result\ngrowth(lag(treason), 2023, 2024)\n       ^\n"},
      {"revisions(first(treason))",
       "docket: -e:1:11: expected a series: a function takes a series, not another function's "
       "result\nrevisions(first(treason))\n          ^\n"},
      {"conflicts(lag(treason))",
       "docket: -e:1:11: expected a series: a function takes a series, not another function's "
       "result\nconflicts(lag(treason))\n          ^\n"},
      {"first(first(treason))",
       "docket: -e:1:7: expected a series: a function takes a series, not another function's "
       "result\nfirst(first(treason))\n      ^\n"},
      {"lag(treason, 2023, 2024)",
       "docket: -e:1:14: lag takes one series, e.g. lag(espionage{citizenship=*}[2024])\n"
       "lag(treason, 2023, 2024)\n             ^\n"},
      {"treason - first(y{k=*})",
       "docket: -e:1:11: the right side of `-` holds several series (y{k=*}); arithmetic needs one "
       "series on each side: name one label value or use sum(...)\ntreason - first(y{k=*})\n"
       "          ^\n"},
      {"first(tresaon)",
       "docket: -e:1:7: unknown charge `tresaon`; did you mean `treason`?\nfirst(tresaon)\n      ^\n"},
  };
  const std::string before = d_.Fingerprint();
  for (const auto& c : cases) {
    // A write in the same script proves nothing runs.
    const Outcome o = d_.Query("record treason[2022] = 1 from Media on 2023; " + c.script);
    const std::string prefix = "record treason[2022] = 1 from Media on 2023; ";
    std::string expected = c.err;
    // The script line and column carry the prefix.
    const size_t colon = expected.find(":1:") + 3;
    const size_t end = expected.find(':', colon);
    const int column = std::stoi(expected.substr(colon, end - colon)) + static_cast<int>(prefix.size());
    expected.replace(colon, end - colon, std::to_string(column));
    const size_t line = expected.find('\n') + 1;
    expected.insert(line, prefix);
    const size_t caret_line = expected.find('\n', line) + 1;
    expected.insert(caret_line, std::string(prefix.size(), ' '));
    EXPECT_EQ(o.exit_code, 65) << c.script;
    EXPECT_EQ(o.err, expected) << c.script;
    // A script with a check says the error as plugin output too (spec §5).
    const size_t message = expected.find(": ", end) + 2;
    const std::string plugin =
        "DOCKET UNKNOWN - " + expected.substr(message, expected.find('\n') - message) + "\n";
    EXPECT_EQ(o.out, c.script.starts_with("check ") ? plugin : "") << c.script;
  }
  EXPECT_EQ(d_.Fingerprint(), before);
}

}  // namespace
}  // namespace docket::e2e
