// End-to-end: output formats (spec §4): table, csv, tsv, json, jsonl and
// markdown for one multi-row result, an empty result and two results.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/e2e/harness.h"

namespace docket::e2e {
namespace {

using Strings = std::vector<std::string>;
using Json = nlohmann::ordered_json;

constexpr char kValueHeader[] = "series,period,value,lo,hi,approx,source,reported\n";
constexpr char kTomsk[] = "Томская область";

// Two series of treason 2024, one with a Cyrillic label value.
constexpr char kFigures[] =
    "define charge treason; define source IStories; define source RTVI;"
    "record treason{region=\"Omsk\"}[2024] >= 28 from RTVI on 2024-12;"
    "record treason{region=\"Томская область\"}[2024] = 145 from IStories on 2025-04;";
constexpr char kTwoRows[] = "treason{region=*}";
constexpr char kNoRows[] = "treason{region=\"Nowhere\"}";

Strings SplitLines(const std::string& text) {
  Strings lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Number of code points in UTF-8 text before byte offset `bytes`.
size_t CodePoints(const std::string& text, size_t bytes) {
  size_t n = 0;
  for (size_t i = 0; i < bytes && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// Trimmed cells of a markdown table row `| a | b |`.
Strings MarkdownCells(const std::string& line) {
  Strings cells;
  if (line.size() < 2 || line.front() != '|' || line.back() != '|') return {"<not a row: " + line + ">"};
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      const size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

bool IsMarkdownSeparator(const std::string& line) {
  const Strings cells = MarkdownCells(line);
  if (cells.empty()) return false;
  for (const auto& c : cells) {
    if (c.find('-') == std::string::npos || c.find_first_not_of(":-") != std::string::npos) return false;
  }
  return true;
}

class FormatTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d_.Query(kFigures)), ""); }
  Outcome As(const std::string& format, const std::string& script) const {
    return d_.Run({"--format", format, "-e", script});
  }
  Docket d_;
};

TEST_F(FormatTest, CsvQuotesFieldsThatHoldQuotes) {
  const Outcome o = As("csv", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) +
                       "\"treason{region=\"\"Omsk\"\"}\",2024,>=28,28,,false,RTVI,2024-12\n"
                       "\"treason{region=\"\"Томская область\"\"}\",2024,145,145,145,false,IStories,2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, CsvIsTheDefaultWhenStdoutIsNotATerminal) {
  const Outcome o = d_.Run({"-e", kTwoRows});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, As("csv", kTwoRows).out);
  EXPECT_EQ(o.out.rfind(kValueHeader, 0), 0u) << o.out;
}

TEST_F(FormatTest, TsvSeparatesFieldsWithTabs) {
  const Outcome o = As("tsv", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "series\tperiod\tvalue\tlo\thi\tapprox\tsource\treported\n"
            "treason{region=\"Omsk\"}\t2024\t>=28\t28\t\tfalse\tRTVI\t2024-12\n"
            "treason{region=\"Томская область\"}\t2024\t145\t145\t145\tfalse\tIStories\t2025-04\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, JsonIsOneArrayOfTypedObjects) {
  const Outcome o = As("json", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 1u) << o.out;
  const Json expected = Json::parse(R"([
    {"series": "treason{region=\"Omsk\"}", "period": "2024", "value": ">=28", "lo": 28, "hi": null,
     "approx": false, "source": "RTVI", "reported": "2024-12"},
    {"series": "treason{region=\"Томская область\"}", "period": "2024", "value": "145", "lo": 145, "hi": 145,
     "approx": false, "source": "IStories", "reported": "2025-04"}])");
  const Json actual = Json::parse(lines[0], nullptr, false);
  ASSERT_FALSE(actual.is_discarded()) << lines[0];
  EXPECT_EQ(actual, expected) << actual.dump();  // ordered_json: the field order counts too
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, JsonlIsOneObjectPerLine) {
  const Outcome o = As("jsonl", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  const Json first = Json::parse(lines[0], nullptr, false), second = Json::parse(lines[1], nullptr, false);
  EXPECT_EQ(first, Json::parse(R"({"series": "treason{region=\"Omsk\"}", "period": "2024", "value": ">=28",
      "lo": 28, "hi": null, "approx": false, "source": "RTVI", "reported": "2024-12"})"))
      << lines[0];
  EXPECT_EQ(second, Json::parse(R"({"series": "treason{region=\"Томская область\"}", "period": "2024",
      "value": "145", "lo": 145, "hi": 145, "approx": false, "source": "IStories", "reported": "2025-04"})"))
      << lines[1];
}

TEST_F(FormatTest, MarkdownIsAPipeTableWithCountBoundsWhole) {
  const Outcome o = As("markdown", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 4u) << o.out;
  EXPECT_EQ(MarkdownCells(lines[0]), (Strings{"series", "period", "value", "lo", "hi", "approx", "source", "reported"}));
  EXPECT_TRUE(IsMarkdownSeparator(lines[1])) << lines[1];
  EXPECT_EQ(MarkdownCells(lines[1]).size(), 8u);
  EXPECT_EQ(MarkdownCells(lines[2]),
            (Strings{"treason{region=\"Omsk\"}", "2024", ">=28", "28", "", "false", "RTVI", "2024-12"}));
  EXPECT_EQ(MarkdownCells(lines[3]), (Strings{std::string("treason{region=\"") + kTomsk + "\"}", "2024", "145",
                                              "145", "145", "false", "IStories", "2025-04"}));
}

TEST_F(FormatTest, TableEndsWithTheRowCountAndShowsCountBoundsWhole) {
  const Outcome o = As("table", kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "(2 rows)");
  // counts print whole (spec §3 v1.1)
  EXPECT_NE(o.out.find(" 28 "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(" 145 "), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find(".00"), std::string::npos) << o.out;
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, TableAlignsCyrillicLabelsByDisplayWidth) {
  const Outcome o = As("table", kTwoRows);
  ASSERT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  size_t header = lines.size(), omsk = lines.size(), tomsk = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("period") != std::string::npos) header = i;
    if (lines[i].find("Omsk") != std::string::npos) omsk = i;
    if (lines[i].find(kTomsk) != std::string::npos) tomsk = i;
  }
  ASSERT_LT(header, lines.size()) << o.out;
  ASSERT_LT(omsk, lines.size()) << o.out;
  ASSERT_LT(tomsk, lines.size()) << o.out;
  // The period and source columns start at the same display column on every line.
  const size_t period_col = CodePoints(lines[header], lines[header].find("period"));
  EXPECT_EQ(CodePoints(lines[omsk], lines[omsk].find("2024")), period_col) << o.out;
  EXPECT_EQ(CodePoints(lines[tomsk], lines[tomsk].find("2024")), period_col) << o.out;
  const size_t source_col = CodePoints(lines[header], lines[header].find("source"));
  EXPECT_EQ(CodePoints(lines[omsk], lines[omsk].find("RTVI")), source_col) << o.out;
  EXPECT_EQ(CodePoints(lines[tomsk], lines[tomsk].find("IStories")), source_col) << o.out;
  // And every line of the grid has the same width.
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    EXPECT_EQ(CodePoints(lines[i], lines[i].size()), CodePoints(lines[header], lines[header].size()))
        << "line " << i << ": " << lines[i];
  }
}

TEST_F(FormatTest, TableOfOneRowSaysOneRow) {
  const Outcome o = As("table", "treason{region=\"Omsk\"}");
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "(1 row)");
}

TEST_F(FormatTest, EmptyResultPrintsHeaderOnlyInCsv) {
  const Outcome o = As("csv", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, kValueHeader);
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, EmptyResultPrintsHeaderOnlyInTsv) {
  const Outcome o = As("tsv", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "series\tperiod\tvalue\tlo\thi\tapprox\tsource\treported\n");
}

TEST_F(FormatTest, EmptyResultPrintsHeaderOnlyInMarkdown) {
  const Outcome o = As("markdown", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_EQ(MarkdownCells(lines[0]), (Strings{"series", "period", "value", "lo", "hi", "approx", "source", "reported"}));
  EXPECT_TRUE(IsMarkdownSeparator(lines[1])) << lines[1];
}

TEST_F(FormatTest, EmptyResultPrintsAnEmptyArrayInJson) {
  const Outcome o = As("json", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "[]\n");
}

TEST_F(FormatTest, EmptyResultPrintsNothingInJsonl) {
  const Outcome o = As("jsonl", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST_F(FormatTest, EmptyResultPrintsNoRowsInTable) {
  const Outcome o = As("table", kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "(no rows)\n");
}

TEST_F(FormatTest, TwoResultsInCsvAreSeparatedByOneEmptyLine) {
  const Outcome o = As("csv", std::string(kNoRows) + "; define charge x; treason{region=\"Omsk\"}");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string(kValueHeader) + "\n" + kValueHeader +
                       "\"treason{region=\"\"Omsk\"\"}\",2024,>=28,28,,false,RTVI,2024-12\n");
}

TEST_F(FormatTest, TwoResultsInTsvAreSeparatedByOneEmptyLine) {
  const Outcome o = As("tsv", std::string(kNoRows) + "; treason{region=\"Omsk\"}");
  EXPECT_EQ(o.exit_code, 0);
  const std::string header = "series\tperiod\tvalue\tlo\thi\tapprox\tsource\treported\n";
  EXPECT_EQ(o.out, header + "\n" + header + "treason{region=\"Omsk\"}\t2024\t>=28\t28\t\tfalse\tRTVI\t2024-12\n");
}

TEST_F(FormatTest, TwoResultsInMarkdownAreSeparatedByOneEmptyLine) {
  const Outcome o = As("markdown", std::string(kTwoRows) + "; " + kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 7u) << o.out;
  EXPECT_EQ(lines[4], "");
  EXPECT_EQ(MarkdownCells(lines[5])[0], "series");
  EXPECT_TRUE(IsMarkdownSeparator(lines[6])) << lines[6];
}

TEST_F(FormatTest, TwoResultsInATableAreSeparatedByOneEmptyLine) {
  const Outcome o = As("table", std::string(kNoRows) + "; " + kNoRows);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "(no rows)\n\n(no rows)\n");
}

TEST_F(FormatTest, TwoResultsInJsonAreOneArrayPerLine) {
  const Outcome o = As("json", std::string(kNoRows) + "; define charge x; treason{region=\"Omsk\"}");
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_EQ(lines[0], "[]");
  const Json second = Json::parse(lines[1], nullptr, false);
  ASSERT_TRUE(second.is_array()) << lines[1];
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["value"], ">=28");
}

TEST_F(FormatTest, TwoResultsInJsonlAreAllRowsInOrder) {
  const Outcome o = As("jsonl", std::string("treason{region=\"Omsk\"}; ") + kNoRows + "; " + kTwoRows);
  EXPECT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o.out;
  Strings values;
  for (const auto& line : lines) {
    const Json row = Json::parse(line, nullptr, false);
    values.push_back(row.is_object() ? row["value"].get<std::string>() : "<bad: " + line + ">");
  }
  EXPECT_EQ(values, (Strings{">=28", ">=28", "145"}));
}

TEST_F(FormatTest, BoundsAreShortestExactInCsvButTwoDecimalsInTable) {
  const std::string ratio = "treason{region=\"Томская область\"}[2024] / 36";
  const Outcome csv = As("csv", ratio);
  EXPECT_EQ(CsvColumn(csv.out, "value"), Strings{"4.03"});
  EXPECT_EQ(CsvColumn(csv.out, "lo"), Strings{"4.027777777777778"});
  EXPECT_EQ(CsvColumn(csv.out, "hi"), Strings{"4.027777777777778"});
  const Outcome table = As("table", ratio);
  EXPECT_EQ(table.out.find("4.027"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("4.03"), std::string::npos) << table.out;
  const Outcome markdown = As("markdown", ratio);
  const Strings lines = SplitLines(markdown.out);
  ASSERT_EQ(lines.size(), 3u) << markdown.out;
  const Strings cells = MarkdownCells(lines[2]);
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells[2], "4.03");
  EXPECT_EQ(cells[3], "4.03");
  EXPECT_EQ(cells[4], "4.03");
}

TEST_F(FormatTest, JsonBoundsAreShortestExactNumbers) {
  const Outcome o = As("json", "treason{region=\"Томская область\"}[2024] / 36");
  const Json rows = Json::parse(o.out, nullptr, false);
  ASSERT_TRUE(rows.is_array()) << o.out;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["lo"], 145.0 / 36.0);
  EXPECT_NE(o.out.find("\"lo\":4.027777777777778"), std::string::npos) << o.out;
}

TEST_F(FormatTest, GrowthRowsInJsonHaveTypedFields) {
  ASSERT_EQ(FailureOf(d_.Query("record treason{region=\"Omsk\"}[2023] = 14 from RTVI on 2024-01")), "");
  const Outcome o = As("json", "growth(treason{region=\"Omsk\"}, 2023, 2024)");
  EXPECT_EQ(o.exit_code, 0);
  // >=28 / 14 = >=2
  const Json expected = Json::parse(R"([{"series": "treason{region=\"Omsk\"}", "from": "2023", "to": "2024",
      "from_value": "14", "to_value": ">=28", "value": ">=2.00", "lo": 2, "hi": null, "approx": false,
      "source": "RTVI"}])");
  EXPECT_EQ(Json::parse(o.out, nullptr, false), expected) << o.out;
}

TEST_F(FormatTest, RetractionRowInJsonHasNullBoundsAndFalseApprox) {
  ASSERT_EQ(FailureOf(d_.Query("retract treason{region=\"Omsk\"}[2024] from RTVI on 2025-01-15 note \"gone\"")), "");
  const Outcome o = As("json", "revisions(treason{region=\"Omsk\"}[2024])");
  EXPECT_EQ(o.exit_code, 0);
  const Json rows = Json::parse(o.out, nullptr, false);
  ASSERT_TRUE(rows.is_array()) << o.out;
  ASSERT_EQ(rows.size(), 2u) << o.out;
  const Json expected = Json::parse(R"({"series": "treason{region=\"Omsk\"}", "period": "2024", "source": "RTVI",
      "reported": "2025-01-15", "recorded": "2025-11-01T00:00:00.000002Z", "value": "", "lo": null, "hi": null,
      "approx": false, "status": "retracted", "note": "gone", "url": ""})");
  EXPECT_EQ(rows[1], expected) << o.out;
}

// Display columns of UTF-8 text before byte offset `bytes`: 2 for East Asian
// wide characters (the CJK ranges used here), else 1.
size_t DisplayColumns(const std::string& text, size_t bytes) {
  size_t width = 0;
  for (size_t i = 0; i < bytes && i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    width += (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
    i += len;
  }
  return width;
}

TEST(FormatWidthTest, TableAlignsCjkLabelsByDisplayWidth) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge t; define source S;"
                              "record t{city=\"Omsk\"}[2024] = 22 from S on 2025;"
                              "record t{city=\"東京\"}[2024] = 1 from S on 2025;")),
            "");
  const Outcome o = d.Run({"--format", "table", "-e", "t{city=*}"});
  ASSERT_EQ(o.exit_code, 0);
  const Strings lines = SplitLines(o.out);
  size_t header = lines.size(), omsk = lines.size(), tokyo = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("period") != std::string::npos) header = i;
    if (lines[i].find("Omsk") != std::string::npos) omsk = i;
    if (lines[i].find("東京") != std::string::npos) tokyo = i;
  }
  ASSERT_LT(header, lines.size()) << o.out;
  ASSERT_LT(omsk, lines.size()) << o.out;
  ASSERT_LT(tokyo, lines.size()) << o.out;
  const size_t period_col = DisplayColumns(lines[header], lines[header].find("period"));
  EXPECT_EQ(DisplayColumns(lines[omsk], lines[omsk].find("2024")), period_col) << o.out;
  EXPECT_EQ(DisplayColumns(lines[tokyo], lines[tokyo].find("2024")), period_col) << o.out;
  EXPECT_EQ(DisplayColumns(lines[tokyo], lines[tokyo].size()), DisplayColumns(lines[header], lines[header].size()))
      << o.out;
}

TEST(FormatOrderTest, GrowthRowsOrderBySeriesThenToPeriod) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge t; define source S;"
                              "record t{r=\"b\"}[2022] = 1 from S on 2025; record t{r=\"b\"}[2023] = 2 from S on 2025;"
                              "record t{r=\"b\"}[2024] = 4 from S on 2025;"
                              "record t{r=\"a\"}[2022] = 1 from S on 2025; record t{r=\"a\"}[2023] = 3 from S on 2025;"
                              "record t{r=\"a\"}[2024] = 9 from S on 2025;")),
            "");
  const Outcome o = d.Query("change(t{r=*}[2022..2024])");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out,
            "series,from,to,from_value,to_value,value,lo,hi,approx,source\n"
            "\"t{r=\"\"a\"\"}\",2022,2023,1,3,2,2,2,false,S\n"
            "\"t{r=\"\"a\"\"}\",2023,2024,3,9,6,6,6,false,S\n"
            "\"t{r=\"\"b\"\"}\",2022,2023,1,2,1,1,1,false,S\n"
            "\"t{r=\"\"b\"\"}\",2023,2024,2,4,2,2,2,false,S\n");
}

TEST(FormatEscapeTest, JsonEscapesQuotesNewlinesAndKeepsUtf8) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge t; define source S;"
                              "record t[2024] = 1 from S on 2025 note \"say \\\"да\\\"\nnext line\";")),
            "");
  const Outcome o = d.Run({"--format", "json", "-e", "revisions(t[2024])"});
  const Json rows = Json::parse(o.out, nullptr, false);
  ASSERT_TRUE(rows.is_array()) << o.out;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["note"], "say \"да\"\nnext line");
}

TEST(FormatEscapeTest, CsvQuotesFieldsWithNewlines) {
  Docket d;
  ASSERT_EQ(FailureOf(d.Query("define charge t; define source S;"
                              "record t[2024] = 1 from S on 2025 note \"a, b\nc\";")),
            "");
  const Outcome o = d.Query("revisions(t[2024])");
  EXPECT_EQ(o.out,
            "series,period,source,reported,recorded,value,lo,hi,approx,status,note,url\n"
            "t,2024,S,2025,2025-11-01T00:00:00.000000Z,1,1,1,false,current,\"a, b\nc\",\n");
}

}  // namespace
}  // namespace docket::e2e
