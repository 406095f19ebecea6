// Bounded work (issue 10): results stream with memory independent of
// their row count, the table format stops at its bound, the parser refuses
// scripts over its cap, and years of small imports still open with few
// file descriptors. Memory bounds are proved by running the real binary
// under an address-space limit (`ulimit -v`) that the code which held
// whole results exceeded.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

// scripts/test leaves the tests named ...WithinAFixedAddressSpace out of
// its run on the sanitized binary: ASan reserves terabytes of address
// space, so a limit on it means nothing.

constexpr const char* kDefine = "define charge treason; define source IStories;";

// `docket --db DB args...` in a shell that first runs `limits` (`ulimit -v
// KIB`, `ulimit -n N`), so the limit holds for docket alone.
Outcome RunLimited(Docket& d, const std::string& limits, const std::vector<std::string>& args) {
  std::string command = limits + " && exec \"$0\" --db \"$1\"";
  for (size_t i = 0; i < args.size(); ++i) command += " \"${" + std::to_string(i + 2) + "}\"";
  std::vector<std::string> argv = {"-c", command, DocketBinary(), d.db()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram("/bin/sh", argv, d.env());
}

// 10,001 series of ten periods (2010..2019): 100,010 versions, each
// recorded by one import, so every version has its own recorded time.
class ManyRowsTest : public ::testing::Test {
 protected:
  static constexpr int kSeries = 10'001;
  static constexpr int kRows = kSeries * 10;

  static void SetUpTestSuite() {
    archive_ = new Docket();
    ASSERT_EQ(FailureOf(archive_->Query(kDefine)), "");
    std::string csv = "charge,period,value,source,reported,region\n";
    for (int s = 0; s < kSeries; ++s)
      for (int year = 2010; year < 2020; ++year)
        csv += "treason," + std::to_string(year) + "," + std::to_string(s % 100) +
               ",IStories,2024-01-15,r" + std::to_string(s) + "\n";
    const Outcome imported = archive_->Run({"import", archive_->WriteFile("rows.csv", csv)});
    ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  }
  static void TearDownTestSuite() {
    delete archive_;
    archive_ = nullptr;
  }

  static Docket* archive_;
};
Docket* ManyRowsTest::archive_ = nullptr;

// Lines of `text` (each ends with a newline).
size_t Lines(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// The address space this docket needs for a small archive's query, plus
// `headroom` MiB: found by raising the limit until a tiny query runs, so the
// test does not depend on how much the binary and its threads reserve.
std::string AddressLimit(Docket& d, int headroom_mib) {
  for (int mib = 64; mib <= 4096; mib += 32) {
    const std::string limit = "ulimit -v " + std::to_string(mib * 1024);
    if (RunLimited(d, limit, {"--format", "csv", "-e", "treason{region=\"r1\"}[2010];"}).exit_code == 0)
      return "ulimit -v " + std::to_string((mib + headroom_mib) * 1024);
  }
  return "false";
}

// 100,010 versions: the whole-result code held ~1.5 KB per version (150 MB
// here); streaming holds one version at a time.
TEST_F(ManyRowsTest, ChangesSinceStreamsWithinAFixedAddressSpace) {
  const Outcome o = RunLimited(*archive_, AddressLimit(*archive_, 48),
                               {"--format", "csv", "-e", "changes since 1900-01-01;"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(Lines(o.out), 1u + kRows);
  EXPECT_EQ(o.out.substr(o.out.rfind('\n', o.out.size() - 2) + 1),
            "\"treason{region=\"\"r10000\"\"}\",2019,IStories,2024-01-15,2025-11-01T00:00:00.100009Z,0,0,0,"
            "false,current,,\n");
}

TEST_F(ManyRowsTest, AQueryInCsvStreamsWithinAFixedAddressSpace) {
  for (const char* format : {"csv", "jsonl", "json"}) {
    const Outcome o = RunLimited(*archive_, AddressLimit(*archive_, 48),
                                 {"--format", format, "-e", "treason{region=*};"});
    ASSERT_EQ(o.exit_code, 0) << format << ": " << o.err;
    const size_t lines = std::string(format) == "json" ? 1 : std::string(format) == "csv" ? kRows + 1 : kRows;
    EXPECT_EQ(Lines(o.out), lines) << format;
  }
}

// Rows stay in spec order across series: by canonical text (`r10` before `r2`).
TEST_F(ManyRowsTest, StreamedRowsKeepSeriesThenPeriodOrder) {
  const Outcome o = archive_->Query("treason{region=*}[2018..2019];");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto series = CsvColumn(o.out, "series");
  const auto periods = CsvColumn(o.out, "period");
  ASSERT_EQ(series.size(), 2u * kSeries);
  EXPECT_EQ(series[0], "treason{region=\"r0\"}");
  EXPECT_EQ(series[2], "treason{region=\"r1\"}");
  EXPECT_EQ(series[4], "treason{region=\"r10\"}");
  EXPECT_EQ(periods[0], "2018");
  EXPECT_EQ(periods[1], "2019");
}

TEST_F(ManyRowsTest, ATableOverItsBoundShowsTheFirstRowsAndSaysHowToGetAll) {
  const std::string before = archive_->Fingerprint();
  const Outcome o = archive_->Run({"--format", "table", "--ascii", "-e", "treason{region=*};"});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(o.err,
            "docket: -e: the result has more than 100000 rows: --format table shows the first "
            "100000; --format csv, tsv, json or jsonl prints them all\n");
  // Rule, header, rule, 100,000 rows, rule, footer.
  EXPECT_EQ(Lines(o.out), 100'005u);
  EXPECT_EQ(o.out.substr(o.out.rfind('\n', o.out.size() - 2) + 1), "(first 100000 rows; more not shown)\n");
  EXPECT_EQ(archive_->Fingerprint(), before);
}

TEST_F(ManyRowsTest, MarkdownHasTheSameBound) {
  const Outcome o = archive_->Run({"--format", "markdown", "-e", "changes since 1900-01-01;"});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_NE(o.err.find("--format markdown shows the first 100000"), std::string::npos) << o.err;
  EXPECT_EQ(Lines(o.out), 100'002u);  // header, rule, rows
}

// A write before the cut-off result is not committed: the run failed.
TEST_F(ManyRowsTest, AWriteBeforeACutOffTableIsNotCommitted) {
  const std::string before = archive_->Fingerprint();
  const Outcome o = archive_->Run(
      {"--format", "table", "-e", "record treason[2030] = 1 from IStories on 2025-01-01; treason{region=*};"});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(archive_->Fingerprint(), before);
}

// ---------------------------------------------------------------- the parser

TEST(ParserBoundsTest, AScriptOverSixteenMebibytesIsRefusedBeforeParsing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const std::string before = d.Fingerprint();
  const std::string big = d.WriteFile("big.dk", std::string((16u << 20) + 1, ' '));
  const Outcome o = d.Run({"-f", big});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "docket: " + big + ":1:1: script too large: more than 16 MiB in all");
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST(ParserBoundsTest, TheCapCountsEveryPieceOfTheScript) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const std::string before = d.Fingerprint();
  const std::string first = d.WriteFile("a.dk", "record treason[2024] = 1 from IStories on 2025-01-01;" +
                                                    std::string(9u << 20, ' '));
  const std::string second = d.WriteFile("b.dk", std::string(8u << 20, ' '));
  const Outcome o = d.Run({"-f", first, "-f", second});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "docket: " + second + ":1:1: script too large: more than 16 MiB in all");
  EXPECT_EQ(d.Fingerprint(), before);
}

// Out of memory is an exit code of the spec, not an abort: a write and a
// 15 MiB script (under the cap) where only a tiny query fits; the write
// does not commit.
TEST(ParserBoundsTest, RunningOutOfMemoryExits74WithAMessageAndWritesNothingWithinAFixedAddressSpace) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine + std::string("record treason{region=\"r1\"}[2010] = 1 from IStories on 2025-01-01;"))), "");
  const std::string before = d.Fingerprint();
  std::string script = "record treason{region=\"r1\"}[2011] = 2 from IStories on 2025-01-01;";
  while (script.size() < (15u << 20)) script += "1;";
  const std::string file = d.WriteFile("huge.dk", script);
  const Outcome o = RunLimited(d, AddressLimit(d, 0), {"-f", file});
  EXPECT_EQ(o.exit_code, 74) << o.err.substr(0, 300);
  EXPECT_EQ(o.err, "docket: out of memory\n");
  EXPECT_EQ(d.Fingerprint(), before);
}

// A 4 MB expression: the parse tree of the whole script took ~900 MB; now
// the operators are counted as they are parsed.
TEST(ParserBoundsTest, ALongExpressionFailsWithinAFixedAddressSpace) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine + std::string("record treason{region=\"r1\"}[2010] = 1 from IStories on 2025-01-01;"))), "");
  std::string expr = "1";
  for (int i = 0; i < 2'000'000; ++i) expr += "+1";
  const std::string file = d.WriteFile("long.dk", expr + ";");
  const Outcome o = RunLimited(d, AddressLimit(d, 64), {"-f", file});
  EXPECT_EQ(o.exit_code, 65) << o.err.substr(0, 300);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "docket: " + file + ":1:2002: expression too long: more than 1000 operators");
}

// 500,000 statements `1;` (1 MB): the parse tree and a second copy of the
// statements took ~820 MB; one statement's tree and the statements remain.
// Those took ~740 bytes each (every statement as large as the largest kind,
// 370 MB here); boxed, each takes its own size (~370 bytes, 185 MB).
TEST(ParserBoundsTest, ManyTinyStatementsParseWithinAFixedAddressSpace) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine + std::string("record treason{region=\"r1\"}[2010] = 1 from IStories on 2025-01-01;"))), "");
  std::string script;
  for (int i = 0; i < 500'000; ++i) script += "1;";
  const std::string file = d.WriteFile("tiny.dk", script);
  const Outcome o = RunLimited(d, AddressLimit(d, 250), {"--format", "jsonl", "-f", file});
  EXPECT_EQ(o.exit_code, 0) << o.err.substr(0, 300);
  EXPECT_EQ(Lines(o.out), 500'000u);
}

// ---------------------------------------------------------------- table files

// One-row imports, each its own commit and table files: DOCKET_SMALL_IMPORTS
// of them (scripts/test --long: 5,000), 270 by default, more than the 256
// descriptors the archive then opens with (release binary only: scripts/test).
TEST(TableFilesTest, ManySmallImportsStillOpenUnderTwoHundredFiftySixDescriptors) {
  int imports = 270;
  if (const char* n = std::getenv("DOCKET_SMALL_IMPORTS")) imports = std::atoi(n);
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const std::string csv = d.dir().File("one.csv");
  for (int i = 0; i < imports; ++i) {
    d.WriteFile("one.csv", "charge,period,value,source,reported,n\ntreason,2024,1,IStories,2025-01-01," +
                               std::to_string(i) + "\n");
    const Outcome o = d.Run({"import", csv});
    ASSERT_EQ(o.exit_code, 0) << "import " << i << ": " << Describe(o);
  }
  const Outcome sum = RunLimited(d, "ulimit -n 256", {"--format", "csv", "-e", "sum(treason{n=*}[2024]);"});
  ASSERT_EQ(sum.exit_code, 0) << Describe(sum);
  EXPECT_EQ(CsvColumn(sum.out, "value"), std::vector<std::string>{std::to_string(imports)});
  const Outcome verified = RunProgram("/bin/sh", {"-c", "ulimit -n 256 && exec \"$0\" verify --db \"$1\"",
                                                  DocketBinary(), d.db()}, d.env());
  EXPECT_EQ(verified.exit_code, 0) << Describe(verified);
}

}  // namespace
}  // namespace docket::e2e
