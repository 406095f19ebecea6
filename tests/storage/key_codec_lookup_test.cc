// The key codec's helpers for the archive and the bulk loader (key_codec.h):
// catalog and series keys, report prefixes, key ranges and the bulk
// loader's run keys, pinned by golden bytes worked out by hand from the
// layout comment at the top of key_codec.h, round trips at the edges and
// the order property.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "storage/key_codec.h"
#include "storage/types.h"
#include "tests/storage/key_codec_golden.h"

namespace docket {
namespace {

TEST(KeyCodecGoldenTest, KindPrefixIsTheTagAlone) {
  EXPECT_BYTES(keys::KindPrefix(keys::kTimeTag), "T");
  EXPECT_BYTES(keys::KindPrefix(keys::kSeriesByIdTag), "I");
}

TEST(KeyCodecGoldenTest, CatalogKeyNameIsTheKeyWithoutItsTag) {
  EXPECT_EQ(keys::CatalogKeyName("Ctreason"), "treason");
  EXPECT_EQ(keys::CatalogKeyName(keys::SourceKey("IStories")), "IStories");
  EXPECT_EQ(keys::CatalogKeyName(""), "");
}

TEST(KeyCodecGoldenTest, SeriesIdValueIsBigEndianU32) {
  EXPECT_BYTES(keys::EncodeSeriesId(258), Bytes({0x00, 0x00, 0x01, 0x02}));
  SeriesId id = 0;
  ASSERT_TRUE(keys::DecodeSeriesId(Bytes({0x01, 0x02, 0x03, 0x04}), &id));
  EXPECT_EQ(id, 0x01020304u);
  EXPECT_FALSE(keys::DecodeSeriesId(Bytes({0x01, 0x02, 0x03}), &id));
  EXPECT_FALSE(keys::DecodeSeriesId(Bytes({0x01, 0x02, 0x03, 0x04, 0x05}), &id));
}

TEST(KeyCodecGoldenTest, DecodesHandWrittenSeriesKeys) {
  SeriesId id = 0;
  ASSERT_TRUE(keys::DecodeSeriesByIdKey(Bytes({'I', 0x00, 0x00, 0x01, 0x02}), &id));
  EXPECT_EQ(id, 258u);
  EXPECT_FALSE(keys::DecodeSeriesByIdKey(Bytes({'S', 0x00, 0x00, 0x01, 0x02}), &id));
  EXPECT_FALSE(keys::DecodeSeriesByIdKey(Bytes({'I', 0x00, 0x01, 0x02}), &id));

  SeriesKey series;
  ASSERT_TRUE(keys::DecodeSeriesByNameKey(std::string("Sespionage\0citizenship\0UA\0", 26), &series));
  EXPECT_EQ(series, (SeriesKey{"espionage", {{"citizenship", "UA"}}}));
  EXPECT_FALSE(keys::DecodeSeriesByNameKey(std::string("Iespionage\0", 11), &series));
  EXPECT_FALSE(keys::DecodeSeriesByNameKey("", &series));
}

TEST(KeyCodecGoldenTest, ReportPrefixIsTagThenReport) {
  const std::string expected = std::string("R") + kGoldenReportBytes;
  EXPECT_BYTES(keys::ReportPrefix(GoldenReport()), expected);
  // Every version of the report starts with it, whatever its recorded time.
  EXPECT_BYTES(keys::ReportPrefixOf(keys::VersionKey(GoldenReport(), 0x0102030405060708)), expected);
  EXPECT_BYTES(keys::ReportPrefixOf(keys::VersionKey(GoldenReport(), -1)), expected);
  EXPECT_EQ(keys::ReportPrefixOf("R\x01"), "");
}

TEST(KeyCodecGoldenTest, CellPrefixOfIsTagSeriesAndPeriodOfAVersionKey) {
  const ReportKey report = GoldenReport();
  const std::string cell = keys::CellPrefix(report.series, report.period);
  EXPECT_BYTES(keys::CellPrefixOf(keys::VersionKey(report, 1)), cell);
  EXPECT_BYTES(keys::CellPrefixOf(keys::VersionKey(report, -1)), cell);
  // Only version keys belong to a cell.
  EXPECT_EQ(keys::CellPrefixOf(keys::TimeKey(1, report)), "");
  EXPECT_EQ(keys::CellPrefixOf(keys::SeriesByIdKey(1)), "");
  EXPECT_EQ(keys::CellPrefixOf(cell), "");
}

TEST(KeyCodecGoldenTest, RangeOfPlacesEachKindAgainstTheVersions) {
  using keys::KeyRange;
  EXPECT_EQ(keys::RangeOf(keys::FormatKey()), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::CountsKey()), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::ChargeKey("treason")), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::SourceKey("RTVI")), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::SeriesByIdKey(1)), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::VersionKey(GoldenReport(), 1)), KeyRange::kVersion);
  EXPECT_EQ(keys::RangeOf(keys::SeriesByNameKey({"treason", {}})), KeyRange::kAboveVersions);
  EXPECT_EQ(keys::RangeOf(keys::TimeKey(1, GoldenReport())), KeyRange::kAboveVersions);
  EXPECT_TRUE(keys::IsTimeKey(keys::TimeKey(1, GoldenReport())));
  EXPECT_FALSE(keys::IsTimeKey(keys::SeriesByNameKey({"treason", {}})));
  EXPECT_FALSE(keys::IsTimeKey(""));
}

TEST(KeyCodecGoldenTest, RunKeyIsReportThenOrder) {
  const std::string order = Bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02});  // 258
  const std::string run = keys::RunKey(GoldenReport(), 258);
  EXPECT_EQ(keys::kRunKeySize, 22u);
  EXPECT_BYTES(run, kGoldenReportBytes + order);
  EXPECT_BYTES(keys::RunKeyReport(run), kGoldenReportBytes);
  // Series 1, 2024-Q3, source 3.
  EXPECT_BYTES(keys::RunKeyCellSource(run), Bytes({0, 0, 0, 1, 0x07, 0xE8, 0x0B, 0x00, 0x03}));
  // The time run key puts the order first.
  EXPECT_BYTES(keys::TimeRunKey(run), order + kGoldenReportBytes);

  ReportKey report;
  uint64_t decoded = 0;
  ASSERT_TRUE(keys::DecodeRunKey(run, &report, &decoded));
  EXPECT_EQ(report, GoldenReport());
  EXPECT_EQ(decoded, 258u);
  ASSERT_TRUE(keys::DecodeTimeRunKey(keys::TimeRunKey(run), &decoded, &report));
  EXPECT_EQ(report, GoldenReport());
  EXPECT_EQ(decoded, 258u);
}

TEST(KeyCodecRoundTripTest, RunKeysAtTheEdges) {
  for (uint64_t order : {uint64_t{0}, uint64_t{1}, (uint64_t{1} << 32) + 1, ~uint64_t{0}}) {
    SCOPED_TRACE(order);
    ReportKey report{UINT32_MAX, Period(9999, Grain::kMonth, 12), UINT16_MAX, Date(-1, DatePrecision::kDay)};
    ReportKey back;
    uint64_t decoded = 0;
    const std::string run = keys::RunKey(report, order);
    ASSERT_TRUE(keys::DecodeRunKey(run, &back, &decoded));
    EXPECT_EQ(back, report);
    EXPECT_EQ(decoded, order);
    ASSERT_TRUE(keys::DecodeTimeRunKey(keys::TimeRunKey(run), &decoded, &back));
    EXPECT_EQ(back, report);
    EXPECT_EQ(decoded, order);
    EXPECT_FALSE(keys::DecodeRunKey(run.substr(1), &back, &decoded));
    EXPECT_FALSE(keys::DecodeTimeRunKey(run + "x", &decoded, &back));
  }
}

TEST(KeyCodecOrderTest, RunKeysOrderByReportThenOrder) {
  const ReportKey a = GoldenReport();
  ReportKey b = a;
  b.source = 4;
  EXPECT_LT(keys::RunKey(a, 5), keys::RunKey(a, 6));
  EXPECT_LT(keys::RunKey(a, ~uint64_t{0}), keys::RunKey(b, 0));
  // Time run keys: by order first.
  EXPECT_LT(keys::TimeRunKey(keys::RunKey(b, 5)), keys::TimeRunKey(keys::RunKey(a, 6)));
}

}  // namespace
}  // namespace docket
