// The data model's value types (spec §1): periods, reported dates,
// timestamps, figures, series keys and the catalog. Pure values, no I/O.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace docket {

// ---------------------------------------------------------------- calendar

// Days since 1970-01-01 in the proleptic Gregorian calendar (may be negative).
int32_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(int32_t days, int* year, int* month, int* day);
int DaysInMonth(int year, int month);

// Microseconds since 1970-01-01T00:00:00Z.
using Micros = int64_t;
inline constexpr Micros kMicrosPerDay = 86'400'000'000;

// Parses `YYYY-MM-DDThh:mm[:ss[.f…]]` followed by `Z` or `±hh:mm` (up to six
// fraction digits). Returns nullopt for anything else, a time that does not
// exist, or one whose offset carries it outside years 0000-9999 UTC (which
// FormatTimestamp could not write).
std::optional<Micros> ParseTimestamp(std::string_view text);
// `YYYY-MM-DDThh:mm:ss.ffffffZ`.
std::string FormatTimestamp(Micros t);

// ---------------------------------------------------------------- periods

enum class Grain : uint8_t { kYear, kHalf, kQuarter, kMonth };
std::string_view GrainName(Grain grain);  // "year", "half", "quarter", "month"

}  // namespace docket

// `{}` prints the grain's name (spec §1: year, half, quarter, month).
template <>
struct fmt::formatter<docket::Grain> : fmt::formatter<std::string_view> {
  auto format(const docket::Grain& v, format_context& ctx) const {
    return formatter<std::string_view>::format(docket::GrainName(v), ctx);
  }
};

namespace docket {

// The valid time a count refers to: `2024`, `2024-H1`, `2024-Q3`, `2024-07`.
// Ordered by first day, longer first (2024 < 2024-H1 < 2024-Q1 < 2024-01).
class Period {
 public:
  Period() = default;
  // Requires 0 <= year <= 9999 and index valid for the grain (1 for a year).
  Period(int year, Grain grain, int index);
  // Nullopt unless `text` is a well-formed, existing period.
  static std::optional<Period> Parse(std::string_view text);

  int year() const { return year_; }
  Grain grain() const { return grain_; }
  int index() const { return index_; }
  std::string ToString() const;

  // Position within the year in display order (0 = the year … 18 = December).
  int slot() const;
  // Rebuilds a period from (year, slot); nullopt if slot > 18.
  static std::optional<Period> FromSlot(int year, int slot);
  // Consecutive numbering within the grain: Next/Prev step by one.
  int64_t ordinal() const;
  Period Prev() const;  // requires ordinal() > 0
  Period Next() const;

  int32_t first_day() const;
  int32_t last_day() const;

  friend bool operator==(const Period& a, const Period& b) = default;
  friend std::strong_ordering operator<=>(const Period& a, const Period& b) {
    if (auto c = a.year_ <=> b.year_; c != 0) return c;
    return a.slot() <=> b.slot();
  }

 private:
  uint16_t year_ = 0;
  Grain grain_ = Grain::kYear;
  uint8_t index_ = 1;
};

}  // namespace docket

// `{}` prints Period::ToString(); width and alignment as for strings.
template <>
struct fmt::formatter<docket::Period> : fmt::formatter<std::string_view> {
  auto format(const docket::Period& v, format_context& ctx) const {
    return formatter<std::string_view>::format(v.ToString(), ctx);
  }
};

namespace docket {

// ---------------------------------------------------------------- reported dates

enum class DatePrecision : uint8_t { kYear, kMonth, kDay };
std::string_view PrecisionName(DatePrecision precision);  // "year", "month", "day"

}  // namespace docket

// `{}` prints the precision's name.
template <>
struct fmt::formatter<docket::DatePrecision> : fmt::formatter<std::string_view> {
  auto format(const docket::DatePrecision& v, format_context& ctx) const {
    return formatter<std::string_view>::format(docket::PrecisionName(v), ctx);
  }
};

namespace docket {

// A date as a source published it: `2024-12-20`, `2024-12` or `2024`. A
// partial date stands for the last day of its month or year wherever dates
// are compared, and is shown as written.
class Date {
 public:
  Date() = default;
  Date(int32_t last_day, DatePrecision precision) : last_day_(last_day), precision_(precision) {}
  // Nullopt unless `text` is a well-formed, existing date with a four-digit year.
  static std::optional<Date> Parse(std::string_view text);

  int32_t last_day() const { return last_day_; }    // the effective day
  int32_t first_day() const;                        // first day it may stand for
  DatePrecision precision() const { return precision_; }
  std::string ToString() const;                     // as written

  friend bool operator==(const Date& a, const Date& b) = default;
  // Effective day, then as written (`2025` < `2025-12` < `2025-12-31`).
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    if (auto c = a.last_day_ <=> b.last_day_; c != 0) return c;
    return a.precision_ <=> b.precision_;
  }

 private:
  int32_t last_day_ = 0;
  DatePrecision precision_ = DatePrecision::kDay;
};

}  // namespace docket

// `{}` prints Date::ToString(), as written.
template <>
struct fmt::formatter<docket::Date> : fmt::formatter<std::string_view> {
  auto format(const docket::Date& v, format_context& ctx) const {
    return formatter<std::string_view>::format(v.ToString(), ctx);
  }
};

namespace docket {

// ---------------------------------------------------------------- figures

// The largest count docket stores: 2^53 - 1, exact in a double.
inline constexpr uint64_t kMaxCount = (uint64_t{1} << 53) - 1;
// A count written as decimal digits `[0-9]+` (leading zeros allowed, any
// number of them), if it is at most kMaxCount: the one rule for `record`
// and CSV import.
std::optional<uint64_t> ParseCount(std::string_view digits);

enum class Bound : uint8_t { kExact, kAtLeast, kAtMost, kApprox };
std::string_view BoundSymbol(Bound bound);  // "=", ">=", "<=", "~"
std::optional<Bound> ParseBound(std::string_view symbol);

}  // namespace docket

// `{}` prints the bound's symbol: `=`, `>=`, `<=`, `~`.
template <>
struct fmt::formatter<docket::Bound> : fmt::formatter<std::string_view> {
  auto format(const docket::Bound& v, format_context& ctx) const {
    return formatter<std::string_view>::format(docket::BoundSymbol(v), ctx);
  }
};

namespace docket {

// A recorded count with its bound: `= 145`, `>= 28`, `<= 10`, `~ 36`.
struct Figure {
  Bound bound = Bound::kExact;
  uint64_t count = 0;
  friend bool operator==(const Figure&, const Figure&) = default;
  std::string ToString() const;  // "145", ">=28", "<=10", "~36"
};

}  // namespace docket

// `{}` prints Figure::ToString().
template <>
struct fmt::formatter<docket::Figure> : fmt::formatter<std::string_view> {
  auto format(const docket::Figure& v, format_context& ctx) const {
    return formatter<std::string_view>::format(v.ToString(), ctx);
  }
};

namespace docket {

// ---------------------------------------------------------------- names

// Field and CSV column names that cannot be label keys (spec §1).
bool IsReservedLabelKey(std::string_view key);
// The shapes of names; the language's reserved words are refused by query
// (lexicon.h: CanNameCharge), not here.
bool IsChargeName(std::string_view name);  // [a-z][a-z0-9_]*
bool IsSourceName(std::string_view name);  // [A-Za-z][A-Za-z0-9_]*
bool IsLabelKey(std::string_view key);     // [a-z][a-z0-9_]*, not reserved

// Sorted by key, keys unique, values non-empty.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A charge plus a set of labels.
struct SeriesKey {
  std::string charge;
  Labels labels;
  friend bool operator==(const SeriesKey&, const SeriesKey&) = default;
  // Canonical text: `espionage{citizenship="UA", region="X"}`; `"` and `\`
  // in values are escaped as in the language.
  std::string ToString() const;
};

}  // namespace docket

// `{}` prints SeriesKey::ToString(), the canonical text.
template <>
struct fmt::formatter<docket::SeriesKey> : fmt::formatter<std::string_view> {
  auto format(const docket::SeriesKey& v, format_context& ctx) const {
    return formatter<std::string_view>::format(v.ToString(), ctx);
  }
};

namespace docket {

// The offset of the first byte of `text` that is not valid UTF-8 or is a
// NUL (strings never hold one); npos if there is none.
size_t FindInvalidUtf8(std::string_view text);

// Quotes a string as a language string literal (`"a\"b"`).
std::string QuoteString(std::string_view s);

// ---------------------------------------------------------------- catalog

struct Charge {
  std::string name, title, article;
};

using SourceId = uint16_t;

struct Source {
  std::string name;
  SourceId id = 0;
  int64_t priority = 0;
  std::string title, url;
};

using SeriesId = uint32_t;

// ---------------------------------------------------------------- reports

// Identifies a report: (series, period, source, reported as written).
struct ReportKey {
  SeriesId series = 0;
  Period period;
  SourceId source = 0;
  Date reported;
  friend bool operator==(const ReportKey&, const ReportKey&) = default;
};

// What a `record` or `retract` did to its report (version_rules.h decides).
enum class WriteOutcome { kNew, kCorrection, kUnchanged };

// One version of a report. A retraction has no figure.
struct Version {
  ReportKey report;
  Micros recorded = 0;
  std::optional<Figure> figure;
  std::string note, url;

  bool is_retraction() const { return !figure.has_value(); }
  // Same content (bound, value, note, url); `record` writes only when not.
  bool SameContent(const Version& other) const {
    return figure == other.figure && note == other.note && url == other.url;
  }
};

// The two cutoffs of a read (spec §1 "Resolution"); nullopt: none.
struct Cutoffs {
  std::optional<int32_t> as_of_day;       // reports dated (effective day) after it do not count
  std::optional<Micros> recorded_as_of;   // versions recorded after it do not exist yet
};

}  // namespace docket
