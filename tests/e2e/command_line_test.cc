// End-to-end: the command line and its exit codes (spec §5): options, the
// archive path, where scripts come from, and when writes are committed.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kDefine[] = "define charge x; define source A;";

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

TEST(CommandLineTest, HelpPrintsUsageAndExitsZero) {
  Docket d;
  const Outcome o = RunProgram(DocketBinary(), {"--help"}, d.env());
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("docket"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("--format"), std::string::npos) << o.out;
  EXPECT_EQ(o.err, "");
}

TEST(CommandLineTest, VersionPrintsTheVersionAndExitsZero) {
  Docket d;
  const Outcome o = RunProgram(DocketBinary(), {"--version"}, d.env());
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out.rfind("docket ", 0), 0u) << o.out;
  EXPECT_EQ(o.err, "");
}

TEST(CommandLineTest, UnknownOptionExits64AndCreatesNothing) {
  Docket d;
  const Outcome o = d.Run({"--frobnicate", "-e", std::string(kDefine)});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("--frobnicate"), std::string::npos) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(CommandLineTest, BadFormatExits64) {
  Docket d;
  const Outcome o = d.Run({"--format", "xml", "-e", std::string(kDefine)});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(CommandLineTest, OptionMissingItsArgumentExits64) {
  Docket d;
  const Outcome o = d.Run({"-e"});
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
}

TEST(CommandLineTest, BadDocketNowExits64) {
  for (const char* now : {"yesterday", "2025-11-01", "2025-11-01T00:00:00", "2025-13-01T00:00:00Z",
                          "2025-11-01T00:00:00.1234567Z", ""}) {
    Docket d;
    d.env()["DOCKET_NOW"] = now;
    const Outcome o = d.Query(kDefine);
    EXPECT_EQ(o.exit_code, 64) << "DOCKET_NOW=" << now;
    EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << now << ": " << o.err;
    EXPECT_EQ(d.Fingerprint(), "<missing>") << now;
  }
}

TEST(CommandLineTest, DocketNowTakesAnOffset) {
  Docket d;
  d.env()["DOCKET_NOW"] = "2025-11-01T03:00+03:00";
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025-11-01")), "");
  EXPECT_EQ(CsvColumn(d.Query("revisions(x[2024])").out, "recorded"), Strings{"2025-11-01T00:00:00.000000Z"});
}

TEST(CommandLineTest, DocketNowFixesTodayForReportedDates) {
  Docket d;
  d.env()["DOCKET_NOW"] = "2025-03-01T00:00:00Z";
  // `on 2025` is accepted on 2025-03-01: its first day is not after today.
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const Outcome o = d.Query("record x[2024] = 2 from A on 2025-03-02");
  EXPECT_EQ(o.exit_code, 65);
}

TEST(CommandLineTest, ReadingAMissingArchiveExits66AndCreatesNothing) {
  Docket d;
  const Outcome o = d.Query("show charges");
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
  EXPECT_FALSE(Exists(d.db()));
}

TEST(CommandLineTest, AnAssertOnAMissingArchiveExits66) {
  Docket d;
  const Outcome o = d.Query("assert x[2024] > 1");
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_FALSE(Exists(d.db()));
}

TEST(CommandLineTest, AWritingScriptCreatesTheArchive) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  EXPECT_TRUE(Exists(d.db()));
  EXPECT_EQ(d.Query("x[2024]").out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
}

TEST(CommandLineTest, AWritingScriptCreatesMissingParentDirectories) {
  Docket d;
  const std::string db = d.dir().File("a/b/c/archive");
  const Outcome w = RunProgram(DocketBinary(), {"--db", db, "-e", std::string(kDefine)}, d.env());
  EXPECT_EQ(w.exit_code, 0) << Describe(w);
  EXPECT_TRUE(Exists(db));
  const Outcome r = RunProgram(DocketBinary(), {"--db", db, "-e", "show sources"}, d.env());
  EXPECT_EQ(r.out, "source,title,url,priority\nA,,,0\n");
}

TEST(CommandLineTest, AScriptWhoseWritesFailCreatesNoArchive) {
  Docket d;
  // The retraction has no earlier report: a runtime error, so nothing commits.
  const Outcome o = d.Query(std::string(kDefine) + "retract x[2024] from A on 2025");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_FALSE(Exists(d.db()));
}

TEST(CommandLineTest, TheArchiveComesFromDocketDbWithoutDb) {
  Docket d;
  auto env = d.env();
  env["DOCKET_DB"] = d.dir().File("from-env");
  const Outcome o = RunProgram(DocketBinary(), {"-e", std::string(kDefine)}, env);
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(Exists(d.dir().File("from-env")));
  EXPECT_FALSE(Exists(d.db()));
}

TEST(CommandLineTest, DbOptionWinsOverDocketDb) {
  Docket d;
  d.env()["DOCKET_DB"] = d.dir().File("from-env");
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  EXPECT_TRUE(Exists(d.db()));
  EXPECT_FALSE(Exists(d.dir().File("from-env")));
}

TEST(CommandLineTest, WithoutDbOrDocketDbTheArchiveIsUnderXdgDataHome) {
  Docket d;
  auto env = d.env();
  env["XDG_DATA_HOME"] = d.dir().File("xdg");
  const Outcome o = RunProgram(DocketBinary(), {"-e", std::string(kDefine)}, env);
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(Exists(d.dir().File("xdg/docket/archive")));
}

TEST(CommandLineTest, WithoutXdgDataHomeTheArchiveIsUnderHome) {
  Docket d;  // HOME is the temporary directory
  const Outcome o = RunProgram(DocketBinary(), {"-e", std::string(kDefine)}, d.env());
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(Exists(d.dir().File(".local/share/docket/archive")));
}

TEST(CommandLineTest, AnErrorInTheSecondDashEIsReportedAsDashEHashTwo) {
  Docket d;
  const Outcome o = d.Run({"-e", std::string(kDefine), "-e", "x[2024"});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e#2:1:7: expected ", 0), 0u) << o.err;
  EXPECT_TRUE(o.err.ends_with("\nx[2024\n      ^\n")) << o.err;
}

TEST(CommandLineTest, AnErrorInAScriptFileIsReportedWithItsPathLineAndColumn) {
  Docket d;
  const std::string path = d.WriteFile("q.docket", "define charge x;\n  define source A;\nx[2024] +;\n");
  const Outcome o = d.Run({"-f", path});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: " + path + ":3:10: expected ", 0), 0u) << o.err;
  EXPECT_TRUE(o.err.ends_with("\nx[2024] +;\n         ^\n")) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(CommandLineTest, AScriptFileRuns) {
  Docket d;
  const std::string path = d.WriteFile("q.docket", std::string(kDefine) + "\nrecord x[2024] = 1 from A on 2025;\nx[2024]\n");
  const Outcome o = d.Run({"-f", path});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
  EXPECT_EQ(o.err, "");
}

TEST(CommandLineTest, WithoutDashEOrDashFTheScriptIsReadFromStdin) {
  Docket d;
  const Outcome o = d.Run({}, std::string(kDefine) + "\nrecord x[2024] = 1 from A on 2025;\nx[2024];\n");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
  EXPECT_EQ(o.err, "");
}

TEST(CommandLineTest, AnErrorInAStdinScriptIsReportedAsStdin) {
  Docket d;
  const Outcome o = d.Run({}, "define charge x;\nx[2024 + 1];\n");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: <stdin>:2:8: expected ", 0), 0u) << o.err;
  EXPECT_TRUE(o.err.ends_with("\nx[2024 + 1];\n       ^\n")) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(CommandLineTest, AllDashEAndDashFFormOneScriptInOrder) {
  Docket d;
  const std::string path = d.WriteFile("q.docket", "x[2024];");
  const Outcome o = d.Run({"-e", std::string(kDefine), "-e", "record x[2024] = 1 from A on 2025;", "-f", path, "-e",
                           "record x[2024] = 2 from A on 2025; x[2024];"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n\n" + kValueHeader +
                       "x,2024,2,2,2,false,A,2025\n");
  EXPECT_EQ(o.err, "");
}

TEST(CommandLineTest, ParseErrorInTheSecondDashEMeansTheFirstDashEWritesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const std::string before = d.Fingerprint();
  const Outcome o = d.Run({"-e", "record x[2024] = 1 from A on 2025;", "-e", "x[2024] +"});
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: -e#2:1:", 0), 0u) << o.err;
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST(CommandLineTest, UnknownNameLaterInTheScriptMeansNothingRuns) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const std::string before = d.Fingerprint();
  const Outcome o = d.Query("record x[2024] = 1 from A on 2025; x[2024]; y[2024]");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST(CommandLineTest, ANameDefinedEarlierInTheScriptMayBeUsedLater) {
  Docket d;
  const Outcome o = d.Query("define charge x; define source A; record x[2024] = 1 from A on 2025; x[2024]");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
}

TEST(CommandLineTest, ANameUsedBeforeItsDefineIsUnknown) {
  Docket d;
  const Outcome o = d.Query("define source A; record x[2024] = 1 from A on 2025; define charge x");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_NE(o.err.find("unknown charge `x`"), std::string::npos) << o.err;
  EXPECT_EQ(d.Fingerprint(), "<missing>");
}

TEST(CommandLineTest, ReadOnlyRefusesWritesAndWritesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const std::string before = d.Fingerprint();
  for (const char* script : {"define charge y", "record x[2024] = 2 from A on 2025",
                             "retract x[2024] from A on 2025", "x[2024]; define source B priority 3"}) {
    const Outcome o = d.Run({"--read-only", "--format", "csv", "-e", script});
    EXPECT_EQ(o.exit_code, 65) << script;
    EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << script << ": " << o.err;
    EXPECT_EQ(d.Fingerprint(), before) << script;
  }
}

TEST(CommandLineTest, ReadOnlyRunsQueries) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const Outcome o = d.Run({"--read-only", "--format", "csv", "-e", "x[2024]"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
}

TEST(CommandLineTest, LaterStatementsSeeEarlierWrites) {
  Docket d;
  const Outcome o = d.Query(std::string(kDefine) +
                            "record x[2024] = 1 from A on 2025; x[2024]; record x[2024] = 2 from A on 2025; x[2024];"
                            "revisions(x[2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n\n" + kValueHeader +
                       "x,2024,2,2,2,false,A,2025\n\n"
                       "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
                       "x,2024,A,2025,2025-11-01T00:00:00.000000Z,1,1,1,false,corrected,,\n"
                       "x,2024,A,2025,2025-11-01T00:00:00.000001Z,2,2,2,false,current,,\n");
}

TEST(CommandLineTest, AfterARuntimeErrorNothingIsCommitted) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const std::string before = d.Fingerprint();
  // The retraction comes before any report of 2023: an error after a write.
  const Outcome o = d.Query("record x[2024] = 5 from A on 2025; define source B; retract x[2023] from A on 2025");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST(CommandLineTest, TheFirstErrorStopsTheScript) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const Outcome o = d.Query("x[2024]; retract x[2023] from A on 2025; x[2024]");
  EXPECT_EQ(o.exit_code, 65);
  // At most the first query printed; the one after the error did not run.
  EXPECT_EQ(o.out.find("x,2024,1", o.out.find("x,2024,1") + 1), std::string::npos) << o.out;
}

TEST(CommandLineTest, AFailedAssertStillCommitsTheScriptsWrites) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kDefine)), "");
  const Outcome o = d.Query("record x[2024] = 5 from A on 2025; assert x[2024] > 10");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err, "docket: -e: assertion failed: x[2024] > 10 (got 5)\n");
  EXPECT_EQ(d.Query("x[2024]").out, std::string(kValueHeader) + "x,2024,5,5,5,false,A,2025\n");
}

TEST(CommandLineTest, AnUnknownAssertStillCommitsTheScriptsWrites) {
  Docket d;
  const Outcome o = d.Query(std::string(kDefine) + "record x[2024] = 5 from A on 2025; assert x[2023] > 10");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(d.Query("x[2024]").out, std::string(kValueHeader) + "x,2024,5,5,5,false,A,2025\n");
}

TEST(CommandLineStorageTest, AnArchiveThatCannotBeCreatedExits74) {
  Docket d;
  const std::string file = d.WriteFile("plain-file", "not a directory");
  const Outcome o = RunProgram(DocketBinary(), {"--db", file + "/archive", "-e", std::string(kDefine)}, d.env());
  EXPECT_EQ(o.exit_code, 74);
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
  EXPECT_EQ(ReadFile(file), "not a directory");
}

TEST(CommandLineStorageTest, OutputThatCannotBeWrittenExits74AndCommitsNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kDefine) + "record x[2024] = 1 from A on 2025")), "");
  const std::string before = d.Fingerprint();
  for (const char* script : {"x[2024]", "record x[2024] = 2 from A on 2025; x[2024]"}) {
    // /dev/full: every write fails with ENOSPC.
    const Outcome o = RunProgram("/bin/sh", {"-c", "exec \"$0\" --db \"$1\" -e \"$2\" > /dev/full",
                                             DocketBinary(), d.db(), script},
                                 d.env());
    EXPECT_EQ(o.exit_code, 74) << script;
    EXPECT_EQ(o.err, "docket: cannot write to standard output\n") << script;
    EXPECT_EQ(d.Fingerprint(), before) << script;
  }
}

TEST(CommandLineTest, EachDashEEndsItsLastStatement) {
  // The program's choice (the spec is silent): `-e A -e B` needs no `;`.
  Docket d;
  const Outcome o = d.Run({"-e", "define charge x", "-e", "define source A", "-e", "record x[2024] = 1 from A on 2025",
                           "-e", "x[2024]"});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "x,2024,1,1,1,false,A,2025\n");
}

TEST(CommandLineUsageTest, BadCommandLinesExit64AndWriteNothing) {
  const std::vector<std::vector<std::string>> cases = {
      {"--wait", "abc", "-e", "define charge x"},
      {"--wait", "-1", "-e", "define charge x"},
      {"-e", "define charge x", "stray"},
      {"--format"},
      {"import"},
      {"export", "--format", "table"},
      {"import", "--frobnicate", "a.csv"},
  };
  for (const auto& args : cases) {
    Docket d;
    const Outcome o = d.Run(args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(o.exit_code, 64) << shown;
    EXPECT_EQ(o.out, "") << shown;
    EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << shown << "\n" << o.err;
    EXPECT_EQ(d.Fingerprint(), "<missing>") << shown;
  }
}

// git-style global options: `--db` and `--wait` before the command work as
// after it.
TEST(CommandLineTest, DbAndWaitBeforeTheCommandWorkAsAfterIt) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge x; define source A; record x[2024] = 3 from A on 2025")), "");
  const std::string csv = d.WriteFile("more.csv", "charge,period,value,source,reported\nx,2023,2,A,2024\n");
  Outcome o = RunProgram(DocketBinary(), {"--db", d.db(), "--wait", "1", "import", csv}, d.env());
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, csv + ": 1 new, 0 corrections, 0 unchanged\n");
  // The export is the same wherever --db stands.
  const Outcome after = RunProgram(DocketBinary(), {"export", "--db", d.db()}, d.env());
  ASSERT_EQ(after.exit_code, 0) << Describe(after);
  EXPECT_EQ(after.out,
            "charge,period,value,source,reported,bound,note,url\n"
            "x,2024,3,A,2025,=,,\n"
            "x,2023,2,A,2024,=,,\n");
  for (const Strings& args : {Strings{"--db", d.db(), "export"}, Strings{"--db=" + d.db(), "export"},
                              Strings{"--wait", "1", "--db", d.db(), "export", "--format", "csv"}}) {
    o = RunProgram(DocketBinary(), args, d.env());
    EXPECT_EQ(o.exit_code, 0) << Describe(o);
    EXPECT_EQ(o.out, after.out) << args[0];
  }
  o = RunProgram(DocketBinary(), {"--db", d.db(), "verify"}, d.env());
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  const std::string copy = d.dir().File("copy");
  o = RunProgram(DocketBinary(), {"--db", d.db(), "checkpoint", copy}, d.env());
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  o = RunProgram(DocketBinary(), {"--db", copy, "export"}, d.env());
  EXPECT_EQ(o.out, after.out);
}

TEST(CommandLineTest, OnlyDbAndWaitMayComeBeforeTheCommand) {
  Docket d;
  const std::string csv = d.WriteFile("a.csv", "charge,period,value,source,reported\nx,2023,2,A,2024\n");
  for (const Strings& args : {Strings{"--db", d.db(), "--read-only", "import", csv},
                              Strings{"--db", d.db(), "-e", "x", "export"}, Strings{"--db", d.db(), "--dry-run", "import", csv}}) {
    const Outcome o = RunProgram(DocketBinary(), args, d.env());
    EXPECT_EQ(o.exit_code, 64) << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
    EXPECT_EQ(d.Fingerprint(), "<missing>");
  }
}

TEST(CommandLineTest, HelpShowsGlobalOptionsBeforeTheCommand) {
  const Outcome o = RunProgram(DocketBinary(), {"--help"});
  EXPECT_NE(o.out.find("docket export [--db PATH]"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("docket --db PATH export"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("docket --db PATH import"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace docket::e2e
