#include "storage/types.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace docket {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; -1 if they are not all digits.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Writes `v`, 0 <= v < 10^width, as exactly `width` digits at `p` and
// returns the end. The fixed fields of dates and timestamps: through fmt's
// padded fields they cost a seventh of a `revisions` query.
char* PutFixed(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  return p + width;
}

// Writes a year as `{:04}` would: four digits, or as many as a day read
// from a corrupt key takes (at most 8). Returns the end.
char* PutYear(char* p, int y) {
  if (y >= 0 && y <= 9999) return PutFixed(p, y, 4);
  return fmt::format_to(p, FMT_COMPILE("{:04}"), y);
}

// Display order of the 18 sub-year periods after the year itself.
struct SlotEntry {
  Grain grain;
  int index;
};
constexpr std::array<SlotEntry, 19> kSlots = {{
    {Grain::kYear, 1},    {Grain::kHalf, 1},     {Grain::kQuarter, 1}, {Grain::kMonth, 1},
    {Grain::kMonth, 2},   {Grain::kMonth, 3},    {Grain::kQuarter, 2}, {Grain::kMonth, 4},
    {Grain::kMonth, 5},   {Grain::kMonth, 6},    {Grain::kHalf, 2},    {Grain::kQuarter, 3},
    {Grain::kMonth, 7},   {Grain::kMonth, 8},    {Grain::kMonth, 9},   {Grain::kQuarter, 4},
    {Grain::kMonth, 10},  {Grain::kMonth, 11},   {Grain::kMonth, 12},
}};

int PeriodsPerYear(Grain g) {
  switch (g) {
    case Grain::kYear: return 1;
    case Grain::kHalf: return 2;
    case Grain::kQuarter: return 4;
    case Grain::kMonth: return 12;
  }
  return 1;
}

int MonthsPer(Grain g) { return 12 / PeriodsPerYear(g); }

constexpr std::array<std::string_view, 14> kReservedLabelKeys = {
    "charge", "series", "period", "value", "bound",  "lo",   "hi",
    "approx", "source", "reported", "recorded", "status", "note", "url"};

bool IsLowerIdent(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_';
  });
}

}  // namespace

// ---------------------------------------------------------------- calendar

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int32_t z, int* year, int* month, int* day) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (*month <= 2);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<Micros> ParseTimestamp(std::string_view s) {
  // YYYY-MM-DDThh:mm
  const int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  const int h = Digits(s, 11, 2), mi = Digits(s, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s[4] != '-' || s[7] != '-' ||
      s[10] != 'T' || s[13] != ':')
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59)
    return std::nullopt;
  size_t pos = 16;
  int sec = 0;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == ':') {
    sec = Digits(s, pos + 1, 2);
    if (sec < 0 || sec > 59) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int n = 0;
      while (pos < s.size() && IsDigit(s[pos])) {
        if (++n > 6) return std::nullopt;
        frac = frac * 10 + (s[pos++] - '0');
      }
      if (n == 0) return std::nullopt;
      for (; n < 6; ++n) frac *= 10;
    }
  }
  int64_t offset_minutes = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || s[pos + 3] != ':' || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t seconds = int64_t{DaysFromCivil(y, mo, d)} * 86400 + h * 3600 + mi * 60 + sec -
                          offset_minutes * 60;
  const Micros t = seconds * 1'000'000 + frac;
  // An offset may carry the time out of the years FormatTimestamp can write.
  const Micros first = int64_t{DaysFromCivil(0, 1, 1)} * kMicrosPerDay;
  const Micros last = (int64_t{DaysFromCivil(9999, 12, 31)} + 1) * kMicrosPerDay - 1;
  if (t < first || t > last) return std::nullopt;
  return t;
}

std::string FormatTimestamp(Micros t) {
  int64_t days = t / kMicrosPerDay;
  int64_t rest = t % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  int y, m, d;
  CivilFromDays(static_cast<int32_t>(days), &y, &m, &d);
  const int64_t secs = rest / 1'000'000;
  char buf[40];  // YYYY-MM-DDTHH:MM:SS.ffffffZ, or a longer year
  char* p = PutYear(buf, y);
  *p++ = '-';
  p = PutFixed(p, m, 2);
  *p++ = '-';
  p = PutFixed(p, d, 2);
  *p++ = 'T';
  p = PutFixed(p, secs / 3600, 2);
  *p++ = ':';
  p = PutFixed(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = PutFixed(p, secs % 60, 2);
  *p++ = '.';
  p = PutFixed(p, rest % 1'000'000, 6);
  *p++ = 'Z';
  return std::string(buf, p);
}

// ---------------------------------------------------------------- periods

Period::Period(int year, Grain grain, int index)
    : year_(static_cast<uint16_t>(year)), grain_(grain), index_(static_cast<uint8_t>(index)) {
  assert(year >= 0 && year <= 9999);
  assert(index >= 1 && index <= PeriodsPerYear(grain));
}

std::optional<Period> Period::Parse(std::string_view s) {
  const int y = Digits(s, 0, 4);
  if (y < 0) return std::nullopt;
  if (s.size() == 4) return Period(y, Grain::kYear, 1);
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  if (s[5] == 'H' && (s[6] == '1' || s[6] == '2')) return Period(y, Grain::kHalf, s[6] - '0');
  if (s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') return Period(y, Grain::kQuarter, s[6] - '0');
  const int m = Digits(s, 5, 2);
  if (m >= 1 && m <= 12) return Period(y, Grain::kMonth, m);
  return std::nullopt;
}

std::string_view GrainName(Grain grain) {
  switch (grain) {
    case Grain::kYear: return "year";
    case Grain::kHalf: return "half";
    case Grain::kQuarter: return "quarter";
    case Grain::kMonth: return "month";
  }
  return "year";
}

std::string Period::ToString() const {
  switch (grain_) {
    case Grain::kYear: return fmt::format(FMT_COMPILE("{:04}"), year_);
    case Grain::kHalf: return fmt::format(FMT_COMPILE("{:04}-H{}"), year_, index_);
    case Grain::kQuarter: return fmt::format(FMT_COMPILE("{:04}-Q{}"), year_, index_);
    case Grain::kMonth: return fmt::format(FMT_COMPILE("{:04}-{:02}"), year_, index_);
  }
  return {};
}

int Period::slot() const {
  switch (grain_) {
    case Grain::kYear: return 0;
    case Grain::kHalf: return index_ == 1 ? 1 : 10;
    case Grain::kQuarter: return 2 + (index_ - 1) * 4 + (index_ >= 3 ? 1 : 0);
    case Grain::kMonth: {
      const int q = (index_ - 1) / 3 + 1;
      return Period(year_, Grain::kQuarter, q).slot() + 1 + (index_ - 1) % 3;
    }
  }
  return 0;
}

std::optional<Period> Period::FromSlot(int year, int slot) {
  if (slot < 0 || slot >= static_cast<int>(kSlots.size()) || year < 0 || year > 9999)
    return std::nullopt;
  return Period(year, kSlots[static_cast<size_t>(slot)].grain, kSlots[static_cast<size_t>(slot)].index);
}

int64_t Period::ordinal() const {
  return int64_t{year_} * PeriodsPerYear(grain_) + (index_ - 1);
}

Period Period::Prev() const {
  const int n = PeriodsPerYear(grain_);
  return index_ > 1 ? Period(year_, grain_, index_ - 1) : Period(year_ - 1, grain_, n);
}

Period Period::Next() const {
  const int n = PeriodsPerYear(grain_);
  return index_ < n ? Period(year_, grain_, index_ + 1) : Period(year_ + 1, grain_, 1);
}

int32_t Period::first_day() const {
  const int first_month = (index_ - 1) * MonthsPer(grain_) + 1;
  return DaysFromCivil(year_, first_month, 1);
}

int32_t Period::last_day() const {
  const int last_month = index_ * MonthsPer(grain_);
  return DaysFromCivil(year_, last_month, DaysInMonth(year_, last_month));
}

// ---------------------------------------------------------------- dates

std::optional<Date> Date::Parse(std::string_view s) {
  const int y = Digits(s, 0, 4);
  if (y < 0) return std::nullopt;
  if (s.size() == 4) return Date(DaysFromCivil(y, 12, 31), DatePrecision::kYear);
  if (s[4] != '-') return std::nullopt;
  const int m = Digits(s, 5, 2);
  if (m < 1 || m > 12) return std::nullopt;
  if (s.size() == 7) return Date(DaysFromCivil(y, m, DaysInMonth(y, m)), DatePrecision::kMonth);
  if (s.size() != 10 || s[7] != '-') return std::nullopt;
  const int d = Digits(s, 8, 2);
  if (d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Date(DaysFromCivil(y, m, d), DatePrecision::kDay);
}

int32_t Date::first_day() const {
  int y, m, d;
  CivilFromDays(last_day_, &y, &m, &d);
  switch (precision_) {
    case DatePrecision::kYear: return DaysFromCivil(y, 1, 1);
    case DatePrecision::kMonth: return DaysFromCivil(y, m, 1);
    case DatePrecision::kDay: return last_day_;
  }
  return last_day_;
}

std::string_view PrecisionName(DatePrecision precision) {
  switch (precision) {
    case DatePrecision::kYear: return "year";
    case DatePrecision::kMonth: return "month";
    case DatePrecision::kDay: return "day";
  }
  return "day";
}

std::string Date::ToString() const {
  int y, m, d;
  CivilFromDays(last_day_, &y, &m, &d);
  char buf[20];  // YYYY-MM-DD, or a longer year
  char* p = PutYear(buf, y);
  if (precision_ != DatePrecision::kYear) {
    *p++ = '-';
    p = PutFixed(p, m, 2);
  }
  if (precision_ == DatePrecision::kDay) {
    *p++ = '-';
    p = PutFixed(p, d, 2);
  }
  return std::string(buf, p);
}

// ---------------------------------------------------------------- figures

std::string_view BoundSymbol(Bound bound) {
  switch (bound) {
    case Bound::kExact: return "=";
    case Bound::kAtLeast: return ">=";
    case Bound::kAtMost: return "<=";
    case Bound::kApprox: return "~";
  }
  return "=";
}

std::optional<Bound> ParseBound(std::string_view s) {
  if (s == "=") return Bound::kExact;
  if (s == ">=") return Bound::kAtLeast;
  if (s == "<=") return Bound::kAtMost;
  if (s == "~") return Bound::kApprox;
  return std::nullopt;
}

std::optional<uint64_t> ParseCount(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t count = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    count = count * 10 + static_cast<uint64_t>(c - '0');
    if (count > kMaxCount) return std::nullopt;  // before it can overflow
  }
  return count;
}

std::string Figure::ToString() const {
  return bound == Bound::kExact ? fmt::format("{}", count)
                                : fmt::format("{}{}", BoundSymbol(bound), count);
}

// ---------------------------------------------------------------- names

bool IsReservedLabelKey(std::string_view key) {
  return std::find(kReservedLabelKeys.begin(), kReservedLabelKeys.end(), key) !=
         kReservedLabelKeys.end();
}

bool IsChargeName(std::string_view name) { return IsLowerIdent(name); }

bool IsSourceName(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
    return false;
  const bool ident = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
  });
  return ident;
}

bool IsLabelKey(std::string_view key) { return IsLowerIdent(key) && !IsReservedLabelKey(key); }

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string SeriesKey::ToString() const {
  if (labels.empty()) return charge;
  std::string out = charge + "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i].first;
    out += '=';
    out += QuoteString(labels[i].second);
  }
  out += '}';
  return out;
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    size_t len;
    uint32_t cp;
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      // Then eight bytes at a time while none is 0 or has its high bit set.
      constexpr uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
      uint64_t word;
      while (i + 8 <= n && (std::memcpy(&word, s + i, 8), ((word | ((word - kOnes) & ~word)) & kHighs) == 0))
        i += 8;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace docket
