// The key codec's helpers for the archive and the bulk loader (key_codec.h):
// catalog and series keys, cells, key ranges and the bulk
// loader's run keys, pinned by golden bytes worked out by hand from the
// layout comment at the top of key_codec.h, round trips at the edges and
// the order property.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

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

// Three versions of series 1's 2024: source 2's report of day 19000 in two
// versions, newest first, then source 3's retraction of a report of day
// 19001 given to the month (the codec does not check that a month ends
// there; verify does).
std::vector<Version> GoldenCell() {
  const Period year(2024, Grain::kYear, 1);
  std::vector<Version> cell(3);
  cell[0].report = {1, year, 2, Date(19000, DatePrecision::kDay)};
  cell[0].recorded = 1000;
  cell[0].figure = Figure{Bound::kExact, 5};
  cell[1].report = cell[0].report;
  cell[1].recorded = 900;
  cell[1].figure = Figure{Bound::kAtLeast, 4};
  cell[2].report = {1, year, 3, Date(19001, DatePrecision::kMonth)};
  cell[2].recorded = 1100;
  return cell;
}

// Worked out by hand from key_codec.h's layout:
//   0E = day precision | new source | new report; 02 source; F0 A8 02 day
//   19000 zigzag (38000); D0 0F recorded 1000 zigzag (2000); 00 05 "= 5";
//   02 = day precision, same report; C7 01 recorded -100 zigzag (199); 01 04 ">= 4";
//   0D = month precision | new source | new report; 03 source; 02 day +1
//   zigzag; 90 03 recorded +200 zigzag (400); 04 a retraction.
const std::string kGoldenCellBytes = Bytes({0x0E, 0x02, 0xF0, 0xA8, 0x02, 0xD0, 0x0F, 0x00, 0x05,  //
                                            0x02, 0xC7, 0x01, 0x01, 0x04,                          //
                                            0x0D, 0x03, 0x02, 0x90, 0x03, 0x04});

TEST(KeyCodecGoldenTest, CellValueIsEachVersionAfterTheOneBefore) {
  EXPECT_BYTES(keys::EncodeCell(GoldenCell()), kGoldenCellBytes);
  std::vector<Version> decoded;
  ASSERT_TRUE(keys::DecodeCell(keys::CellKey(1, Period(2024, Grain::kYear, 1)), kGoldenCellBytes, &decoded));
  const std::vector<Version> expected = GoldenCell();
  ASSERT_EQ(decoded.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(decoded[i].report, expected[i].report);
    EXPECT_EQ(decoded[i].recorded, expected[i].recorded);
    EXPECT_TRUE(decoded[i].SameContent(expected[i]));
  }
}

TEST(KeyCodecGarbageTest, CellsOutOfOrderOrCutInsideAVersionAreRejected) {
  const std::string key = keys::CellKey(1, Period(2024, Grain::kYear, 1));
  std::vector<Version> out;
  // Cut inside a version; a cut between two versions is a shorter cell.
  for (size_t n = 0; n < kGoldenCellBytes.size(); ++n) {
    out.clear();
    EXPECT_EQ(keys::DecodeCell(key, kGoldenCellBytes.substr(0, n), &out), n == 9 || n == 14) << n;
  }
  // The report's two versions oldest first.
  std::vector<Version> swapped = GoldenCell();
  std::swap(swapped[0], swapped[1]);
  EXPECT_FALSE(keys::DecodeCell(key, keys::EncodeCell(swapped), &out));
  // The same version twice.
  std::vector<Version> twice = GoldenCell();
  twice[1] = twice[0];
  EXPECT_FALSE(keys::DecodeCell(key, keys::EncodeCell(twice), &out));
  // The first version without its source, a flag unknown, a precision past a day.
  for (const int first_flags : {0x0A, 0x1E, 0x0F}) {
    std::string bytes = kGoldenCellBytes;
    bytes[0] = static_cast<char>(first_flags);
    EXPECT_FALSE(keys::DecodeCell(key, bytes, &out)) << first_flags;
  }
  // Not a cell's key.
  EXPECT_FALSE(keys::DecodeCell(keys::SeriesByIdKey(1), kGoldenCellBytes, &out));
}

TEST(KeyCodecRoundTripTest, CellsOfRandomVersionsInCellOrder) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Version> cell(1 + rng() % 12);
    for (Version& v : cell) {
      v.report = {7, Period(2024, Grain::kMonth, 2), static_cast<SourceId>(rng() % 3 + 1),
                  Date(static_cast<int32_t>(rng() % 200) - 100, static_cast<DatePrecision>(rng() % 3))};
      v.recorded = static_cast<Micros>(rng());  // any time, before 1970 too
      if (rng() % 4) v.figure = Figure{static_cast<Bound>(rng() % 4), rng() % 1000000};
      if (rng() % 5 == 0) v.note = "a note";
    }
    std::sort(cell.begin(), cell.end(), keys::CellOrderLess);
    cell.erase(std::unique(cell.begin(), cell.end(),
                           [](const Version& a, const Version& b) {
                             return a.report == b.report && a.recorded == b.recorded;
                           }),
               cell.end());
    std::vector<Version> decoded;
    ASSERT_TRUE(keys::DecodeCell(keys::CellKey(7, Period(2024, Grain::kMonth, 2)), keys::EncodeCell(cell), &decoded));
    ASSERT_EQ(decoded.size(), cell.size());
    for (size_t i = 0; i < cell.size(); ++i) {
      ASSERT_EQ(decoded[i].report, cell[i].report);
      ASSERT_EQ(decoded[i].recorded, cell[i].recorded);
      ASSERT_TRUE(decoded[i].SameContent(cell[i]));
    }
  }
}

TEST(KeyCodecOrderTest, CellOrderIsTheOrderOfFormatTwosVersionKeys) {
  // Format 2 stored a key per version; an upgrade reads them in key order
  // and writes each cell's versions in that order.
  std::mt19937_64 rng(12);
  for (int i = 0; i < 20000; ++i) {
    Version a, b;
    for (Version* v : {&a, &b}) {
      v->report = {static_cast<SeriesId>(rng() % 2), Period(2024, Grain::kYear, 1), static_cast<SourceId>(rng() % 2),
                   Date(static_cast<int32_t>(rng() % 3), static_cast<DatePrecision>(rng() % 3))};
      v->recorded = static_cast<Micros>(rng() % 3) - 1;
    }
    ASSERT_EQ(keys::CellOrderLess(a, b), keys::VersionKey(a.report, a.recorded) < keys::VersionKey(b.report, b.recorded));
  }
}

TEST(KeyCodecGoldenTest, RangeOfPlacesEachKindAgainstTheVersions) {
  using keys::KeyRange;
  EXPECT_EQ(keys::RangeOf(keys::FormatKey()), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::CountsKey()), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::ChargeKey("treason")), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::SourceKey("RTVI")), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::SeriesByIdKey(1)), KeyRange::kBelowVersions);
  EXPECT_EQ(keys::RangeOf(keys::CellKey(1, Period(2024, Grain::kYear, 1))), KeyRange::kVersion);
  EXPECT_EQ(keys::RangeOf(keys::VersionKey(GoldenReport(), 1)), KeyRange::kAboveVersions);  // format 2's
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
