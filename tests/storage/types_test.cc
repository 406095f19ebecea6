// The data model's value types (storage/types.h, spec §1, §2, §4): periods,
// reported dates, timestamps, names, series text and UTF-8 validation.
// Day numbers are worked out by hand (days since 1970-01-01):
//   1970-01-01 = 0; 2000-01-01 = 10957; 2023-01-01 = 19358;
//   2024-01-01 = 19723 (2023 has 365 days); 2025-01-01 = 20089 (2024: 366).

#include "storage/types.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace docket {
namespace {

constexpr int32_t kJan1_2023 = 19358;
constexpr int32_t kJan1_2024 = 19723;
constexpr int32_t kJan1_2025 = 20089;

// ------------------------------------------------------------ calendar

TEST(CalendarTest, DaysFromCivilAtKnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 1, 1), 10957);
  EXPECT_EQ(DaysFromCivil(2023, 1, 1), kJan1_2023);
  EXPECT_EQ(DaysFromCivil(2024, 1, 1), kJan1_2024);
  EXPECT_EQ(DaysFromCivil(2025, 1, 1), kJan1_2025);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), kJan1_2024 + 31 + 28);
  EXPECT_EQ(DaysFromCivil(2024, 3, 1), kJan1_2024 + 31 + 29);
}

TEST(CalendarTest, DaysInMonthKnowsLeapYears) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);  // divisible by 400
  EXPECT_EQ(DaysInMonth(1900, 2), 28);  // divisible by 100 only
  EXPECT_EQ(DaysInMonth(2025, 4), 30);
  EXPECT_EQ(DaysInMonth(2025, 12), 31);
}

TEST(CalendarTest, CivilFromDaysInvertsDaysFromCivil) {
  for (int32_t day = -800000; day <= 3000000; day += 997) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), day);
  }
}

// ------------------------------------------------------------ periods

struct PeriodCase {
  const char* text;
  int year;
  Grain grain;
  int index;
  int32_t first_day, last_day;
};

// first/last days: 2024-H1 ends 2024-06-30 = 19723 + 31+29+31+30+31+30 - 1 = 19904;
// 2024-Q3 runs 2024-07-01 = 19905 … 2024-09-30 = 19905 + 31+31+30 - 1 = 19996;
// 2024-02 runs 19723+31 = 19754 … 19782 (the 29th); 2023-02 ends 19358+31+27 = 19416;
// 2024-12 runs 19723+335 = 20058 … 20088; 1969 runs -365 … -1.
const PeriodCase kPeriods[] = {
    {"2024", 2024, Grain::kYear, 1, kJan1_2024, kJan1_2025 - 1},
    {"2024-H1", 2024, Grain::kHalf, 1, kJan1_2024, 19904},
    {"2024-H2", 2024, Grain::kHalf, 2, 19905, kJan1_2025 - 1},
    {"2024-Q1", 2024, Grain::kQuarter, 1, kJan1_2024, kJan1_2024 + 31 + 29 + 31 - 1},
    {"2024-Q3", 2024, Grain::kQuarter, 3, 19905, 19996},
    {"2024-Q4", 2024, Grain::kQuarter, 4, 19997, kJan1_2025 - 1},
    {"2024-02", 2024, Grain::kMonth, 2, 19754, 19782},
    {"2023-02", 2023, Grain::kMonth, 2, kJan1_2023 + 31, 19416},
    {"2024-12", 2024, Grain::kMonth, 12, 20058, 20088},
    {"1969", 1969, Grain::kYear, 1, -365, -1},
    {"1970-01", 1970, Grain::kMonth, 1, 0, 30},
    {"0000", 0, Grain::kYear, 1, -719528, -719528 + 365},  // 0000 is a leap year
    {"9999-12", 9999, Grain::kMonth, 12, 2932896 - 30, 2932896},
};

TEST(PeriodTest, ParsesEveryGrainWithItsDays) {
  for (const auto& c : kPeriods) {
    SCOPED_TRACE(c.text);
    auto p = Period::Parse(c.text);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->year(), c.year);
    EXPECT_EQ(p->grain(), c.grain);
    EXPECT_EQ(p->index(), c.index);
    EXPECT_EQ(p->first_day(), c.first_day);
    EXPECT_EQ(p->last_day(), c.last_day);
    EXPECT_EQ(p->ToString(), c.text);
    EXPECT_EQ(*p, Period(c.year, c.grain, c.index));
  }
}

TEST(PeriodTest, RejectsMalformedOrNonexistentPeriods) {
  const char* const kBad[] = {
      "2024-13", "2024-00", "2024-H3", "2024-H0", "2024-Q5", "2024-Q0", "202",   "2024-1",
      "20245",   "2024-",   "",        "2024-h1", "2024-q1", " 2024",   "2024 ", "abcd",
      "-2024",   "2024-001", "2024/01", "2024-1H", "2024-HH", "24-01",  "2024-M1", "2024-H12",
      "２０２４", "2024-Q",  "2024-H",  "+2024",   "2024\n",
  };
  for (const char* text : kBad) EXPECT_FALSE(Period::Parse(text).has_value()) << "`" << text << "`";
}

TEST(PeriodTest, FormatsFourDigitYears) {
  EXPECT_EQ(Period(5, Grain::kYear, 1).ToString(), "0005");
  EXPECT_EQ(Period(987, Grain::kMonth, 7).ToString(), "0987-07");
  EXPECT_EQ(Period(2024, Grain::kMonth, 10).ToString(), "2024-10");
}

TEST(PeriodTest, OrdersByFirstDayLongerFirst) {
  // Spec §4: 2024, 2024-H1, 2024-Q1, 2024-01, 2024-02, 2024-03, 2024-Q2, …
  const char* const kOrder[] = {"2023",    "2023-12", "2024",    "2024-H1", "2024-Q1", "2024-01",
                                "2024-02", "2024-03", "2024-Q2", "2024-04", "2024-05", "2024-06",
                                "2024-H2", "2024-Q3", "2024-07", "2024-08", "2024-09", "2024-Q4",
                                "2024-10", "2024-11", "2024-12", "2025",    "2025-H1"};
  std::vector<Period> periods;
  for (const char* t : kOrder) periods.push_back(*Period::Parse(t));
  for (size_t i = 0; i < periods.size(); ++i)
    for (size_t j = 0; j < periods.size(); ++j) {
      EXPECT_EQ(periods[i] < periods[j], i < j) << kOrder[i] << " vs " << kOrder[j];
      EXPECT_EQ(periods[i] == periods[j], i == j) << kOrder[i] << " vs " << kOrder[j];
    }
}

TEST(PeriodTest, MonthsOrderAfterTheirQuarter) {
  EXPECT_LT(*Period::Parse("2024-Q2"), *Period::Parse("2024-04"));
  EXPECT_LT(*Period::Parse("2024-03"), *Period::Parse("2024-Q2"));
  EXPECT_LT(*Period::Parse("2024-H2"), *Period::Parse("2024-Q3"));
  EXPECT_LT(*Period::Parse("2024-06"), *Period::Parse("2024-H2"));
}

TEST(PeriodTest, SlotsRoundTripThroughFromSlot) {
  for (int slot = 0; slot <= 18; ++slot) {
    auto p = Period::FromSlot(2024, slot);
    ASSERT_TRUE(p.has_value()) << slot;
    EXPECT_EQ(p->slot(), slot);
  }
  EXPECT_FALSE(Period::FromSlot(2024, 19).has_value());
  EXPECT_FALSE(Period::FromSlot(2024, -1).has_value());
  EXPECT_FALSE(Period::FromSlot(10000, 0).has_value());
  EXPECT_FALSE(Period::FromSlot(-1, 0).has_value());
}

TEST(PeriodTest, PrevAndNextStepWithinTheGrainAcrossYears) {
  struct Case {
    const char *from, *prev, *next;
  } cases[] = {
      {"2024", "2023", "2025"},          {"2024-H1", "2023-H2", "2024-H2"},
      {"2024-H2", "2024-H1", "2025-H1"}, {"2024-Q1", "2023-Q4", "2024-Q2"},
      {"2024-Q4", "2024-Q3", "2025-Q1"}, {"2024-01", "2023-12", "2024-02"},
      {"2024-12", "2024-11", "2025-01"}, {"0001", "0000", "0002"},
  };
  for (const auto& c : cases) {
    const Period p = *Period::Parse(c.from);
    EXPECT_EQ(p.Prev().ToString(), c.prev) << c.from;
    EXPECT_EQ(p.Next().ToString(), c.next) << c.from;
    EXPECT_EQ(p.Next().ordinal(), p.ordinal() + 1);
    EXPECT_EQ(p.Prev().ordinal(), p.ordinal() - 1);
  }
}

TEST(PeriodTest, ConsecutivePeriodsTouch) {
  // Each period of a grain starts the day after the previous one ends.
  for (const char* start : {"2023-01", "2023-Q1", "2023-H1", "2023"}) {
    Period p = *Period::Parse(start);
    for (int i = 0; i < 30; ++i) {
      const Period n = p.Next();
      EXPECT_EQ(n.first_day(), p.last_day() + 1) << p.ToString();
      p = n;
    }
  }
}

// ------------------------------------------------------------ reported dates

TEST(DateTest, ParsesFullAndPartialDates) {
  struct Case {
    const char* text;
    int32_t first_day, last_day;
    DatePrecision precision;
  } cases[] = {
      {"2024-02-29", 19782, 19782, DatePrecision::kDay},
      {"2024-12-20", 20077, 20077, DatePrecision::kDay},  // 19723 + 335 + 19
      {"2025-04", 20179, 20208, DatePrecision::kMonth},   // 2025-04-01 … 2025-04-30
      {"2025", kJan1_2025, kJan1_2025 + 364, DatePrecision::kYear},
      {"2024", kJan1_2024, kJan1_2025 - 1, DatePrecision::kYear},
      {"2024-02", 19754, 19782, DatePrecision::kMonth},
      {"2023-02", kJan1_2023 + 31, 19416, DatePrecision::kMonth},
      {"1970-01-01", 0, 0, DatePrecision::kDay},
      {"1969-12", -31, -1, DatePrecision::kMonth},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto d = Date::Parse(c.text);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->first_day(), c.first_day);
    EXPECT_EQ(d->last_day(), c.last_day);
    EXPECT_EQ(d->precision(), c.precision);
    EXPECT_EQ(d->ToString(), c.text);  // shown as written
  }
}

TEST(DateTest, RejectsNonexistentOrMalformedDates) {
  const char* const kBad[] = {
      "2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
      "2024-1-01",  "2024-01-1",  "24-01-01",   "2024-01-01T", "2024-1",    "2024-13",
      "2024-00",    "202",        "",           "2024-01-32", "2024/01/01", "2024-01-01 ",
      " 2024",      "2024-H1",    "2024-Q1",    "20240101",   "2024-01-",   "2024--01",
  };
  for (const char* text : kBad) EXPECT_FALSE(Date::Parse(text).has_value()) << "`" << text << "`";
}

TEST(DateTest, OrdersByEffectiveDayThenAsWritten) {
  // Spec §1: a partial date stands for its last day; ties by precision
  // (`2025` < `2025-12` < `2025-12-31`).
  const char* const kOrder[] = {"2024-12-31", "2025-01-01", "2025-04-29", "2025-04",
                                "2025-04-30", "2025-05-01", "2025",       "2025-12",
                                "2025-12-31", "2026-01-01"};
  for (size_t i = 0; i < std::size(kOrder); ++i)
    for (size_t j = 0; j < std::size(kOrder); ++j) {
      const Date a = *Date::Parse(kOrder[i]), b = *Date::Parse(kOrder[j]);
      EXPECT_EQ(a < b, i < j) << kOrder[i] << " vs " << kOrder[j];
      EXPECT_EQ(a == b, i == j) << kOrder[i] << " vs " << kOrder[j];
    }
}

TEST(DateTest, PartialAndFullDateOfOneDayAreDifferentDates) {
  const Date month = *Date::Parse("2025-04"), day = *Date::Parse("2025-04-30");
  EXPECT_EQ(month.last_day(), day.last_day());
  EXPECT_NE(month, day);
}

// ------------------------------------------------------------ timestamps

// 2025-03-01 = 20089 + 31 + 28 = 20148 days = 1'740'787'200 s.
constexpr Micros kMar1_2025 = Micros{1'740'787'200} * 1'000'000;
constexpr Micros kSecond = 1'000'000, kMinute = 60 * kSecond, kHour = 60 * kMinute;

TEST(TimestampTest, ParsesZuluAndOffsets) {
  struct Case {
    const char* text;
    Micros expected;
  } cases[] = {
      {"1970-01-01T00:00Z", 0},
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-01T00:00:00.000001Z", 1},
      {"1969-12-31T23:59:59.999999Z", -1},
      {"2025-03-01T12:00Z", kMar1_2025 + 12 * kHour},
      {"2025-03-01T12:00+03:00", kMar1_2025 + 9 * kHour},
      {"2025-03-01T12:00-05:30", kMar1_2025 + 17 * kHour + 30 * kMinute},
      {"2025-03-01T00:30+01:00", kMar1_2025 - 30 * kMinute},  // the day before in UTC
      {"2025-03-01T12:00:07Z", kMar1_2025 + 12 * kHour + 7 * kSecond},
      {"2025-03-01T12:00:07.5Z", kMar1_2025 + 12 * kHour + 7 * kSecond + 500000},
      {"2025-03-01T12:00:07.12Z", kMar1_2025 + 12 * kHour + 7 * kSecond + 120000},
      {"2025-03-01T12:00:07.123456Z", kMar1_2025 + 12 * kHour + 7 * kSecond + 123456},
      {"2025-03-01T12:00:07.000001+00:00", kMar1_2025 + 12 * kHour + 7 * kSecond + 1},
      {"2025-03-01T23:59:59.999999Z", kMar1_2025 + 24 * kHour - 1},
      {"2024-02-29T00:00Z", Micros{19782} * 86400 * kSecond},
  };
  for (const auto& c : cases) {
    auto t = ParseTimestamp(c.text);
    ASSERT_TRUE(t.has_value()) << c.text;
    EXPECT_EQ(*t, c.expected) << c.text;
  }
}

TEST(TimestampTest, RejectsInvalidTimestamps) {
  const char* const kBad[] = {
      "2025-03-01T12:00:07.1234567Z",  // seven fraction digits
      "2025-03-01T12:00:07.Z",         // a dot without digits
      "2025-02-29T00:00Z",             // no such day
      "2025-13-01T00:00Z",
      "2025-00-01T00:00Z",
      "2025-04-31T00:00Z",
      "2025-01-01T24:00Z",
      "2025-01-01T23:60Z",
      "2025-01-01T23:59:60Z",
      "2025-01-01T12:00",  // no zone
      "2025-01-01 12:00Z",
      "2025-01-01t12:00Z",
      "2025-01-01T12:00z",
      "2025-01-01T12Z",
      "2025-01-01T12:00+3:00",
      "2025-01-01T12:00+03",
      "2025-01-01T12:00+0300",
      "2025-01-01T12:00+03:60",
      "2025-01-01T12:00Zjunk",
      "2025-01-01T12:00Z ",
      "2025-01-01",
      "2025-01-01T",
      "",
      "2025-01-01T12:00:5Z",
      "2025-01-01T12:0Z",
      "2025-1-01T12:00Z",
      "25-01-01T12:00Z",
      "2025-01-01T12:00:07.12a456Z",
  };
  for (const char* text : kBad) EXPECT_FALSE(ParseTimestamp(text).has_value()) << "`" << text << "`";
}

TEST(TimestampTest, FormatsWithMicrosecondsInUtc) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestamp(kMar1_2025 + 12 * kHour + 123), "2025-03-01T12:00:00.000123Z");
  EXPECT_EQ(FormatTimestamp(kMar1_2025 - 1), "2025-02-28T23:59:59.999999Z");
}

TEST(TimestampTest, FormatAndParseRoundTripFromYear0000To9999) {
  const Micros lo = *ParseTimestamp("0000-01-01T00:00Z");
  const Micros hi = *ParseTimestamp("9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestamp(lo), "0000-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(hi), "9999-12-31T23:59:59.999999Z");
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const Micros t = lo + static_cast<Micros>(rng() % static_cast<uint64_t>(hi - lo + 1));
    const std::string text = FormatTimestamp(t);
    auto back = ParseTimestamp(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_EQ(*back, t) << text;
  }
}

TEST(TimestampTest, YearsOutside0000To9999FromACorruptKeyPrintInFull) {
  // Nothing parsed is out there, but a corrupt key can hold any day: its
  // year is printed whole (as fmt's `{:04}` would), never cut to 4 digits.
  const Micros y10000 = *ParseTimestamp("9999-12-31T00:00Z") + kMicrosPerDay;
  EXPECT_EQ(FormatTimestamp(y10000 + 1), "10000-01-01T00:00:00.000001Z");
  const Micros y0000 = *ParseTimestamp("0000-01-01T00:00Z");
  EXPECT_EQ(FormatTimestamp(y0000 - 1), "-001-12-31T23:59:59.999999Z");
  const int32_t first_0000 = static_cast<int32_t>(y0000 / kMicrosPerDay);
  EXPECT_EQ(Date(first_0000 - 1, DatePrecision::kDay).ToString(), "-001-12-31");
  EXPECT_EQ(Date(static_cast<int32_t>(y10000 / kMicrosPerDay), DatePrecision::kMonth).ToString(), "10000-01");
  EXPECT_EQ(Date(first_0000, DatePrecision::kYear).ToString(), "0000");
}

TEST(TimestampTest, RejectsOffsetsThatLeaveYears0000To9999) {
  // These parsed, and FormatTimestamp then wrote `10000-01-01T00:59:00.000000Z`
  // and `-001-12-31T23:59:00.000000Z`, which nothing reads back (the literals
  // fuzzer's round trip; fuzz/regressions/literals).
  EXPECT_FALSE(ParseTimestamp("9999-12-31T23:59-01:00").has_value());
  EXPECT_FALSE(ParseTimestamp("0000-01-01T00:00+00:01").has_value());
  // The edges themselves, written with an offset, still parse.
  const Micros lo = *ParseTimestamp("0000-01-01T00:00Z");
  const Micros hi = *ParseTimestamp("9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(ParseTimestamp("0000-01-01T01:00+01:00"), lo);
  EXPECT_EQ(ParseTimestamp("9999-12-31T22:59:59.999999-01:00"), hi);
}

// ------------------------------------------------------------ names

// Spec §1: keys reserved for fields and CSV columns.
const char* const kReservedLabelKeys[] = {"charge", "series", "period", "value",    "bound",
                                          "lo",     "hi",     "approx", "source",   "reported",
                                          "recorded", "status", "note", "url"};

TEST(NamesTest, IsChargeNameAcceptsLowerIdentifiers) {
  for (const char* name : {"treason", "state_secrets", "a", "a1", "a_", "confidential_cooperation",
                           "fromage", "sources2", "x9_y"})
    EXPECT_TRUE(IsChargeName(name)) << name;
}

// Reserved words are refused by query (tests/query/lexicon_test.cc): storage
// checks the shape only.
TEST(NamesTest, IsChargeNameRejectsCapitalsAndOtherCharacters) {
  for (const char* name : {"Treason", "tReason", "TREASON", "1abc", "_a", "", "treason-x",
                           "treason x", "trеason" /* Cyrillic е */, "a.b", "a{"})
    EXPECT_FALSE(IsChargeName(name)) << name;
}

TEST(NamesTest, IsSourceNameAcceptsIdentifiersStartingWithALetter) {
  for (const char* name : {"IStories", "RTVI", "From", "FROM", "As", "x", "A_1", "JudicialDept",
                           "pervyi_otdel"})
    EXPECT_TRUE(IsSourceName(name)) << name;
  for (const char* name : {"1A", "_A", "", "I-Stories", "I Stories", "Ё"})
    EXPECT_FALSE(IsSourceName(name)) << name;
}

TEST(NamesTest, IsLabelKeyRejectsTheFourteenReservedKeys) {
  EXPECT_EQ(std::size(kReservedLabelKeys), 14u);
  for (const char* key : kReservedLabelKeys) {
    EXPECT_FALSE(IsLabelKey(key)) << key;
    EXPECT_TRUE(IsReservedLabelKey(key)) << key;
  }
  for (const char* key : {"citizenship", "region", "notes", "lo1", "values", "a"}) {
    EXPECT_TRUE(IsLabelKey(key)) << key;
    EXPECT_FALSE(IsReservedLabelKey(key)) << key;
  }
  for (const char* key : {"Citizenship", "", "1a", "_a", "a-b"}) EXPECT_FALSE(IsLabelKey(key)) << key;
}

TEST(NamesTest, KeywordsThatAreNotReservedKeysCanBeLabelKeys) {
  // Spec §2: keywords cannot name a charge or a source; only the §1 list is
  // barred from label keys.
  for (const char* key : {"from", "as", "growth", "since"}) EXPECT_TRUE(IsLabelKey(key)) << key;
}

// ------------------------------------------------------------ figures and bounds

TEST(FigureTest, ShowsBoundThenCount) {
  EXPECT_EQ((Figure{Bound::kExact, 145}).ToString(), "145");
  EXPECT_EQ((Figure{Bound::kAtLeast, 28}).ToString(), ">=28");
  EXPECT_EQ((Figure{Bound::kAtMost, 10}).ToString(), "<=10");
  EXPECT_EQ((Figure{Bound::kApprox, 36}).ToString(), "~36");
  EXPECT_EQ(kMaxCount, 9007199254740991u);
}

TEST(FigureTest, ParseCountReadsWholeNumbersUpToTheMaximum) {
  const struct {
    const char* text;
    std::optional<uint64_t> expected;
  } cases[] = {
      {"145", 145},
      {"0", 0},
      {"9007199254740991", kMaxCount},         // 2^53 - 1
      {"0000000000009007199254740991", kMaxCount},  // leading zeros are read, not counted
      {"00000000000000000145", 145},
      {"9007199254740992", std::nullopt},      // 2^53
      {"18446744073709551617", std::nullopt},  // 2^64 + 1: no wrap-around
      {"100000000000000000000000000000", std::nullopt},
      {"", std::nullopt},
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"1e3", std::nullopt},
      {" 1", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseCount(c.text), c.expected) << c.text;
}

TEST(FigureTest, BoundSymbolsRoundTrip) {
  for (Bound b : {Bound::kExact, Bound::kAtLeast, Bound::kAtMost, Bound::kApprox})
    EXPECT_EQ(ParseBound(BoundSymbol(b)), b);
  EXPECT_FALSE(ParseBound("=>").has_value());
  EXPECT_FALSE(ParseBound("==").has_value());
  EXPECT_FALSE(ParseBound("").has_value());
}

// ------------------------------------------------------------ series text

TEST(SeriesKeyTest, ToStringIsCanonicalText) {
  EXPECT_EQ((SeriesKey{"treason", {}}).ToString(), "treason");
  EXPECT_EQ((SeriesKey{"espionage", {{"citizenship", "UA"}}}).ToString(),
            "espionage{citizenship=\"UA\"}");
  EXPECT_EQ((SeriesKey{"espionage", {{"citizenship", "UA"}, {"region", "Томская область"}}}).ToString(),
            "espionage{citizenship=\"UA\", region=\"Томская область\"}");
}

TEST(SeriesKeyTest, ToStringEscapesQuotesAndBackslashes) {
  EXPECT_EQ((SeriesKey{"x", {{"k", "a\"b\\c"}}}).ToString(), "x{k=\"a\\\"b\\\\c\"}");
  EXPECT_EQ(QuoteString("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(QuoteString(""), "\"\"");
  EXPECT_EQ(QuoteString("\\"), "\"\\\\\"");
}

// ------------------------------------------------------------ UTF-8

TEST(Utf8Test, AcceptsValidText) {
  for (std::string_view s : {std::string_view(""), std::string_view("abc"), std::string_view("Томск"),
                             std::string_view("€"), std::string_view("😀"),
                             std::string_view("\xF4\x8F\xBF\xBF") /* U+10FFFF */,
                             std::string_view("\xEE\x80\x80") /* U+E000 */,
                             std::string_view("\xED\x9F\xBF") /* U+D7FF */,
                             std::string_view("\xC2\x80") /* U+0080 */})
    EXPECT_EQ(FindInvalidUtf8(s), std::string_view::npos) << s;
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  struct Case {
    std::string text;
    size_t offset;
  } cases[] = {
      {"a\xC0\xAF", 1},               // overlong '/'
      {"\xC1\xBF", 0},                // overlong
      {"\xE0\x80\xAF", 0},            // overlong, three bytes
      {"\xF0\x80\x80\xAF", 0},        // overlong, four bytes
      {"\xED\xA0\x80", 0},            // U+D800, a surrogate
      {"ab\xED\xBF\xBF", 2},          // U+DFFF
      {"\xF4\x90\x80\x80", 0},        // above U+10FFFF
      {"\xF5\x80\x80\x80", 0},
      {"\xFF", 0},
      {"\xF8\x88\x80\x80\x80", 0},    // five-byte form
      {"ab\xE2\x82", 2},              // truncated at the end
      {"\xF0\x9F\x98", 0},
      {"a\x80", 1},                   // a lone continuation byte
      {"\xE2\x28\xA1", 0},            // a bad continuation byte
      {"Тx\xD0", 3},                  // after a valid two-byte letter
      {std::string("ab\0c", 4), 2},   // NUL
      {std::string("\0", 1), 0},
  };
  for (const auto& c : cases) EXPECT_EQ(FindInvalidUtf8(c.text), c.offset) << c.offset;
}

// Plain ASCII is passed over eight bytes at a time: a bad byte is found at
// every place in and after such runs, and a good letter anywhere passes.
TEST(Utf8Test, FindsABadByteAnywhereInLongPlainText) {
  for (size_t at = 0; at < 24; ++at) {
    SCOPED_TRACE(at);
    std::string text(24, 'a');
    text[at] = '\0';
    EXPECT_EQ(FindInvalidUtf8(text), at);
    text[at] = '\x80';
    EXPECT_EQ(FindInvalidUtf8(text), at);
    text[at] = '\x7f';
    EXPECT_EQ(FindInvalidUtf8(text), std::string_view::npos);
    text.replace(at, 1, "Т");
    EXPECT_EQ(FindInvalidUtf8(text), std::string_view::npos);
    text += '\xff';
    EXPECT_EQ(FindInvalidUtf8(text), text.size() - 1);
  }
}

// ------------------------------------------------------------ formatters

// `{}` prints what ToString() returns, and the expected text by hand.
TEST(FormatterTest, ValueTypesPrintTheirToStringText) {
  const Period half(2024, Grain::kHalf, 1);
  const Period month(2024, Grain::kMonth, 7);
  const Date partial = *Date::Parse("2024-12");
  const Date day = *Date::Parse("2024-12-20");
  const Figure at_least{Bound::kAtLeast, 28};
  const Figure exact{Bound::kExact, 145};
  const SeriesKey key{"espionage", {{"citizenship", "UA"}}};
  struct Case {
    std::string formatted, to_string;
    std::string_view expected;
  };
  const Case cases[] = {
      {fmt::format("{}", half), half.ToString(), "2024-H1"},
      {fmt::format("{}", month), month.ToString(), "2024-07"},
      {fmt::format("{}", partial), partial.ToString(), "2024-12"},
      {fmt::format("{}", day), day.ToString(), "2024-12-20"},
      {fmt::format("{}", at_least), at_least.ToString(), ">=28"},
      {fmt::format("{}", exact), exact.ToString(), "145"},
      {fmt::format("{}", key), key.ToString(), R"(espionage{citizenship="UA"})"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.formatted, c.to_string) << c.expected;
    EXPECT_EQ(c.formatted, c.expected);
  }
}

// Enums print their spec text, the same as their name functions.
TEST(FormatterTest, EnumsPrintTheirSpecText) {
  struct Case {
    std::string formatted, named;
    std::string_view expected;
  };
  const Case cases[] = {
      {fmt::format("{}", Bound::kExact), std::string(BoundSymbol(Bound::kExact)), "="},
      {fmt::format("{}", Bound::kAtLeast), std::string(BoundSymbol(Bound::kAtLeast)), ">="},
      {fmt::format("{}", Bound::kAtMost), std::string(BoundSymbol(Bound::kAtMost)), "<="},
      {fmt::format("{}", Bound::kApprox), std::string(BoundSymbol(Bound::kApprox)), "~"},
      {fmt::format("{}", Grain::kYear), std::string(GrainName(Grain::kYear)), "year"},
      {fmt::format("{}", Grain::kHalf), std::string(GrainName(Grain::kHalf)), "half"},
      {fmt::format("{}", Grain::kQuarter), std::string(GrainName(Grain::kQuarter)), "quarter"},
      {fmt::format("{}", Grain::kMonth), std::string(GrainName(Grain::kMonth)), "month"},
      {fmt::format("{}", DatePrecision::kYear), std::string(PrecisionName(DatePrecision::kYear)), "year"},
      {fmt::format("{}", DatePrecision::kMonth), std::string(PrecisionName(DatePrecision::kMonth)), "month"},
      {fmt::format("{}", DatePrecision::kDay), std::string(PrecisionName(DatePrecision::kDay)), "day"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.formatted, c.named) << c.expected;
    EXPECT_EQ(c.formatted, c.expected);
  }
}

// Width and alignment work as for strings (tables line up).
TEST(FormatterTest, WidthAndAlignmentWork) {
  EXPECT_EQ(fmt::format("{:>8}", Period(2024, Grain::kQuarter, 3)), " 2024-Q3");
  EXPECT_EQ(fmt::format("{:<6}|", *Date::Parse("2024")), "2024  |");
  EXPECT_EQ(fmt::format("{:^9}", Figure{Bound::kApprox, 36}), "   ~36   ");
  EXPECT_EQ(fmt::format("{:>4}", Bound::kAtLeast), "  >=");
  EXPECT_EQ(fmt::format("{:<9}|", Grain::kMonth), "month    |");
  EXPECT_EQ(fmt::format("{:>12}", SeriesKey{"treason", {}}), "     treason");
}

}  // namespace
}  // namespace docket
