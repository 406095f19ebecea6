// The crash-and-fault loop (issue 10, item 8; spec §5: "after an error
// nothing is committed", "one import is atomic"). The real binary runs a
// write on a real archive under strace, which injects EIO or ENOSPC into,
// or delivers SIGKILL at, the Nth call of one of fsync, fdatasync, write,
// pwrite64, rename, link or unlink (the Nth of that thread: strace counts
// per syscall and per tracee). The writes: a script commit, a script commit
// followed by the merge of small files, an import, the archive's creation,
// a restore and the upgrade of a format-2 archive. After each try:
//   - `docket verify` exits 0 (66 when nothing was ever created);
//   - the archive holds exactly the state before or exactly the committed
//     state (its jsonl export, compared with both);
//   - the exit code says which: 0 committed, 74 before (a committed write
//     may still exit 74 when the injected fault hit its own stdout or
//     stderr: it could not say so); a SIGKILL may leave either;
//   - a later write succeeds and the archive still verifies.
// DOCKET_FAULT_TRIES sets the number of tries (default 30; `scripts/test
// --long` sets 240), DOCKET_FAULT_SEED the seed (default: from the clock,
// printed). Every failure prints the seed and the exact strace command.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStrace = "/usr/bin/strace";
constexpr const char* kSyscalls[] = {"fsync", "fdatasync", "write", "pwrite64", "rename", "link", "unlink"};
constexpr const char* kFaults[] = {"error=EIO", "error=ENOSPC", "signal=KILL"};

// A write under test: the commands that bring a fresh archive to the state
// before it (one commit each: a script's statements, or `import FILE`), and
// its arguments (`--db DB` is appended).
struct Operation {
  std::string name;
  std::vector<std::string> setup;
  std::vector<std::string> args;
  bool creates = false;  // the state before is "no archive"
  std::string fixture = {};  // else: an archive to start from, as the state before (setup is empty)
};

// An operation, prepared once: its archive before, the exports of both
// states, and how often it makes each syscall when nothing fails.
struct Prepared {
  Operation op;
  std::string before_dir;
  std::string before, committed;
  std::map<std::string, int> calls;
};

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// The archive's state: its jsonl backup, or "<nothing>" when it holds
// nothing at all: no archive, or one whose creation was cut short (no
// definition, no version; spec: such a database is an empty archive).
std::string State(const Docket& d) {
  const Outcome o = d.Run({"export", "--format", "jsonl"});
  const bool empty = o.exit_code == 0 && o.out.find("\"type\":\"charge\"") == std::string::npos &&
                     o.out.find("\"type\":\"source\"") == std::string::npos &&
                     o.out.find("\"type\":\"version\"") == std::string::npos;
  if (o.exit_code == 66 || empty) return "<nothing>";
  // An export that finishes an upgrade cut short says so; what the archive
  // holds is the same.
  std::string err = o.err;
  if (err.starts_with("docket: upgraded archive ")) err.erase(0, err.find('\n') + 1);
  return std::to_string(o.exit_code) + "\n" + o.out + err;
}

// Number of calls per syscall in a `strace -c` summary.
std::map<std::string, int> ParseSummary(const std::string& text) {
  std::map<std::string, int> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    if (f.size() >= 5 && f.back() != "total" && std::isdigit(static_cast<unsigned char>(f[0][0])))
      out[f.back()] = std::atoi(f[3].c_str());
  }
  return out;
}

std::string Quoted(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = a.find_first_of(" \t\"'{}[];$\\") == std::string::npos && !a.empty();
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

class FaultLoopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kStrace)) return;
    shared_ = new TempDir();
    const std::string csv = shared_->File("rows.csv");
    std::ofstream(csv) << "charge,period,value,source,reported,region\n"
                          "c,2020,5,S,2025-02,\n"
                          "c,2021,7,S,2025-02,north\n"
                          "c,2021,>=9,S,2025-03,north\n";
    const std::string revisions = shared_->File("revisions.csv");
    std::ofstream(revisions) << "charge,period,value,source,reported,region\n"
                                "c,2020,6,S,2025-02,\n"
                                "c,2021,8,S,2025-02,north\n"
                                "c,2021,>=10,S,2025-03,north\n";
    // A backup to restore: the export of a small archive.
    Docket ref;
    const Outcome made = ref.Query("define charge c; define source S; record c[2020] = 1 from S on 2025;"
                                   "record c{region=\"north\"}[2020] = 2 from S on 2025");
    if (made.exit_code != 0) setup_error_ += "the archive to back up: " + Describe(made);
    const std::string backup = shared_->File("backup.jsonl");
    std::ofstream(backup) << ref.Run({"export", "--format", "jsonl"}).out;

    const std::string define = "define charge c; define source S";
    const std::vector<Operation> ops = {
        {"script commit", {define, "record c[2020] = 1 from S on 2025"},
         {"-e", "record c[2021] = 2 from S on 2025; record c{region=\"south\"}[2021] = 3 from S on 2025"}},
        // Three commits of definitions leave three small files at level 0 (no
        // reports, so no runs of reports to merge); the fourth commit triggers
        // the merge of levels 0 and 1.
        {"script commit and merge",
         {define, "define source S2", "define source S3"},
         {"-e", "record c[2020] = 2 from S on 2025-06"}},
        {"import", {define, "record c[2020] = 1 from S on 2025"}, {"import", csv}},
        // The second import's reports land above the first's, as much again:
        // the commit merges the two runs.
        {"import and merge of runs", {define, "import " + csv}, {"import", revisions}},
        {"archive creation", {}, {"-e", define + "; record c[2020] = 1 from S on 2025"}, true},
        {"restore", {}, {"import", backup}, true},
        // The first read of an archive docket 1.0 wrote upgrades it; the
        // states before and after export alike.
        {"upgrade from format 2", {}, {"-e", "treason[2023]"}, false,
         DOCKET_SOURCE_DIR "/tests/data/format2-archive"},
    };
    for (const Operation& op : ops) {
      Prepared p;
      p.op = op;
      p.before_dir = shared_->File("before-" + std::to_string(prepared_.size()));
      Docket d;
      for (const auto& step : op.setup) {
        constexpr std::string_view kImport = "import ";
        const Outcome o = step.starts_with(kImport) ? d.Run({"import", step.substr(kImport.size())}) : d.Query(step);
        if (o.exit_code != 0) setup_error_ += op.name + ": setup: " + Describe(o);
      }
      if (!op.fixture.empty()) {
        fs::copy(op.fixture, p.before_dir, fs::copy_options::recursive);
        Docket upgraded;  // its export upgrades it
        fs::copy(op.fixture, upgraded.db(), fs::copy_options::recursive);
        p.before = State(upgraded);
        fs::copy(op.fixture, d.db(), fs::copy_options::recursive);
      } else {
        if (!op.setup.empty()) fs::copy(d.db(), p.before_dir, fs::copy_options::recursive);
        p.before = State(d);
      }
      // The write once without faults, counting its calls.
      const std::string summary = shared_->File("summary");
      std::vector<std::string> argv = {"-f", "-c", "-o", summary, "-e",
                                       "trace=fsync,fdatasync,write,pwrite64,rename,link,unlink",
                                       DocketBinary()};
      argv.insert(argv.end(), op.args.begin(), op.args.end());
      argv.insert(argv.end(), {"--db", d.db()});
      const Outcome o = RunProgram(kStrace, argv, d.env());
      if (o.exit_code != 0) setup_error_ += op.name + ": the write itself: " + Describe(o);
      p.committed = State(d);
      p.calls = ParseSummary(ReadFile(summary));
      prepared_.push_back(std::move(p));
    }
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  static TempDir* shared_;
  static std::vector<Prepared> prepared_;
  static std::string setup_error_;
};

TempDir* FaultLoopTest::shared_ = nullptr;
std::vector<Prepared> FaultLoopTest::prepared_;
std::string FaultLoopTest::setup_error_;

// The first call strace tampered with, as its log shows it; empty if none.
std::string InjectedCall(const std::string& log) {
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find("(INJECTED)") != std::string::npos || line.find("killed by SIGKILL") != std::string::npos)
      return line;
  return "";
}

// One try: the fault, what happened, and what is wrong with it (empty if nothing).
struct Try {
  std::string command;  // the exact strace command line
  std::string outcome;
  std::string failure;
};

Try RunTry(const Prepared& p, const std::string& syscall, const std::string& fault, const std::string& when) {
  Try t;
  Docket d;
  if (!p.op.setup.empty() || !p.op.fixture.empty()) fs::copy(p.before_dir, d.db(), fs::copy_options::recursive);
  const std::string log = d.dir().File("strace.log");
  std::vector<std::string> argv = {"-f", "-o", log, "-e", "trace=" + syscall,
                                   "-e", "inject=" + syscall + ":" + fault + ":when=" + when,
                                   DocketBinary()};
  argv.insert(argv.end(), p.op.args.begin(), p.op.args.end());
  argv.insert(argv.end(), {"--db", d.db()});
  t.command = "DOCKET_NOW=" + d.env()["DOCKET_NOW"] + " " + kStrace + " " + Quoted(argv);
  const Outcome o = RunProgram(kStrace, argv, d.env());
  const std::string injected = InjectedCall(ReadFile(log));
  // A fault in the command's own output: it cannot report its commit.
  const bool own_output = injected.find(syscall + "(1,") != std::string::npos ||
                          injected.find(syscall + "(2,") != std::string::npos;
  const bool killed = fault == "signal=KILL" && o.exit_code == 128 + 9;

  const Outcome verify = d.Run({"verify"});
  const std::string state = State(d);
  const bool before = state == p.before, committed = state == p.committed;
  t.outcome = "exit " + std::to_string(o.exit_code) + (injected.empty() ? ", not reached" : ", injected") +
              (before ? ", before" : committed ? ", committed" : ", neither");
  std::string& f = t.failure;
  if (!before && !committed) f += "the archive holds neither the state before nor the committed state:\n" + state + "\n";
  if (verify.exit_code != 0 && !(p.op.creates && before && verify.exit_code == 66))
    f += "docket verify: " + Describe(verify);
  if (!killed) {
    if (o.exit_code == 0 && !committed) f += "exit 0 but the write is not in the archive\n";
    else if (o.exit_code == 74 && !before && !own_output) f += "exit 74 but the write was committed\n";
    else if (o.exit_code != 0 && o.exit_code != 74) f += "exit code neither 0 nor 74\n";
  }
  if (!f.empty()) f += "docket under strace: " + Describe(o);
  // The archive takes later writes and still verifies.
  const Outcome later = d.Query("define charge c; define source S; record c[1999] = 1 from S on 2025");
  if (later.exit_code != 0) f += "a later write: " + Describe(later);
  const Outcome again = d.Run({"verify"});
  if (again.exit_code != 0) f += "docket verify after a later write: " + Describe(again);
  return t;
}

TEST_F(FaultLoopTest, EveryFaultLeavesTheStateBeforeOrTheCommittedOne) {
  ASSERT_TRUE(fs::exists(kStrace)) << kStrace << " is missing: run scripts/setup";
  ASSERT_EQ(setup_error_, "");
  const int tries = EnvInt("DOCKET_FAULT_TRIES", 30);
  const unsigned seed = static_cast<unsigned>(EnvInt("DOCKET_FAULT_SEED", static_cast<int>(std::random_device()() & 0x7fffffff)));
  std::cout << "[ fault loop: " << tries << " tries, seed " << seed << " (DOCKET_FAULT_SEED) ]\n";
  std::mt19937 rng(seed);
  std::map<std::string, int> tally;
  int failures = 0;
  for (int i = 0; i < tries; ++i) {
    const Prepared& p = prepared_[static_cast<size_t>(i) % prepared_.size()];
    std::vector<std::string> syscalls;
    for (const char* s : kSyscalls)
      if (auto it = p.calls.find(s); it != p.calls.end() && it->second > 0) syscalls.push_back(s);
    ASSERT_FALSE(syscalls.empty()) << p.op.name;
    const std::string syscall = syscalls[rng() % syscalls.size()];
    const std::string fault = kFaults[rng() % std::size(kFaults)];
    const int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(p.calls.at(syscall)));
    // An error may persist (a full disk stays full): every call from the Nth on.
    const bool persists = fault != "signal=KILL" && rng() % 3 == 0;
    const std::string when = std::to_string(n) + (persists ? "+" : "");
    const Try t = RunTry(p, syscall, fault, when);
    ++tally[p.op.name + ": " + fault + " (" + t.outcome + ")"];
    if (!t.failure.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ", try " << i << ": " << p.op.name << ", " << syscall << ":" << fault
                    << ":when=" << when << "\n  " << t.command << "\n" << t.failure;
    }
  }
  for (const auto& [what, count] : tally) std::cout << "[   " << count << " x " << what << " ]\n";
  std::cout << "[ fault loop: " << failures << " of " << tries << " tries failed ]\n";
}

// The defect of issue 10 item 1, at the points where the loop hits it
// today: a failed sync of the commit's log (the bytes are written, so the
// next open replays them), or a fault after the synced write (the flush,
// the merge after a commit or an import, the directory's fsync), exits 74
// although the write is committed; an fdatasync error during the merge
// leaves a MANIFEST naming a deleted file (every later open fails). Kept
// apart from the random loop so the fix shows here, point by point.
TEST_F(FaultLoopTest, FaultAfterTheSyncedWriteNeitherBricksNorMisreports) {
  ASSERT_TRUE(fs::exists(kStrace)) << kStrace << " is missing: run scripts/setup";
  ASSERT_EQ(setup_error_, "");
  struct Point {
    const char* op;
    const char* syscall;
    const char* fault;
    const char* when;
  };
  const Point points[] = {
      {"script commit and merge", "fdatasync", "error=EIO", "3"},
      {"script commit and merge", "fdatasync", "error=EIO", "4"},
      {"script commit and merge", "fdatasync", "error=EIO", "5"},
      {"script commit and merge", "fdatasync", "error=ENOSPC", "5"},
      {"script commit and merge", "fsync", "error=ENOSPC", "5"},
      {"script commit", "fdatasync", "error=ENOSPC", "3"},
      {"script commit", "fsync", "error=EIO", "4"},
      {"import", "fsync", "error=ENOSPC", "5"},
      {"archive creation", "fsync", "error=EIO", "6"},
      {"archive creation", "fdatasync", "error=EIO", "6"},
      {"archive creation", "write", "error=EIO", "1"},
  };
  for (const Point& point : points) {
    const auto p = std::find_if(prepared_.begin(), prepared_.end(),
                                [&](const Prepared& q) { return q.op.name == point.op; });
    ASSERT_NE(p, prepared_.end()) << point.op;
    const Try t = RunTry(*p, point.syscall, point.fault, point.when);
    EXPECT_EQ(t.failure, "") << point.op << "\n  " << t.command;
  }
}

}  // namespace
}  // namespace docket::e2e
