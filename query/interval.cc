#include "query/interval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>

namespace docket {

// ---------------------------------------------------------------- Real

namespace {

// Every integer below 2^53 in magnitude is a double; from 2^53 on every
// double is whole.
constexpr int64_t kTwoTo53 = int64_t{1} << 53;

// A finite value as n / d in machine integers, when |n| and d are below
// 2^53: most values (counts and their ratios) are, and then printing them
// needs no GMP arithmetic. Below 2^53 both convert to doubles exactly, and
// |n| * 200 + d still fits an int64.
struct SmallRational {
  int64_t n;
  int64_t d;  // > 0
};

std::optional<SmallRational> Small(const mpq_class& q) {
  if (!mpz_fits_slong_p(q.get_num_mpz_t()) || !mpz_fits_slong_p(q.get_den_mpz_t())) return std::nullopt;
  const int64_t n = mpz_get_si(q.get_num_mpz_t()), d = mpz_get_si(q.get_den_mpz_t());
  if (n <= -kTwoTo53 || n >= kTwoTo53 || d >= kTwoTo53) return std::nullopt;
  return SmallRational{n, d};
}

}  // namespace

Real::Real(double v) {
  if (std::isinf(v)) {
    infinity_ = v > 0 ? 1 : -1;
  } else {
    value_ = v;  // exact: GMP converts a double without rounding
  }
}

Real Real::Integer(int64_t v) {
  Real r;
  r.value_ = mpz_class(static_cast<long>(v));  // long is 64 bits on every platform docket builds on
  return r;
}

Real Real::Infinity(int sign) {
  Real r;
  r.infinity_ = sign > 0 ? 1 : -1;
  return r;
}

std::optional<Real> Real::Decimal(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || (dot != std::string_view::npos && !digits(fraction))) return std::nullopt;
  // whole.fraction = (whole fraction as one integer) / 10^(fraction digits)
  Real r;
  mpz_class numerator(std::string(whole) + std::string(fraction), 10);
  mpz_class denominator;
  mpz_ui_pow_ui(denominator.get_mpz_t(), 10, fraction.size());
  r.value_ = mpq_class(numerator, denominator);
  r.value_.canonicalize();
  if (negative) r.value_ = -r.value_;
  return r;
}

bool Real::is_integer() const { return finite() && value_.get_den() == 1; }

double Real::ToDouble() const {
  if (!finite()) return infinity_ * std::numeric_limits<double>::infinity();
  // Both exact as doubles, so the division rounds their exact quotient to
  // the nearest double; it is never a tie (a quotient halfway between two
  // doubles would need a power of two for d, and then it is exact).
  if (const auto q = Small(value_)) return static_cast<double>(q->n) / static_cast<double>(q->d);
  // mpq_get_d truncates toward zero; the nearest double is that or the next
  // one away from zero.
  const double truncated = value_.get_d();
  if (std::isinf(truncated) || truncated == value_) return truncated;
  const double away = std::nextafter(truncated, sgn(value_) > 0 ? std::numeric_limits<double>::infinity()
                                                                : -std::numeric_limits<double>::infinity());
  if (std::isinf(away)) return truncated;
  const mpq_class to_truncated = abs(value_ - mpq_class(truncated));
  const mpq_class to_away = abs(mpq_class(away) - value_);
  return to_away < to_truncated ? away : truncated;
}

Real operator+(const Real& a, const Real& b) {
  if (!a.finite()) return a;  // +inf + -inf is never asked for
  if (!b.finite()) return b;
  Real r;
  r.value_ = a.value_ + b.value_;
  return r;
}

Real operator-(const Real& a, const Real& b) { return a + -b; }

Real Real::operator-() const {
  Real r;
  r.infinity_ = -infinity_;
  r.value_ = -value_;
  return r;
}

Real operator*(const Real& a, const Real& b) {
  if (a.sign() == 0 || b.sign() == 0) return Real();  // 0 × ±inf counts as 0
  if (!a.finite() || !b.finite()) return Real::Infinity(a.sign() * b.sign());
  Real r;
  r.value_ = a.value_ * b.value_;
  return r;
}

Real operator/(const Real& a, const Real& b) {
  if (!b.finite()) return Real();  // x / ±inf = 0, and ±inf / ±inf counts as 0
  if (!a.finite()) return Real::Infinity(a.sign() * b.sign());
  Real r;
  r.value_ = a.value_ / b.value_;
  return r;
}

bool operator==(const Real& a, const Real& b) {
  return a.infinity_ == b.infinity_ && a.value_ == b.value_;
}

bool operator<(const Real& a, const Real& b) {
  if (a.infinity_ != b.infinity_) return a.infinity_ < b.infinity_;  // -inf < finite < +inf
  return a.finite() && a.value_ < b.value_;
}

namespace {

// ---------------------------------------------------------------- intervals

// Every interval built here has lo <= hi, lo < +inf and hi > -inf, so the
// sums and differences of bounds below never meet inf - inf.

Interval Make(Real lo, Real hi, bool approx, bool ratio) {
  return Interval{std::move(lo), std::move(hi), approx, ratio};
}

// The smallest interval holding all of `ends`.
Interval Hull(std::initializer_list<Real> ends, bool approx, bool ratio) {
  return Make(std::min(ends), std::max(ends), approx, ratio);
}

bool AnyApprox(const Interval& a, const Interval& b) { return a.approx || b.approx; }
bool AnyRatio(const Interval& a, const Interval& b) { return a.ratio || b.ratio; }

const Real kPlusInf = Real::Infinity(1);
const Real kMinusInf = Real::Infinity(-1);

// x / y for y != 0. Near the corner ±inf / ±inf the quotient takes every
// value in [0, +inf] (with a sign); the corner inf / finite already
// supplies the infinite end, so 0 is what it adds (Real's division).

// a / [0, d] with d > 0 (d may be +inf): as the divisor nears 0 the quotient
// runs off to +inf when a >= 0 and to -inf when a <= 0; otherwise to both.
Interval DivideByZeroToPositive(const Interval& a, const Real& d, bool approx) {
  if (a.lo >= Real()) return Make(a.lo / d, kPlusInf, approx, true);
  if (a.hi <= Real()) return Make(kMinusInf, a.hi / d, approx, true);
  return Make(kMinusInf, kPlusInf, approx, true);
}

// ---------------------------------------------------------------- display

// How a finite number is rounded to the last shown digit.
enum class Rounding { kHalfAway, kDown, kUp };

// A rounded value in shown units (ones, or hundredths for a ratio), printed.
std::string ShowUnits(int64_t units, bool ratio) {
  if (!ratio) return std::to_string(units);
  const uint64_t magnitude = units < 0 ? -static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  return fmt::format("{}{}.{:02}", units < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

// `v` rounded to a whole number (counts) or to hundredths (ratios), in
// exact arithmetic, printed: `145`, `-52`, `4.03`; never `-0`.
std::string Show(const Real& v, bool ratio, Rounding rounding) {
  if (const auto small = Small(v.value())) {
    const int64_t n = small->n * (ratio ? 100 : 1), d = small->d;
    int64_t units = n / d;  // toward zero
    const bool inexact = n % d != 0;
    switch (rounding) {
      case Rounding::kDown: units -= inexact && n < 0 ? 1 : 0; break;
      case Rounding::kUp: units += inexact && n > 0 ? 1 : 0; break;
      case Rounding::kHalfAway: {
        const int64_t magnitude = (2 * (n < 0 ? -n : n) + d) / (2 * d);
        units = n < 0 ? -magnitude : magnitude;
        break;
      }
    }
    return ShowUnits(units, ratio);
  }
  const mpq_class& q = v.value();
  const mpz_class scaled_numerator = q.get_num() * (ratio ? 100 : 1);
  const mpz_class& denominator = q.get_den();  // > 0
  mpz_class units;                             // the result in shown units
  switch (rounding) {
    case Rounding::kDown: mpz_fdiv_q(units.get_mpz_t(), scaled_numerator.get_mpz_t(), denominator.get_mpz_t()); break;
    case Rounding::kUp: mpz_cdiv_q(units.get_mpz_t(), scaled_numerator.get_mpz_t(), denominator.get_mpz_t()); break;
    case Rounding::kHalfAway: {
      // |x| rounded half up is floor((2|n| + d) / 2d); the sign comes back after.
      const mpz_class twice = 2 * abs(scaled_numerator) + denominator;
      const mpz_class doubled_denominator = 2 * denominator;
      mpz_fdiv_q(units.get_mpz_t(), twice.get_mpz_t(), doubled_denominator.get_mpz_t());
      if (sgn(scaled_numerator) < 0) units = -units;
      break;
    }
  }
  if (!ratio) return units.get_str();
  const mpz_class magnitude = abs(units);
  const mpz_class whole = magnitude / 100, cents = magnitude % 100;
  return fmt::format("{}{}.{:02}", sgn(units) < 0 ? "-" : "", whole.get_str(), cents.get_ui());
}

// fmt's shortest form of a double, `4e-14` or `1.5e-07` rewritten without the
// exponent (`0.00000000000004`, `0.00000015`); text without one is kept.
std::string PositionalNotation(const std::string& shortest) {
  const size_t e = shortest.find('e');
  if (e == std::string::npos) return shortest;
  const bool negative = shortest.front() == '-';
  std::string digits;  // the significant digits, without sign or point
  for (size_t i = negative ? 1 : 0; i < e; ++i)
    if (shortest[i] != '.') digits += shortest[i];
  // value = 0.DIGITS × 10^point
  const int point = std::stoi(shortest.substr(e + 1)) + 1;
  std::string text = negative ? "-" : "";
  if (point <= 0) {
    text += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    text += digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    text += digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  }
  return text;
}

std::string ShowPoint(const Real& v, bool ratio) { return Show(v, ratio, Rounding::kHalfAway); }
std::string ShowLowerBound(const Real& lo, bool ratio) { return Show(lo, ratio, Rounding::kDown); }
std::string ShowUpperBound(const Real& hi, bool ratio) { return Show(hi, ratio, Rounding::kUp); }

// DisplayValue without the `~`.
std::string ShowBounds(const Interval& v) {
  if (v.is_point()) return ShowPoint(v.lo, v.ratio);
  if (!v.bounded_below() && !v.bounded_above()) return "?";
  if (!v.bounded_above()) return ">=" + ShowLowerBound(v.lo, v.ratio);
  // Counts are never negative, so [0, v] reads "at most v".
  if (!v.bounded_below() || v.lo == Real()) return "<=" + ShowUpperBound(v.hi, v.ratio);
  return ShowLowerBound(v.lo, v.ratio) + ".." + ShowUpperBound(v.hi, v.ratio);
}

// The span a figure may stand for: its interval, widened to [0.9v, 1.1v] for
// an approximate point ~v.
Interval Span(const Interval& v) {
  if (!v.approx || !v.is_point()) return v;
  const Real ten = Real::Integer(10);
  return Hull({v.lo * Real::Integer(9) / ten, v.lo * Real::Integer(11) / ten}, v.approx, v.ratio);
}

}  // namespace

Interval Interval::Point(const Real& v, bool ratio) { return Make(v, v, false, ratio); }

Interval Interval::FromFigure(const Figure& figure) {
  const Real v = Real::Integer(static_cast<int64_t>(figure.count));  // count <= 2^53 - 1
  switch (figure.bound) {
    case Bound::kExact: return Make(v, v, false, false);
    case Bound::kAtLeast: return Make(v, kPlusInf, false, false);
    case Bound::kAtMost: return Make(Real(), v, false, false);
    case Bound::kApprox: return Make(v, v, true, false);
  }
  return Make(v, v, false, false);  // unreachable: every Bound is handled above
}

Interval Add(const Interval& a, const Interval& b) {
  return Make(a.lo + b.lo, a.hi + b.hi, AnyApprox(a, b), AnyRatio(a, b));
}

Interval Sub(const Interval& a, const Interval& b) {
  return Make(a.lo - b.hi, a.hi - b.lo, AnyApprox(a, b), AnyRatio(a, b));
}

Interval Mul(const Interval& a, const Interval& b) {
  return Hull({a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi}, AnyApprox(a, b), AnyRatio(a, b));
}

Interval Neg(const Interval& a) { return Make(-a.hi, -a.lo, a.approx, a.ratio); }

std::optional<Interval> Div(const Interval& a, const Interval& b) {
  const bool approx = AnyApprox(a, b);
  const Real zero;
  if (b.lo == zero && b.hi == zero) return std::nullopt;
  if (b.lo > zero || b.hi < zero) {
    return Hull({a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi}, approx, true);
  }
  if (b.lo == zero) return DivideByZeroToPositive(a, b.hi, approx);
  // a / [c, 0] = -(a / [0, -c]).
  if (b.hi == zero) return Neg(DivideByZeroToPositive(a, -b.lo, approx));
  return Make(kMinusInf, kPlusInf, approx, true);  // the divisor straddles 0
}

std::optional<Interval> Growth(const Interval& from, const Interval& to) { return Div(to, from); }

Interval Change(const Interval& from, const Interval& to) { return Sub(to, from); }

std::optional<Interval> Pct(const Interval& from, const Interval& to) {
  const std::optional<Interval> growth = Growth(from, to);
  if (!growth) return std::nullopt;
  return Mul(Sub(*growth, Interval::Point(1)), Interval::Point(100));
}

Interval MinOf(const Interval& a, const Interval& b) {
  return Make(std::min(a.lo, b.lo), std::min(a.hi, b.hi), AnyApprox(a, b), AnyRatio(a, b));
}

Interval MaxOf(const Interval& a, const Interval& b) {
  return Make(std::max(a.lo, b.lo), std::max(a.hi, b.hi), AnyApprox(a, b), AnyRatio(a, b));
}

Truth Compare(const Interval& value, Cmp op, const Real& threshold) {
  const auto decide = [](bool all, bool none) {
    return all ? Truth::kTrue : none ? Truth::kFalse : Truth::kUnknown;
  };
  const Real &lo = value.lo, &hi = value.hi, &n = threshold;
  switch (op) {
    case Cmp::kEq: return decide(lo == n && hi == n, n < lo || n > hi);
    case Cmp::kNe: return decide(n < lo || n > hi, lo == n && hi == n);
    case Cmp::kLt: return decide(hi < n, lo >= n);
    case Cmp::kLe: return decide(hi <= n, lo > n);
    case Cmp::kGt: return decide(lo > n, hi <= n);
    case Cmp::kGe: return decide(lo >= n, hi < n);
  }
  return Truth::kUnknown;  // unreachable: every Cmp is handled above
}

const char* CmpSymbol(Cmp op) {
  switch (op) {
    case Cmp::kEq: return "=";
    case Cmp::kNe: return "!=";
    case Cmp::kLt: return "<";
    case Cmp::kLe: return "<=";
    case Cmp::kGt: return ">";
    case Cmp::kGe: return ">=";
  }
  return "?";  // unreachable: every Cmp is handled above
}

bool CanBothBeTrue(const Interval& a, const Interval& b) {
  const Interval x = Span(a), y = Span(b);
  return x.lo <= y.hi && y.lo <= x.hi;
}

std::string DisplayValue(const Interval& value) {
  std::string text = value.approx ? "~" : "";
  text += ShowBounds(value);
  return text;
}

std::string ShowLo(const Interval& value) {
  return value.is_point() ? ShowPoint(value.lo, value.ratio) : ShowLowerBound(value.lo, value.ratio);
}

std::string ShowHi(const Interval& value) {
  return value.is_point() ? ShowPoint(value.hi, value.ratio) : ShowUpperBound(value.hi, value.ratio);
}

std::string FormatExact(const Real& v) {
  if (!v.finite()) return {};  // never asked for: unbounded ends print as null
  if (v.is_integer()) {
    if (const auto small = Small(v.value())) return std::to_string(small->n);
    return v.value().get_num().get_str();
  }
  const double nearest = v.ToDouble();
  // From 2^53 on every double is whole: print the nearest whole number in
  // full (fmt's shortest form would use an exponent, or `inf`).
  if (std::abs(nearest) >= static_cast<double>(kTwoTo53)) return Show(v, /*ratio=*/false, Rounding::kHalfAway);
  return PositionalNotation(fmt::format("{}", nearest));
}

std::string FormatFixed2(double v) {
  if (!std::isfinite(v)) return {};
  return ShowPoint(Real(v), /*ratio=*/true);
}

std::string FormatShortest(double v) {
  if (!std::isfinite(v)) return {};
  return FormatExact(Real(v));
}

}  // namespace docket
