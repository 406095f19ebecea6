// `changes since INSTANT` (spec §2.4, §4 "changes rows"): every version
// recorded after the instant, in the revisions fields, ordered by recorded,
// so a monitoring job can keep its own watermark.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

constexpr const char* kHeader = "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n";

class MonitoringChangesTest : public ::testing::Test {
 protected:
  void WriteAt(const std::string& now, const std::string& script) {
    d.env()["DOCKET_NOW"] = now;
    const Outcome o = d.Query(script);
    ASSERT_EQ(o.exit_code, 0) << script << "\n" << o.err;
  }
  void ExpectRows(const std::string& query, const std::string& rows) {
    const Outcome o = d.Query(query);
    EXPECT_EQ(o.out, kHeader + rows) << query;
    EXPECT_EQ(o.err, "") << query;
    EXPECT_EQ(o.exit_code, 0) << query;
  }
  Docket d;
};

// Five versions over three days (recorded times in the comments).
class MonitoringChangesSinceTest : public MonitoringChangesTest {
 protected:
  void SetUp() override {
    WriteAt("2025-01-10T12:00:00Z", R"(
      define charge treason; define charge espionage; define source A; define source B;
      record treason[2024] = 100 from A on 2024-12-20;                        -- v1 2025-01-10T12:00:00.000000Z
    )");
    WriteAt("2025-01-11T00:00:00Z", R"(
      record treason[2024] = 120 from A on 2024-12-20 note "fixed";           -- v2 2025-01-11T00:00:00.000000Z
      record espionage[2024] >= 28 from B on 2024-12 url "https://rtvi.com/"; -- v3 2025-01-11T00:00:00.000001Z
    )");
    WriteAt("2025-01-12T08:30:00Z", R"(
      record treason[2024] = 130 from A on 2025-01-12;                        -- v4 2025-01-12T08:30:00.000000Z
      retract espionage[2024] from B on 2025-01-05 note "withdrawn";          -- v5 2025-01-12T08:30:00.000001Z
    )");
  }
  // Statuses with no cutoff: v1 was corrected by v2; v2 and v3 are the
  // newest of their reports but their sources later reported again; v4 is
  // current; v5 is a retraction.
  const std::string v1 = "treason,2024,A,2024-12-20,2025-01-10T12:00:00.000000Z,100,100,100,false,corrected,,\n";
  const std::string v2 = "treason,2024,A,2024-12-20,2025-01-11T00:00:00.000000Z,120,120,120,false,superseded,fixed,\n";
  const std::string v3 =
      "espionage,2024,B,2024-12,2025-01-11T00:00:00.000001Z,>=28,28,,false,superseded,,https://rtvi.com/\n";
  const std::string v4 = "treason,2024,A,2025-01-12,2025-01-12T08:30:00.000000Z,130,130,130,false,current,,\n";
  const std::string v5 = "espionage,2024,B,2025-01-05,2025-01-12T08:30:00.000001Z,,,,false,retracted,withdrawn,\n";
};

TEST_F(MonitoringChangesSinceTest, DateIncludesTheWholeDay) {
  ExpectRows("changes since 2025-01-10", v1 + v2 + v3 + v4 + v5);
  ExpectRows("changes since 2025-01-11", v2 + v3 + v4 + v5);
  ExpectRows("changes since 2025-01-12", v4 + v5);
  ExpectRows("changes since 2025-01-13", "");
}

TEST_F(MonitoringChangesSinceTest, TimestampIsStrictlyAfter) {
  ExpectRows("changes since 2025-01-10T11:59:59.999999Z", v1 + v2 + v3 + v4 + v5);
  ExpectRows("changes since 2025-01-10T12:00Z", v2 + v3 + v4 + v5);
  ExpectRows("changes since 2025-01-11T00:00:00Z", v3 + v4 + v5);
  ExpectRows("changes since 2025-01-11T00:00:00.000001Z", v4 + v5);
  ExpectRows("changes since 2025-01-12T08:30:00.000001Z", "");
}

TEST_F(MonitoringChangesSinceTest, TimestampWithOffsetIsConvertedToUtc) {
  // 01:00+01:00 is 00:00Z: v2 (recorded exactly then) is not after it.
  ExpectRows("changes since 2025-01-11T01:00+01:00", v3 + v4 + v5);
  // 19:00-05:00 on the 10th is 00:00Z on the 11th.
  ExpectRows("changes since 2025-01-10T19:00-05:00", v3 + v4 + v5);
}

TEST_F(MonitoringChangesSinceTest, RowsAreInRecordedOrderNotSeriesOrder) {
  // espionage sorts before treason, yet v2 (treason) comes first.
  const Outcome o = d.Query("changes since 2025-01-11");
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 5u) << o.out;
  EXPECT_EQ(lines[1].rfind("treason,", 0), 0u);
  EXPECT_EQ(lines[2].rfind("espionage,", 0), 0u);
}

TEST_F(MonitoringChangesSinceTest, StatusesMatchRevisionsWithNoCutoff) {
  // The same versions, as revisions prints them (ordered by series, period,
  // source, reported, recorded).
  const Outcome o = d.Query("revisions(treason); revisions(espionage)");
  EXPECT_EQ(o.out, kHeader + v1 + v2 + v4 + "\n" + kHeader + v3 + v5);
  EXPECT_EQ(o.exit_code, 0);
}

TEST_F(MonitoringChangesSinceTest, BySourceIsAnError) {
  const Outcome o = d.Query("changes since 2025-01-10 by source");
  EXPECT_EQ(o.exit_code, 65);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err.rfind("docket: -e", 0), 0u) << o.err;
}

TEST_F(MonitoringChangesSinceTest, JsonGivesNumbersNullsAndStrings) {
  const Outcome o = d.Run({"--format", "jsonl", "-e", "changes since 2025-01-12"});
  const auto lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  const auto compact = [](std::string s) {
    std::string out;
    bool in_string = false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) in_string = !in_string;
      if (in_string || (s[i] != ' ' && s[i] != '\t')) out += s[i];
    }
    return out;
  };
  EXPECT_EQ(compact(lines[0]),
            R"({"series":"treason","period":"2024","source":"A","reported":"2025-01-12",)"
            R"("recorded":"2025-01-12T08:30:00.000000Z","value":"130","lo":130,"hi":130,)"
            R"("approx":false,"status":"current","note":"","url":""})");
  EXPECT_EQ(compact(lines[1]),
            R"({"series":"espionage","period":"2024","source":"B","reported":"2025-01-05",)"
            R"("recorded":"2025-01-12T08:30:00.000001Z","value":"","lo":null,"hi":null,)"
            R"("approx":false,"status":"retracted","note":"withdrawn","url":""})");
}

// A cron job keeps the largest `recorded` it has seen and asks only for
// what is new; unchanged re-records write nothing and so never show up.
TEST_F(MonitoringChangesTest, WatermarkLoopSeesEachNewVersionExactlyOnce) {
  // DOCKET_NOW stays 2025-11-01T00:00:00Z: versions are stamped 1 µs apart.
  WriteAt("2025-11-01T00:00:00Z", R"(
    define charge treason; define source IStories; define source TASS;
    record treason[2024] = 140 from IStories on 2025-01;
    record treason[2024-H1] = 52 from TASS on 2024-10;
  )");
  const auto job = [&](const std::string& watermark, std::string* next) {
    const Outcome o = d.Query("changes since " + watermark);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    const auto lines = Lines(o.out);
    *next = watermark;
    if (lines.size() > 1) *next = CsvFields(lines.back())[4];  // the last row's `recorded`
    return o.out;
  };

  std::string watermark;
  EXPECT_EQ(job("2025-01-01", &watermark),
            std::string(kHeader) +
                "treason,2024,IStories,2025-01,2025-11-01T00:00:00.000000Z,140,140,140,false,current,,\n"
                "treason,2024-H1,TASS,2024-10,2025-11-01T00:00:00.000001Z,52,52,52,false,current,,\n");
  EXPECT_EQ(watermark, "2025-11-01T00:00:00.000001Z");

  WriteAt("2025-11-01T00:00:00Z", R"(
    record treason[2024] = 145 from IStories on 2025-01 note "court data";  -- a correction
    record treason[2024-H1] = 52 from TASS on 2024-10;                     -- unchanged: no version
    record treason[2025-H1] = 105 from TASS on 2025-10-21;                 -- new
    retract treason[2024-H1] from TASS on 2025-10-22;                      -- a retraction
  )");
  EXPECT_EQ(job(watermark, &watermark),
            std::string(kHeader) +
                "treason,2024,IStories,2025-01,2025-11-01T00:00:00.000002Z,145,145,145,false,current,court data,\n"
                "treason,2025-H1,TASS,2025-10-21,2025-11-01T00:00:00.000003Z,105,105,105,false,current,,\n"
                "treason,2024-H1,TASS,2025-10-22,2025-11-01T00:00:00.000004Z,,,,false,retracted,,\n");
  EXPECT_EQ(watermark, "2025-11-01T00:00:00.000004Z");

  // Nothing new: the header only, the watermark stays.
  EXPECT_EQ(job(watermark, &watermark), kHeader);
  EXPECT_EQ(watermark, "2025-11-01T00:00:00.000004Z");

  // Re-running the same script writes nothing.
  WriteAt("2025-11-01T00:00:00Z", "record treason[2025-H1] = 105 from TASS on 2025-10-21");
  EXPECT_EQ(job(watermark, &watermark), kHeader);

  // A later day's write.
  WriteAt("2025-11-02T06:00:00Z", "record treason[2025-H1] = 106 from TASS on 2025-10-21");
  EXPECT_EQ(job(watermark, &watermark),
            std::string(kHeader) +
                "treason,2025-H1,TASS,2025-10-21,2025-11-02T06:00:00.000000Z,106,106,106,false,current,,\n");
  EXPECT_EQ(watermark, "2025-11-02T06:00:00.000000Z");
}

TEST_F(MonitoringChangesTest, ClockSteppingBackStillMovesTheWatermarkForward) {
  WriteAt("2025-06-01T00:00:00Z", "define charge c; define source A; record c[2024] = 1 from A on 2025");
  std::string out = d.Query("changes since 2025-01-01").out;
  std::string watermark = CsvFields(Lines(out).back())[4];
  EXPECT_EQ(watermark, "2025-06-01T00:00:00.000000Z");
  // The clock is now behind the archive: the new version is stamped 1 µs
  // after the latest, so a job with the old watermark still sees it.
  WriteAt("2025-05-01T00:00:00Z", "record c[2024] = 2 from A on 2025");
  EXPECT_EQ(d.Query("changes since " + watermark).out,
            std::string(kHeader) + "c,2024,A,2025,2025-06-01T00:00:00.000001Z,2,2,2,false,current,,\n");
}

// `changes since` reads its versions a window of 262,144 at a time, the
// changes of one cell sharing a scan. 270,000 versions of a few cells,
// imported in one file (so recorded in its order) and interleaved across
// the windows, with corrections (a report's older versions), later
// reports, same-day reports of another precision, notes and urls: each
// change's row must be the one `revisions` gives the same version over its
// cell's whole history (figure, note, url and status). Left out of the
// sanitized run (scripts/test): it tests the window's bound, and the other
// changes tests run the same code there.
TEST_F(MonitoringChangesTest, RowsAcrossWindowsAgreeWithRevisions) {
  WriteAt("2025-06-01T00:00:00Z", "define charge x; define charge y; define source A; define source B;");
  std::string csv = "charge,period,value,source,reported,note,url\n";
  constexpr int kVersions = 270000;
  for (int i = 0; i < kVersions; ++i) {
    const char* charge = i % 2 ? "x" : "y";
    const int period = 2023 + (i / 2) % 2;
    const char* source = (i / 4) % 3 ? "A" : "B";
    const int month = 1 + i / 54000;
    const int day = 1 + (i / 10800) % 28;  // a new day every 10,800 rows: 900-1,800 versions a report
    char reported[16];
    if (i % 13 == 0) {
      std::snprintf(reported, sizeof reported, "2024-%02d", month);  // a month: its last day
    } else {
      std::snprintf(reported, sizeof reported, "2024-%02d-%02d", month, day);
    }
    const std::string note = i % 7 == 0 ? "n" + std::to_string(i) : "";
    const std::string url = i % 11 == 0 ? "https://u.example/" + std::to_string(i) : "";
    csv += std::string(charge) + "," + std::to_string(period) + "," + std::to_string(i) + "," + source + "," +
           reported + "," + note + "," + url + "\n";
  }
  d.env()["DOCKET_NOW"] = "2025-06-02T00:00:00Z";
  ASSERT_EQ(FailureOf(d.Run({"import", d.WriteFile("versions.csv", csv)})), "");

  // Each version's identity (series, period, source, reported, recorded) -> its row.
  const auto rows_by_version = [](const std::string& answer) {
    std::map<std::string, std::vector<std::string>> out;
    const auto rows = ParseCsv(answer);
    for (size_t r = 1; r < rows.size(); ++r) {
      const auto& f = rows[r];
      out[f[0] + "|" + f[1] + "|" + f[2] + "|" + f[3] + "|" + f[4]] = f;
    }
    return out;
  };
  const Outcome changes = d.Query("changes since 2025-01-01");
  ASSERT_EQ(changes.exit_code, 0) << changes.err;
  const auto by_changes = rows_by_version(changes.out);
  std::map<std::string, std::vector<std::string>> by_revisions;
  for (const char* charge : {"x", "y"}) {
    const Outcome revisions = d.Query(std::string("revisions(") + charge + "[2023..2024])");
    ASSERT_EQ(revisions.exit_code, 0) << revisions.err;
    by_revisions.merge(rows_by_version(revisions.out));
  }
  ASSERT_EQ(std::count(changes.out.begin(), changes.out.end(), '\n'), kVersions + 1);  // no version twice
  ASSERT_EQ(by_changes.size(), static_cast<size_t>(kVersions));
  EXPECT_TRUE(by_changes == by_revisions);  // 270,000 rows: gtest's diff of the maps would be unreadable
  std::map<std::string, int> kinds;
  int noted = 0, linked = 0;
  for (const auto& [version, row] : by_changes) {
    ++kinds[row[9]];
    noted += !row[10].empty();
    linked += !row[11].empty();
  }
  EXPECT_GT(kinds["corrected"], 0);
  EXPECT_GT(kinds["superseded"], 0);
  EXPECT_GT(kinds["current"], 0);
  EXPECT_EQ(noted, (kVersions + 6) / 7);
  EXPECT_EQ(linked, (kVersions + 10) / 11);
}

// A window keeps at most 16 MiB of notes and urls; past that a change's
// texts are read again when its row is made. 24 versions with 1 MiB notes
// (and urls on some): every row must carry its own note and url, as
// `revisions` gives them.
TEST_F(MonitoringChangesTest, NotesPastTheWindowsTextBudgetAreStillShown) {
  WriteAt("2025-06-01T00:00:00Z", "define charge x; define source A;");
  std::string csv = "charge,period,value,source,reported,note,url\n";
  constexpr int kVersions = 24;
  for (int i = 0; i < kVersions; ++i) {
    const std::string note = std::to_string(i) + std::string(size_t{1} << 20, static_cast<char>('a' + i));
    const std::string url = i % 3 == 0 ? "https://u.example/" + std::to_string(i) : "";
    csv += "x," + std::to_string(2000 + i % 5) + "," + std::to_string(i) + ",A,2024-02-" +
           std::to_string(10 + i / 2) + "," + note + "," + url + "\n";
  }
  d.env()["DOCKET_NOW"] = "2025-06-02T00:00:00Z";
  ASSERT_EQ(FailureOf(d.Run({"import", d.WriteFile("notes.csv", csv)})), "");

  const Outcome changes = d.Query("changes since 2025-01-01");
  ASSERT_EQ(changes.exit_code, 0) << changes.err;
  const Outcome revisions = d.Query("revisions(x[2000..2004])");
  ASSERT_EQ(revisions.exit_code, 0) << revisions.err;
  auto by_changes = ParseCsv(changes.out);
  auto by_revisions = ParseCsv(revisions.out);
  ASSERT_EQ(by_changes.size(), static_cast<size_t>(kVersions + 1));
  for (size_t r = 1; r < by_changes.size(); ++r) {
    const auto& f = by_changes[r];
    const int i = std::stoi(f[5]);  // the value is the row's number
    EXPECT_EQ(f[10], std::to_string(i) + std::string(size_t{1} << 20, static_cast<char>('a' + i))) << "row " << r;
    EXPECT_EQ(f[11], i % 3 == 0 ? "https://u.example/" + std::to_string(i) : "") << "row " << r;
  }
  const auto rest = [](std::vector<std::vector<std::string>> rows) {
    std::sort(rows.begin() + 1, rows.end());
    return rows;
  };
  EXPECT_TRUE(rest(by_changes) == rest(by_revisions));
}

}  // namespace
}  // namespace docket::e2e
