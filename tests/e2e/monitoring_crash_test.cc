// Crash safety (spec §5 "One import is atomic", issue 4): a writer killed
// with SIGKILL in the middle of a large import or restore leaves the archive
// openable, holding all of that write or none of it, and later writes work.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

using std::chrono::steady_clock;

constexpr size_t kBigRows = 300000;
constexpr const char* kSetup =
    "define charge load; define source Gen; record load{batch=\"base\"}[2000-01] = 1 from Gen on 2025";

// Versions in the archive: the rows of its csv export, or -1 if the
// export fails (the archive does not open).
long Versions(const Docket& d) {
  const Outcome o = d.Run({"export", "--format", "csv"});
  if (o.exit_code != 0) {
    ADD_FAILURE() << "export failed (" << o.exit_code << "): " << o.err;
    return -1;
  }
  return static_cast<long>(Lines(o.out).size()) - 1;
}

// Kill moments: spread over the whole import, with half of them in its last
// 15 %, where the import commits. Seeded, so a failure can be replayed.
std::vector<double> KillDelays(double seconds, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> anywhere(0.05, 1.0), late(0.85, 1.0);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(seconds * (i % 2 == 0 ? anywhere(rng) : late(rng)));
  return out;
}

TEST(MonitoringCrashTest, ImportKilledAtRandomMomentsLeavesAllOrNothing) {
  const std::string& csv = GeneratedCsv(kBigRows, "load", "Gen", "b");
  // A full import, timed: the kills below fall within its duration.
  double full_seconds = 0;
  {
    Docket ref;
    ASSERT_EQ(ref.Query(kSetup).exit_code, 0);
    const auto start = steady_clock::now();
    const Outcome o = ref.Run({"import", csv});
    full_seconds = SecondsSince(start);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, csv + ": 300000 new, 0 corrections, 0 unchanged\n");
    EXPECT_EQ(Versions(ref), 1 + static_cast<long>(kBigRows));
  }

  constexpr int kKills = 6;
  int killed = 0, all = 0, none = 0;
  bool reimported = false;
  for (double delay : KillDelays(full_seconds, kKills, 20251101)) {
    SCOPED_TRACE("kill after " + std::to_string(delay) + " s of a " + std::to_string(full_seconds) + " s import");
    Docket d;
    ASSERT_EQ(d.Query(kSetup).exit_code, 0);
    {
      Background import(DocketBinary(), {"import", "--db", d.db(), csv}, EnvOf(d), d.dir().path());
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      const Outcome o = import.Kill();
      if (o.exit_code == 128 + 9) ++killed;
    }
    // The archive opens and holds the import entirely or not at all.
    const long versions = Versions(d);
    EXPECT_TRUE(versions == 1 || versions == 1 + static_cast<long>(kBigRows)) << versions << " versions";
    (versions == 1 ? none : all) += 1;
    // Both ends of the file agree: the first row's cell and the last row's.
    const Outcome q = d.Query("load{batch=\"b0\"}[1900-01]; load{batch=\"b299\"}[1983-04]");
    EXPECT_EQ(q.exit_code, 0) << q.err;
    EXPECT_EQ(Lines(q.out).size(), versions == 1 ? 3u : 5u) << q.out;

    // Later writes work: an import and a script.
    const std::string small =
        d.WriteFile("small.csv", "charge,period,value,source,reported\nload,2001,5,Gen,2025\n");
    Outcome o = d.Run({"import", small});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, small + ": 1 new, 0 corrections, 0 unchanged\n");
    o = d.Query("record load[2002] = 6 from Gen on 2025; load[2001..2002]");
    EXPECT_EQ(o.out,
              "series,period,value,lo,hi,approx,source,reported\n"
              "load,2001,5,5,5,false,Gen,2025\n"
              "load,2002,6,6,6,false,Gen,2025\n");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    // And the interrupted import itself can be run again to completion
    // (once: it takes as long as the import).
    if (versions == 1 && !reimported) {
      reimported = true;
      o = d.Run({"import", csv});
      EXPECT_EQ(o.exit_code, 0) << o.err;
      EXPECT_EQ(o.out, csv + ": 300000 new, 0 corrections, 0 unchanged\n");
    }
  }
  std::cout << "[ killed mid-import: " << killed << " of " << kKills << "; archive after the kill: " << all
            << " all, " << none << " none ]\n";
  EXPECT_GE(killed, 1) << "no kill landed before the import ended";
}

// The names of the .sst files in `dir`.
std::set<std::string> TableFiles(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sst") == 0) out.insert(name);
  }
  return out;
}

// Kills aimed at the commit itself: the moment a new table file shows up in
// the archive's directory (the import's data entering the archive), plus a
// few milliseconds at most. The import must still be all or nothing.
TEST(MonitoringCrashTest, ImportKilledWhileItsDataEntersTheArchiveLeavesAllOrNothing) {
  const std::string& csv = GeneratedCsv(kBigRows, "load", "Gen", "b");
  constexpr int kExtraMicros[] = {0, 2000, 5000, 15000};
  constexpr int kKills = static_cast<int>(std::size(kExtraMicros));
  int caught = 0, all = 0;
  for (int extra_us : kExtraMicros) {
    SCOPED_TRACE("kill " + std::to_string(extra_us) + " us after the first new table file");
    Docket d;
    ASSERT_EQ(d.Query(kSetup).exit_code, 0);
    const auto before = TableFiles(d.db());
    {
      Background import(DocketBinary(), {"import", "--db", d.db(), csv}, EnvOf(d), d.dir().path());
      const auto deadline = steady_clock::now() + std::chrono::seconds(60);
      while (import.Running() && steady_clock::now() < deadline) {
        const auto now = TableFiles(d.db());
        if (std::any_of(now.begin(), now.end(), [&](const std::string& f) { return !before.count(f); })) {
          std::this_thread::sleep_for(std::chrono::microseconds(extra_us));
          ++caught;
          break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
      import.Kill();
    }
    const long versions = Versions(d);
    EXPECT_TRUE(versions == 1 || versions == 1 + static_cast<long>(kBigRows)) << versions << " versions";
    all += versions != 1;
    const Outcome o = d.Query("record load[2002] = 6 from Gen on 2025; load[2002]");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "series,period,value,lo,hi,approx,source,reported\nload,2002,6,6,6,false,Gen,2025\n");
  }
  std::cout << "[ kills right after a new table file appeared: " << caught << " of " << kKills
            << "; archive after the kill: " << all << " all, " << kKills - all << " none ]\n";
}

TEST(MonitoringCrashTest, RestoreKilledAtRandomMomentsLeavesNothingOrEverything) {
  constexpr size_t kRows = 20000;
  Docket source;
  ASSERT_EQ(source.Query(kSetup).exit_code, 0);
  ASSERT_EQ(source.Run({"import", GeneratedCsv(kRows, "load", "Gen", "r")}).exit_code, 0);
  const std::string backup = source.dir().File("backup.jsonl");
  ASSERT_EQ(source.Run({"export", "--format", "jsonl", "-o", backup}).exit_code, 0);
  const std::string everything = source.Fingerprint();

  double full_seconds = 0;
  {
    Docket ref;
    const auto start = steady_clock::now();
    const Outcome o = ref.Run({"import", backup});
    full_seconds = SecondsSince(start);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(ref.Fingerprint(), everything);
  }

  for (double delay : KillDelays(full_seconds, 3, 7)) {
    SCOPED_TRACE("kill after " + std::to_string(delay) + " s of a " + std::to_string(full_seconds) + " s restore");
    Docket d;  // no archive yet
    {
      Background restore(DocketBinary(), {"import", "--db", d.db(), backup}, EnvOf(d), d.dir().path());
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      restore.Kill();
    }
    const Outcome q = d.Query("show charges");
    if (q.exit_code == 0 && d.Fingerprint() == everything) continue;  // all of it
    // Nothing: no archive (66), or one without charges, which a restore
    // still accepts as empty.
    EXPECT_TRUE(q.exit_code == 66 || q.out == "charge,title,article\n") << q.exit_code << q.out << q.err;
    const Outcome o = d.Run({"import", backup});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(d.Fingerprint(), everything);
  }
}

}  // namespace
}  // namespace docket::e2e
