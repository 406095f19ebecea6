// Fitting tables to a terminal (cli/table_layout.h): wrapping by display
// width and narrowing columns. Every expected value is worked out by hand
// from the contracts in table_layout.h.
#include "cli/table_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/render.h"

namespace docket::cli {
namespace {

using Lines = std::vector<std::string>;

TEST(WrapTextTest, TextThatFitsIsOneLine) {
  EXPECT_EQ(WrapText("hello world", 11), (Lines{"hello world"}));
  EXPECT_EQ(WrapText("", 5), (Lines{""}));
}

TEST(WrapTextTest, BreaksAtTheLastSpaceAndDropsIt) {
  EXPECT_EQ(WrapText("hello world", 5), (Lines{"hello", "world"}));  // the space is where it is full
  EXPECT_EQ(WrapText("hello world", 8), (Lines{"hello", "world"}));
  EXPECT_EQ(WrapText("a b c", 1), (Lines{"a", "b", "c"}));
  // 27 columns, then " convicted" would make 37: the line ends before it;
  // the second line is exactly 32.
  EXPECT_EQ(WrapText("at least 28 people had been convicted of espionage that year", 32),
            (Lines{"at least 28 people had been", "convicted of espionage that year"}));
}

TEST(WrapTextTest, AWordLongerThanTheLineIsCutWhereItOverflows) {
  EXPECT_EQ(WrapText("ab cdefgh", 5), (Lines{"ab", "cdefg", "h"}));
  // A URL without spaces: 50 characters in lines of 32 and 18.
  EXPECT_EQ(WrapText("https://qazreiting.kz/A_Aimaq/2025-04-17/7935.html", 32),
            (Lines{"https://qazreiting.kz/A_Aimaq/20", "25-04-17/7935.html"}));
}

TEST(WrapTextTest, WideCharactersAreNeverSplitAndStartTheNextLine) {
  // Each of 東京都庁 is two columns: two fit in 5, the third would make 6.
  EXPECT_EQ(WrapText("東京都庁", 5), (Lines{"東京", "都庁"}));
  EXPECT_EQ(WrapText("東京都庁", 3), (Lines{"東", "京", "都", "庁"}));
  // Wider than the line: alone on its own line.
  EXPECT_EQ(WrapText("東京", 1), (Lines{"東", "京"}));
  // An emoji is two columns like CJK: a(1) 😀(2) would be 3 > 2.
  EXPECT_EQ(WrapText("a😀b", 2), (Lines{"a", "😀", "b"}));
  EXPECT_EQ(WrapText("a😀b", 3), (Lines{"a😀", "b"}));
  // Cyrillic is one column a letter.
  EXPECT_EQ(WrapText("Томская область", 7), (Lines{"Томская", "область"}));
}

TEST(WrapTextTest, CombiningMarksStayWithTheirLetter) {
  const std::string e_acute = "e\u0301";  // e + COMBINING ACUTE ACCENT: one column
  EXPECT_EQ(WrapText(e_acute + e_acute + e_acute, 2), (Lines{e_acute + e_acute, e_acute}));
}

TEST(WrapTextTest, EveryLineFitsItsWidth) {
  const std::string text = "Москва 東京 https://example.org/a/very/long/path?q=1&r=2 and more words";
  for (size_t width = 2; width <= 20; ++width)
    for (const auto& line : WrapText(text, width)) EXPECT_LE(DisplayWidth(line), width) << line;
}

TEST(FitColumnsTest, ColumnsThatFitAreUnchanged) {
  EXPECT_EQ(FitColumns({6, 30, 50}, 86), (std::vector<size_t>{6, 30, 50}));
  EXPECT_EQ(FitColumns({6, 30, 50}, 100), (std::vector<size_t>{6, 30, 50}));
}

TEST(FitColumnsTest, TheWidestColumnsAreCutToOneLevel) {
  // 6 + 2L <= 40: L = 17.
  EXPECT_EQ(FitColumns({6, 30, 50}, 40), (std::vector<size_t>{6, 17, 17}));
  // One column left over goes to the first cut column.
  EXPECT_EQ(FitColumns({6, 30, 50}, 41), (std::vector<size_t>{6, 18, 17}));
  // 6 + 20 + L <= 50 once the level passes 20: L = 24.
  EXPECT_EQ(FitColumns({6, 20, 50}, 50), (std::vector<size_t>{6, 20, 24}));
}

TEST(FitColumnsTest, NoColumnIsCutBelowOne) {
  EXPECT_EQ(FitColumns({5, 5, 5}, 2), (std::vector<size_t>{1, 1, 1}));
  EXPECT_EQ(FitColumns({0, 10}, 5), (std::vector<size_t>{0, 5}));
}

}  // namespace
}  // namespace docket::cli
