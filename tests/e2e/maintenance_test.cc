// `docket verify`, `docket repair` (spec §5) and `docket checkpoint` (§8),
// v1.1, on real archives, some damaged on disk as a failing machine would:
// a corrupt table file, a lost CURRENT.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "storage/key_codec.h"
#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSetup =
    "define charge treason; define source IStories;"
    "record treason[2024] = 145 from IStories on 2025-01-10;"
    "record treason{region=\"X\"}[2023] = 3 from IStories on 2024-12";

// Every file of a directory tree and its bytes (the locks aside): proves a
// command changed nothing on disk.
std::map<std::string, std::string> Files(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name != "LOCK" && name != "docket.lock")
      out[fs::relative(e.path(), dir).string()] = ReadFile(e.path().string());
  }
  return out;
}

// The archive's newest table file (the highest number): the last commit's.
std::string NewestTable(const std::string& dir) {
  std::string newest;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sst" && e.path().string() > newest) newest = e.path().string();
  return newest;
}

// Overwrites 16 bytes at the start of `path`: inside its first data block.
void Corrupt(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(0);
  f.write("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16);
}

TEST(MaintenanceTest, VerifyPrintsTheSummaryOfAHealthyArchive) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup + std::string("; record treason[2024] = 150 from IStories on 2025-01-10"))), "");
  const Outcome o = d.Run({"verify"});
  EXPECT_EQ(o.out, d.db() + ": ok, 2 series, 2 reports, 3 versions\n");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.exit_code, 0);
}

TEST(MaintenanceTest, VerifyOfAMissingArchiveIs66) {
  Docket d;
  const Outcome o = d.Run({"verify"});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": archive not found: " + d.db() + "\n");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_FALSE(fs::exists(d.db()));
}

TEST(MaintenanceTest, VerifyTakesNoOtherArgument) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  const auto before = Files(d.db());
  const Outcome o = d.Run({"verify", "-e", "1"});
  EXPECT_EQ(o.err, "docket: unknown option `-e`\nTry `docket --help`.\n");
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_EQ(Files(d.db()), before);
}

TEST(MaintenanceTest, VerifyFindsACorruptTableFileAndChangesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  Corrupt(NewestTable(d.db()));
  const auto before = Files(d.db());
  const Outcome o = d.Run({"verify"});
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("docket: " + d.db() + ": reading the archive: Corruption: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("docket: " + d.db() + ": the archive fails verification\n"), std::string::npos) << o.err;
  // Only the read error: nothing the cut-short scan did not read is blamed.
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 2) << o.err;
  EXPECT_EQ(o.exit_code, 74);
  EXPECT_EQ(Files(d.db()), before);
}

TEST(MaintenanceTest, RepairRestoresAnArchiveWhoseCurrentIsLost) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  const std::string exported = d.Run({"export", "--format", "jsonl"}).out;
  fs::remove(d.db() + "/CURRENT");

  Outcome o = d.Run({"verify"});
  EXPECT_NE(o.err.find("cannot open the archive"), std::string::npos) << o.err;
  EXPECT_EQ(o.exit_code, 74);

  const std::string copy = d.db() + ".damaged-20251101T000000Z";
  o = d.Run({"repair"});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": the archive as it was is kept in " + copy + "\n");
  EXPECT_EQ(o.out, d.db() + ": ok, 2 series, 2 reports, 2 versions\n");
  EXPECT_EQ(o.exit_code, 0);
  // The copy is the damaged archive as it was.
  EXPECT_FALSE(fs::exists(copy + "/CURRENT"));

  EXPECT_EQ(d.Run({"export", "--format", "jsonl"}).out, exported);
  EXPECT_EQ(d.Run({"verify"}).exit_code, 0);
  // Later writes keep what was there.
  ASSERT_EQ(FailureOf(d.Query("record treason[2025] = 9 from IStories on 2025-11")), "");
  o = d.Query("treason[2024]; treason[2025]");
  EXPECT_EQ(o.out,
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2024,145,145,145,false,IStories,2025-01-10\n"
            "\n"
            "series,period,value,lo,hi,approx,source,reported\n"
            "treason,2025,9,9,9,false,IStories,2025-11\n");
  EXPECT_EQ(d.Run({"verify"}).out, d.db() + ": ok, 2 series, 3 reports, 3 versions\n");
}

// RepairDB sets a corrupt table file aside whole: what the last commit
// wrote is lost, what the earlier commits wrote is kept, and the counts the
// earlier commit stored agree with it again.
TEST(MaintenanceTest, RepairOfACorruptTableKeepsTheOtherTables) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  // Enough earlier reports that the last commit's small table is not merged
  // with theirs (a commit merges runs of reports of like size), so that it
  // is a table of its own.
  std::string earlier;
  for (int year = 1700; year < 2000; ++year)
    earlier += "record treason{region=\"Y\"}[" + std::to_string(year) + "] = 1 from IStories on " +
               std::to_string(year + 1) + ";\n";
  ASSERT_EQ(FailureOf(d.Query(earlier)), "");
  ASSERT_EQ(FailureOf(d.Query("record treason[2025] = 9 from IStories on 2025-11")), "");
  const std::string table = NewestTable(d.db());
  Corrupt(table);
  const Outcome o = d.Run({"repair"});
  EXPECT_EQ(o.out, d.db() + ": ok, 3 series, 302 reports, 302 versions\n");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(fs::exists(d.db() + "/lost/" + fs::path(table).filename().string()));
  const std::vector<std::string> periods = CsvColumn(d.Run({"export"}).out, "period");
  EXPECT_EQ(periods.size(), 302u);
  EXPECT_EQ(std::count(periods.begin(), periods.end(), "2025"), 0);
}

TEST(MaintenanceTest, RepairWhileAWriterHoldsTheLockIs75AndCopiesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  const std::string exported = d.Run({"export", "--format", "jsonl"}).out;
  HeldImport held(d, "rows.fifo");
  ASSERT_TRUE(held.Open());
  const Outcome o = d.Run({"repair"});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": archive is locked by another writer: " + d.db() + "/LOCK\n");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.exit_code, 75);
  EXPECT_FALSE(fs::exists(d.db() + ".damaged-20251101T000000Z"));
  held.Write("charge,period,value,source,reported\n");
  EXPECT_EQ(held.Finish().exit_code, 0);
  EXPECT_EQ(d.Run({"export", "--format", "jsonl"}).out, exported);
}

TEST(MaintenanceTest, RepairTwiceKeepsBothCopies) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  ASSERT_EQ(d.Run({"repair"}).exit_code, 0);
  const Outcome o = d.Run({"repair"});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": the archive as it was is kept in " + d.db() +
                       ".damaged-20251101T000000Z-2\n");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(fs::exists(d.db() + ".damaged-20251101T000000Z/CURRENT"));
}

TEST(MaintenanceTest, RepairOfAMissingArchiveIs66AndCopiesNothing) {
  Docket d;
  const Outcome o = d.Run({"repair"});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": archive not found: " + d.db() + "\n");
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_FALSE(fs::exists(d.db()));
  EXPECT_FALSE(fs::exists(d.db() + ".damaged-20251101T000000Z"));
}

TEST(MaintenanceTest, CheckpointIsAnArchiveOfItsOwn) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  const std::string copy = d.dir().File("replica");
  Outcome o = d.Run({"checkpoint", copy});
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.exit_code, 0);
  // Table files are shared, not copied.
  for (const auto& e : fs::directory_iterator(copy)) {
    if (e.path().extension() == ".sst") {
      EXPECT_EQ(fs::hard_link_count(e.path()), 2u) << e.path();
    }
  }
  o = RunProgram(DocketBinary(), {"verify", "--db", copy}, d.env());
  EXPECT_EQ(o.out, copy + ": ok, 2 series, 2 reports, 2 versions\n");
  const std::string exported = d.Run({"export", "--format", "jsonl"}).out;
  EXPECT_EQ(RunProgram(DocketBinary(), {"export", "--db", copy, "--format", "jsonl"}, d.env()).out, exported);
  // Later writes to either leave the other as it was.
  ASSERT_EQ(FailureOf(d.Query("record treason[2025] = 9 from IStories on 2025-11")), "");
  EXPECT_EQ(RunProgram(DocketBinary(), {"export", "--db", copy, "--format", "jsonl"}, d.env()).out, exported);
  o = RunProgram(DocketBinary(), {"--db", copy, "-e", "record treason[2022] = 1 from IStories on 2025-10"}, d.env());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(d.Run({"verify"}).out, d.db() + ": ok, 2 series, 3 reports, 3 versions\n");
  EXPECT_EQ(CsvColumn(d.Run({"export"}).out, "period"), (std::vector<std::string>{"2024", "2023", "2025"}));
}

TEST(MaintenanceTest, CheckpointIntoAnExistingDirectoryIs74AndWritesNothing) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query(kSetup)), "");
  const std::string copy = d.dir().File("replica");
  fs::create_directory(copy);
  const Outcome o = d.Run({"checkpoint", copy});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": cannot write a checkpoint to " + copy + ": it exists\n");
  EXPECT_EQ(o.exit_code, 74);
  EXPECT_TRUE(fs::is_empty(copy));
}

TEST(MaintenanceTest, CheckpointOfAMissingArchiveIs66) {
  Docket d;
  const std::string copy = d.dir().File("replica");
  const Outcome o = d.Run({"checkpoint", copy});
  EXPECT_EQ(o.err, "docket: " + d.db() + ": archive not found: " + d.db() + "\n");
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_FALSE(fs::exists(copy));
}

TEST(MaintenanceTest, CheckpointNeedsOneDirectory) {
  Docket d;
  Outcome o = d.Run({"checkpoint"});
  EXPECT_EQ(o.err, "docket: checkpoint needs the directory to write\nTry `docket --help`.\n");
  EXPECT_EQ(o.exit_code, 64);
  o = d.Run({"checkpoint", d.dir().File("a"), d.dir().File("b")});
  EXPECT_EQ(o.err, "docket: unexpected argument `" + d.dir().File("b") + "`\nTry `docket --help`.\n");
  EXPECT_EQ(o.exit_code, 64);
  EXPECT_FALSE(fs::exists(d.dir().File("a")));
}

// An archive written by docket 1.0 (format 2, a key per version):
// tests/data/format2-archive, from tests/data/format2-archive.docket with
// DOCKET_NOW=2026-01-01T00:00:00Z. Its answers, worked out from that script:
// IStories corrected 100 to 104 for 2023, Mediazona's later-dated ">= 110"
// resolves the cell; Mediazona retracted Moscow's 2024 figure.
const std::string kFormat2Answers =
    "series,period,value,lo,hi,approx,source,reported\n"
    "treason,2023,>=110,110,,false,Mediazona,2024-02\n"
    "\n"
    "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
    "treason,2023,IStories,2024-01-15,2026-01-01T00:00:00.000000Z,100,100,100,false,corrected,,\n"
    "treason,2023,IStories,2024-01-15,2026-01-01T00:00:00.000001Z,104,104,104,false,current,corrected,\n"
    "treason,2023,Mediazona,2024-02,2026-01-01T00:00:00.000002Z,>=110,110,,false,current,,\n"
    "treason,2024,IStories,2025-01-10,2026-01-01T00:00:00.000003Z,145,145,145,false,current,,\n"
    "\n"
    "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
    "\"treason{region=\"\"Moscow\"\"}\",2024,Mediazona,2025-01-20,2026-01-01T00:00:00.000004Z,12,12,12,false,"
    "superseded,,\n"
    "\"treason{region=\"\"Moscow\"\"}\",2024,Mediazona,2025-02-01,2026-01-01T00:00:00.000005Z,,,,false,retracted,,\n"
    "\"treason{region=\"\"Moscow\"\"}\",2024-Q1,IStories,2024-04-02,2026-01-01T00:00:00.000006Z,~3,3,3,true,current,,"
    "https://istories.media/x\n";
constexpr const char* kFormat2Questions = "treason[2023]; revisions(treason); revisions(treason{region=*})";

void CopyFormat2Archive(const Docket& d) {
  fs::copy(DOCKET_SOURCE_DIR "/tests/data/format2-archive", d.db(), fs::copy_options::recursive);
}

TEST(MaintenanceTest, AFormat2ArchiveIsUpgradedByItsFirstReadAndAnswersAsBefore) {
  Docket d;
  CopyFormat2Archive(d);
  const Outcome first = d.Query(kFormat2Questions);
  EXPECT_EQ(first.err, "docket: upgraded archive " + d.db() + " from format 2 to format 3 (7 versions)\n");
  EXPECT_EQ(first.out, kFormat2Answers);
  EXPECT_EQ(first.exit_code, 0);
  // Said once: the archive is format 3 now.
  const Outcome again = d.Query(kFormat2Questions);
  EXPECT_EQ(again.err, "");
  EXPECT_EQ(again.out, kFormat2Answers);
  const Outcome verify = d.Run({"verify"});
  EXPECT_EQ(verify.out, d.db() + ": ok, 2 series, 6 reports, 7 versions\n");
  EXPECT_EQ(verify.exit_code, 0);
}

TEST(MaintenanceTest, AFormat2ArchiveIsUpgradedByAWriteWhichThenApplies) {
  Docket d;
  CopyFormat2Archive(d);
  const Outcome write = d.Run({"-e", "record treason[2023] = 111 from Mediazona on 2024-03"});
  EXPECT_EQ(write.err, "docket: upgraded archive " + d.db() + " from format 2 to format 3 (7 versions)\n");
  EXPECT_EQ(write.exit_code, 0);
  const Outcome read = d.Query("treason[2023]; changes since 2026-01-01T00:00:00.000006Z");
  EXPECT_EQ(read.err, "");
  // The new version is the archive's eighth, recorded after the seventh.
  const std::string value = "series,period,value,lo,hi,approx,source,reported\n"
                            "treason,2023,111,111,111,false,Mediazona,2024-03\n";
  ASSERT_EQ(read.out.substr(0, value.size()), value);
  EXPECT_NE(read.out.find("\ntreason,2023,Mediazona,2024-03,"), std::string::npos) << read.out;
  EXPECT_EQ(d.Run({"verify"}).out, d.db() + ": ok, 2 series, 7 reports, 8 versions\n");
}

// Every key and value of an archive, read with RocksDB itself
// (tests/storage/raw_keys.cc): proves a command that opened the archive as
// a writer changed nothing in it.
std::string Content(const std::string& dir) {
  const Outcome dump = RunProgram(RAW_KEYS_BINARY, {"dump", dir});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  return dump.out;
}

std::string Hex(std::string_view bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

TEST(MaintenanceTest, AFormat2ArchiveWithACorruptVersionIsNotUpgradedAndEveryCommandExitsIo) {
  Docket d;
  CopyFormat2Archive(d);
  // A version of treason[2024] whose value does not decode (there is no
  // value kind 9), flushed to a table file as format 2 would have.
  const ReportKey report{1, Period::Parse("2024").value(), 1, Date::Parse("2025-01-11").value()};
  const std::string corrupt = Hex(keys::VersionKey(report, 50));
  const Outcome put = RunProgram(RAW_KEYS_BINARY, {"put", d.db(), corrupt, "09"});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  const std::string before = Content(d.db());
  ASSERT_NE(before.find(corrupt + " 09\n"), std::string::npos) << before;
  // The command's place (-e), then the archive.
  const std::string refused = "docket: -e: corrupt report in archive " + d.db() +
                              "; nothing was upgraded from format 2 (docket verify names it)\n";
  const Outcome read = d.Query("treason[2023]");
  EXPECT_EQ(read.err, refused);
  EXPECT_EQ(read.out, "");
  EXPECT_EQ(read.exit_code, 74);
  const Outcome write = d.Run({"-e", "record treason[2023] = 111 from Mediazona on 2024-03"});
  EXPECT_EQ(write.err, refused);
  EXPECT_EQ(write.exit_code, 74);
  EXPECT_EQ(Content(d.db()), before);
}

}  // namespace
}  // namespace docket::e2e
