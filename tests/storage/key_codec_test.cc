// The archive's byte layout (storage/key_codec.h) pinned as a file format:
// golden bytes for one key of each kind and for version values, round
// trips at the edges, the order property on random pairs, and garbage or
// short input rejected without a crash.
//
// Every golden byte string below is written out by hand from the layout
// comment at the top of key_codec.h; the comments show the working.

#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/types.h"
#include "tests/storage/key_codec_golden.h"

namespace docket {
namespace {

using keys::DecodeFixed16;
using keys::DecodeFixed32;
using keys::DecodeFixed64;

// ------------------------------------------------------------ golden keys

TEST(KeyCodecGoldenTest, FormatKeyIsTheTagAlone) { EXPECT_BYTES(keys::FormatKey(), "F"); }

TEST(KeyCodecGoldenTest, CountsAreTwoVarintsUnderN) {
  EXPECT_BYTES(keys::CountsKey(), "N");
  // 3 → 03; 300 = 0b10'0101100 → ac 02.
  EXPECT_BYTES(keys::EncodeCounts(3, 300), Bytes({0x03, 0xAC, 0x02}));
  uint64_t reports = 0, versions = 0;
  ASSERT_TRUE(keys::DecodeCounts(Bytes({0x03, 0xAC, 0x02}), &reports, &versions));
  EXPECT_EQ(reports, 3u);
  EXPECT_EQ(versions, 300u);
  EXPECT_FALSE(keys::DecodeCounts(Bytes({0x03}), &reports, &versions));
  EXPECT_FALSE(keys::DecodeCounts(Bytes({0x03, 0x01, 0x00}), &reports, &versions));
}

TEST(KeyCodecGoldenTest, FormatValueIsVersionAsBigEndianU32) {
  EXPECT_BYTES(keys::EncodeFormatValue(1), Bytes({0x00, 0x00, 0x00, 0x01}));
  EXPECT_BYTES(keys::EncodeFormatValue(0x01020304), Bytes({0x01, 0x02, 0x03, 0x04}));
  EXPECT_EQ(keys::kFormatVersion, 3u);
}

TEST(KeyCodecGoldenTest, ChargeKeyIsTagThenName) {
  EXPECT_BYTES(keys::ChargeKey("treason"), "Ctreason");
}

TEST(KeyCodecGoldenTest, SourceKeyIsTagThenName) {
  EXPECT_BYTES(keys::SourceKey("IStories"), "OIStories");
}

TEST(KeyCodecGoldenTest, SeriesByNameKeyIsChargeNulThenSortedLabels) {
  SeriesKey plain{"treason", {}};
  EXPECT_BYTES(keys::SeriesByNameKey(plain), std::string("Streason\0", 9));

  SeriesKey labelled{"espionage", {{"citizenship", "UA"}, {"region", "X"}}};
  EXPECT_BYTES(keys::SeriesByNameKey(labelled),
               std::string("Sespionage\0citizenship\0UA\0region\0X\0", 35));
  // The prefix of every series of a charge: tag, charge, NUL.
  EXPECT_BYTES(keys::SeriesByNamePrefix("espionage"), std::string("Sespionage\0", 11));
}

TEST(KeyCodecGoldenTest, SeriesValueIsTheSameEncodingWithoutTag) {
  SeriesKey labelled{"espionage", {{"citizenship", "UA"}}};
  EXPECT_BYTES(keys::EncodeSeries(labelled), std::string("espionage\0citizenship\0UA\0", 25));
}

TEST(KeyCodecGoldenTest, SeriesByIdKeyIsTagThenBigEndianId) {
  EXPECT_BYTES(keys::SeriesByIdKey(0x01020304), Bytes({'I', 0x01, 0x02, 0x03, 0x04}));
  EXPECT_BYTES(keys::SeriesByIdKey(258), Bytes({'I', 0x00, 0x00, 0x01, 0x02}));
}

TEST(KeyCodecGoldenTest, ReportKeyLayout) {
  std::string k;
  keys::PutReportKey(&k, GoldenReport());
  EXPECT_EQ(keys::kReportKeySize, 14u);
  EXPECT_BYTES(k, kGoldenReportBytes);
}

TEST(KeyCodecGoldenTest, VersionKeyIsReportThenInvertedRecorded) {
  // recorded 0x0102030405060708, + 2^63: 81 02 … 08, inverted: 7e fd fc fb fa f9 f8 f7.
  const std::string expected = std::string("R") + kGoldenReportBytes +
                               Bytes({0x7E, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 0xF7});
  EXPECT_BYTES(keys::VersionKey(GoldenReport(), 0x0102030405060708), expected);
}

TEST(KeyCodecGoldenTest, CellKeyIsTagSeriesThenPeriod) {
  EXPECT_BYTES(keys::CellSeriesPrefix(1), Bytes({'Q', 0, 0, 0, 1}));
  EXPECT_BYTES(keys::CellKey(1, Period(2024, Grain::kQuarter, 3)), Bytes({'Q', 0, 0, 0, 1, 0x07, 0xE8, 0x0B}));
  SeriesId series = 0;
  Period period;
  ASSERT_TRUE(keys::DecodeCellKey(Bytes({'Q', 0, 0, 0, 1, 0x07, 0xE8, 0x0B}), &series, &period));
  EXPECT_EQ(series, 1u);
  EXPECT_EQ(period, Period(2024, Grain::kQuarter, 3));
  EXPECT_FALSE(keys::DecodeCellKey(Bytes({'R', 0, 0, 0, 1, 0x07, 0xE8, 0x0B}), &series, &period));
  EXPECT_FALSE(keys::DecodeCellKey(Bytes({'Q', 0, 0, 0, 1, 0x07, 0xE8}), &series, &period));
}

TEST(KeyCodecGoldenTest, TimeKeyIsRecordedThenReport) {
  // recorded 0x0102030405060708 + 2^63 = 81 02 03 04 05 06 07 08.
  const std::string expected =
      std::string("T") + Bytes({0x81, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}) + kGoldenReportBytes;
  EXPECT_BYTES(keys::TimeKey(0x0102030405060708, GoldenReport()), expected);
  EXPECT_BYTES(keys::TimePrefixFrom(0x0102030405060708),
               std::string("T") + Bytes({0x81, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}));
}

TEST(KeyCodecGoldenTest, PeriodSlotsOfEveryGrain) {
  // year(u16) slot(u8): 2024 = 07 E8; slots in display order (types.h).
  struct Case {
    Period period;
    int slot;
  } cases[] = {
      {Period(2024, Grain::kYear, 1), 0},     {Period(2024, Grain::kHalf, 1), 1},
      {Period(2024, Grain::kQuarter, 1), 2},  {Period(2024, Grain::kMonth, 1), 3},
      {Period(2024, Grain::kMonth, 3), 5},    {Period(2024, Grain::kQuarter, 2), 6},
      {Period(2024, Grain::kMonth, 4), 7},    {Period(2024, Grain::kMonth, 6), 9},
      {Period(2024, Grain::kHalf, 2), 10},    {Period(2024, Grain::kQuarter, 3), 11},
      {Period(2024, Grain::kMonth, 7), 12},   {Period(2024, Grain::kMonth, 9), 14},
      {Period(2024, Grain::kQuarter, 4), 15}, {Period(2024, Grain::kMonth, 10), 16},
      {Period(2024, Grain::kMonth, 12), 18},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.period.ToString());
    EXPECT_BYTES(keys::CellKey(0, c.period), Bytes({'Q', 0, 0, 0, 0, 0x07, 0xE8, c.slot}));
  }
}

TEST(KeyCodecGoldenTest, ReportedDayIsBiasedSoNegativeDaysSortFirst) {
  // 1969-12-31 is day -1: -1 + 2^31 = 0x7FFFFFFF; 1970-01-01 is 0x80000000.
  ReportKey r{0, Period(1970, Grain::kYear, 1), 0, Date(-1, DatePrecision::kDay)};
  std::string k;
  keys::PutReportKey(&k, r);
  EXPECT_BYTES(k.substr(9), Bytes({0x7F, 0xFF, 0xFF, 0xFF, 0x02}));
  r.reported = Date(0, DatePrecision::kYear);
  k.clear();
  keys::PutReportKey(&k, r);
  EXPECT_BYTES(k.substr(9), Bytes({0x80, 0x00, 0x00, 0x00, 0x00}));
}

// ------------------------------------------------------------ golden values

Version Value(std::optional<Figure> figure, std::string note = "", std::string url = "") {
  Version v;
  v.figure = figure;
  v.note = std::move(note);
  v.url = std::move(url);
  return v;
}

TEST(KeyCodecGoldenTest, VersionValueOfEachBound) {
  // kind byte, then the count as a varint (7 bits a byte, low first, high bit = more).
  // 145 = 0b1_0010001: 0x91 (0x11 with the continuation bit), then 0x01.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kExact, 145})), Bytes({0x00, 0x91, 0x01}));
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kAtLeast, 28})), Bytes({0x01, 0x1C}));
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kAtMost, 10})), Bytes({0x02, 0x0A}));
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kApprox, 36})), Bytes({0x03, 0x24}));
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kExact, 0})), Bytes({0x00, 0x00}));
}

TEST(KeyCodecGoldenTest, VersionValueOfTheLargestCount) {
  // 2^53 - 1: seven bytes of 7 one-bits (0xFF with continuation), then 53 - 49 = 4 bits: 0x0F.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kApprox, kMaxCount})),
               Bytes({0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
}

TEST(KeyCodecGoldenTest, VersionValueOfARetraction) {
  EXPECT_BYTES(keys::EncodeVersionValue(Value(std::nullopt)), Bytes({0x04}));
  // With a note: 4 + 0x10, then the note length-prefixed.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(std::nullopt, "gone")), Bytes({0x14, 0x04, 'g', 'o', 'n', 'e'}));
}

TEST(KeyCodecGoldenTest, VersionValueWithNoteAndUrl) {
  // = 0, note "ab", url "u": 0x00 + 0x10 + 0x20 = 0x30, count 0, 02 a b, 01 u.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kExact, 0}, "ab", "u")),
               Bytes({0x30, 0x00, 0x02, 'a', 'b', 0x01, 'u'}));
  // >= 300, url only: 0x21; 300 = 0b10_0101100: 0xAC, 0x02; then 01 h.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kAtLeast, 300}, "", "h")),
               Bytes({0x21, 0xAC, 0x02, 0x01, 'h'}));
  // <= 1, note only: 0x12.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(Figure{Bound::kAtMost, 1}, "n")),
               Bytes({0x12, 0x01, 0x01, 'n'}));
  // A retraction with note and url: 0x34.
  EXPECT_BYTES(keys::EncodeVersionValue(Value(std::nullopt, "n", "u")),
               Bytes({0x34, 0x01, 'n', 0x01, 'u'}));
}

TEST(KeyCodecGoldenTest, DecodesHandWrittenVersionValues) {
  Version v;
  ASSERT_TRUE(keys::DecodeVersionValue(Bytes({0x21, 0xAC, 0x02, 0x01, 'h'}), &v));
  ASSERT_TRUE(v.figure.has_value());
  EXPECT_EQ(v.figure->bound, Bound::kAtLeast);
  EXPECT_EQ(v.figure->count, 300u);
  EXPECT_EQ(v.note, "");
  EXPECT_EQ(v.url, "h");

  ASSERT_TRUE(keys::DecodeVersionValue(Bytes({0x14, 0x04, 'g', 'o', 'n', 'e'}), &v));
  EXPECT_TRUE(v.is_retraction());
  EXPECT_EQ(v.note, "gone");
  EXPECT_EQ(v.url, "");
}

TEST(KeyCodecGoldenTest, DecodesHandWrittenKeys) {
  ReportKey r;
  Micros recorded = 0;
  ASSERT_TRUE(keys::DecodeVersionKey(
      std::string("R") + kGoldenReportBytes + Bytes({0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE}), &r,
      &recorded));
  EXPECT_EQ(r, GoldenReport());
  EXPECT_EQ(recorded, 1);  // ~(1 + 2^63) = 7f ff … fe

  ASSERT_TRUE(keys::DecodeTimeKey(std::string("T") + Bytes({0x80, 0, 0, 0, 0, 0, 0x01, 0x00}) + kGoldenReportBytes,
                                  &recorded, &r));
  EXPECT_EQ(recorded, 256);
  EXPECT_EQ(r, GoldenReport());
  EXPECT_EQ(r.reported.ToString(), "2025-04");
  EXPECT_EQ(r.period.ToString(), "2024-Q3");
}

// ------------------------------------------------------------ integers at the edges

std::vector<uint64_t> EdgeValues(int bits) {
  std::vector<uint64_t> out = {0, 1};
  for (int k = 1; k < bits; ++k) {
    const uint64_t p = uint64_t{1} << k;
    out.push_back(p - 1);
    out.push_back(p);
    out.push_back(p + 1);
  }
  const uint64_t max = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  out.push_back(max - 1);
  out.push_back(max);
  return out;
}

TEST(KeyCodecIntegerTest, Fixed16RoundTripsAtTheEdgesBigEndian) {
  for (uint64_t v : EdgeValues(16)) {
    std::string s;
    keys::PutFixed16(&s, static_cast<uint16_t>(v));
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(static_cast<uint64_t>(static_cast<unsigned char>(s[0])), (v >> 8) & 0xff) << v;
    EXPECT_EQ(DecodeFixed16(s.data()), v);
  }
}

TEST(KeyCodecIntegerTest, Fixed32RoundTripsAtTheEdgesBigEndian) {
  for (uint64_t v : EdgeValues(32)) {
    std::string s;
    keys::PutFixed32(&s, static_cast<uint32_t>(v));
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(static_cast<uint64_t>(static_cast<unsigned char>(s[0])), (v >> 24) & 0xff) << v;
    EXPECT_EQ(static_cast<uint64_t>(static_cast<unsigned char>(s[3])), v & 0xff) << v;
    EXPECT_EQ(DecodeFixed32(s.data()), v);
  }
}

TEST(KeyCodecIntegerTest, Fixed64RoundTripsAtTheEdgesBigEndian) {
  for (uint64_t v : EdgeValues(64)) {
    std::string s;
    keys::PutFixed64(&s, v);
    ASSERT_EQ(s.size(), 8u);
    EXPECT_EQ(static_cast<uint64_t>(static_cast<unsigned char>(s[0])), (v >> 56) & 0xff) << v;
    EXPECT_EQ(static_cast<uint64_t>(static_cast<unsigned char>(s[7])), v & 0xff) << v;
    EXPECT_EQ(DecodeFixed64(s.data()), v);
  }
}

TEST(KeyCodecIntegerTest, FixedWidthOrderIsNumericOrder) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const uint64_t a = rng() >> (rng() % 64), b = rng() >> (rng() % 64);
    std::string ea, eb;
    keys::PutFixed64(&ea, a);
    keys::PutFixed64(&eb, b);
    EXPECT_EQ(a < b, ea < eb) << a << " " << b;
    std::string fa, fb;
    keys::PutFixed32(&fa, static_cast<uint32_t>(a));
    keys::PutFixed32(&fb, static_cast<uint32_t>(b));
    EXPECT_EQ(static_cast<uint32_t>(a) < static_cast<uint32_t>(b), fa < fb);
  }
}

size_t VarintLength(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

TEST(KeyCodecIntegerTest, VarintRoundTripsAtTheEdges) {
  for (uint64_t v : EdgeValues(64)) {
    std::string s;
    keys::PutVarint64(&s, v);
    EXPECT_EQ(s.size(), VarintLength(v)) << v;
    s += "tail";
    std::string_view in = s;
    uint64_t out = 12345;
    ASSERT_TRUE(keys::GetVarint64(&in, &out)) << v;
    EXPECT_EQ(out, v);
    EXPECT_EQ(in, "tail");  // advanced past the varint only
  }
}

TEST(KeyCodecIntegerTest, VarintLengthsAtSevenBitBoundaries) {
  // 2^(7k) - 1 takes k bytes, 2^(7k) takes k + 1; the largest u64 takes 10.
  for (int k = 1; k <= 9; ++k) {
    const uint64_t p = uint64_t{1} << (7 * k);
    std::string below, at;
    keys::PutVarint64(&below, p - 1);
    keys::PutVarint64(&at, p);
    EXPECT_EQ(below.size(), static_cast<size_t>(k));
    EXPECT_EQ(at.size(), static_cast<size_t>(k + 1));
  }
  std::string max;
  keys::PutVarint64(&max, ~uint64_t{0});
  EXPECT_BYTES(max, Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST(KeyCodecIntegerTest, TruncatedVarintIsRejected) {
  std::string s;
  keys::PutVarint64(&s, ~uint64_t{0});
  for (size_t n = 0; n < s.size(); ++n) {
    std::string_view in(s.data(), n);
    uint64_t v;
    EXPECT_FALSE(keys::GetVarint64(&in, &v)) << "prefix of " << n << " bytes";
  }
}

TEST(KeyCodecIntegerTest, VarintLongerThanTenBytesIsRejected) {
  const std::string s = Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  std::string_view in = s;
  uint64_t v;
  EXPECT_FALSE(keys::GetVarint64(&in, &v));
}

TEST(KeyCodecIntegerTest, VarintBeyondSixtyFourBitsIsRejected) {
  // The tenth byte carries bit 63 only: anything above 1 there does not fit
  // in a u64. 80×9 02 would be 2^64 and must not wrap to 0.
  const std::string s = Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02});
  std::string_view in = s;
  uint64_t v = 99;
  EXPECT_FALSE(keys::GetVarint64(&in, &v)) << "decoded as " << v;
}

TEST(KeyCodecIntegerTest, LengthPrefixedRoundTripsAndRejectsShortInput) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{129}, size_t{300}}) {
    const std::string payload(n, 'x');
    std::string s;
    keys::PutLengthPrefixed(&s, payload);
    EXPECT_EQ(s.size(), VarintLength(n) + n);
    std::string_view in = s, out;
    ASSERT_TRUE(keys::GetLengthPrefixed(&in, &out));
    EXPECT_EQ(out, payload);
    EXPECT_TRUE(in.empty());
    for (size_t cut = 0; cut < s.size(); ++cut) {
      std::string_view short_in(s.data(), cut);
      EXPECT_FALSE(keys::GetLengthPrefixed(&short_in, &out)) << n << " cut at " << cut;
    }
  }
}

// ------------------------------------------------------------ key round trips

Date DayDate(int32_t day) { return Date(day, DatePrecision::kDay); }

TEST(KeyCodecRoundTripTest, VersionKeyAtTheEdges) {
  const Period periods[] = {Period(0, Grain::kYear, 1), Period(9999, Grain::kMonth, 12),
                            Period(2024, Grain::kHalf, 2), Period(1969, Grain::kQuarter, 4)};
  const Date dates[] = {DayDate(0), DayDate(1), DayDate(-1), DayDate(-719468) /* 0000-03-01 */,
                        Date(2932896, DatePrecision::kYear) /* 9999-12-31 */,
                        DayDate(std::numeric_limits<int32_t>::min()),
                        DayDate(std::numeric_limits<int32_t>::max())};
  const Micros recorded[] = {0, 1, (Micros{1} << 32) - 1, Micros{1} << 32, (Micros{1} << 32) + 1,
                             std::numeric_limits<Micros>::max() - 1,
                             std::numeric_limits<Micros>::max()};
  for (SeriesId series : {SeriesId{0}, SeriesId{1}, SeriesId{255}, SeriesId{256}, ~SeriesId{0}}) {
    for (SourceId source : {SourceId{0}, SourceId{1}, SourceId{0xFFFF}}) {
      for (const Period& p : periods) {
        for (const Date& d : dates) {
          for (Micros t : recorded) {
            const ReportKey r{series, p, source, d};
            ReportKey r2;
            Micros t2 = -7;
            ASSERT_TRUE(keys::DecodeVersionKey(keys::VersionKey(r, t), &r2, &t2));
            EXPECT_EQ(r2, r);
            EXPECT_EQ(t2, t);
            ASSERT_TRUE(keys::DecodeTimeKey(keys::TimeKey(t, r), &t2, &r2));
            EXPECT_EQ(r2, r);
            EXPECT_EQ(t2, t);
          }
        }
      }
    }
  }
}

TEST(KeyCodecRoundTripTest, RecordedIsStoredInvertedInVersionKeys) {
  const ReportKey r = GoldenReport();
  // Biased by 2^63, then inverted: recorded 0 → 7f ff×7; the largest →
  // 00×8; the smallest (before 1970) → ff×8.
  EXPECT_BYTES(keys::VersionKey(r, 0).substr(15), Bytes({0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_BYTES(keys::VersionKey(r, std::numeric_limits<Micros>::max()).substr(15),
               Bytes({0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_BYTES(keys::VersionKey(r, std::numeric_limits<Micros>::min()).substr(15),
               Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(KeyCodecRoundTripTest, VersionValues) {
  const std::optional<Figure> figures[] = {
      std::nullopt,
      Figure{Bound::kExact, 0},
      Figure{Bound::kAtLeast, 1},
      Figure{Bound::kAtMost, 127},
      Figure{Bound::kApprox, 128},
      Figure{Bound::kExact, (uint64_t{1} << 32) + 1},
      Figure{Bound::kExact, kMaxCount - 1},
      Figure{Bound::kAtLeast, kMaxCount},
  };
  const std::string texts[] = {"", "x", std::string(127, 'n'), std::string(128, 'n'),
                               "Томская область", std::string("a\0b", 3)};
  for (const auto& f : figures) {
    for (const auto& note : texts) {
      for (const auto& url : texts) {
        const Version v = Value(f, note, url);
        Version out = Value(Figure{Bound::kApprox, 5}, "old", "old");
        ASSERT_TRUE(keys::DecodeVersionValue(keys::EncodeVersionValue(v), &out));
        EXPECT_EQ(out.figure, v.figure);
        EXPECT_EQ(out.note, v.note);
        EXPECT_EQ(out.url, v.url);
      }
    }
  }
}

TEST(KeyCodecRoundTripTest, CountAboveTheLargestIsRejected) {
  // 2^53: eight bytes 80×7 10; with kind 0.
  Version v;
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10}), &v));
  EXPECT_TRUE(keys::DecodeVersionValue(Bytes({0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), &v));
  EXPECT_EQ(v.figure->count, kMaxCount);
}

TEST(KeyCodecRoundTripTest, CountVarintBeyondSixtyFourBitsIsRejected) {
  // = with the count 80×9 02, i.e. 2^64: it must not wrap around to = 0.
  Version v;
  const bool ok = keys::DecodeVersionValue(
      Bytes({0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}), &v);
  EXPECT_FALSE(ok) << "decoded as " << (v.figure ? v.figure->ToString() : "a retraction");
}

TEST(KeyCodecRoundTripTest, UnknownKindOrFlagsAreRejected) {
  Version v;
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x05}), &v));        // kind 5
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x0F, 0x01}), &v));  // kind 15
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x40, 0x01}), &v));  // unknown flag 0x40
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x80, 0x01}), &v));  // unknown flag 0x80
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x00, 0x01, 0x00}), &v));  // trailing byte
  EXPECT_FALSE(keys::DecodeVersionValue(Bytes({0x04, 0x01}), &v));  // a retraction has no count
}

TEST(KeyCodecRoundTripTest, SeriesKeys) {
  const SeriesKey cases[] = {
      {"treason", {}},
      {"a", {{"k", "v"}}},
      {"espionage", {{"citizenship", "UA"}, {"region", "Томская область"}}},
      {"x", {{"a", "1"}, {"b", "2"}, {"c", "3"}}},
  };
  for (const auto& s : cases) {
    SeriesKey out{"junk", {{"j", "j"}}};
    ASSERT_TRUE(keys::DecodeSeries(keys::EncodeSeries(s), &out)) << s.ToString();
    EXPECT_EQ(out, s);
    EXPECT_EQ(keys::SeriesByNameKey(s), std::string("S") + keys::EncodeSeries(s));
  }
}

TEST(KeyCodecRoundTripTest, ChargesAndSources) {
  const Charge charge{"treason", "High treason", "275"};
  Charge c;
  ASSERT_TRUE(keys::DecodeCharge("treason", keys::EncodeCharge(charge), &c));
  EXPECT_EQ(c.name, "treason");
  EXPECT_EQ(c.title, "High treason");
  EXPECT_EQ(c.article, "275");

  const Charge empty{"x", "", ""};
  ASSERT_TRUE(keys::DecodeCharge("x", keys::EncodeCharge(empty), &c));
  EXPECT_EQ(c.title, "");
  EXPECT_EQ(c.article, "");

  for (int64_t priority : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{64},
                           int64_t{-64}, int64_t{-65}, std::numeric_limits<int64_t>::max(),
                           std::numeric_limits<int64_t>::min()}) {
    for (SourceId id : {SourceId{0}, SourceId{1}, SourceId{0xFFFF}}) {
      const Source source{"IStories", id, priority, "Important Stories", "https://istories.media"};
      Source s;
      ASSERT_TRUE(keys::DecodeSource("IStories", keys::EncodeSource(source), &s)) << priority;
      EXPECT_EQ(s.name, "IStories");
      EXPECT_EQ(s.id, id);
      EXPECT_EQ(s.priority, priority);
      EXPECT_EQ(s.title, "Important Stories");
      EXPECT_EQ(s.url, "https://istories.media");
    }
  }
}

TEST(KeyCodecRoundTripTest, PrefixEndIsTheLeastKeyAboveThePrefix) {
  EXPECT_BYTES(keys::PrefixEnd("R"), "S");
  EXPECT_BYTES(keys::PrefixEnd(Bytes({'R', 0x01, 0xFF})), Bytes({'R', 0x02}));
  EXPECT_BYTES(keys::PrefixEnd(Bytes({0xFF, 0xFF})), "");
  EXPECT_BYTES(keys::PrefixEnd(""), "");
  // Every key with the prefix is below it, the next prefix is not.
  const std::string prefix = keys::CellKey(7, Period(2024, Grain::kYear, 1));
  const std::string end = keys::PrefixEnd(prefix);
  EXPECT_LT(prefix + std::string(20, '\xff'), end);
  EXPECT_GE(keys::CellKey(7, Period(2024, Grain::kHalf, 1)), end);
}

// ------------------------------------------------------------ order property

// Spec §4: periods order by first day, longer first. Worked out without
// the codec or Period's own ordering: (year, first month, -months long).
std::tuple<int, int, int> SpecPeriodOrder(const Period& p) {
  const int months = p.grain() == Grain::kYear ? 12 : p.grain() == Grain::kHalf ? 6
                     : p.grain() == Grain::kQuarter ? 3 : 1;
  return {p.year(), (p.index() - 1) * months + 1, -months};
}

Period RandomPeriod(std::mt19937_64& rng, int min_year, int max_year) {
  const int year = min_year + static_cast<int>(rng() % static_cast<uint64_t>(max_year - min_year + 1));
  switch (rng() % 4) {
    case 0: return Period(year, Grain::kYear, 1);
    case 1: return Period(year, Grain::kHalf, 1 + static_cast<int>(rng() % 2));
    case 2: return Period(year, Grain::kQuarter, 1 + static_cast<int>(rng() % 4));
    default: return Period(year, Grain::kMonth, 1 + static_cast<int>(rng() % 12));
  }
}

Date RandomDate(std::mt19937_64& rng) {
  // A few days around the epoch and a few precisions, so that ties happen.
  const int32_t day = static_cast<int32_t>(rng() % 7) - 3;
  return Date(day, static_cast<DatePrecision>(rng() % 3));
}

ReportKey RandomReport(std::mt19937_64& rng) {
  ReportKey r;
  // Small domains so that equal prefixes are common; the occasional large value.
  r.series = rng() % 8 == 0 ? static_cast<SeriesId>(rng()) : static_cast<SeriesId>(rng() % 3);
  r.period = RandomPeriod(rng, 2023, 2024);
  r.source = rng() % 8 == 0 ? static_cast<SourceId>(rng()) : static_cast<SourceId>(rng() % 3);
  r.reported = RandomDate(rng);
  return r;
}

// Reported: effective day, then as written (year < month < day precision).
std::tuple<int32_t, int> ReportedOrder(const Date& d) {
  return {d.last_day(), static_cast<int>(d.precision())};
}

std::strong_ordering CompareReports(const ReportKey& a, const ReportKey& b) {
  if (auto c = a.series <=> b.series; c != 0) return c;
  if (auto c = SpecPeriodOrder(a.period) <=> SpecPeriodOrder(b.period); c != 0) return c;
  if (auto c = a.source <=> b.source; c != 0) return c;
  return ReportedOrder(a.reported) <=> ReportedOrder(b.reported);
}

Micros RandomRecorded(std::mt19937_64& rng) {
  switch (rng() % 3) {
    case 0: return static_cast<Micros>(rng() % 4);  // ties
    case 1: return static_cast<Micros>(rng() >> 1);  // anywhere in [0, 2^63)
    default: return static_cast<Micros>(1'700'000'000'000'000 + rng() % 1'000'000);
  }
}

TEST(KeyCodecOrderTest, VersionKeysOrderBySeriesPeriodSourceReportedThenNewestFirst) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 20000; ++i) {
    const ReportKey ra = RandomReport(rng), rb = RandomReport(rng);
    const Micros ta = RandomRecorded(rng), tb = RandomRecorded(rng);
    auto expected = CompareReports(ra, rb);
    if (expected == 0) expected = tb <=> ta;  // newest version first
    const std::string ea = keys::VersionKey(ra, ta), eb = keys::VersionKey(rb, tb);
    const auto actual = ea <=> eb;
    ASSERT_EQ(actual < 0, expected < 0) << Hex(ea) << " vs " << Hex(eb);
    ASSERT_EQ(actual == 0, expected == 0) << Hex(ea) << " vs " << Hex(eb);
  }
}

TEST(KeyCodecOrderTest, TimeKeysOrderByRecordedThenReport) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 20000; ++i) {
    const ReportKey ra = RandomReport(rng), rb = RandomReport(rng);
    const Micros ta = RandomRecorded(rng), tb = RandomRecorded(rng);
    auto expected = ta <=> tb;
    if (expected == 0) expected = CompareReports(ra, rb);
    const std::string ea = keys::TimeKey(ta, ra), eb = keys::TimeKey(tb, rb);
    const auto actual = ea <=> eb;
    ASSERT_EQ(actual < 0, expected < 0) << Hex(ea) << " vs " << Hex(eb);
    ASSERT_EQ(actual == 0, expected == 0) << Hex(ea) << " vs " << Hex(eb);
  }
}

TEST(KeyCodecOrderTest, RecordedTimesBefore1970StayInOrder) {
  // Micros may be negative: DOCKET_NOW and restored backups accept any
  // timestamp from year 0000, e.g. 1969-12-31T23:59:59.999999Z = -1 µs.
  // The newer of two versions must still come first, and the time index
  // must still run in recorded order.
  const ReportKey r = GoldenReport();
  EXPECT_LT(keys::VersionKey(r, 1), keys::VersionKey(r, -1)) << "1 µs is newer than -1 µs";
  EXPECT_LT(keys::VersionKey(r, 0), keys::VersionKey(r, -1000000));
  EXPECT_LT(keys::TimeKey(-1, r), keys::TimeKey(0, r));
  EXPECT_LT(keys::TimeKey(-1000000, r), keys::TimeKey(5, r));
}

TEST(KeyCodecOrderTest, PeriodEncodingFollowsSpecOrder) {
  // Spec §4: 2024, 2024-H1, 2024-Q1, 2024-01, 2024-02, 2024-03, 2024-Q2, …
  const char* const kOrder[] = {
      "2023-12", "2024",    "2024-H1", "2024-Q1", "2024-01", "2024-02", "2024-03",
      "2024-Q2", "2024-04", "2024-05", "2024-06", "2024-H2", "2024-Q3", "2024-07",
      "2024-08", "2024-09", "2024-Q4", "2024-10", "2024-11", "2024-12", "2025"};
  std::vector<std::string> encoded;
  for (const char* text : kOrder) {
    auto p = Period::Parse(text);
    ASSERT_TRUE(p) << text;
    encoded.push_back(keys::CellKey(1, *p));
  }
  for (size_t i = 1; i < encoded.size(); ++i)
    EXPECT_LT(encoded[i - 1], encoded[i]) << kOrder[i - 1] << " before " << kOrder[i];
}

TEST(KeyCodecOrderTest, RandomPeriodPairs) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    const Period a = RandomPeriod(rng, 0, 9999), b = RandomPeriod(rng, 0, 9999);
    const Period c = RandomPeriod(rng, 2024, 2024);  // same year: slots decide
    for (const auto& [x, y] : {std::pair{a, b}, std::pair{a, c}, std::pair{c, RandomPeriod(rng, 2024, 2024)}}) {
      const std::string ex = keys::CellKey(0, x), ey = keys::CellKey(0, y);
      ASSERT_EQ(SpecPeriodOrder(x) < SpecPeriodOrder(y), ex < ey) << x.ToString() << " " << y.ToString();
      ASSERT_EQ(x == y, ex == ey) << x.ToString() << " " << y.ToString();
    }
  }
}

// ------------------------------------------------------------ garbage

// Every proper prefix must be rejected.
template <class Decode>
void ExpectEveryTruncationRejected(const std::string& valid, Decode decode) {
  ASSERT_TRUE(decode(std::string_view(valid))) << "the full encoding must decode: " << Hex(valid);
  for (size_t n = 0; n < valid.size(); ++n)
    EXPECT_FALSE(decode(std::string_view(valid.data(), n))) << "prefix of " << n << " bytes of " << Hex(valid);
}

TEST(KeyCodecGarbageTest, TruncatedKeysAreRejected) {
  const ReportKey r = GoldenReport();
  ExpectEveryTruncationRejected(keys::VersionKey(r, 12345), [](std::string_view in) {
    ReportKey out;
    Micros t;
    return keys::DecodeVersionKey(in, &out, &t);
  });
  ExpectEveryTruncationRejected(keys::TimeKey(12345, r), [](std::string_view in) {
    ReportKey out;
    Micros t;
    return keys::DecodeTimeKey(in, &t, &out);
  });
  ExpectEveryTruncationRejected(kGoldenReportBytes, [](std::string_view in) {
    ReportKey out;
    return keys::DecodeReportKey(in, &out);
  });
  ExpectEveryTruncationRejected(keys::EncodeFormatValue(1), [](std::string_view in) {
    uint32_t v;
    return keys::DecodeFormatValue(in, &v);
  });
}

TEST(KeyCodecGarbageTest, KeysWithExtraBytesOrTheWrongTagAreRejected) {
  const ReportKey r = GoldenReport();
  ReportKey out;
  Micros t;
  EXPECT_FALSE(keys::DecodeVersionKey(keys::VersionKey(r, 1) + "x", &out, &t));
  EXPECT_FALSE(keys::DecodeTimeKey(keys::TimeKey(1, r) + "x", &t, &out));
  EXPECT_FALSE(keys::DecodeReportKey(kGoldenReportBytes + "x", &out));
  uint32_t v;
  EXPECT_FALSE(keys::DecodeFormatValue(keys::EncodeFormatValue(1) + "x", &v));
  // A time key is not a version key and vice versa, though both are 23 bytes.
  std::string as_version = keys::TimeKey(1, r);
  EXPECT_FALSE(keys::DecodeVersionKey(as_version, &out, &t));
  EXPECT_FALSE(keys::DecodeTimeKey(keys::VersionKey(r, 1), &t, &out));
}

TEST(KeyCodecGarbageTest, ImpossiblePeriodsAndPrecisionsAreRejected) {
  ReportKey out;
  std::string bad_slot = kGoldenReportBytes;
  bad_slot[6] = 19;  // slots run 0 … 18
  EXPECT_FALSE(keys::DecodeReportKey(bad_slot, &out));
  bad_slot[6] = static_cast<char>(0xFF);
  EXPECT_FALSE(keys::DecodeReportKey(bad_slot, &out));
  std::string bad_year = kGoldenReportBytes;
  bad_year[4] = 0x27;  // 0x2710 = 10000: years run 0000 … 9999
  bad_year[5] = 0x10;
  EXPECT_FALSE(keys::DecodeReportKey(bad_year, &out));
  std::string bad_precision = kGoldenReportBytes;
  bad_precision[13] = 3;  // kYear 0, kMonth 1, kDay 2
  EXPECT_FALSE(keys::DecodeReportKey(bad_precision, &out));
}

TEST(KeyCodecGarbageTest, TruncatedValuesAreRejected) {
  const Version values[] = {
      Value(Figure{Bound::kExact, 145}),
      Value(Figure{Bound::kAtLeast, kMaxCount}, "note", "https://example.org"),
      Value(std::nullopt, "withdrawn"),
      Value(std::nullopt, "", "u"),
      Value(Figure{Bound::kApprox, 0}, "", ""),
  };
  for (const auto& v : values) {
    ExpectEveryTruncationRejected(keys::EncodeVersionValue(v), [](std::string_view in) {
      Version out;
      return keys::DecodeVersionValue(in, &out);
    });
  }
  ExpectEveryTruncationRejected(keys::EncodeCharge(Charge{"t", "High treason", "275"}),
                                [](std::string_view in) {
                                  Charge out;
                                  return keys::DecodeCharge("t", in, &out);
                                });
  ExpectEveryTruncationRejected(keys::EncodeCharge(Charge{"t", "", ""}), [](std::string_view in) {
    Charge out;
    return keys::DecodeCharge("t", in, &out);
  });
  ExpectEveryTruncationRejected(
      keys::EncodeSource(Source{"S", 7, -300, "Title", "https://x"}), [](std::string_view in) {
        Source out;
        return keys::DecodeSource("S", in, &out);
      });
  ExpectEveryTruncationRejected(keys::EncodeSource(Source{"S", 7, 0, "", ""}),
                                [](std::string_view in) {
                                  Source out;
                                  return keys::DecodeSource("S", in, &out);
                                });
}

TEST(KeyCodecGarbageTest, TruncatedSeriesAreRejectedUnlessAtALabelBoundary) {
  // "espionage\0citizenship\0UA\0region\0X\0": cutting right after the
  // charge's NUL or after a whole label leaves a shorter, valid series;
  // every other cut must be rejected.
  const SeriesKey full{"espionage", {{"citizenship", "UA"}, {"region", "X"}}};
  const std::string s = keys::EncodeSeries(full);
  const size_t charge_end = 10, first_label_end = 10 + 12 + 3;  // "espionage\0", "citizenship\0UA\0"
  for (size_t n = 0; n < s.size(); ++n) {
    SeriesKey out;
    const bool ok = keys::DecodeSeries(std::string_view(s.data(), n), &out);
    if (n == charge_end) {
      ASSERT_TRUE(ok);
      EXPECT_EQ(out, (SeriesKey{"espionage", {}}));
    } else if (n == first_label_end) {
      ASSERT_TRUE(ok);
      EXPECT_EQ(out, (SeriesKey{"espionage", {{"citizenship", "UA"}}}));
    } else {
      EXPECT_FALSE(ok) << "prefix of " << n << " bytes";
    }
  }
  SeriesKey out;
  EXPECT_FALSE(keys::DecodeSeries(std::string("\0", 1), &out));  // empty charge
}

TEST(KeyCodecGarbageTest, RandomBytesNeverCrashAnyDecoder) {
  std::mt19937_64 rng(1234);
  const std::string golden_version = std::string("R") + kGoldenReportBytes + std::string(8, '\x01');
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    // Random lengths around the interesting sizes, sometimes a golden key with a byte flipped.
    if (i % 4 == 0) {
      s = golden_version;
      s[rng() % s.size()] = static_cast<char>(rng());
    } else {
      const size_t n = rng() % 30;
      for (size_t k = 0; k < n; ++k) s.push_back(static_cast<char>(rng()));
      if (i % 3 == 0 && !s.empty()) s[0] = "RTFCOSI"[rng() % 7];
    }
    ReportKey r;
    Micros t;
    uint32_t v32;
    Version version;
    Charge charge;
    Source source;
    SeriesKey series;
    std::string_view in = s, piece;
    uint64_t v64;
    if (keys::DecodeVersionKey(s, &r, &t)) {
      // What decodes re-encodes to the same bytes: keys have one spelling.
      EXPECT_EQ(Hex(keys::VersionKey(r, t)), Hex(s));
    }
    if (keys::DecodeTimeKey(s, &t, &r)) {
      EXPECT_EQ(Hex(keys::TimeKey(t, r)), Hex(s));
    }
    if (keys::DecodeReportKey(s, &r)) {
      std::string again;
      keys::PutReportKey(&again, r);
      EXPECT_EQ(Hex(again), Hex(s));
    }
    uint64_t order;
    if (keys::DecodeRunKey(s, &r, &order)) {
      EXPECT_EQ(Hex(keys::RunKey(r, order)), Hex(s));
    }
    (void)keys::DecodeTimeRunKey(s, &order, &r);
    (void)keys::DecodeSeriesByIdKey(s, &v32);
    (void)keys::DecodeSeriesByNameKey(s, &series);
    (void)keys::DecodeSeriesId(s, &v32);
    (void)keys::DecodeFormatValue(s, &v32);
    (void)keys::DecodeVersionValue(s, &version);
    (void)keys::DecodeCharge("c", s, &charge);
    (void)keys::DecodeSource("S", s, &source);
    (void)keys::DecodeSeries(s, &series);
    (void)keys::GetVarint64(&in, &v64);
    in = s;
    (void)keys::GetLengthPrefixed(&in, &piece);
  }
}

TEST(KeyCodecGarbageTest, DecodedCountsNeverExceedTheLargest) {
  std::mt19937_64 rng(77);
  for (int i = 0; i < 50000; ++i) {
    std::string s(1, static_cast<char>(rng() % 4));  // a bound kind, no flags
    const size_t n = 1 + rng() % 10;
    for (size_t k = 0; k < n; ++k) s.push_back(static_cast<char>(rng() | (k + 1 < n ? 0x80 : 0)));
    // The last byte is non-zero, so the varint is in its shortest form.
    s.back() = static_cast<char>((static_cast<unsigned char>(s.back()) & 0x7F) | (n > 1 ? 0x01 : 0));
    Version v;
    if (keys::DecodeVersionValue(s, &v)) {
      ASSERT_TRUE(v.figure.has_value());
      ASSERT_LE(v.figure->count, kMaxCount) << Hex(s);
      // And the bytes were a faithful varint of that count.
      std::string again(1, s[0]);
      keys::PutVarint64(&again, v.figure->count);
      ASSERT_EQ(Hex(again), Hex(s)) << "accepted bytes that do not encode " << v.figure->count;
    }
  }
}

}  // namespace
}  // namespace docket
