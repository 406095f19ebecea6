// Damage the archive must refuse rather than make worse, with the real
// binary (issue 10, defects 2 and 8): a missing CURRENT file, a directory
// of other files, permissions that deny the archive (run as `nobody`
// through setpriv, since root reads mode-000 files).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSetup = "define charge treason; define source IStories";
constexpr const char* kFirst = "record treason[2024] = 1 from IStories on 2025-01";
constexpr const char* kSecond = "record treason[2023] = 2 from IStories on 2025-01";

TEST(StorageFaultsTest, MissingCurrentIsReportedAsDamageAndChangesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kSetup) + "; " + kFirst)), "");
  fs::remove(d.db() + "/CURRENT");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(d.db())) files.push_back(e.path().filename().string());
  const std::string message = "docket: -e: archive " + d.db() +
                              " is damaged: its CURRENT file is missing; nothing was changed; run "
                              "`docket repair`\n";
  for (const char* script : {kSecond, "treason[2024]", kSecond}) {
    SCOPED_TRACE(script);
    const Outcome o = d.Query(script);
    EXPECT_EQ(o.exit_code, 74);
    EXPECT_EQ(o.err, message);
    std::vector<std::string> now;
    for (const auto& e : fs::directory_iterator(d.db())) now.push_back(e.path().filename().string());
    std::sort(now.begin(), now.end());
    std::sort(files.begin(), files.end());
    EXPECT_EQ(now, files);
  }
}

TEST(StorageFaultsTest, DirectoryOfOtherFilesIsRefused) {
  Docket d;
  fs::create_directories(d.db());
  d.WriteFile("archive/notes.txt", "my notes\n");
  const Outcome o = d.Query(kSetup);
  EXPECT_EQ(o.exit_code, 74);
  EXPECT_EQ(o.err, "docket: -e: " + d.db() + " is not a docket archive: it holds other files\n");
  EXPECT_FALSE(fs::exists(d.db() + "/CURRENT"));
}

// `docket --db DB -e script` as the user nobody, who cannot read what root made mode 000.
Outcome RunAsNobody(const Docket& d, const std::string& script) {
  return RunProgram("/usr/bin/setpriv",
                    {"--reuid=nobody", "--regid=nogroup", "--clear-groups", DocketBinary(), "--db", d.db(),
                     "--format", "csv", "-e", script},
                    const_cast<Docket&>(d).env());
}

// Lets nobody reach the test's directory (mkdtemp makes it 0700).
void OpenToNobody(const Docket& d) {
  ASSERT_EQ(::chmod(d.dir().path().c_str(), 0755), 0);
}

TEST(StorageFaultsTest, ArchiveDirectoryWithoutPermissionIsAnIoErrorNotMissing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kSetup) + "; " + kFirst)), "");
  OpenToNobody(d);
  ASSERT_EQ(::chmod(d.db().c_str(), 0), 0);
  for (const char* script : {"treason[2024]", kSecond}) {
    SCOPED_TRACE(script);
    const Outcome o = RunAsNobody(d, script);
    EXPECT_EQ(o.exit_code, 74) << Describe(o);
    EXPECT_EQ(o.err, "docket: -e: cannot open archive " + d.db() + ": Permission denied\n");
  }
  ASSERT_EQ(::chmod(d.db().c_str(), 0755), 0);
  EXPECT_EQ(d.Query("treason[2023]").out.find("2023,2"), std::string::npos);
}

TEST(StorageFaultsTest, UnreadableLockIsAnIoErrorNotAnotherWriter) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(std::string(kSetup) + "; " + kFirst)), "");
  OpenToNobody(d);
  // nobody owns the archive, but cannot open its LOCK.
  for (const auto& e : fs::recursive_directory_iterator(d.db()))
    ASSERT_EQ(::chown(e.path().c_str(), 65534, 65534), 0);
  ASSERT_EQ(::chown(d.db().c_str(), 65534, 65534), 0);
  ASSERT_EQ(::chmod((d.db() + "/LOCK").c_str(), 0), 0);
  const Outcome o = RunAsNobody(d, kSecond);
  EXPECT_EQ(o.exit_code, 74) << Describe(o);
  EXPECT_EQ(o.err.rfind("docket: -e: cannot open archive " + d.db() + ": IO error: ", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("Permission denied"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace docket::e2e
