// Export and restore (spec §5 "Export and restore"): csv for data exchange,
// jsonl as the whole backup, openmetrics for node_exporter's textfile
// collector, and `-o FILE` written atomically.
#include <sys/inotify.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

// An archive with every kind of version: bounds, labels (Cyrillic, quotes
// and backslashes), corrections (A, B, A), revisions, a retraction, a
// priority tie, notes and urls needing CSV quoting, written on three days.
void WriteRichArchive(Docket& d) {
  const struct {
    const char* now;
    const char* script;
  } kSteps[] = {
      {"2025-01-15T10:00:00Z", R"(
        define charge treason title "High treason" article "275";
        define charge espionage title "Espionage" article "276";
        define charge state_secrets title "State secrets" article "283, 283.1, 284";
        define source IStories title "Important Stories" url "https://istories.media" priority 10;
        define source RTVI; define source PervyiOtdel; define source TASS priority 5; define source Zed;
        record treason[2023] = 39 from PervyiOtdel on 2024 note "Judicial Department data" url "https://example.org/a?b=1,2";
        record treason[2024-H1] = 52 from TASS on 2024-10;
        record espionage[2024] >= 28 from RTVI on 2024-12 note "at least 28, \"so far\"";
        record espionage{citizenship="UA"}[2024] >= 18 from RTVI on 2024-12;
        record espionage{citizenship="RU"}[2024] >= 7 from RTVI on 2024-12;
        record espionage{citizenship="US"}[2024] >= 2 from RTVI on 2024-12;
        record state_secrets{region="Томская область"}[2024-Q3] <= 10 from Zed on 2024-11-02;
        record treason[2024] = 140 from IStories on 2025-01;
      )"},
      {"2025-04-20T09:30:00Z", R"(
        record treason[2024] = 145 from IStories on 2025-01;
        record treason[2024] = 145 from IStories on 2025-04 note "court data analysis";
        record espionage[2024] = 23 from IStories on 2025-04;
        record state_secrets[2024] >= 209 from IStories on 2025-04;
        record state_secrets[2023] ~ 157 from IStories on 2025-04 note "derived: 209 / 1.33";
        record treason[2024-H1] = 50 from TASS on 2024-10;
      )"},
      {"2025-06-01T00:00:00Z", R"(
        record treason[2024-H1] = 52 from TASS on 2024-10;
        retract espionage{citizenship="US"}[2024] from RTVI on 2025-05-30 note "double counted";
        record espionage[2024-H1] = 18 from TASS on 2024-10;
        record treason[2024] = 146 from Zed on 2025-04-30;
        record treason{court="Moscow \"City\" \\ Court"}[2024] = 3 from TASS on 2025-03;
      )"},
  };
  for (const auto& step : kSteps) {
    d.env()["DOCKET_NOW"] = step.now;
    const Outcome o = d.Query(step.script);
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
  d.env()["DOCKET_NOW"] = "2025-11-01T00:00:00Z";
}
constexpr long kRichReports = 16, kRichVersions = 19;

// The definitions alone, for an archive that takes the csv export.
constexpr const char* kRichDefinitions = R"(
  define charge treason title "High treason" article "275";
  define charge espionage title "Espionage" article "276";
  define charge state_secrets title "State secrets" article "283, 283.1, 284";
  define source IStories title "Important Stories" url "https://istories.media" priority 10;
  define source RTVI; define source PervyiOtdel; define source TASS priority 5; define source Zed;
)";

// Queries whose answers a round trip must keep.
const std::vector<std::string> kAnswers = {
    "treason",
    "espionage",
    "espionage{citizenship=*}",
    "state_secrets",
    "state_secrets{region=*}",
    "treason{court=*}",
    "espionage[2024] by source",
    "treason[2024] by source",
    "growth(treason, 2023, 2024)",
    "growth(state_secrets, 2023, 2024)",
    "change(treason, 2023, 2024) by source",
    "sum(espionage{citizenship=*}[2024])",
    "count(espionage{citizenship=*}[2024])",
    "treason[2024-H1] / treason[2024]",
    "conflicts(espionage)",
    "conflicts(treason)",
    "espionage[2024] as of 2024-12-31",
    "treason[2024] as of 2025-02-01",
    "show charges",
    "show sources",
    "show series treason",
    "show series espionage",
    "describe espionage",
};
const std::vector<std::string> kRevisions = {
    "revisions(treason)",
    "revisions(treason{court=*})",
    "revisions(espionage)",
    "revisions(espionage{citizenship=*})",
    "revisions(state_secrets)",
    "revisions(state_secrets{region=*})",
    "revisions(treason) as of 2025-01-31",
    "revisions(espionage{citizenship=*}) as of 2025-05-29",
};
// Only the same recorded times can answer these alike.
const std::vector<std::string> kRecordedAnswers = {
    "treason[2024] recorded as of 2025-02-01",
    "treason recorded as of 2025-04-20T09:30Z",
    "espionage{citizenship=*}[2024] recorded as of 2025-05-01",
    "conflicts(espionage) recorded as of 2025-04-20T09:30:00.000002Z",
    "revisions(treason) recorded as of 2025-04-30",
    "changes since 2025-04-20",
    "changes since 2025-01-01",
    "changes since 2025-04-20T09:30:00.000002Z",
};

// A csv result with the `recorded` column (the fifth) removed.
std::vector<std::vector<std::string>> WithoutRecorded(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : Lines(out)) {
    auto fields = CsvFields(line);
    if (fields.size() > 4) fields.erase(fields.begin() + 4);
    rows.push_back(fields);
  }
  return rows;
}

void ExpectSameAnswers(const Docket& a, const Docket& b, const std::vector<std::string>& queries) {
  for (const auto& q : queries) {
    const Outcome x = a.Query(q), y = b.Query(q);
    EXPECT_EQ(x.exit_code, 0) << q << x.err;
    EXPECT_GT(Lines(x.out).size(), 1u) << "no rows to compare: " << q;
    EXPECT_EQ(x.out, y.out) << q;
    EXPECT_EQ(x.err, y.err) << q;
    EXPECT_EQ(x.exit_code, y.exit_code) << q;
  }
}

TEST(MonitoringExportTest, CsvExportHasTheImportColumnsLabelsLastAndOneRowPerVersion) {
  Docket d;
  WriteRichArchive(d);
  const Outcome o = d.Run({"export", "--format", "csv"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  // Rows may hold quoted newlines in general, not in this archive.
  const auto lines = Lines(o.out);
  ASSERT_EQ(static_cast<long>(lines.size()), 1 + kRichVersions) << o.out;
  const auto header = CsvFields(lines[0]);
  ASSERT_EQ(header.size(), 11u) << lines[0];
  EXPECT_EQ(std::set<std::string>(header.begin(), header.begin() + 8),
            (std::set<std::string>{"charge", "period", "value", "source", "reported", "bound", "note", "url"}));
  EXPECT_EQ(std::vector<std::string>(header.begin() + 8, header.end()),
            (std::vector<std::string>{"citizenship", "court", "region"}));
  // The retraction is written as an import would take it.
  const size_t value = static_cast<size_t>(std::find(header.begin(), header.end(), "value") - header.begin());
  int retracted = 0;
  for (size_t i = 1; i < lines.size(); ++i) retracted += CsvFields(lines[i])[value] == "retracted";
  EXPECT_EQ(retracted, 1);
}

TEST(MonitoringExportTest, CsvExportImportedWithTheSameDefinitionsGivesTheSameAnswers) {
  Docket a;
  WriteRichArchive(a);
  const std::string csv = a.dir().File("export.csv");
  Outcome o = a.Run({"export", "--format", "csv", "-o", csv});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "");

  Docket b;
  ASSERT_EQ(b.Query(kRichDefinitions).exit_code, 0);
  o = b.Run({"import", csv});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, csv + ": 16 new, 3 corrections, 0 unchanged\n");
  static_assert(kRichVersions - kRichReports == 3);

  ExpectSameAnswers(a, b, kAnswers);
  for (const auto& q : kRevisions) {
    const Outcome x = a.Query(q), y = b.Query(q);
    EXPECT_EQ(x.exit_code, 0) << q << x.err;
    EXPECT_EQ(WithoutRecorded(x.out), WithoutRecorded(y.out)) << q;
  }
  // Worked out by hand from WriteRichArchive.
  EXPECT_EQ(b.Query("treason[2024]; treason[2024-H1]; espionage{citizenship=\"US\"}[2024]").out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n"
            "\n"
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024-H1,52,52,52,false,TASS,2024-10\n"
            "\n"
            "series,period,value,lo,hi,approx,source,reported\n");
  // New recorded times: every version was stamped by the import.
  EXPECT_EQ(b.Query("changes since 2025-10-31").out, b.Query("changes since 2025-01-01").out);
  EXPECT_EQ(Lines(b.Query("changes since 2025-10-31").out).size(), 1u + kRichVersions);
}

TEST(MonitoringExportTest, JsonlRestoreIntoAMissingArchiveGivesIdenticalAnswers) {
  Docket a;
  WriteRichArchive(a);
  const std::string backup = a.dir().File("backup.jsonl");
  Outcome o = a.Run({"export", "--format", "jsonl", "-o", backup});
  ASSERT_EQ(o.exit_code, 0) << o.err;

  Docket b;
  ASSERT_FALSE(std::filesystem::exists(b.db()));
  o = b.Run({"import", backup});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");

  ExpectSameAnswers(a, b, kAnswers);
  ExpectSameAnswers(a, b, kRevisions);
  ExpectSameAnswers(a, b, kRecordedAnswers);
  // Worked out by hand: on 2025-02-01 the archive knew IStories' first 140.
  EXPECT_EQ(b.Query("treason[2024] recorded as of 2025-02-01").out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,140,140,140,false,IStories,2025-01\n");
  EXPECT_EQ(b.Query("espionage{citizenship=\"US\"}[2024] recorded as of 2025-05-01").out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "\"espionage{citizenship=\"\"US\"\"}\",2024,>=2,2,,false,RTVI,2024-12\n");
  // The backup of the restored archive is the backup.
  EXPECT_EQ(b.Fingerprint(), a.Fingerprint());
  EXPECT_EQ(ReadFile(backup), b.Run({"export", "--format", "jsonl"}).out);

  // The restored archive takes new writes after its latest recorded time.
  b.env()["DOCKET_NOW"] = "2025-03-01T00:00:00Z";  // before the restored versions
  o = b.Query("record treason[2022] = 16 from TASS on 2024; changes since 2025-06-01T00:00:00.000004Z");
  EXPECT_EQ(o.out,
            "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
            "treason,2022,TASS,2024,2025-06-01T00:00:00.000005Z,16,16,16,false,current,,\n");
}

TEST(MonitoringExportTest, JsonlRestoreIntoAnEmptyDirectoryWorks) {
  Docket a;
  WriteRichArchive(a);
  const std::string backup = a.dir().File("backup.jsonl");
  ASSERT_EQ(a.Run({"export", "--format", "jsonl", "-o", backup}).exit_code, 0);
  Docket b;
  std::filesystem::create_directories(b.db());
  const Outcome o = b.Run({"import", backup});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(b.Fingerprint(), a.Fingerprint());
}

TEST(MonitoringExportTest, JsonlRestoreIntoANonEmptyArchiveIsRefusedAndChangesNothing) {
  Docket a;
  WriteRichArchive(a);
  const std::string backup = a.dir().File("backup.jsonl");
  ASSERT_EQ(a.Run({"export", "--format", "jsonl", "-o", backup}).exit_code, 0);

  for (const char* existing :
       {"define charge treason; define source Other; record treason[2020] = 1 from Other on 2021",
        "define charge treason", "define source Other"}) {
    Docket b;
    ASSERT_EQ(b.Query(existing).exit_code, 0);
    const std::string before = b.Fingerprint();
    const Outcome o = b.Run({"import", backup});
    EXPECT_EQ(o.exit_code, 65) << existing;
    EXPECT_EQ(o.out, "") << existing;
    EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
    EXPECT_EQ(b.Fingerprint(), before) << existing;
  }
  // Restoring twice: the second is refused.
  Docket c;
  ASSERT_EQ(c.Run({"import", backup}).exit_code, 0);
  const std::string restored = c.Fingerprint();
  EXPECT_EQ(c.Run({"import", backup}).exit_code, 65);
  EXPECT_EQ(c.Fingerprint(), restored);
}

// ---------------------------------------------------------------- -o FILE

struct DirEvents {
  std::map<std::string, uint32_t> masks;  // name -> union of event masks
  std::vector<std::string> moved_from;
};

// Runs `action` while watching `dir` with inotify.
template <typename F>
DirEvents Watch(const std::string& dir, F action) {
  DirEvents events;
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  EXPECT_GE(fd, 0);
  const int wd = inotify_add_watch(
      fd, dir.c_str(), IN_CREATE | IN_OPEN | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE);
  EXPECT_GE(wd, 0);
  std::vector<char> buffer(1 << 20);
  auto drain = [&] {
    for (;;) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) return;
      for (ssize_t i = 0; i < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buffer.data() + i);
        if (e->len > 0) {
          const std::string name(e->name);
          events.masks[name] |= e->mask;
          if (e->mask & IN_MOVED_FROM) events.moved_from.push_back(name);
        }
        i += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
  };
  action();
  drain();
  ::close(fd);
  return events;
}

std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST(MonitoringExportTest, OutputFileIsReplacedByRenameAndNeverWrittenInPlace) {
  Docket d;
  WriteRichArchive(d);
  // Enough rows for many writes to the temporary file.
  ASSERT_EQ(d.Query("define charge load; define source Gen").exit_code, 0);
  ASSERT_EQ(d.Run({"import", GeneratedCsv(20000, "load", "Gen", "o")}).exit_code, 0);
  const std::string out_dir = d.dir().File("textfile");
  std::filesystem::create_directories(out_dir);

  for (const char* format : {"openmetrics", "csv", "jsonl"}) {
    SCOPED_TRACE(format);
    const std::string target = out_dir + "/docket.prom";
    std::ofstream(target) << "# an older file\n";
    const auto before = Listing(out_dir);
    Outcome o;
    const DirEvents events = Watch(out_dir, [&] { o = d.Run({"export", "--format", format, "-o", target}); });
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "");
    const uint32_t on_target = events.masks.count("docket.prom") ? events.masks.at("docket.prom") : 0;
    EXPECT_EQ(on_target & (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE), 0u)
        << "the target was written in place (mask " << std::hex << on_target << ")";
    EXPECT_NE(on_target & IN_MOVED_TO, 0u) << "the target was not renamed into place";
    // The temporary file was beside the target, written there, and is gone.
    ASSERT_EQ(events.moved_from.size(), 1u);
    EXPECT_NE(events.moved_from[0], "docket.prom");
    EXPECT_NE(events.masks.at(events.moved_from[0]) & IN_MODIFY, 0u);
    EXPECT_EQ(Listing(out_dir), before);
    EXPECT_EQ(ReadFile(target), d.Run({"export", "--format", format}).out);
  }
}

TEST(MonitoringExportTest, FailedExportLeavesTheOldFileAndNoTemporaryFile) {
  Docket d;  // no archive: the export fails with 66
  const std::string out_dir = d.dir().File("textfile");
  std::filesystem::create_directories(out_dir);
  const std::string target = out_dir + "/docket.prom";
  std::ofstream(target) << "# an older file\n";
  const Outcome o = d.Run({"export", "--format", "openmetrics", "-o", target});
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
  EXPECT_EQ(ReadFile(target), "# an older file\n");
  EXPECT_EQ(Listing(out_dir), std::set<std::string>{"docket.prom"});
}

// ---------------------------------------------------------------- openmetrics

using LabelSet = std::map<std::string, std::string>;

// Parses `name{k="v",...} value`; false if the line is not exactly that.
bool ParseSample(const std::string& line, std::string* name, LabelSet* labels, std::string* value) {
  const size_t brace = line.find('{');
  if (brace == std::string::npos) return false;
  *name = line.substr(0, brace);
  size_t i = brace + 1;
  while (i < line.size() && line[i] != '}') {
    const size_t eq = line.find('=', i);
    if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return false;
    const std::string key = line.substr(i, eq - i);
    std::string v;
    size_t j = eq + 2;
    for (; j < line.size() && line[j] != '"'; ++j) {
      if (line[j] == '\\' && j + 1 < line.size()) {
        ++j;
        v += line[j] == 'n' ? '\n' : line[j];
      } else {
        v += line[j];
      }
    }
    if (j >= line.size()) return false;
    if (!labels->emplace(key, v).second) return false;  // a label twice
    i = j + 1;
    if (i < line.size() && line[i] == ',') ++i;
  }
  if (i >= line.size() || line.compare(i, 2, "} ") != 0) return false;
  *value = line.substr(i + 2);
  // One number and nothing after it: no timestamp.
  return !value->empty() && value->find(' ') == std::string::npos;
}

TEST(MonitoringExportTest, OpenMetricsHasOneGaugeFamilyWithTheResolvedFigureOfEveryCell) {
  Docket d;
  WriteRichArchive(d);
  const Outcome o = d.Run({"export", "--format", "openmetrics"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");

  // Worked out by hand: the winner of every cell (IStories beats Zed on
  // treason 2024 by priority; RTVI's US figure is retracted).
  const std::map<LabelSet, double> want = {
      {{{"charge", "treason"}, {"period", "2023"}, {"source", "PervyiOtdel"}, {"bound", "="}}, 39},
      {{{"charge", "treason"}, {"period", "2024"}, {"source", "IStories"}, {"bound", "="}}, 145},
      {{{"charge", "treason"}, {"period", "2024-H1"}, {"source", "TASS"}, {"bound", "="}}, 52},
      {{{"charge", "treason"}, {"period", "2024"}, {"source", "TASS"}, {"bound", "="},
        {"court", "Moscow \"City\" \\ Court"}}, 3},
      {{{"charge", "espionage"}, {"period", "2024"}, {"source", "IStories"}, {"bound", "="}}, 23},
      {{{"charge", "espionage"}, {"period", "2024-H1"}, {"source", "TASS"}, {"bound", "="}}, 18},
      {{{"charge", "espionage"}, {"period", "2024"}, {"source", "RTVI"}, {"bound", ">="}, {"citizenship", "UA"}}, 18},
      {{{"charge", "espionage"}, {"period", "2024"}, {"source", "RTVI"}, {"bound", ">="}, {"citizenship", "RU"}}, 7},
      {{{"charge", "state_secrets"}, {"period", "2023"}, {"source", "IStories"}, {"bound", "~"}}, 157},
      {{{"charge", "state_secrets"}, {"period", "2024"}, {"source", "IStories"}, {"bound", ">="}}, 209},
      {{{"charge", "state_secrets"}, {"period", "2024-Q3"}, {"source", "Zed"}, {"bound", "<="},
        {"region", "Томская область"}}, 10},
  };

  std::map<LabelSet, double> got;
  int help = 0, type = 0;
  bool samples_started = false, eof = false;
  for (const auto& line : Lines(o.out)) {
    EXPECT_FALSE(eof) << "text after # EOF: " << line;
    // The archive's own families (tested below) follow docket_value.
    if (line.find(" docket_archive_") != std::string::npos || line.rfind("docket_archive_", 0) == 0) {
      samples_started = true;
      continue;
    }
    if (line == "# EOF") {
      eof = true;
    } else if (line.rfind("# HELP docket_value ", 0) == 0) {
      ++help;
      EXPECT_FALSE(samples_started) << "HELP after the samples";
    } else if (line == "# TYPE docket_value gauge") {
      ++type;
      EXPECT_FALSE(samples_started) << "TYPE after the samples";
    } else {
      samples_started = true;
      std::string name, value;
      LabelSet labels;
      ASSERT_TRUE(ParseSample(line, &name, &labels, &value)) << "not a sample without timestamp: " << line;
      EXPECT_EQ(name, "docket_value") << line;
      EXPECT_TRUE(got.emplace(labels, std::stod(value)).second) << "duplicate series: " << line;
    }
  }
  EXPECT_EQ(help, 1);
  EXPECT_EQ(type, 1);
  EXPECT_EQ(got, want);
}

TEST(MonitoringExportTest, PromtoolAcceptsTheOpenMetricsExport) {
  Docket d;
  WriteRichArchive(d);
  const std::string prom = d.dir().File("docket.prom");
  ASSERT_EQ(d.Run({"export", "--format", "openmetrics", "-o", prom}).exit_code, 0);
  const Outcome o = RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, ReadFile(prom));
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(o.out + o.err, "");
  // promtool is not a rubber stamp: the first sample with its value spoilt fails.
  const auto lines = Lines(ReadFile(prom));
  ASSERT_GE(lines.size(), 3u);
  const std::string spoilt = lines[2].substr(0, lines[2].rfind(' ')) + " many";
  const Outcome bad =
      RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, lines[0] + "\n" + lines[1] + "\n" + spoilt + "\n");
  EXPECT_NE(bad.exit_code, 0) << bad.out << bad.err;
}

TEST(MonitoringExportTest, OpenMetricsOfAnArchiveWithoutFiguresIsStillValid) {
  Docket d;
  ASSERT_EQ(d.Query("define charge treason; define source A; record treason[2024] = 1 from A on 2025-01;"
                    "retract treason[2024] from A on 2025-02")
                .exit_code,
            0);
  const Outcome o = d.Run({"export", "--format", "openmetrics"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const auto& line : Lines(o.out))
    EXPECT_NE(line.rfind("docket_value", 0), 0u) << "a sample for a retracted cell: " << line;
  const Outcome check = RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, o.out);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

// Freshness and size for alerting (issue 12): the newest version's recorded
// time in seconds and the number of reports, after docket_value.
TEST(MonitoringExportTest, OpenMetricsEndsWithTheArchivesLastWriteAndReports) {
  Docket d;  // DOCKET_NOW=2025-11-01T00:00:00Z: 1761955200 s
  ASSERT_EQ(FailureOf(d.Query("define charge treason; define source A")), "");
  Outcome o = d.Run({"export", "--format", "openmetrics"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // No version yet: no timestamp sample, no report.
  EXPECT_EQ(o.out,
            "# HELP docket_value The current resolved figure of each cell: the bound's finite end.\n"
            "# TYPE docket_value gauge\n"
            "# HELP docket_archive_last_write_timestamp_seconds When the newest version was recorded.\n"
            "# TYPE docket_archive_last_write_timestamp_seconds gauge\n"
            "# HELP docket_archive_reports The number of reports the archive holds (a report's corrections count once).\n"
            "# TYPE docket_archive_reports gauge\n"
            "docket_archive_reports 0\n"
            "# EOF\n");
  // Three versions of two reports (a correction, then a retraction dated
  // later), stamped now, now + 1 µs, now + 2 µs.
  ASSERT_EQ(FailureOf(d.Query("record treason[2024] = 1 from A on 2025-01; record treason[2024] = 2 from A on 2025-01;"
                              "retract treason[2024] from A on 2025-02")),
            "");
  o = d.Run({"export", "--format", "openmetrics"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string tail =
      "docket_archive_last_write_timestamp_seconds 1761955200.000002\n"
      "# HELP docket_archive_reports The number of reports the archive holds (a report's corrections count once).\n"
      "# TYPE docket_archive_reports gauge\n"
      "docket_archive_reports 2\n"
      "# EOF\n";
  ASSERT_GE(o.out.size(), tail.size());
  EXPECT_EQ(o.out.substr(o.out.size() - tail.size()), tail) << o.out;
  const Outcome check = RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, o.out);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "");
}

}  // namespace
}  // namespace docket::e2e
