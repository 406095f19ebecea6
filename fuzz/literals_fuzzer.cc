// The literal parsers of storage/types.h: Period::Parse, Date::Parse and
// ParseTimestamp on any text, and round trips both ways:
//   parse(text) = x   =>  parse(format(x)) == x
//   x built from the input's bytes  =>  parse(format(x)) == x
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "storage/types.h"

namespace {

using namespace docket;

void Require(bool condition) {
  if (!condition) std::abort();
}

// The first 8 bytes of the input as an integer (zero-padded).
uint64_t Word(const uint8_t* data, size_t size) {
  uint64_t v = 0;
  std::memcpy(&v, data, size < sizeof v ? size : sizeof v);
  return v;
}

void CheckPeriod(const Period& p) {
  Require(Period::Parse(p.ToString()) == p);
  Require(Period::FromSlot(p.year(), p.slot()) == p);
  Require(p.first_day() <= p.last_day());
  if (p.year() < 9999) Require(p.Next().Prev() == p && p < p.Next() && p.Next().ordinal() == p.ordinal() + 1);
  if (p.ordinal() > 0) Require(p.Prev().Next() == p && p.Prev() < p);
}

void CheckDate(const Date& d) {
  Require(Date::Parse(d.ToString()) == d);
  Require(d.first_day() <= d.last_day());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto p = Period::Parse(text)) {
    Require(p->ToString() == text);  // one spelling per period
    CheckPeriod(*p);
  }
  if (const auto d = Date::Parse(text)) {
    Require(d->ToString() == text);  // one spelling per date
    CheckDate(*d);
  }
  if (const auto t = ParseTimestamp(text)) Require(ParseTimestamp(FormatTimestamp(*t)) == t);

  // Values from the bytes, across the whole range the types allow.
  const uint64_t w = Word(data, size);
  if (const auto p = Period::FromSlot(static_cast<int>(w % 10000), static_cast<int>((w >> 16) % 19)))
    CheckPeriod(*p);
  const int32_t first = DaysFromCivil(0, 1, 1), last = DaysFromCivil(9999, 12, 31);
  const auto day = static_cast<int32_t>(first + static_cast<int64_t>(w % static_cast<uint64_t>(last - first + 1)));
  int y, m, dd;
  CivilFromDays(day, &y, &m, &dd);
  Require(DaysFromCivil(y, m, dd) == day);
  CheckDate(Date(day, DatePrecision::kDay));
  CheckDate(Date(DaysFromCivil(y, m, DaysInMonth(y, m)), DatePrecision::kMonth));
  CheckDate(Date(DaysFromCivil(y, 12, 31), DatePrecision::kYear));
  const Micros lo = int64_t{first} * kMicrosPerDay, hi = (int64_t{last} + 1) * kMicrosPerDay - 1;
  const Micros t = lo + static_cast<Micros>(w % static_cast<uint64_t>(hi - lo + 1));
  Require(ParseTimestamp(FormatTimestamp(t)) == t);
  return 0;
}
