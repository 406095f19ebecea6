#include "query/interval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

namespace docket {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Every interval built here has lo <= hi, lo < +inf and hi > -inf, so the
// sums and differences of bounds below never meet inf - inf.

// +0 for -0, so no result ever prints as `-0`.
double NoNegativeZero(double v) { return v == 0 ? 0.0 : v; }

Interval Make(double lo, double hi, bool approx, bool ratio) {
  return Interval{NoNegativeZero(lo), NoNegativeZero(hi), approx, ratio};
}

// The smallest interval holding all of `ends`.
Interval Hull(std::initializer_list<double> ends, bool approx, bool ratio) {
  return Make(std::min(ends), std::max(ends), approx, ratio);
}

bool AnyApprox(const Interval& a, const Interval& b) { return a.approx || b.approx; }
bool AnyRatio(const Interval& a, const Interval& b) { return a.ratio || b.ratio; }

// x * y, where 0 × ±inf counts as 0.
double Product(double x, double y) { return x == 0 || y == 0 ? 0.0 : x * y; }

// x / y for y != 0, where ±inf / ±inf counts as 0. Near that corner the
// quotient takes every value in [0, +inf] (with a sign); the corner
// inf / finite already supplies the infinite end, so 0 is what it adds.
double Quotient(double x, double y) { return std::isinf(x) && std::isinf(y) ? 0.0 : x / y; }

// a / [0, d] with d > 0 (d may be +inf): as the divisor nears 0 the quotient
// runs off to +inf when a >= 0 and to -inf when a <= 0; otherwise to both.
Interval DivideByZeroToPositive(const Interval& a, double d, bool approx) {
  if (a.lo >= 0) return Make(a.lo / d, kInf, approx, true);
  if (a.hi <= 0) return Make(-kInf, a.hi / d, approx, true);
  return Make(-kInf, kInf, approx, true);
}

// ---------------------------------------------------------------- display

// Values are rounded in units of their last shown digit: hundredths for
// ratios, ones for counts.
double Scale(bool ratio) { return ratio ? 100.0 : 1.0; }

// A scaled value this close to a rounding boundary counts as on it: one part
// in 10^9 of its magnitude (at least 10^-9, at most 10^-6 absolute). Decimals
// and quotients are stored a few ULPs off (2.675 → 2.67499999…, 1.005 × 100 →
// 100.49999999999999) and `pct`'s subtraction of 1 magnifies that error, yet
// stays far below one part in 10^9. The 10^-6 cap keeps the slack far under
// half a unit for large values (at 10^9 it is eight ULPs, above that fewer).
constexpr double kRelativeSlack = 1e-9;
constexpr double kMaxSlack = 1e-6;

double Slack(double scaled) {
  return std::min(kRelativeSlack * std::max(1.0, std::abs(scaled)), kMaxSlack);
}

// The nearest integer to `scaled`, halves away from zero.
double RoundHalfAway(double scaled) {
  const double half = std::floor(scaled) + 0.5;  // between floor and floor + 1
  if (std::abs(scaled - half) <= Slack(scaled)) return half > 0 ? half + 0.5 : half - 0.5;
  return std::round(scaled);
}

// The largest integer <= `scaled`, taking a value within the slack of an
// integer as that integer (so 28.999999999999996 gives 29).
double RoundDown(double scaled) {
  const double nearest = std::round(scaled);
  return std::abs(scaled - nearest) <= Slack(scaled) ? nearest : std::floor(scaled);
}

// The smallest integer >= `scaled`, with the same slack as RoundDown.
double RoundUp(double scaled) {
  const double nearest = std::round(scaled);
  return std::abs(scaled - nearest) <= Slack(scaled) ? nearest : std::ceil(scaled);
}

// Prints an integral scaled value: `145` for counts, `4.03` for ratios.
std::string FormatScaled(double scaled, bool ratio) {
  scaled = NoNegativeZero(scaled);
  return ratio ? fmt::format("{:.2f}", scaled / 100) : fmt::format("{:.0f}", scaled);
}

std::string ShowPoint(double v, bool ratio) {
  return FormatScaled(RoundHalfAway(v * Scale(ratio)), ratio);
}
std::string ShowLowerBound(double lo, bool ratio) {
  return FormatScaled(RoundDown(lo * Scale(ratio)), ratio);
}
std::string ShowUpperBound(double hi, bool ratio) {
  return FormatScaled(RoundUp(hi * Scale(ratio)), ratio);
}

// DisplayValue without the `~`.
std::string ShowBounds(const Interval& v) {
  if (v.is_point()) return ShowPoint(v.lo, v.ratio);
  if (!v.bounded_below() && !v.bounded_above()) return "?";
  if (!v.bounded_above()) return ">=" + ShowLowerBound(v.lo, v.ratio);
  // Counts are never negative, so [0, v] reads "at most v".
  if (!v.bounded_below() || v.lo == 0) return "<=" + ShowUpperBound(v.hi, v.ratio);
  return ShowLowerBound(v.lo, v.ratio) + ".." + ShowUpperBound(v.hi, v.ratio);
}

// The span a figure may stand for: its interval, widened to [0.9v, 1.1v] for
// an approximate point ~v. Computed as v × 9 / 10 so the bounds of integral
// counts are the correctly rounded decimals (36 → 32.4, 39.6).
Interval Span(const Interval& v) {
  if (!v.approx || !v.is_point()) return v;
  return Hull({v.lo * 9 / 10, v.lo * 11 / 10}, v.approx, v.ratio);
}

}  // namespace

Interval Interval::Point(double v, bool ratio) { return Make(v, v, false, ratio); }

Interval Interval::FromFigure(const Figure& figure) {
  const double v = static_cast<double>(figure.count);
  switch (figure.bound) {
    case Bound::kExact: return Make(v, v, false, false);
    case Bound::kAtLeast: return Make(v, kInf, false, false);
    case Bound::kAtMost: return Make(0, v, false, false);
    case Bound::kApprox: return Make(v, v, true, false);
  }
  return Make(v, v, false, false);  // unreachable: every Bound is handled above
}

bool Interval::bounded_below() const { return lo > -kInf; }
bool Interval::bounded_above() const { return hi < kInf; }

Interval Add(const Interval& a, const Interval& b) {
  return Make(a.lo + b.lo, a.hi + b.hi, AnyApprox(a, b), AnyRatio(a, b));
}

Interval Sub(const Interval& a, const Interval& b) {
  return Make(a.lo - b.hi, a.hi - b.lo, AnyApprox(a, b), AnyRatio(a, b));
}

Interval Mul(const Interval& a, const Interval& b) {
  return Hull({Product(a.lo, b.lo), Product(a.lo, b.hi), Product(a.hi, b.lo), Product(a.hi, b.hi)},
              AnyApprox(a, b), AnyRatio(a, b));
}

Interval Neg(const Interval& a) { return Make(-a.hi, -a.lo, a.approx, a.ratio); }

std::optional<Interval> Div(const Interval& a, const Interval& b) {
  const bool approx = AnyApprox(a, b);
  if (b.lo == 0 && b.hi == 0) return std::nullopt;
  if (b.lo > 0 || b.hi < 0) {
    return Hull({Quotient(a.lo, b.lo), Quotient(a.lo, b.hi), Quotient(a.hi, b.lo),
                 Quotient(a.hi, b.hi)},
                approx, true);
  }
  if (b.lo == 0) return DivideByZeroToPositive(a, b.hi, approx);
  // a / [c, 0] = -(a / [0, -c]).
  if (b.hi == 0) return Neg(DivideByZeroToPositive(a, -b.lo, approx));
  return Make(-kInf, kInf, approx, true);  // the divisor straddles 0
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

Truth Compare(const Interval& value, Cmp op, double threshold) {
  const auto decide = [](bool all, bool none) {
    return all ? Truth::kTrue : none ? Truth::kFalse : Truth::kUnknown;
  };
  const double lo = value.lo, hi = value.hi, n = threshold;
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

std::string FormatFixed2(double v) {
  if (!std::isfinite(v)) return fmt::format("{}", v);  // `inf`, `-inf`, `nan`
  return ShowPoint(v, /*ratio=*/true);
}

std::string FormatShortest(double v) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  // fmt's shortest form writes large whole numbers with an exponent (1e+17).
  if (std::trunc(v) == v && std::abs(v) < kTwoTo63) {
    return fmt::format("{}", static_cast<int64_t>(v));
  }
  return fmt::format("{}", v);  // shortest round trip; `inf`, `-inf`, `nan`
}

}  // namespace docket
