// Values are intervals (spec §3): a closed interval [lo, hi] of real numbers,
// possibly unbounded on either side, with an "approximate" flag and a kind
// (count or ratio) that decides how it is displayed. No I/O.
#pragma once

#include <optional>
#include <string>

#include "storage/types.h"

namespace docket {

struct Interval {
  double lo = 0;        // -inf when unbounded below
  double hi = 0;        // +inf when unbounded above
  bool approx = false;  // any approximate input makes the result approximate
  bool ratio = false;   // false: a count (shown as an integer); true: a ratio (two decimals)

  // [v, v]; a ratio when `ratio` (decimal literals are ratios).
  static Interval Point(double v, bool ratio = false);
  // `= v` → [v, v]; `>= v` → [v, +inf]; `<= v` → [0, v]; `~ v` → [v, v] approximate.
  static Interval FromFigure(const Figure& figure);

  bool is_point() const { return lo == hi; }
  bool bounded_below() const;
  bool bounded_above() const;
};

// Interval arithmetic. The result is approximate if either side is, and a
// ratio if either side is. 0 × ±inf counts as 0.
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

// Three-valued comparison of every point of the interval against a threshold:
// kTrue if all points satisfy it, kFalse if none does, else kUnknown.
enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class Truth { kFalse, kUnknown, kTrue };
Truth Compare(const Interval& value, Cmp op, double threshold);
const char* CmpSymbol(Cmp op);  // "=", "!=", "<", "<=", ">", ">="

// True when two figures can both be right: their spans overlap, an
// approximate point ~v spanning [0.9v, 1.1v].
bool CanBothBeTrue(const Interval& a, const Interval& b);

// The `value` field (spec §3 "Display"): counts as integers, ratios with
// exactly two decimals: `145`, `>=28`, `<=4.03`, `~36`, `28..40`, `<=-52`,
// `?`, `~>=1.33`. An interval [0, v] with v > 0 reads `<=v`. Point values
// round half away from zero; bounds round outward.
std::string DisplayValue(const Interval& value);

// The `lo`/`hi` fields. Two decimals, rounded half away from zero (table,
// markdown): `145.00`, `4.03`.
std::string FormatFixed2(double v);
// The shortest decimal that reads back exactly; whole numbers without a
// fraction (csv, tsv, json, jsonl): `145`, `4.027777777777778`.
std::string FormatShortest(double v);

}  // namespace docket
