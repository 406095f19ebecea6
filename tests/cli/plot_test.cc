// The bar chart of `plot` (plot.h). Expected charts are worked out by hand
// from the layout rules: bar columns = width - (indent + label + 2) - (1 +
// widest value) - (1 if any bar is open-ended) - (2 + widest source, when
// the source follows the bar); a length x takes round(x * columns /
// longest) columns, at least one when x > 0.
#include "cli/plot.h"

#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/render.h"

namespace docket::cli {
namespace {

// One value row; `reported` does not matter to the chart.
struct V {
  std::string series, period, value;
  std::optional<double> lo, hi;
  bool approx = false;
  std::string source = "S";
};

Table Rows(const std::vector<V>& rows) {
  Table t{{"series", "period", "value", "lo", "hi", "approx", "source", "reported"}, {}};
  for (const auto& r : rows) {
    t.rows.push_back({Cell::Text(r.series), Cell::Text(r.period), Cell::Text(r.value),
                      r.lo ? Cell::Number(*r.lo) : Cell::Null(),
                      r.hi ? Cell::Number(*r.hi) : Cell::Null(), Cell::Bool(r.approx),
                      Cell::Text(r.source), Cell::Text("2025")});
  }
  return t;
}

std::string Plot(const std::vector<V>& rows, size_t width, bool ascii = false, bool color = false) {
  return RenderPlot(Rows(rows), PlotOptions{width, ascii, color});
}

std::string Repeat(const std::string& glyph, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += glyph;
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string StripEscapes(const std::string& text) {
  return std::regex_replace(text, std::regex("\x1b\\[[0-9;]*m"), "");
}

const std::string kFull = "█";

TEST(PlotTest, EmptyInputSaysNoRows) { EXPECT_EQ(Plot({}, 80), "(no rows)\n"); }

TEST(PlotTest, LongestBarFillsTheWidthWithValueAndSourceAfterIt) {
  // label 4 + 2; value 3; source 11 (PervyiOtdel): 40 - 6 - 4 - 13 = 17 columns.
  // 39 * 17 / 145 = 4.57 -> 5.
  EXPECT_EQ(Plot({{"treason", "2023", "39", 39, 39, false, "PervyiOtdel"},
                  {"treason", "2024", "145", 145, 145, false, "IStories"}},
                 40),
            "2023  " + Repeat(kFull, 5) + " 39  PervyiOtdel\n" + "2024  " + Repeat(kFull, 17) +
                " 145  IStories\n");
}

TEST(PlotTest, LowerBoundIsOpenEndedAndBySourcePutsSourceInLabel) {
  // Two sources for one period: labels "2024 IStories" / "2024 RTVI    " (13).
  // 41 - 15 - (1 + 4) - 1 (arrow) = 20 columns; 23 * 20 / 28 = 16.4 -> 16.
  EXPECT_EQ(Plot({{"espionage", "2024", "23", 23, 23, false, "IStories"},
                  {"espionage", "2024", ">=28", 28, std::nullopt, false, "RTVI"}},
                 41),
            "2024 IStories  " + Repeat(kFull, 16) + " 23\n" + "2024 RTVI      " +
                Repeat(kFull, 20) + "▶ >=28\n");
}

TEST(PlotTest, UpperBoundIsHollowAndRangeIsSolidThenHollow) {
  // 40 - 6 - (1 + 6) - (2 + 1) = 24 columns for 40: 0.6 a unit.
  // <=10: hollow 6. 28..40: solid 16.8 -> 17, hollow to 24 -> 7.
  EXPECT_EQ(
      Plot({{"x", "2022", "<=10", 0, 10, false, "A"}, {"x", "2023", "28..40", 28, 40, false, "B"}},
           40),
      "2022  " + Repeat("░", 6) + " <=10  A\n" + "2023  " + Repeat(kFull, 17) + Repeat("░", 7) +
          " 28..40  B\n");
}

TEST(PlotTest, ApproximateValueHasItsOwnShade) {
  // 29 - 6 - 4 - 3 = 16 columns.
  EXPECT_EQ(Plot({{"x", "2023", "~16", 16, 16, true}}, 29),
            "2023  " + Repeat("▓", 16) + " ~16  S\n");
}

TEST(PlotTest, AsciiUsesOnlyAscii) {
  // 50 - 6 - (1 + 5) - 1 - (2 + 8) = 27 columns for 209.
  // 25 -> 3.23 -> 3; 157 -> 20.28 -> 20.
  const std::string chart =
      Plot({{"state_secrets", "2022", ">=25", 25, std::nullopt, false, "Sputnik"},
            {"state_secrets", "2023", "~157", 157, 157, true, "IStories"},
            {"state_secrets", "2024", ">=209", 209, std::nullopt, false, "IStories"},
            {"state_secrets", "2025", "<=8", 0, 8, false, "IStories"}},
           50, /*ascii=*/true);
  EXPECT_EQ(chart,
            "2022  ###> >=25  Sputnik\n"
            "2023  " +
                Repeat("~", 20) + " ~157  IStories\n" + "2024  " + Repeat("#", 27) +
                "> >=209  IStories\n" + "2025  " + Repeat(".", 1) + " <=8  IStories\n");
  for (char c : chart) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(PlotTest, ZeroDrawsNoBar) {
  // 30 - 6 - 2 - 3 = 19 columns for 4.
  EXPECT_EQ(Plot({{"x", "2013", "0", 0, 0}, {"x", "2014", "4", 4, 4}}, 30),
            "2013   0  S\n"
            "2014  " +
                Repeat(kFull, 19) + " 4  S\n");
  EXPECT_EQ(Plot({{"x", "2013", "0", 0, 0}}, 30), "2013   0  S\n");
}

TEST(PlotTest, VeryLargeValuesScaleAndSmallOnesStayVisible) {
  // 60 - 6 - 17 - 3 = 34 columns; 1 rounds to 0 but gets one column.
  EXPECT_EQ(Plot({{"x", "2023", "1", 1, 1},
                  {"x", "2024", "9007199254740991", 9007199254740991.0, 9007199254740991.0}},
                 60),
            "2023  " + kFull + " 1  S\n" + "2024  " + Repeat(kFull, 34) + " 9007199254740991  S\n");
}

TEST(PlotTest, NegativeUnboundedAndMissingValuesDrawNoBar) {
  EXPECT_EQ(Plot({{"x", "2021", "-245", -245, -245},
                  {"x", "2022", "<=-52", std::nullopt, -52},
                  {"x", "2023", "?", std::nullopt, std::nullopt},
                  {"x", "2024", "", std::nullopt, std::nullopt}},
                 40),
            "2021   -245  S\n"
            "2022   <=-52  S\n"
            "2023   ?  S\n"
            "2024   no value  S\n");
}

TEST(PlotTest, MissingPeriodsBetweenRowsGetALineOfTheirOwn) {
  // 2018..2021 and 2023 are missing; 2024-H1 is another grain, no gap
  // before it. Labels 10 wide + 2; value 9 (no figure); source 1:
  // 40 - 12 - 10 - 3 = 15 columns for 16.
  EXPECT_EQ(Plot({{"x", "2017", "4", 4, 4},
                  {"x", "2022", "16", 16, 16},
                  {"x", "2024", "8", 8, 8},
                  {"x", "2024-H1", "2", 2, 2}},
                 40),
            "2017        " + Repeat(kFull, 4) + " 4  S\n" +
            "2018..2021   no figure\n" +
            "2022        " + Repeat(kFull, 15) + " 16  S\n" +
            "2023         no figure\n" +
            "2024        " + Repeat(kFull, 8) + " 8  S\n" +
            "2024-H1     " + Repeat(kFull, 2) + " 2  S\n");
}

TEST(PlotTest, RangeAcrossZeroDrawsOnlyItsPositivePart) {
  // 30 - 6 - 7 - 3 = 14 columns for 10.
  EXPECT_EQ(Plot({{"x", "2024", "-5..10", -5, 10}}, 30),
            "2024  " + Repeat("░", 14) + " -5..10  S\n");
}

TEST(PlotTest, CyrillicSeriesLabelsAlignByDisplayWidth) {
  // One period, several series: labelled by series (display widths 18 and
  // 27) and period: 27 + 1 + 4 = 32. 60 - 34 - 3 - 3 = 20 columns for 10.
  const std::string a = "x{region=\"Москва\"}";
  const std::string b = "x{region=\"Томская область\"}";
  EXPECT_EQ(Plot({{a, "2024", "5", 5, 5}, {b, "2024", "10", 10, 10}}, 60),
            a + std::string(9, ' ') + " 2024  " + Repeat(kFull, 10) + " 5  S\n" + b + " 2024  " +
                Repeat(kFull, 20) + " 10  S\n");
}

TEST(PlotTest, CjkAndCyrillicBarsStartInOneColumn) {
  const std::string chart = Plot({{"x{city=\"東京\"}", "2024", "3", 3, 3},
                                  {"x{city=\"Томск\"}", "2024", "4", 4, 4},
                                  {"x{city=\"Oslo\"}", "2024", "5", 5, 5}},
                                 60);
  std::vector<size_t> starts;
  for (const auto& line : Lines(chart))
    starts.push_back(DisplayWidth(line.substr(0, line.find(kFull))));
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[0], starts[1]);
  EXPECT_EQ(starts[1], starts[2]);
}

TEST(PlotTest, SeveralSeriesWithSeveralPeriodsGetAHeaderEach) {
  // Indent 2, label 4, gap 2: 25 - 8 - 2 - 3 = 12 columns for 4, 3 a unit.
  EXPECT_EQ(
      Plot({{"a", "2023", "1", 1, 1}, {"a", "2024", "2", 2, 2}, {"b", "2024", "4", 4, 4}}, 25),
      "a\n"
      "  2023  " +
          Repeat(kFull, 3) + " 1  S\n" + "  2024  " + Repeat(kFull, 6) + " 2  S\n" +
          "b\n"
          "  2024  " +
          Repeat(kFull, 12) + " 4  S\n");
}

TEST(PlotTest, NarrowTerminalStillGetsTenColumns) {
  EXPECT_EQ(Plot({{"x", "2024", "7", 7, 7}}, 5), "2024  " + Repeat(kFull, 10) + " 7  S\n");
}

TEST(PlotTest, LinesFitTheWidth) {
  const std::vector<V> rows = {{"espionage", "2024-H1", "18", 18, 18, false, "TASS"},
                               {"espionage", "2024", ">=28", 28, std::nullopt, false, "RTVI"},
                               {"espionage", "2025-H1", "~11", 11, 11, true, "TASS"}};
  // Below 31 the bars' minimum of 10 columns no longer fits (9 + 10 + 12).
  for (size_t width = 31; width <= 160; ++width) {
    for (const auto& line : Lines(Plot(rows, width))) EXPECT_LE(DisplayWidth(line), width) << line;
  }
}

TEST(PlotTest, ColourAddsEscapesOnly) {
  const std::vector<V> rows = {{"a", "2023", "~1", 1, 1, true},
                               {"a", "2024", ">=2", 2, std::nullopt},
                               {"b", "2024", "<=4", 0, 4}};
  const std::string plain = Plot(rows, 40);
  const std::string colored = Plot(rows, 40, false, /*color=*/true);
  EXPECT_NE(colored, plain);
  EXPECT_EQ(StripEscapes(colored), plain);
  EXPECT_NE(colored.find("\x1b[1ma\x1b[0m"), std::string::npos);  // bold header
  EXPECT_NE(colored.find("\x1b[33m▓"), std::string::npos);        // approximate: yellow
  EXPECT_NE(colored.find("\x1b[36m█"), std::string::npos);        // exact: cyan
  EXPECT_NE(colored.find("\x1b[2m░"), std::string::npos);         // hollow: dim
}

TEST(PlotTest, ColumnsAreFoundByName) {
  Table t{{"period", "source", "value", "series", "hi", "lo", "approx"},
          {{Cell::Text("2024"), Cell::Text("S"), Cell::Text("3"), Cell::Text("x"), Cell::Number(3),
            Cell::Number(3), Cell::Bool(false)}}};
  EXPECT_EQ(RenderPlot(t, PlotOptions{22, false, false}), "2024  " + Repeat(kFull, 11) + " 3  S\n");
}

}  // namespace
}  // namespace docket::cli
