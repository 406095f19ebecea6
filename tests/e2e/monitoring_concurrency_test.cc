// Concurrent use (spec §5, issue 4): readers are never blocked by a writer
// and see the archive as of their start; a second writer waits up to
// --wait seconds and then fails with exit 75 naming the lock.
//
// The writer is `docket import` of a FIFO: the importer opens the archive
// for writing (taking the lock) and then blocks reading the FIFO until the
// test closes it, so the lock is held for exactly as long as a test wants.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

using std::chrono::steady_clock;

constexpr const char* kSetup = R"(
define charge treason; define source IStories priority 10; define source PervyiOtdel; define source TASS;
record treason[2023] = 39 from PervyiOtdel on 2024;
record treason[2024] = 145 from IStories on 2025-04;
)";
constexpr const char* kTreasonBefore =
    "series,period,value,lo,hi,approx,source,reported\n"
    "treason,2023,39,39,39,false,PervyiOtdel,2024\n"
    "treason,2024,145,145,145,false,IStories,2025-04\n";
constexpr const char* kImportHeader = "charge,period,value,source,reported\n";

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class MonitoringConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Outcome o = d.Query(kSetup);
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
  // A second writer must fail with 75, naming the lock, after about `wait` seconds.
  void ExpectLocked(const std::vector<std::string>& args, double wait) {
    const auto start = steady_clock::now();
    const Outcome o = d.Run(args);
    const double elapsed = SecondsSince(start);
    EXPECT_EQ(o.exit_code, 75) << o.err;
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err.rfind("docket: ", 0), 0u) << o.err;
    EXPECT_NE(Lower(o.err).find("lock"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find(d.db()), std::string::npos) << o.err;
    EXPECT_GE(elapsed, wait * 0.9) << "gave up before waiting --wait seconds";
    EXPECT_LT(elapsed, wait + 4) << "waited far longer than --wait";
  }
  Docket d;
};

TEST_F(MonitoringConcurrencyTest, ReadersSucceedWhileAnImportHoldsTheWriteLock) {
  HeldImport writer(d, "hold.csv");
  ASSERT_TRUE(writer.Open()) << writer.Finish().err;
  writer.Write(std::string(kImportHeader) + "treason,2025-H1,105,TASS,2025-10-21\n");

  // A plain query, a check, conflicts, changes and an export: all reads.
  Outcome o = d.Query("treason");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, kTreasonBefore);
  o = d.Run({"-e", "check treason[2024] warn > 100 crit > 200"});
  EXPECT_EQ(o.out, "DOCKET WARNING - treason[2024] = 145 | 'treason'=145;~:100;~:200\n");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.exit_code, 1);
  // A script that writes and checks waits for the lock, fails with 75, and
  // as a plugin says why on stdout (spec §5).
  o = d.Run({"--wait", "0", "-e", "record treason[2025] = 1 from TASS on 2025-06; check treason[2024] warn > 100"});
  EXPECT_EQ(o.exit_code, 75);
  EXPECT_EQ(o.out.rfind("DOCKET UNKNOWN - archive is locked by another writer", 0), 0u) << o.out;
  EXPECT_EQ(Lines(o.out).size(), 1u) << o.out;
  o = d.Query("conflicts(treason); changes since 2030-01-01");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  o = d.Run({"export", "--format", "jsonl"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  o = d.Run({"--read-only", "--format", "csv", "-e", "treason"});
  EXPECT_EQ(o.out, kTreasonBefore);
  EXPECT_EQ(o.exit_code, 0) << o.err;

  writer.Write("treason,2022,16,TASS,2024\n");
  o = writer.Finish();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, writer.path() + ": 2 new, 0 corrections, 0 unchanged\n");
  EXPECT_EQ(o.err, "");

  // Once the writer is done, a new reader sees its data.
  o = d.Query("treason");
  EXPECT_EQ(o.out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2022,16,16,16,false,TASS,2024\n"
            "treason,2023,39,39,39,false,PervyiOtdel,2024\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n"
            "treason,2025-H1,105,105,105,false,TASS,2025-10-21\n");
}

TEST_F(MonitoringConcurrencyTest, SecondWriterFailsWith75NamingTheLockAfterTheWait) {
  const std::string small = d.WriteFile("small.csv", std::string(kImportHeader) + "treason,2021,9,TASS,2024\n");
  const std::string before = d.Fingerprint();
  HeldImport writer(d, "hold.csv");
  ASSERT_TRUE(writer.Open()) << writer.Finish().err;

  ExpectLocked({"--wait", "1", "-e", "record treason[2022] = 16 from TASS on 2024"}, 1);
  ExpectLocked({"import", "--wait", "1", small}, 1);
  ExpectLocked({"--wait", "1", "-e", "define source Meduza"}, 1);
  ExpectLocked({"--wait", "0", "-e", "record treason[2022] = 16 from TASS on 2024"}, 0);
  ExpectLocked({"--wait", "1.5", "-e", "record treason[2022] = 16 from TASS on 2024"}, 1.5);
  // The failed writers wrote nothing.
  EXPECT_EQ(d.Fingerprint(), before);

  writer.Write(kImportHeader);
  Outcome o = writer.Finish();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, writer.path() + ": 0 new, 0 corrections, 0 unchanged\n");
  // A read-only script does not take the lock, even with --wait 0.
  o = d.Run({"--wait", "0", "--format", "csv", "-e", "treason"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, kTreasonBefore);
  // With the lock free, writing works again.
  o = d.Run({"--wait", "0", "-e", "record treason[2022] = 16 from TASS on 2024"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

TEST_F(MonitoringConcurrencyTest, ReadOnlyStatementsDoNotWaitForTheLock) {
  HeldImport writer(d, "hold.csv");
  ASSERT_TRUE(writer.Open()) << writer.Finish().err;
  // The default --wait is 5 s: a reader that waited for the lock would take
  // that long and then fail with 75.
  const Outcome o = d.Run({"--format", "csv", "-e", "treason[2024]; assert treason[2024] > 100"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-04\n");
  writer.Write(std::string(kImportHeader));
  EXPECT_EQ(writer.Finish().exit_code, 0);
}

TEST_F(MonitoringConcurrencyTest, WaitingWriterProceedsWhenTheLockIsFreedInTime) {
  HeldImport writer(d, "hold.csv");
  ASSERT_TRUE(writer.Open()) << writer.Finish().err;
  writer.Write(std::string(kImportHeader) + "treason,2025-H1,105,TASS,2025-10-21\n");
  Background second(DocketBinary(),
                    {"--db", d.db(), "--wait", "30", "-e", "record treason[2022] = 16 from TASS on 2024"},
                    EnvOf(d), d.dir().path());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(second.Running()) << "the second writer did not wait for the lock";
  Outcome o = writer.Finish();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  o = second.Wait(std::chrono::seconds(30));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  o = d.Query("treason[2022]; treason[2025-H1]");
  EXPECT_EQ(o.out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2022,16,16,16,false,TASS,2024\n"
            "\n"
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2025-H1,105,105,105,false,TASS,2025-10-21\n");
}

// Polls `process`'s output until it contains `text` (up to 20 s).
bool WaitForOutput(Background& process, const std::string& text) {
  const auto deadline = steady_clock::now() + std::chrono::seconds(20);
  while (steady_clock::now() < deadline) {
    if (process.OutputSoFar().find(text) != std::string::npos) return true;
    if (!process.Running()) return process.OutputSoFar().find(text) != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// The interactive shell (on a pseudo-terminal from script(1)) holds the
// lock only while a writing statement runs, and reads a fresh snapshot for
// each statement.
TEST_F(MonitoringConcurrencyTest, IdleInteractiveShellBlocksNoWriterAndSeesTheirWrites) {
  const std::string fifo = d.dir().File("keyboard");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The child opens the FIFO as its stdin before it runs anything, and the
  // parent is suspended until then (posix_spawn): a read-write end held
  // meanwhile lets that open return at once instead of waiting for us.
  const int hold = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(hold, 0);
  Background shell("/usr/bin/script", {"-qfc", DocketBinary() + " --db " + d.db(), "/dev/null"}, EnvOf(d),
                   d.dir().path(), fifo);
  const int keyboard = OpenFifoForWriting(fifo, shell);
  ::close(hold);  // from now on, closing `keyboard` is the end of input
  ASSERT_GE(keyboard, 0) << shell.Kill().err;
  const auto type = [&](const std::string& line) {
    ASSERT_EQ(::write(keyboard, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  };

  // A write in the shell, committed when the statement ends.
  type("record treason[2022] = 16 from TASS on 2024;\n");
  const auto deadline = steady_clock::now() + std::chrono::seconds(20);
  while (d.Query("treason[2022]").out.find("treason,2022,16") == std::string::npos &&
         steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(d.Query("treason[2022]").out.find("treason,2022,16"), std::string::npos) << shell.OutputSoFar();

  // The shell sits idle at its prompt: another writer does not wait.
  const Outcome o = d.Run({"--wait", "0", "-e", "record treason[2021] = 9 from TASS on 2024"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // The shell's next statement sees that write.
  type("changes since 2025-11-01T00:00:00.000002Z;\n");
  EXPECT_TRUE(WaitForOutput(shell, "(1 row)")) << shell.OutputSoFar();
  EXPECT_EQ(shell.OutputSoFar().find("(no rows)"), std::string::npos) << shell.OutputSoFar();
  ::close(keyboard);
  EXPECT_EQ(shell.Wait(std::chrono::seconds(20)).exit_code, 0) << shell.OutputSoFar();
}

// A cron-like reader running over and over while another process keeps
// committing writes (bulk imports and scripts, so flushes, ingestions and
// compactions happen under it): every reader succeeds and sees whole writes
// only. Each write adds two series, both with a figure for the first and the
// last cell, so one snapshot always shows equal counts for the two cells.
TEST_F(MonitoringConcurrencyTest, RepeatedReadersSeeOnlyWholeWritesWhileAnotherProcessWrites) {
  ASSERT_EQ(d.Query("define charge load; define source Gen").exit_code, 0);
  ASSERT_EQ(d.Run({"import", GeneratedCsv(2000, "load", "Gen", "w0-")}).exit_code, 0);
  constexpr int kWrites = 14;
  std::atomic<bool> writing{true};
  std::vector<Outcome> write_outcomes(kWrites);
  std::thread writer([&] {
    for (int k = 1; k <= kWrites; ++k) {
      std::string tag = std::to_string(k);
      tag.insert(tag.begin(), 'w');
      tag.push_back('-');
      if (k % 2 == 1) {
        write_outcomes[k - 1] = d.Run({"import", "--wait", "30", GeneratedCsv(2000, "load", "Gen", tag)});
      } else {
        std::string script;
        for (const char* half : {"0", "1"})
          for (const char* period : {"1900-01", "1983-04"})
            script.append("record load{batch=\"").append(tag).append(half).append("\"}[").append(period)
                .append("] = 1 from Gen on 2025;");
        write_outcomes[k - 1] = d.Run({"--wait", "30", "-e", script});
      }
    }
    writing = false;
  });

  int readers = 0, last = 0;
  // Reads until the writer is done, then once more: that read starts after
  // the last write returned, so it must see every write.
  bool done = false;
  while (!done) {
    done = !writing && readers >= 5;
    if (done) writer.join();
    const Outcome o = d.Query("count(load{batch=*}[1900-01]); count(load{batch=*}[1983-04])");
    ++readers;
    ASSERT_EQ(o.exit_code, 0) << o.err;
    ASSERT_EQ(o.err, "");
    const auto lines = Lines(o.out);
    ASSERT_EQ(lines.size(), 5u) << o.out;
    const int first = std::stoi(CsvFields(lines[1])[2]);
    const int second = std::stoi(CsvFields(lines[4])[2]);
    EXPECT_EQ(first, second) << "a reader saw half a write:\n" << o.out;
    EXPECT_GE(first, last) << "a later reader saw less than an earlier one";
    EXPECT_EQ(first % 2, 0) << o.out;
    last = first;
  }
  for (int k = 0; k < kWrites; ++k) EXPECT_EQ(write_outcomes[k].exit_code, 0) << k << write_outcomes[k].err;
  EXPECT_EQ(last, 2 * (kWrites + 1));
}

}  // namespace
}  // namespace docket::e2e
