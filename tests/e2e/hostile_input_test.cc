// End-to-end: where docket writes and what it says when a path is odd
// (spec §5, issue 10 items 6 and 8): `-o` writes through FIFOs, devices
// and /dev/stdout and follows symlinks; an import's scratch directory stays
// beside the archive however --db is spelled; directories, unreadable
// files and an unwritable stdout give the exit codes of §5 and messages
// that say why, and leave the archive unchanged.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

namespace fs = std::filesystem;

constexpr char kArchive[] =
    "define charge espionage; define source RTVI;"
    "record espionage[2024] >= 28 from RTVI on 2024-12 note \"first\";";

std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

struct stat LinkStat(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

class HostileInputTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d_.Query(kArchive)), "");
    export_ = d_.Run({"export"}).out;
    ASSERT_NE(export_, "");
    before_ = d_.Fingerprint();
  }
  // `docket ARGS` with stdout on /dev/full (through sh, which opens it).
  Outcome RunToFull(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"-c", "exec \"$@\" > /dev/full", "sh", DocketBinary()};
    full.insert(full.end(), args.begin(), args.end());
    return RunProgram("/bin/sh", full, d_.env());
  }
  // Makes a character device node like /dev/null (1, 3) or /dev/full
  // (1, 7) in the test's directory; empty if this process may not.
  std::string Device(const std::string& name, unsigned minor) const {
    const std::string path = d_.dir().File(name);
    if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)) != 0) return "";
    return path;
  }

  Docket d_;
  std::string export_, before_;
};

// ---------------------------------------------------------------- -o

TEST_F(HostileInputTest, EmptyOutputPathIsABadCommandLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "-o", ""}, std::vector<std::string>{"export", "-o="}}) {
    const Outcome o = d_.Run(args);
    EXPECT_EQ(o.exit_code, 64) << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "docket: -o needs a file name\nTry `docket --help`.\n");
  }
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(HostileInputTest, OutputToDevStdoutWritesThroughIt) {
  for (const char* path : {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
    const Outcome o = d_.Run({"export", "-o", path});
    EXPECT_EQ(o.exit_code, 0) << path << "\n" << Describe(o);
    EXPECT_EQ(o.out, export_) << path;
    EXPECT_EQ(o.err, "") << path;
  }
  EXPECT_TRUE(S_ISLNK(LinkStat("/dev/stdout").st_mode));
}

TEST_F(HostileInputTest, OutputToAFifoWritesThroughIt) {
  const std::string fifo = d_.dir().File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A reader is there first (non-blocking, so this open returns); the
  // export is small enough for the FIFO's buffer, so it ends before we read.
  const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  const Outcome o = d_.Run({"export", "-o", fifo});
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fd);
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(got, export_);
  EXPECT_TRUE(S_ISFIFO(LinkStat(fifo).st_mode)) << "the FIFO was replaced";
}

TEST_F(HostileInputTest, OutputToACharacterDeviceWritesThroughIt) {
  const std::string null = Device("null", 3);
  if (null.empty()) GTEST_SKIP() << "mknod not permitted: " << std::strerror(errno);
  const auto before = Listing(d_.dir().path());
  const Outcome o = d_.Run({"export", "-o", null});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, "");
  EXPECT_TRUE(S_ISCHR(LinkStat(null).st_mode)) << "the device was replaced";
  EXPECT_EQ(Listing(d_.dir().path()), before);
}

TEST_F(HostileInputTest, OutputToAFullDeviceFailsWithTheOsErrorAndKeepsTheDevice) {
  const std::string full = Device("full", 7);
  if (full.empty()) GTEST_SKIP() << "mknod not permitted: " << std::strerror(errno);
  const auto before = Listing(d_.dir().path());
  const Outcome o = d_.Run({"export", "-o", full});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: " + full + ": cannot write: No space left on device\n");
  EXPECT_TRUE(S_ISCHR(LinkStat(full).st_mode)) << "the device was replaced";
  EXPECT_EQ(Listing(d_.dir().path()), before);
}

TEST_F(HostileInputTest, OutputThroughASymlinkReplacesItsTargetBesideTheTargetAndKeepsTheLink) {
  const std::string targets = d_.dir().File("targets"), links = d_.dir().File("links");
  fs::create_directories(targets);
  fs::create_directories(links);
  const std::string target = targets + "/docket.csv", link = links + "/docket.csv";
  std::ofstream(target) << "an older file\n";
  fs::create_symlink("../targets/docket.csv", link);
  const ino_t old_inode = LinkStat(target).st_ino;

  const Outcome o = d_.Run({"export", "-o", link});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode)) << "the symlink was replaced";
  EXPECT_EQ(fs::read_symlink(link), "../targets/docket.csv");
  EXPECT_EQ(ReadFile(target), export_);
  EXPECT_NE(LinkStat(target).st_ino, old_inode) << "the target was written in place, not renamed";
  EXPECT_EQ(Listing(targets), std::set<std::string>{"docket.csv"});
  EXPECT_EQ(Listing(links), std::set<std::string>{"docket.csv"});
}

TEST_F(HostileInputTest, OutputThroughADanglingSymlinkCreatesItsTarget) {
  const std::string link = d_.dir().File("link.csv");
  fs::create_symlink("made.csv", link);
  const Outcome o = d_.Run({"export", "-o", link});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_EQ(ReadFile(d_.dir().File("made.csv")), export_);
}

TEST_F(HostileInputTest, OutputThroughASymlinkToADeviceWritesThroughIt) {
  const std::string null = Device("null", 3);
  if (null.empty()) GTEST_SKIP() << "mknod not permitted: " << std::strerror(errno);
  const std::string link = d_.dir().File("to-null");
  fs::create_symlink(null, link);
  const Outcome o = d_.Run({"export", "-o", link});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_TRUE(S_ISCHR(LinkStat(null).st_mode));
}

TEST_F(HostileInputTest, OutputThroughASymlinkLoopFails) {
  const std::string a = d_.dir().File("a"), b = d_.dir().File("b");
  fs::create_symlink("b", a);
  fs::create_symlink("a", b);
  const Outcome o = d_.Run({"export", "-o", a});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: " + a + ": cannot write: Too many levels of symbolic links\n");
  EXPECT_TRUE(S_ISLNK(LinkStat(a).st_mode));
  EXPECT_TRUE(S_ISLNK(LinkStat(b).st_mode));
}

TEST_F(HostileInputTest, OutputOntoADirectoryFails) {
  const std::string dir = d_.dir().File("out");
  fs::create_directories(dir);
  const Outcome o = d_.Run({"export", "-o", dir});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: " + dir + ": is a directory\n");
  EXPECT_TRUE(fs::is_empty(dir));
}

// ---------------------------------------------------------------- the import's scratch directory

// `docket import --db SPELLING` run by `sh` in `cwd`, held on a FIFO while
// the test looks: the scratch directory exists then (it is made before
// the first file is read).
void ExpectScratchBesideTheArchive(Docket& d, const std::string& cwd, const std::string& spelling) {
  SCOPED_TRACE("--db " + spelling + " in " + cwd);
  const std::string fifo = d.dir().File("held.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Background import("/bin/sh", {"-c", "cd \"$0\" && exec \"$1\" import --db \"$2\" \"$3\"", cwd,
                                DocketBinary(), spelling, fifo},
                    EnvOf(d), d.dir().path());
  const int fd = OpenFifoForWriting(fifo, import);
  ASSERT_GE(fd, 0) << import.Kill().err;
  const auto inside = Listing(d.db());
  const auto beside = Listing(d.dir().path());
  const std::string header = "charge,period,value,source,reported\n";
  EXPECT_EQ(::write(fd, header.data(), header.size()), static_cast<ssize_t>(header.size()));
  ::close(fd);
  const Outcome o = import.Wait(std::chrono::seconds(60));
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  fs::remove(fifo);

  for (const auto& name : inside) EXPECT_EQ(name.find("import-"), std::string::npos) << "inside the archive: " << name;
  EXPECT_EQ(beside.count("archive.import-" + std::to_string(import.pid())), 1u)
      << "not beside the archive as archive.import-" << import.pid();
  for (const auto& name : Listing(d.dir().path()))
    EXPECT_EQ(name.find("import-"), std::string::npos) << "left behind: " << name;
}

TEST_F(HostileInputTest, ImportScratchDirectoryIsBesideTheArchiveHoweverDbIsSpelled) {
  const std::string before = d_.Fingerprint();
  ExpectScratchBesideTheArchive(d_, d_.dir().path(), d_.db() + "/");
  ExpectScratchBesideTheArchive(d_, d_.db(), ".");
  ExpectScratchBesideTheArchive(d_, d_.db(), "./");
  ExpectScratchBesideTheArchive(d_, d_.dir().path(), "archive//.");
  ExpectScratchBesideTheArchive(d_, d_.dir().path(), "./archive/../archive");
  EXPECT_EQ(d_.Fingerprint(), before);
}

// ---------------------------------------------------------------- files that are not files

TEST_F(HostileInputTest, ADirectoryAsTheCsvFileOrAScriptIsAnIoErrorSayingSo) {
  const std::string dir = d_.dir().File("rows.csv");
  fs::create_directories(dir);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"import", dir}, std::vector<std::string>{"-f", dir}}) {
    const Outcome o = d_.Run(args);
    EXPECT_EQ(o.exit_code, 74) << args[0] << "\n" << Describe(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "docket: " + dir + ": is a directory\n");
    EXPECT_EQ(d_.Fingerprint(), before_);
  }
}

TEST_F(HostileInputTest, ADirectoryAsTheBackupIsAnIoErrorSayingSo) {
  Docket fresh;
  const std::string dir = fresh.dir().File("backup.jsonl");
  fs::create_directories(dir);
  const Outcome o = fresh.Run({"import", dir});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: " + dir + ": is a directory\n");
  EXPECT_EQ(fresh.Fingerprint(), "<missing>");
}

TEST_F(HostileInputTest, AnUnreadableScriptIsAnIoErrorWithTheOsError) {
  const Outcome o = d_.Run({"-e", "define charge treason", "-f", "/proc/self/mem"});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "docket: /proc/self/mem: cannot read: Input/output error\n");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(HostileInputTest, AMissingScriptIsNotFound) {
  const std::string path = d_.dir().File("nowhere.dkt");
  const Outcome o = d_.Run({"-f", path});
  EXPECT_EQ(o.exit_code, 66) << Describe(o);
  EXPECT_EQ(o.err, "docket: " + path + ": cannot open: No such file or directory\n");
}

// ---------------------------------------------------------------- stdout that cannot be written

TEST_F(HostileInputTest, HelpAndVersionFailWhenStdoutCannotBeWritten) {
  for (const char* flag : {"--help", "--version"}) {
    const Outcome o = RunToFull({flag});
    EXPECT_EQ(o.exit_code, 74) << flag << "\n" << Describe(o);
    EXPECT_EQ(o.err, "docket: cannot write to standard output\n") << flag;
  }
}

TEST_F(HostileInputTest, ImportFailsAndCommitsNothingWhenStdoutCannotBeWritten) {
  const std::string csv = d_.WriteFile("rows.csv",
                                       "charge,period,value,source,reported\n"
                                       "espionage,2023,9,RTVI,2024\n");
  const Outcome o = RunToFull({"import", "--db", d_.db(), csv});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: cannot write to standard output\n");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

TEST_F(HostileInputTest, ExportFailsWhenStdoutCannotBeWritten) {
  const Outcome o = RunToFull({"export", "--db", d_.db()});
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err, "docket: cannot write to standard output\n");
  EXPECT_EQ(d_.Fingerprint(), before_);
}

}  // namespace
}  // namespace docket::e2e
