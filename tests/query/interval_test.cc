#include "query/interval.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "query/query.h"

namespace docket {

// gtest prints a Real as its exact value.
void PrintTo(const Real& v, std::ostream* os) {
  *os << (v.finite() ? v.value().get_str() : v.sign() > 0 ? "+inf" : "-inf");
}

namespace {

// Every expected value below is worked out by hand from spec §3 and the
// contract in query/interval.h; the comments show the working.

constexpr double kInf = std::numeric_limits<double>::infinity();

Interval Count(Real lo, Real hi) { return Interval{std::move(lo), std::move(hi), false, false}; }
Interval Ratio(Real lo, Real hi) { return Interval{std::move(lo), std::move(hi), false, true}; }
Interval Exact(Real v) { return Count(v, v); }
Interval Approx(Interval v) {
  v.approx = true;
  return v;
}
Interval Figured(Bound bound, uint64_t count) { return Interval::FromFigure(Figure{bound, count}); }
// The exact fraction n / d, and the exact decimal a literal reads.
Real Q(int64_t n, int64_t d) { return Real::Integer(n) / Real::Integer(d); }
Real D(std::string_view decimal) { return *Real::Decimal(decimal); }

// An interval and the texts ShowLo and ShowHi give for it (hi is not
// asked of an interval unbounded above).
struct ShownEnds {
  const char* what;
  Interval value;
  const char* lo;
  const char* hi;
};
void ExpectShownEnds(std::initializer_list<ShownEnds> cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(ShowLo(c.value), c.lo);
    if (c.value.bounded_above()) {
      EXPECT_EQ(ShowHi(c.value), c.hi);
    }
  }
}

// Bounds are exact: they must match the hand-worked fraction exactly.
void ExpectInterval(const Interval& actual, const Interval& expected) {
  EXPECT_EQ(actual.lo, expected.lo) << "lo";
  EXPECT_EQ(actual.hi, expected.hi) << "hi";
  EXPECT_EQ(actual.approx, expected.approx) << "approx";
  EXPECT_EQ(actual.ratio, expected.ratio) << "ratio";
}

void ExpectInterval(const std::optional<Interval>& actual, const Interval& expected) {
  ASSERT_TRUE(actual.has_value());
  ExpectInterval(*actual, expected);
}

const char* Name(Truth truth) {
  switch (truth) {
    case Truth::kFalse: return "false";
    case Truth::kUnknown: return "unknown";
    case Truth::kTrue: return "true";
  }
  return "invalid";
}

// An operation of two intervals and the result expected of it.
struct BinaryCase {
  const char* what;
  Interval a, b;
  Interval expected;
};

struct DisplayCase {
  const char* what;
  Interval value;
  const char* expected;
};

void ExpectDisplays(const DisplayCase* begin, const DisplayCase* end) {
  for (const DisplayCase* c = begin; c != end; ++c) {
    EXPECT_EQ(DisplayValue(c->value), c->expected) << c->what;
  }
}

// ---------------------------------------------------------------- construction

TEST(IntervalTest, FromFigureMapsEachBoundToItsInterval) {
  const struct {
    Figure figure;
    Interval expected;
  } cases[] = {
      {{Bound::kExact, 145}, Exact(145)},
      {{Bound::kAtLeast, 28}, Count(28, kInf)},
      {{Bound::kAtMost, 10}, Count(0, 10)},  // counts are never negative
      {{Bound::kApprox, 36}, Approx(Exact(36))},
      {{Bound::kExact, 0}, Exact(0)},
      {{Bound::kAtMost, 0}, Exact(0)},
      {{Bound::kExact, kMaxCount}, Exact(9007199254740991.0)},  // 2^53 - 1, exact
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.figure.ToString());
    ExpectInterval(Interval::FromFigure(c.figure), c.expected);
  }
}

TEST(IntervalTest, PointIsACountUnlessMarkedRatio) {
  ExpectInterval(Interval::Point(4), Exact(4));
  ExpectInterval(Interval::Point(1.5, /*ratio=*/true), Ratio(1.5, 1.5));
}

TEST(IntervalTest, BoundedSidesAreTheFiniteOnes) {
  const struct {
    Interval value;
    bool below, above;
  } cases[] = {
      {Exact(145), true, true},
      {Count(28, kInf), true, false},
      {Count(-kInf, -52), false, true},
      {Count(-kInf, kInf), false, false},
      {Count(0, 10), true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(DisplayValue(c.value));
    EXPECT_EQ(c.value.bounded_below(), c.below);
    EXPECT_EQ(c.value.bounded_above(), c.above);
  }
}

// ---------------------------------------------------------------- arithmetic

TEST(IntervalTest, AddSumsLowsAndHighs) {
  const BinaryCase cases[] = {
      {"145 + 39", Exact(145), Exact(39), Exact(184)},
      {">=28 + 10", Count(28, kInf), Exact(10), Count(38, kInf)},
      {"<=10 + >=28", Count(0, 10), Count(28, kInf), Count(28, kInf)},
      {"(-inf,5] + [0,10]", Count(-kInf, 5), Count(0, 10), Count(-kInf, 15)},
      {"? + 1", Count(-kInf, kInf), Exact(1), Count(-kInf, kInf)},
      {"~36 + 4 is approximate", Approx(Exact(36)), Exact(4), Approx(Exact(40))},
      {"4 + ~36 is approximate", Exact(4), Approx(Exact(36)), Approx(Exact(40))},
      {"ratio + count is a ratio", Ratio(1.5, 1.5), Exact(1), Ratio(2.5, 2.5)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Add(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, SubtractionPairsEachLowWithTheOtherHigh) {
  const BinaryCase cases[] = {
      {"145 - 39", Exact(145), Exact(39), Exact(106)},
      {"3 - 8 is negative", Exact(3), Exact(8), Exact(-5)},
      // [0 - inf, 10 - 62]
      {"<=10 - >=62 is unbounded below", Count(0, 10), Count(62, kInf), Count(-kInf, -52)},
      {">=28 - 10", Count(28, kInf), Exact(10), Count(18, kInf)},
      // [28 - 10, 40 - 5]
      {"[28,40] - [5,10]", Count(28, 40), Count(5, 10), Count(18, 35)},
      {"? - ?", Count(-kInf, kInf), Count(-kInf, kInf), Count(-kInf, kInf)},
      {"157 - ~100 is approximate", Exact(157), Approx(Exact(100)), Approx(Exact(57))},
      {"count - ratio is a ratio", Exact(3), Ratio(0.5, 0.5), Ratio(2.5, 2.5)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Sub(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, MultiplicationTakesTheExtremeProducts) {
  const BinaryCase cases[] = {
      {"[2,3] * [4,5]", Count(2, 3), Count(4, 5), Count(8, 15)},
      // products -8, -10, 12, 15
      {"[-2,3] * [4,5]", Count(-2, 3), Count(4, 5), Count(-10, 15)},
      // products 10, -8, -15, 12
      {"[-2,3] * [-5,4]", Count(-2, 3), Count(-5, 4), Count(-15, 12)},
      // products 2, 1, 4, 2
      {"[-2,-1] * [-2,-1]", Count(-2, -1), Count(-2, -1), Count(1, 4)},
      // 0 x inf counts as 0: products 0, 0
      {"0 * >=28", Exact(0), Count(28, kInf), Exact(0)},
      // products 0, 0, 280, inf
      {"<=10 * >=28", Count(0, 10), Count(28, kInf), Count(0, kInf)},
      // products -3, -inf, 6, inf
      {"[-1,2] * >=3", Count(-1, 2), Count(3, kInf), Count(-kInf, kInf)},
      {"? * 0", Count(-kInf, kInf), Exact(0), Exact(0)},
      {"~36 * 2 is approximate", Approx(Exact(36)), Exact(2), Approx(Exact(72))},
      {"ratio * count is a ratio", Ratio(1.5, 1.5), Exact(4), Ratio(6, 6)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Mul(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, NegationMirrorsTheBoundsAndKeepsTheFlags) {
  const struct {
    Interval value, expected;
  } cases[] = {
      {Exact(145), Exact(-145)},
      {Count(28, kInf), Count(-kInf, -28)},
      {Count(-5, 3), Count(-3, 5)},
      {Approx(Exact(36)), Approx(Exact(-36))},
      {Ratio(1.5, 2.5), Ratio(-2.5, -1.5)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(DisplayValue(c.value));
    ExpectInterval(Neg(c.value), c.expected);
  }
}

TEST(IntervalTest, DivisionByANonZeroIntervalTakesTheExtremeQuotients) {
  const BinaryCase cases[] = {
      {"145 / 39", Exact(145), Exact(39), Ratio(Q(145, 39), Q(145, 39))},
      // quotients -3, -2, 1.5, 1
      {"[-6,3] / [2,3]", Count(-6, 3), Count(2, 3), Ratio(-3, 1.5)},
      // quotients 10/-5 = -2, 10/-2 = -5, 20/-5 = -4, 20/-2 = -10
      {"[10,20] / [-5,-2]", Count(10, 20), Count(-5, -2), Ratio(-10, -2)},
      {">=209 / 157", Count(209, kInf), Exact(157), Ratio(Q(209, 157), kInf)},
      // x / inf = 0, and the inf / inf corner cannot narrow [0, inf]
      {">=209 / >=157", Count(209, kInf), Count(157, kInf), Ratio(0, kInf)},
      // quotients -inf, (-inf / inf), 2.5, 5 / inf = 0
      {"(-inf,5] / >=2", Count(-kInf, 5), Count(2, kInf), Ratio(-kInf, 2.5)},
      // quotients 3 / -inf = 0, -1.5, (inf / -inf), -inf
      {">=3 / (-inf,-2]", Count(3, kInf), Count(-kInf, -2), Ratio(-kInf, 0)},
      // quotients (-inf / -inf), -inf / -2 = inf, 5 / -inf = 0, 5 / -2 = -2.5
      {"(-inf,5] / (-inf,-2]", Count(-kInf, 5), Count(-kInf, -2), Ratio(-2.5, kInf)},
      {"? / 2", Count(-kInf, kInf), Exact(2), Ratio(-kInf, kInf)},
      {"0 / [-4,-2]", Exact(0), Count(-4, -2), Ratio(0, 0)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Div(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, DivisionByLowerBoundGivesUpperBound) {
  // 145 / [36, inf] = [145 / inf, 145 / 36] = [0, 4.02777...]
  ExpectInterval(Div(Exact(145), Count(36, kInf)), Ratio(0, Q(145, 36)));
}

TEST(IntervalTest, DivisionByExactlyZeroGivesNoValue) {
  const struct {
    const char* what;
    Interval a;
  } cases[] = {
      {"145 / 0", Exact(145)},
      {"0 / 0", Exact(0)},
      {"? / 0", Count(-kInf, kInf)},
      {"~36 / 0", Approx(Exact(36))},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(Div(c.a, Exact(0)).has_value()) << c.what;
  }
}

TEST(IntervalTest, DivisionByAnIntervalContainingZeroIsUnbounded) {
  const BinaryCase cases[] = {
      // divisor [0, d]: a >= 0 gives [a.lo / d, inf]
      {"[3,5] / [0,2]", Count(3, 5), Count(0, 2), Ratio(1.5, kInf)},
      {"[0,5] / [0,2]", Count(0, 5), Count(0, 2), Ratio(0, kInf)},
      {"[3,5] / >=0", Count(3, 5), Count(0, kInf), Ratio(0, kInf)},
      // a <= 0 gives [-inf, a.hi / d]
      {"[-5,-3] / [0,2]", Count(-5, -3), Count(0, 2), Ratio(-kInf, -1.5)},
      {"[-1,1] / [0,2]", Count(-1, 1), Count(0, 2), Ratio(-kInf, kInf)},
      // divisor [c, 0], the mirror: [3,5] / [-2,0] = -([3,5] / [0,2])
      {"[3,5] / [-2,0]", Count(3, 5), Count(-2, 0), Ratio(-kInf, -1.5)},
      {"[-5,-3] / [-2,0]", Count(-5, -3), Count(-2, 0), Ratio(1.5, kInf)},
      {"[-1,1] / [-2,0]", Count(-1, 1), Count(-2, 0), Ratio(-kInf, kInf)},
      // divisor straddling 0
      {"[3,5] / [-1,1]", Count(3, 5), Count(-1, 1), Ratio(-kInf, kInf)},
      {"[3,5] / ?", Count(3, 5), Count(-kInf, kInf), Ratio(-kInf, kInf)},
      {"0 / [-1,1]", Exact(0), Count(-1, 1), Ratio(-kInf, kInf)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Div(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, DivisionIsAlwaysARatioAndPropagatesApprox) {
  const BinaryCase cases[] = {
      {"6 / 3", Exact(6), Exact(3), Ratio(2, 2)},
      {"~36 / 4", Approx(Exact(36)), Exact(4), Approx(Ratio(9, 9))},
      {"36 / ~4", Exact(36), Approx(Exact(4)), Approx(Ratio(9, 9))},
      {"~36 / [0,4]", Approx(Exact(36)), Count(0, 4), Approx(Ratio(9, kInf))},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Div(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, ResultsNeverHoldNegativeZero) {
  const struct {
    const char* what;
    Interval value;
  } cases[] = {
      {"-3 * 0", Mul(Exact(-3), Exact(0))},
      {"-(0)", Neg(Exact(0))},
      {"0 / -4", *Div(Exact(0), Exact(-4))},
      {"[0,5] / [-2,0] = [-inf, 0 / -2]", *Div(Count(0, 5), Count(-2, 0))},
      {"5 - 5", Sub(Exact(5), Exact(5))},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(c.value.hi, Real());
    EXPECT_EQ(ShowHi(c.value).front(), '0') << ShowHi(c.value);  // never `-0`
  }
}

// ---------------------------------------------------------------- growth, change, pct

TEST(IntervalTest, GrowthDividesToByFrom) {
  const BinaryCase cases[] = {  // a = from, b = to
      {"39 -> 145", Exact(39), Exact(145), Ratio(Q(145, 39), Q(145, 39))},
      {"157 -> >=209", Exact(157), Count(209, kInf), Ratio(Q(209, 157), kInf)},
      {"~157 -> >=209", Approx(Exact(157)), Count(209, kInf),
       Approx(Ratio(Q(209, 157), kInf))},
      // [145 / inf, 145 / 36]
      {">=36 -> 145", Count(36, kInf), Exact(145), Ratio(0, Q(145, 36))},
      {"<=10 -> 5", Count(0, 10), Exact(5), Ratio(0.5, kInf)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Growth(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, ChangeSubtractsFromFromTo) {
  const BinaryCase cases[] = {  // a = from, b = to
      {"39 -> 145", Exact(39), Exact(145), Exact(106)},
      {"145 -> 39", Exact(145), Exact(39), Exact(-106)},
      // [0 - inf, 10 - 62]
      {">=62 -> <=10", Count(62, kInf), Count(0, 10), Count(-kInf, -52)},
      {"~36 -> 40", Approx(Exact(36)), Exact(40), Approx(Exact(4))},
      {"of ratios is a ratio", Ratio(1.5, 1.5), Ratio(2, 2), Ratio(0.5, 0.5)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Change(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, PctIsGrowthLessOneTimesAHundred) {
  const BinaryCase cases[] = {  // a = from, b = to
      // (145 / 39 - 1) * 100 = 106 / 39 * 100 = 10600 / 39 = 271.79...
      {"39 -> 145", Exact(39), Exact(145), Ratio(Q(10600, 39), Q(10600, 39))},
      {"100 -> 50", Exact(100), Exact(50), Ratio(-50, -50)},
      {"100 -> 100", Exact(100), Exact(100), Ratio(0, 0)},
      // (209 / 157 - 1) * 100 = 5200 / 157
      {"157 -> >=209", Exact(157), Count(209, kInf), Ratio(Q(5200, 157), kInf)},
      {"~157 -> >=209", Approx(Exact(157)), Count(209, kInf),
       Approx(Ratio(Q(5200, 157), kInf))},
      // growth [0, inf] minus 1, times 100
      {"[0,2] -> 5", Count(0, 2), Exact(5), Ratio(150, kInf)},
  };
  for (const BinaryCase& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(Pct(c.a, c.b), c.expected);
  }
}

TEST(IntervalTest, GrowthAndPctFromExactlyZeroGiveNoValue) {
  EXPECT_FALSE(Growth(Exact(0), Exact(5)).has_value());
  EXPECT_FALSE(Pct(Exact(0), Exact(5)).has_value());
  EXPECT_FALSE(Pct(Figured(Bound::kAtMost, 0), Exact(5)).has_value());
}

// ---------------------------------------------------------------- min, max

TEST(IntervalTest, MinAndMaxWorkOnEachBound) {
  const struct {
    const char* what;
    Interval a, b;
    Interval min, max;
  } cases[] = {
      {">=28, 30", Count(28, kInf), Exact(30), Count(28, 30), Count(30, kInf)},
      {"<=10, 5", Count(0, 10), Exact(5), Count(0, 5), Count(5, 10)},
      {"<=-52, 3", Count(-kInf, -52), Exact(3), Count(-kInf, -52), Exact(3)},
      {"?, 3", Count(-kInf, kInf), Exact(3), Count(-kInf, 3), Count(3, kInf)},
      {"~36, 40", Approx(Exact(36)), Exact(40), Approx(Exact(36)), Approx(Exact(40))},
      {"ratio, count", Ratio(1.5, 1.5), Exact(1), Ratio(1, 1), Ratio(1.5, 1.5)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectInterval(MinOf(c.a, c.b), c.min);
    ExpectInterval(MaxOf(c.a, c.b), c.max);
    ExpectInterval(MinOf(c.b, c.a), c.min);
    ExpectInterval(MaxOf(c.b, c.a), c.max);
  }
}

// ---------------------------------------------------------------- comparison

struct CompareCase {
  Interval value;
  Cmp op;
  Real threshold;
  Truth expected;
};

void ExpectCompares(const CompareCase* begin, const CompareCase* end) {
  for (const CompareCase* c = begin; c != end; ++c) {
    SCOPED_TRACE(DisplayValue(c->value) + " " + CmpSymbol(c->op) + " " +
                 FormatExact(c->threshold));
    EXPECT_STREQ(Name(Compare(c->value, c->op, c->threshold)), Name(c->expected));
  }
}

TEST(IntervalTest, CompareIsTrueForAllPointsFalseForNoneElseUnknown) {
  const Interval at_least_28 = Count(28, kInf);
  const Interval at_most_10 = Count(0, 10);
  const Interval below_minus_52 = Count(-kInf, -52);
  const Interval anything = Count(-kInf, kInf);
  const CompareCase cases[] = {
      {at_least_28, Cmp::kLt, 30, Truth::kUnknown},  // the spec's example
      {at_least_28, Cmp::kLt, 28, Truth::kFalse},    // lo >= 28
      {at_least_28, Cmp::kLe, 28, Truth::kUnknown},
      {at_least_28, Cmp::kLe, 27, Truth::kFalse},  // lo > 27
      {at_least_28, Cmp::kGt, 27, Truth::kTrue},
      {at_least_28, Cmp::kGt, 28, Truth::kUnknown},  // 28 itself is not > 28
      {at_least_28, Cmp::kGe, 20, Truth::kTrue},
      {at_least_28, Cmp::kGe, 28, Truth::kTrue},
      {at_least_28, Cmp::kGe, 29, Truth::kUnknown},
      {at_least_28, Cmp::kEq, 28, Truth::kUnknown},
      {at_least_28, Cmp::kEq, 20, Truth::kFalse},
      {at_least_28, Cmp::kNe, 28, Truth::kUnknown},
      {at_least_28, Cmp::kNe, 20, Truth::kTrue},
      {at_most_10, Cmp::kLt, 11, Truth::kTrue},
      {at_most_10, Cmp::kLt, 10, Truth::kUnknown},
      {at_most_10, Cmp::kLt, 0, Truth::kFalse},
      {at_most_10, Cmp::kLe, 10, Truth::kTrue},
      {at_most_10, Cmp::kLe, -1, Truth::kFalse},
      {at_most_10, Cmp::kGt, 10, Truth::kFalse},  // hi <= 10
      {at_most_10, Cmp::kGt, -1, Truth::kTrue},
      {at_most_10, Cmp::kGe, 10, Truth::kUnknown},
      {at_most_10, Cmp::kGe, 11, Truth::kFalse},  // hi < 11
      {at_most_10, Cmp::kGe, 0, Truth::kTrue},
      {at_most_10, Cmp::kEq, 5, Truth::kUnknown},
      {at_most_10, Cmp::kEq, 11, Truth::kFalse},
      {at_most_10, Cmp::kNe, 11, Truth::kTrue},
      {at_most_10, Cmp::kNe, 5, Truth::kUnknown},
      {Exact(145), Cmp::kEq, 145, Truth::kTrue},
      {Exact(145), Cmp::kEq, 146, Truth::kFalse},
      {Exact(145), Cmp::kNe, 145, Truth::kFalse},
      {Exact(145), Cmp::kNe, 146, Truth::kTrue},
      {Exact(145), Cmp::kLt, 145, Truth::kFalse},
      {Exact(145), Cmp::kLe, 145, Truth::kTrue},
      {Exact(145), Cmp::kGt, 145, Truth::kFalse},
      {Exact(145), Cmp::kGe, 145, Truth::kTrue},
      {below_minus_52, Cmp::kLt, 0, Truth::kTrue},
      {below_minus_52, Cmp::kGt, -52, Truth::kFalse},
      {below_minus_52, Cmp::kGe, -52, Truth::kUnknown},
      {below_minus_52, Cmp::kEq, 0, Truth::kFalse},
      {below_minus_52, Cmp::kNe, 0, Truth::kTrue},
      {anything, Cmp::kGt, 0, Truth::kUnknown},
      {anything, Cmp::kLt, 0, Truth::kUnknown},
      {anything, Cmp::kEq, 0, Truth::kUnknown},
      {anything, Cmp::kNe, 0, Truth::kUnknown},
  };
  ExpectCompares(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, CompareUsesExactValuesNotTheirDisplay) {
  const Interval growth = Ratio(Q(145, 39), Q(145, 39));  // 3.7179..., shown 3.72
  const CompareCase cases[] = {
      {growth, Cmp::kLt, D("3.72"), Truth::kTrue},
      {growth, Cmp::kEq, D("3.72"), Truth::kFalse},
      {growth, Cmp::kGt, D("3.71"), Truth::kTrue},
      {growth, Cmp::kEq, Q(145, 39), Truth::kTrue},
  };
  ExpectCompares(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, ApproximateValuesCompareAsTheirInterval) {
  const Interval about_36 = Approx(Exact(36));
  const CompareCase cases[] = {
      {about_36, Cmp::kEq, 36, Truth::kTrue},
      {about_36, Cmp::kNe, 36, Truth::kFalse},
      {about_36, Cmp::kGt, 35, Truth::kTrue},
      {about_36, Cmp::kLt, 39, Truth::kTrue},  // not widened to 1.1 x 36
      {about_36, Cmp::kGe, 37, Truth::kFalse},
      {Approx(Count(28, kInf)), Cmp::kGe, 20, Truth::kTrue},
      {Approx(Count(28, kInf)), Cmp::kLt, 30, Truth::kUnknown},
  };
  ExpectCompares(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, CmpSymbolNamesEachOperator) {
  const struct {
    Cmp op;
    const char* symbol;
  } cases[] = {
      {Cmp::kEq, "="}, {Cmp::kNe, "!="}, {Cmp::kLt, "<"},
      {Cmp::kLe, "<="}, {Cmp::kGt, ">"}, {Cmp::kGe, ">="},
  };
  for (const auto& c : cases) EXPECT_STREQ(CmpSymbol(c.op), c.symbol);
}

// ---------------------------------------------------------------- conflicts

TEST(IntervalTest, CanBothBeTrueWhenSpansOverlap) {
  const struct {
    const char* what;
    Interval a, b;
    bool expected;
  } cases[] = {
      {">=28 vs 23", Count(28, kInf), Exact(23), false},
      {">=28 vs 28 touch", Count(28, kInf), Exact(28), true},
      {">=28 vs 40", Count(28, kInf), Exact(40), true},
      {"<=10 vs >=10 touch", Count(0, 10), Count(10, kInf), true},
      {"<=10 vs >=11", Count(0, 10), Count(11, kInf), false},
      {"145 vs 145", Exact(145), Exact(145), true},
      {"145 vs 146", Exact(145), Exact(146), false},
      // ~36 spans [32.4, 39.6]
      {"~36 vs 40", Approx(Exact(36)), Exact(40), false},
      {"~36 vs 39", Approx(Exact(36)), Exact(39), true},
      {"~36 vs 33", Approx(Exact(36)), Exact(33), true},
      {"~36 vs 32", Approx(Exact(36)), Exact(32), false},
      {"~36 vs >=40", Approx(Exact(36)), Count(40, kInf), false},
      {"~36 vs <=32", Approx(Exact(36)), Count(0, 32), false},
      // ~100 spans [90, 110]: both ends touch
      {"~100 vs 110", Approx(Exact(100)), Exact(110), true},
      {"~100 vs 90", Approx(Exact(100)), Exact(90), true},
      // [32.4, 39.6] and [36, 44]
      {"~36 vs ~40", Approx(Exact(36)), Approx(Exact(40)), true},
      // [27, 33] and [36, 44]
      {"~30 vs ~40", Approx(Exact(30)), Approx(Exact(40)), false},
      {"~0 vs 0", Approx(Exact(0)), Exact(0), true},
      {"~0 vs 1", Approx(Exact(0)), Exact(1), false},
      // a negative point: ~-10 spans [-11, -9]
      {"~-10 vs -11", Approx(Exact(-10)), Exact(-11), true},
      {"~-10 vs -11.5", Approx(Exact(-10)), Exact(-11.5), false},
      {"~-10 vs -8", Approx(Exact(-10)), Exact(-8), false},
      // an approximate non-point keeps its own bounds
      {"~[28,40] vs 41", Approx(Count(28, 40)), Exact(41), false},
      {"~[28,40] vs 40", Approx(Count(28, 40)), Exact(40), true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(CanBothBeTrue(c.a, c.b), c.expected);
    EXPECT_EQ(CanBothBeTrue(c.b, c.a), c.expected) << "swapped";
  }
}

// ---------------------------------------------------------------- display

TEST(IntervalTest, DisplayShowsEachForm) {
  const DisplayCase cases[] = {
      {"exact count", Figured(Bound::kExact, 145), "145"},
      {"at least", Figured(Bound::kAtLeast, 28), ">=28"},
      {"at most reads <=", Figured(Bound::kAtMost, 10), "<=10"},
      {"approximate", Figured(Bound::kApprox, 36), "~36"},
      {"two-sided", Count(28, 40), "28..40"},
      {"two-sided negative", Count(-5, 3), "-5..3"},
      {"unbounded below", Sub(Count(0, 10), Count(62, kInf)), "<=-52"},
      {"unbounded both ways", Count(-kInf, kInf), "?"},
      {"approximate unbounded", Approx(Count(-kInf, kInf)), "~?"},
      {"zero", Exact(0), "0"},
      {"<= 0 is the point 0", Figured(Bound::kAtMost, 0), "0"},
      {"at least zero", Count(0, kInf), ">=0"},
      {"at most zero", Count(-kInf, 0), "<=0"},
      // growth 145 / 39 = 3.7179...
      {"ratio point", *Growth(Exact(39), Exact(145)), "3.72"},
      {"whole ratio keeps two decimals", Ratio(4, 4), "4.00"},
      {"ratio zero", Ratio(0, 0), "0.00"},
      // (145 / 39 - 1) * 100 = 271.794...
      {"pct", *Pct(Exact(39), Exact(145)), "271.79"},
      // [0, 145 / 36] = [0, 4.0277...]; the spec's `<= 4.03`
      {"ratio at most", *Div(Exact(145), Count(36, kInf)), "<=4.03"},
      // [209 / 157, inf] = [1.3312..., inf]; the spec's `~>= 1.33`
      {"approximate ratio at least", *Growth(Approx(Exact(157)), Count(209, kInf)), "~>=1.33"},
      {"ratio two-sided", Ratio(Q(4, 3), 2.5), "1.33..2.50"},
      {"approximate ratio two-sided", Approx(Ratio(1.5, 2.5)), "~1.50..2.50"},
      {"ratio unbounded below", Ratio(-kInf, -52), "<=-52.00"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, DisplayRoundsPointsHalfAwayFromZero) {
  const DisplayCase cases[] = {
      {"count 2.5 up (not to even)", Exact(D("2.5")), "3"},
      {"count -2.5 down", Exact(D("-2.5")), "-3"},
      {"count 0.5", Exact(D("0.5")), "1"},
      {"count 2.4999", Exact(D("2.4999")), "2"},
      {"count 2.5001", Exact(D("2.5001")), "3"},
      {"ratio 0.125 (exact in binary)", Ratio(D("0.125"), D("0.125")), "0.13"},
      {"ratio -0.125", Ratio(D("-0.125"), D("-0.125")), "-0.13"},
      {"ratio 2.675", Ratio(D("2.675"), D("2.675")), "2.68"},
      {"ratio -2.675", Ratio(D("-2.675"), D("-2.675")), "-2.68"},
      {"ratio 1.0049", Ratio(D("1.0049"), D("1.0049")), "1.00"},
      {"ratio 1.0051", Ratio(D("1.0051"), D("1.0051")), "1.01"},
      {"approximate ratio", Approx(Ratio(D("2.675"), D("2.675"))), "~2.68"},
      {"large ratio", Ratio(D("1000000.125"), D("1000000.125")), "1000000.13"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, DisplayRoundsBoundsOutward) {
  const DisplayCase cases[] = {
      {"lower bound down", Count(D("28.9"), kInf), ">=28"},
      {"negative lower bound down", Count(D("-5.5"), kInf), ">=-6"},
      {"upper bound up", Count(-kInf, D("10.1")), "<=11"},
      {"negative upper bound up", Count(-kInf, D("-52.5")), "<=-52"},
      {"[0, v] upper bound up", Count(0, D("10.1")), "<=11"},
      {"two-sided count", Count(D("-5.5"), D("3.2")), "-6..4"},
      {"ratio lower bound down", Ratio(D("1.3399"), kInf), ">=1.33"},
      {"ratio upper bound up", Ratio(-kInf, D("4.021")), "<=4.03"},
      {"ratio two-sided", Ratio(D("1.331"), D("1.332")), "1.33..1.34"},
      {"negative ratio lower bound", Ratio(D("-0.015"), kInf), ">=-0.02"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

// Values are exact, so a decimal is rounded as that decimal: no slack.
TEST(IntervalTest, DisplayRoundsExactDecimalsAsWritten) {
  const Interval a_tenth = Ratio(D("0.1"), D("0.1"));
  const DisplayCase cases[] = {
      // as a double 1.005 is 1.00499999999999989...; the decimal is a half
      {"point on a half", Ratio(D("1.005"), D("1.005")), "1.01"},
      {"point 0.145", Ratio(D("0.145"), D("0.145")), "0.15"},
      {"lower bound on the grid", Ratio(D("0.29"), kInf), ">=0.29"},
      // 1 - 0.9 = 0.1 exactly (0.09999999999999998 in doubles)
      {"computed lower bound", Sub(Ratio(1, kInf), Ratio(D("0.9"), D("0.9"))), ">=0.10"},
      // 0.1 + 0.2 = 0.3 exactly (0.30000000000000004 in doubles)
      {"computed upper bound", Add(Ratio(-kInf, D("0.1")), Ratio(D("0.2"), D("0.2"))), "<=0.30"},
      // 1.1 x 1.1 = 1.21 exactly (1.2100000000000002 in doubles)
      {"computed product", Mul(Ratio(-kInf, D("1.1")), Ratio(D("1.1"), D("1.1"))), "<=1.21"},
      {"computed point", Mul(a_tenth, Exact(3)), "0.30"},
      // growth 801 / 800 = 1.00125, pct 0.125 exactly (0.12499999999999734 in doubles)
      {"pct on a half", *Pct(Exact(800), Exact(801)), "0.13"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

// A shown lower bound is <= lo and a shown upper bound >= hi in exact
// arithmetic: a bound a hair off the grid is never snapped onto it.
TEST(IntervalTest, DisplayedBoundsHoldInExactTerms) {
  const DisplayCase cases[] = {
      // 4 / 10^14: the issue's `<=0.00` was false
      {"tiny upper bound", Ratio(0, Q(4, 100000000000000)), "<=0.01"},
      {"tiny lower bound", Ratio(Q(-4, 100000000000000), kInf), ">=-0.01"},
      // 1 / (10^11 + 1) of two large counts: a positive lower bound
      {"ratio of large counts", *Div(Exact(1), Count(100000000000, 100000000001)),
       "0.00..0.01"},
      // 10^11 / (10^11 + 1) = 0.99999999999000...: lo rounds down, not to 1.00
      {"just under one", *Div(Exact(100000000000), Count(100000000000, 100000000001)),
       "0.99..1.00"},
      // (10^11 + 1) / 10^11 = 1.00000000001: hi rounds up to 1.01
      {"just over one", *Div(Count(100000000000, 100000000001), Exact(100000000000)),
       "1.00..1.01"},
      // the double nearest 0.29 is 0.28999999999999998...: below 0.29
      {"a double under the grid", Ratio(0.29, kInf), ">=0.28"},
      // the double nearest 0.3 is 0.29999999999999998...; 0.1 + 0.2 is above 0.3
      {"a double over the grid", Ratio(-kInf, 0.1 + 0.2), "<=0.31"},
      {"a count a hair under", Count(28.999999999999996, kInf), ">=28"},
      {"a count a hair over", Count(0, 29.000000000000004), "<=30"},
      // (10^15 + 1) / 10^15 - 1 = 10^-15; pct 10^-13
      {"pct of large counts", *Pct(Count(1000000000000000, 1000000000000000),
                                   Count(1000000000000001, kInf)), ">=0.00"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

TEST(IntervalTest, DisplayNeverShowsNegativeZero) {
  const DisplayCase cases[] = {
      {"count -0.4 rounds to 0", Exact(D("-0.4")), "0"},
      {"ratio -0.004 rounds to 0.00", Ratio(D("-0.004"), D("-0.004")), "0.00"},
      {"count upper bound -0.5 rounds up to 0", Count(-kInf, D("-0.5")), "<=0"},
      {"ratio upper bound -0.001 rounds up to 0.00", Ratio(-kInf, D("-0.001")), "<=0.00"},
      {"count lower bound -0.5 rounds down to -1", Count(D("-0.5"), kInf), ">=-1"},
      {"negative zero point", Exact(D("-0.0")), "0"},
      {"ratio -0.005 is a half", Ratio(D("-0.005"), D("-0.005")), "-0.01"},
  };
  ExpectDisplays(std::begin(cases), std::end(cases));
}

// ---------------------------------------------------------------- lo / hi fields

TEST(IntervalTest, FormatFixed2ShowsTwoDecimalsHalfAwayFromZero) {
  const struct {
    double value;
    const char* expected;
  } cases[] = {
      {145, "145.00"},
      {145.0 / 36, "4.03"},  // 4.0277...
      {-52, "-52.00"},
      {0, "0.00"},
      {-0.0, "0.00"},
      {-0.001, "0.00"},
      {0.125, "0.13"},
      {-0.125, "-0.13"},
      // a double is rounded as the exact number it is: 2.67499999999999982...
      {2.675, "2.67"},
      {1.005, "1.00"},  // 1.00499999999999989...
      {1.0049, "1.00"},
      {9007199254740991.0, "9007199254740991.00"},
      {kInf, ""},  // never `inf`: an unbounded end is null
      {-kInf, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatFixed2(c.value), c.expected) << c.expected;
  }
}

TEST(IntervalTest, FormatShortestPrintsWholeNumbersWithoutFraction) {
  const struct {
    double value;
    const char* expected;
  } cases[] = {
      {145, "145"},
      {-52, "-52"},
      {0, "0"},
      {-0.0, "0"},
      {1e15, "1000000000000000"},
      {1e17, "100000000000000000"},
      {9007199254740991.0, "9007199254740991"},
      {145.0 / 36, "4.027777777777778"},
      {1.0 / 3, "0.3333333333333333"},
      {0.1, "0.1"},
      {2.5, "2.5"},
      {-0.125, "-0.125"},
      {kInf, ""},  // never `inf`: an unbounded end is null
      {-kInf, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatShortest(c.value), c.expected) << c.expected;
  }
}

TEST(IntervalTest, FormatShortestReadsBackExactly) {
  const double cases[] = {145.0 / 39, 209.0 / 157, 0.1 + 0.2, 1e-7,
                          1e20,       -1e20,       1.5e300,   9223372036854775808.0};
  for (double v : cases) {
    const std::string text = FormatShortest(v);
    EXPECT_EQ(std::stod(text), v) << text;
  }
}

TEST(IntervalTest, FormatExactPrintsWholeNumbersInFullAndOthersAsTheNearestDouble) {
  const struct {
    Real value;
    std::string expected;
  } cases[] = {
      {Real::Integer(145), "145"},
      {Real::Integer(-52), "-52"},
      {Real(), "0"},
      // 94906267^2 = 9007199515875289 > 2^53 (the nearest double is ...288)
      {Real::Integer(94906267) * Real::Integer(94906267), "9007199515875289"},
      // (2^53 - 1)^2
      {Real::Integer(9007199254740991) * Real::Integer(9007199254740991),
       "81129638414606663681390495662081"},
      {D("1" + std::string(400, '0')), "1" + std::string(400, '0')},
      {Q(145, 36), "4.027777777777778"},
      {Q(1, 3), "0.3333333333333333"},
      {D("2.5"), "2.5"},
      // never in exponent form: 4e-14, -1.5e-07
      {Q(4, 100000000000000), "0.00000000000004"},
      {Q(-3, 20000000), "-0.00000015"},
      // 10^17 + 1/2: beyond 2^53 the nearest whole number, half away from zero
      {Real::Integer(100000000000000000) + D("0.5"), "100000000000000001"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatExact(c.value), c.expected);
  }
}

// Values whose numerator and denominator are below 2^53 are printed with
// machine integers, the others with GMP: both round alike on either side.
TEST(IntervalTest, NumbersPrintAlikeBelowAndAbove2To53) {
  constexpr int64_t kTwoTo53 = int64_t{1} << 53;
  // (2^53 - 1) / 3 = 3002399751580330.33..., (2^53 + 2) / 3 = ...331.33...;
  // doubles there are 0.5 apart
  EXPECT_EQ(Q(kTwoTo53 - 1, 3).ToDouble(), 3002399751580330.5);
  EXPECT_EQ(Q(kTwoTo53 + 2, 3).ToDouble(), 3002399751580331.5);
  EXPECT_EQ(Q(-(kTwoTo53 - 1), 3).ToDouble(), -3002399751580330.5);
  EXPECT_EQ(Q(1, 3).ToDouble(), 1.0 / 3);
  EXPECT_EQ(FormatExact(Real::Integer(kTwoTo53 - 1)), "9007199254740991");
  EXPECT_EQ(FormatExact(Real::Integer(kTwoTo53 + 1)), "9007199254740993");
  EXPECT_EQ(FormatExact(Real::Integer(-(kTwoTo53 - 1))), "-9007199254740991");
  ExpectShownEnds({
      // -3.5 and 3.5: lo down, hi up
      {"small counts", Count(Q(-7, 2), Q(7, 2)), "-4", "4"},
      // -4503599627370496.5 and 4503599627370496.5
      {"large counts", Count(Q(-(kTwoTo53 + 1), 2), Q(kTwoTo53 + 1, 2)), "-4503599627370497",
       "4503599627370497"},
      {"small ratios", Ratio(Q(kTwoTo53 - 1, 100), Q(kTwoTo53 - 1, 100)), "90071992547409.91",
       "90071992547409.91"},
      {"large ratios", Ratio(Q(kTwoTo53 + 1, 100), Q(kTwoTo53 + 1, 100)), "90071992547409.93",
       "90071992547409.93"},
      // -0.004 and 0.005 as ratios: -0.01 down, 0.01 up; points half away from zero
      {"small ratio bounds", Ratio(Q(-4, 1000), Q(5, 1000)), "-0.01", "0.01"},
      {"small ratio point", Ratio(Q(-5, 1000), Q(-5, 1000)), "-0.01", "-0.01"},
      {"small ratio point to zero", Ratio(Q(-4, 1000), Q(-4, 1000)), "0.00", "0.00"},
  });
}

TEST(IntervalTest, ShowLoAndHiRoundAsTheValuesOwnEnds) {
  ExpectShownEnds({
      {"count point", Exact(145), "145", "145"},
      {"count bound", Count(28, kInf), "28", ""},
      {"count two-sided", Count(28, 40), "28", "40"},
      // a point half away from zero at both ends: 2.675 -> 2.68
      {"ratio point", Ratio(D("2.675"), D("2.675")), "2.68", "2.68"},
      {"ratio point below", Ratio(Q(145, 36), Q(145, 36)), "4.03", "4.03"},
      // bounds outward: lo down, hi up
      {"ratio bounds", Ratio(D("2.675"), D("2.675001")), "2.67", "2.68"},
      {"ratio at most", *Div(Exact(145), Count(36, kInf)), "0.00", "4.03"},
      // a count that is not whole (counts over counts times a ratio are ratios,
      // so only hand-made): still rounded as its ends
      {"count bounds not whole", Count(D("27.5"), D("40.5")), "27", "41"},
      {"above 2^53", Mul(Exact(94906267), Exact(94906267)), "9007199515875289", "9007199515875289"},
  });
}

// ---------------------------------------------------------------- formatters

// `{}` prints what DisplayValue() returns, and the expected text by hand.
TEST(IntervalTest, FormatterPrintsTheDisplayedValue) {
  const Interval cases_in[] = {Exact(145), Figured(Bound::kAtLeast, 28), Figured(Bound::kAtMost, 10),
                               Approx(Exact(36)), Count(28, 40), Count(-kInf, kInf)};
  const std::string_view expected[] = {"145", ">=28", "<=10", "~36", "28..40", "?"};
  for (size_t i = 0; i < std::size(cases_in); ++i) {
    EXPECT_EQ(fmt::format("{}", cases_in[i]), DisplayValue(cases_in[i])) << expected[i];
    EXPECT_EQ(fmt::format("{}", cases_in[i]), expected[i]);
  }
  EXPECT_EQ(fmt::format("{:>6}", Exact(145)), "   145");
  EXPECT_EQ(fmt::format("{:<7}|", Count(28, 40)), "28..40 |");
}

// Monitoring states print their Nagios words, as CheckStateName() does.
TEST(CheckStateFormatterTest, PrintsTheStateWord) {
  const CheckState states[] = {CheckState::kOk, CheckState::kWarning, CheckState::kCritical,
                               CheckState::kUnknown};
  const std::string_view expected[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  for (size_t i = 0; i < std::size(states); ++i) {
    EXPECT_EQ(fmt::format("{}", states[i]), CheckStateName(states[i])) << expected[i];
    EXPECT_EQ(fmt::format("{}", states[i]), expected[i]);
  }
  EXPECT_EQ(fmt::format("{:<9}|", CheckState::kOk), "OK       |");
}

}  // namespace
}  // namespace docket
