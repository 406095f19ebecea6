// The cells of a reported figure (query/rows.h, spec §3 "Display" and §4's
// fields value, lo, hi, approx): FigureCells, the shortcut `revisions` and
// `changes` take, against the values worked out by hand and against
// IntervalCells of the figure's interval, the rule it shortcuts.

#include "query/rows.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace docket {
namespace {

// A cell as one comparable line: kind, text, number, shown, boolean.
std::string Describe(const Cell& c) {
  return std::to_string(static_cast<int>(c.kind)) + "|" + c.text + "|" + std::to_string(c.number) + "|" +
         c.shown + "|" + (c.boolean ? "true" : "false");
}

std::vector<std::string> Describe(const std::vector<Cell>& cells) {
  std::vector<std::string> out;
  for (const auto& c : cells) out.push_back(Describe(c));
  return out;
}

TEST(FigureCells, ByHand) {
  const Cell none = Cell::Null();
  // =145: the point 145, both ends 145.
  EXPECT_EQ(Describe(FigureCells(Figure{Bound::kExact, 145})),
            Describe({Cell::Text("145"), Cell::Number(145, "145", "145"), Cell::Number(145, "145", "145"),
                      Cell::Bool(false)}));
  // >=28: [28, +inf], no upper end.
  EXPECT_EQ(Describe(FigureCells(Figure{Bound::kAtLeast, 28})),
            Describe({Cell::Text(">=28"), Cell::Number(28, "28", "28"), none, Cell::Bool(false)}));
  // <=10: [0, 10], counts are never negative.
  EXPECT_EQ(Describe(FigureCells(Figure{Bound::kAtMost, 10})),
            Describe({Cell::Text("<=10"), Cell::Number(0, "0", "0"), Cell::Number(10, "10", "10"),
                      Cell::Bool(false)}));
  // <=0: [0, 0], the point 0.
  EXPECT_EQ(Describe(FigureCells(Figure{Bound::kAtMost, 0})),
            Describe({Cell::Text("0"), Cell::Number(0, "0", "0"), Cell::Number(0, "0", "0"), Cell::Bool(false)}));
  // ~36: the approximate point 36.
  EXPECT_EQ(Describe(FigureCells(Figure{Bound::kApprox, 36})),
            Describe({Cell::Text("~36"), Cell::Number(36, "36", "36"), Cell::Number(36, "36", "36"),
                      Cell::Bool(true)}));
  // A retraction: no value.
  EXPECT_EQ(Describe(FigureCells(std::nullopt)),
            Describe({Cell::Text(""), none, none, Cell::Bool(false)}));
}

TEST(FigureCells, AgreesWithTheIntervalsCells) {
  for (Bound bound : {Bound::kExact, Bound::kAtLeast, Bound::kAtMost, Bound::kApprox})
    for (uint64_t count : {uint64_t{0}, uint64_t{1}, uint64_t{9}, uint64_t{10}, uint64_t{99}, uint64_t{1} << 32,
                           kMaxCount - 1, kMaxCount}) {
      const Figure figure{bound, count};
      EXPECT_EQ(Describe(FigureCells(figure)), Describe(IntervalCells(Interval::FromFigure(figure))))
          << figure.ToString();
    }
}

}  // namespace
}  // namespace docket
