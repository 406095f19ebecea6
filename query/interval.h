// Values are intervals (spec §3): a closed interval [lo, hi] of exact
// rational numbers, possibly unbounded on either side, with an
// "approximate" flag and a kind (count or ratio) that decides how it is
// displayed. Arithmetic is exact, so no result overflows, loses digits or
// becomes NaN, and displayed bounds hold in exact terms. No I/O.
#pragma once

#include <fmt/format.h>
#include <gmpxx.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/types.h"

namespace docket {

// An end of an interval: an exact rational number, or -inf / +inf.
class Real {
 public:
  Real() = default;  // 0
  // Exactly the value of `v` (every finite double is a rational); ±inf as
  // itself. Requires: v is not NaN.
  Real(double v);  // NOLINT(google-explicit-constructor): 28, kInf read naturally
  static Real Integer(int64_t v);
  static Real Infinity(int sign);  // sign > 0: +inf, else -inf
  // A number as the grammar reads it, `-?[0-9]+(\.[0-9]+)?`, exactly (any
  // number of digits). Nullopt for any other text.
  static std::optional<Real> Decimal(std::string_view text);

  bool finite() const { return infinity_ == 0; }
  int sign() const { return infinity_ != 0 ? infinity_ : sgn(value_); }
  bool is_integer() const;
  // The nearest double (±inf beyond the double range): for charts only.
  double ToDouble() const;

  // Exact arithmetic. With infinities: 0 × ±inf = 0, x / ±inf = 0 and
  // ±inf / ±inf = 0 (interval.cc says why); x / 0 and +inf + -inf are never
  // asked for (Interval's operations rule them out).
  friend Real operator+(const Real& a, const Real& b);
  friend Real operator-(const Real& a, const Real& b);
  friend Real operator*(const Real& a, const Real& b);
  friend Real operator/(const Real& a, const Real& b);
  Real operator-() const;
  friend bool operator==(const Real& a, const Real& b);
  friend bool operator<(const Real& a, const Real& b);
  friend bool operator>(const Real& a, const Real& b) { return b < a; }
  friend bool operator<=(const Real& a, const Real& b) { return !(b < a); }
  friend bool operator>=(const Real& a, const Real& b) { return !(a < b); }

  // The finite value. Requires: finite().
  const mpq_class& value() const { return value_; }

 private:
  int infinity_ = 0;  // -1, +1 for ±inf; 0 for a finite value
  mpq_class value_;   // canonical (lowest terms); 0 when infinite
};

struct Interval {
  Real lo;              // -inf when unbounded below
  Real hi;              // +inf when unbounded above
  bool approx = false;  // any approximate input makes the result approximate
  bool ratio = false;   // false: a count (shown as an integer); true: a ratio (two decimals)

  // [v, v]; a ratio when `ratio` (decimal literals are ratios).
  static Interval Point(const Real& v, bool ratio = false);
  // `= v` → [v, v]; `>= v` → [v, +inf]; `<= v` → [0, v]; `~ v` → [v, v] approximate.
  static Interval FromFigure(const Figure& figure);

  bool is_point() const { return lo == hi; }
  bool bounded_below() const { return lo.finite(); }
  bool bounded_above() const { return hi.finite(); }
};

// Interval arithmetic, exact. The result is approximate if either side is,
// and a ratio if either side is. 0 × ±inf counts as 0. Unbounded sides stay
// unbounded: `>= 28 - >= 28` is `?`, never NaN.
Interval Add(const Interval& a, const Interval& b);
Interval Sub(const Interval& a, const Interval& b);
Interval Mul(const Interval& a, const Interval& b);
Interval Neg(const Interval& a);
// Always a ratio. Nullopt when `b` is exactly [0, 0] (the caller warns).
// A divisor that contains 0 gives an unbounded result: [a.lo / b.hi, +inf]
// for a >= 0 over [0, b.hi], (-inf, +inf) when nothing tighter holds.
std::optional<Interval> Div(const Interval& a, const Interval& b);

// The spec's functions on two figures (`from`, `to`).
std::optional<Interval> Growth(const Interval& from, const Interval& to);  // to / from
Interval Change(const Interval& from, const Interval& to);                 // to - from
std::optional<Interval> Pct(const Interval& from, const Interval& to);     // (to / from - 1) * 100

// Aggregates of two values: min and max work on each bound.
Interval MinOf(const Interval& a, const Interval& b);
Interval MaxOf(const Interval& a, const Interval& b);

// Three-valued comparison of every point of the interval against a threshold,
// in exact arithmetic: kTrue if all points satisfy it, kFalse if none does,
// else kUnknown.
enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class Truth { kFalse, kUnknown, kTrue };
Truth Compare(const Interval& value, Cmp op, const Real& threshold);
const char* CmpSymbol(Cmp op);  // "=", "!=", "<", "<=", ">", ">="

// True when two figures can both be right: their spans overlap, an
// approximate point ~v spanning [0.9v, 1.1v].
bool CanBothBeTrue(const Interval& a, const Interval& b);

// The `value` field (spec §3 "Display"): counts as integers, ratios with
// exactly two decimals: `145`, `>=28`, `<=4.03`, `~36`, `28..40`, `<=-52`,
// `?`, `~>=1.33`. An interval [0, v] with v > 0 reads `<=v`. Point values
// round half away from zero; bounds round outward, in exact arithmetic (a
// shown lower bound is <= lo, a shown upper bound >= hi). Integers print
// in full, however many digits.
std::string DisplayValue(const Interval& value);

}  // namespace docket

// `{}` prints DisplayValue(); width and alignment as for strings.
template <>
struct fmt::formatter<docket::Interval> : fmt::formatter<std::string_view> {
  auto format(const docket::Interval& v, format_context& ctx) const {
    return formatter<std::string_view>::format(docket::DisplayValue(v), ctx);
  }
};

namespace docket {

// The finite end `lo` or `hi` of `value` for people (table, markdown; spec
// §3 v1.1): whole for counts, two decimals for ratios, rounded as the
// value's own ends are (a point half away from zero, else lo down and hi
// up). Requires: that end is finite.
std::string ShowLo(const Interval& value);
std::string ShowHi(const Interval& value);

// The shortest decimal that reads back as the double nearest `v`, never in
// exponent form for whole numbers; integers exactly, in full (csv, tsv,
// json, jsonl; performance data): `145`, `4.027777777777778`,
// `9007199254740993`. Requires: v finite.
std::string FormatExact(const Real& v);

// For numbers that are doubles to begin with (cells built from a double):
// two decimals, rounded half away from zero (`145.00`, `4.03`), and the
// shortest decimal that reads back exactly (`145`, `4.027777777777778`).
// Requires: v finite.
std::string FormatFixed2(double v);
std::string FormatShortest(double v);

}  // namespace docket
