// The upgrade from format 2 (a key per version) to format 3 (a key per
// cell): an archive laid out as docket 1.0 wrote it, with RocksDB directly,
// opened by this docket (storage/archive_impl.h, UpgradeToCells).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "storage/archive.h"
#include "storage/key_codec.h"
#include "storage/types.h"
#include "tests/storage/exact_version.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

const SeriesKey kTreason{"treason", {}};
const Period k2023 = Period::Parse("2023").value(), k2024 = Period::Parse("2024").value();
const ReportKey kCorrected{1, k2023, 1, Date::Parse("2024-01-15").value()};
const ReportKey kOther{1, k2023, 2, Date::Parse("2024-02").value()};
const ReportKey kNextYear{1, k2024, 1, Date::Parse("2025-01-10").value()};

// The four versions of the archive, in cell order.
std::vector<Version> Versions() {
  return {ExactVersion(kCorrected, 20, 104, "corrected"), ExactVersion(kCorrected, 10, 100),
          ExactVersion(kOther, 30, 110), ExactVersion(kNextYear, 40, 145)};
}

class UpgradeTest : public ::testing::Test {
 protected:
  // Writes a format-2 archive: the definitions, the series, a key per
  // version with its time-index entry, the counts; and `extra` keys.
  void WriteFormat2(const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::vector<std::pair<std::string, std::string>> puts = {
        {keys::FormatKey(), keys::EncodeFormatValue(2)},
        {keys::CountsKey(), keys::EncodeCounts(3, 4)},
        {keys::ChargeKey("treason"), keys::EncodeCharge({"treason", "High treason", "275"})},
        {keys::SourceKey("IStories"), keys::EncodeSource({"IStories", 1, 10, "", ""})},
        {keys::SourceKey("Mediazona"), keys::EncodeSource({"Mediazona", 2, 20, "", ""})},
        {keys::SeriesByNameKey(kTreason), keys::EncodeSeriesId(1)},
        {keys::SeriesByIdKey(1), keys::EncodeSeries(kTreason)},
    };
    for (const Version& v : Versions()) {
      puts.emplace_back(keys::VersionKey(v.report, v.recorded), keys::EncodeVersionValue(v));
      puts.emplace_back(keys::TimeKey(v.recorded, v.report), "");
    }
    puts.insert(puts.end(), extra.begin(), extra.end());
    for (const auto& [key, value] : puts) ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
  }

  // Opens the archive to read, keeping what it says about an upgrade.
  Result<std::unique_ptr<Archive>> Open() {
    OpenOptions o;
    o.mode = OpenOptions::Mode::kRead;
    o.on_upgrade = [this](const std::string& what) { told_.push_back(what); };
    return Archive::Open(path(), o);
  }

  // Every key of the archive with `tag`.
  std::vector<std::string> KeysOf(char tag) {
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::vector<std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(std::string(1, tag)); it->Valid() && it->key()[0] == tag; it->Next())
      out.push_back(it->key().ToString());
    return out;
  }

  void ExpectTheArchiveIsFormat3WithItsVersions(Archive& a) {
    std::vector<Version> read;
    ASSERT_TRUE(a.ScanSeries(1, &read).ok());
    const std::vector<Version> expected = Versions();
    ASSERT_EQ(read.size(), expected.size());
    for (size_t i = 0; i < read.size(); ++i) {
      EXPECT_EQ(read[i].report, expected[i].report) << i;
      EXPECT_EQ(read[i].recorded, expected[i].recorded) << i;
      EXPECT_TRUE(read[i].SameContent(expected[i])) << i;
    }
    EXPECT_EQ(KeysOf('R').size(), 0u);
    EXPECT_EQ(KeysOf('Q'), (std::vector<std::string>{keys::CellKey(1, k2023), keys::CellKey(1, k2024)}));
    auto size = a.GetSize();
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(size->reports, 3u);
    EXPECT_EQ(size->versions, 4u);
  }

  std::string path() const { return dir_.File("archive"); }

  TempDir dir_;
  std::vector<std::string> told_;
};

TEST_F(UpgradeTest, TheFirstOpenRewritesEachCellAsOneKeyAndSaysSoOnce) {
  ASSERT_NO_FATAL_FAILURE(WriteFormat2());
  {
    auto a = Open();
    ASSERT_TRUE(a.ok()) << a.status().message();
    ExpectTheArchiveIsFormat3WithItsVersions(**a);
  }
  EXPECT_EQ(told_, (std::vector<std::string>{"upgraded archive " + path() + " from format 2 to format 3 (4 versions)"}));
  auto again = Open();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(told_.size(), 1u);
  ExpectTheArchiveIsFormat3WithItsVersions(**again);
}

TEST_F(UpgradeTest, AnUpgradeCutShortBeforeTheFormatChangedIsDoneAgain) {
  // Cut short after its cells were ingested, and a version recorded since
  // by docket 1.0: the cell written then lacks it; the next open rewrites it.
  std::vector<Version> stale = Versions();
  stale.erase(stale.begin());
  stale.pop_back();
  ASSERT_NO_FATAL_FAILURE(WriteFormat2({{keys::CellKey(1, k2023), keys::EncodeCell(stale)}}));
  auto a = Open();
  ASSERT_TRUE(a.ok()) << a.status().message();
  ExpectTheArchiveIsFormat3WithItsVersions(**a);
  EXPECT_EQ(told_.size(), 1u);
}

TEST_F(UpgradeTest, ACorruptVersionStopsTheUpgradeAndChangesNothing) {
  const std::string corrupt = keys::VersionKey(kNextYear, 50);
  ASSERT_NO_FATAL_FAILURE(WriteFormat2({{corrupt, "\x09"}}));
  auto a = Open();
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(a.status().message(),
            "corrupt report in archive " + path() + "; nothing was upgraded from format 2 (docket verify names it)");
  EXPECT_TRUE(told_.empty());
  EXPECT_EQ(KeysOf('R').size(), 5u);
  EXPECT_EQ(KeysOf('Q').size(), 0u);
  EXPECT_EQ(KeysOf('F').size(), 1u);
}

}  // namespace
}  // namespace docket
