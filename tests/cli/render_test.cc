// Output formats (spec §4): exact bytes for each format, worked out by hand
// from the rules, on a small result with Cyrillic, CJK, a value needing CSV
// quoting, a null and booleans.
#include "cli/render.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace docket::cli {
namespace {

// Collects what a writer prints, in memory.
class Capture {
 public:
  Capture() : file_(open_memstream(&data_, &size_)) {}
  ~Capture() {
    std::fclose(file_);
    std::free(data_);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  std::FILE* file() const { return file_; }
  std::string str() {
    std::fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

RenderOptions With(Format format, bool ascii = false, bool color = false) {
  RenderOptions options;
  options.format = format;
  options.ascii = ascii;
  options.color = color;
  return options;
}

// Everything one writer prints for `tables`, in order.
std::string Render(const RenderOptions& options, const std::vector<Table>& tables) {
  Capture capture;
  ResultWriter writer(capture.file(), options);
  for (const auto& table : tables) writer.Write(table);
  return capture.str();
}

std::string Render(const RenderOptions& options, const Table& table) {
  return Render(options, std::vector<Table>{table});
}

// A value-row-like result: Cyrillic and CJK series, a text needing CSV
// quoting, a null `hi`, booleans, a number with a long shortest form.
Table Sample() {
  const double ratio = 145.0 / 36.0;  // 4.027777777777778
  Table table;
  table.columns = {"series", "value", "lo", "hi", "approx"};
  table.rows = {
      {Cell::Text("Томская область"), Cell::Text("~36"), Cell::Number(36), Cell::Number(36),
       Cell::Bool(true)},
      {Cell::Text("東京"), Cell::Text(">=28"), Cell::Number(28), Cell::Null(), Cell::Bool(false)},
      {Cell::Text("say \"hi\", ok"), Cell::Text("4.03"), Cell::Number(ratio),
       Cell::Number(ratio), Cell::Bool(false)},
  };
  return table;
}

Table EmptyResult() {
  Table table;
  table.columns = {"series", "lo"};
  return table;
}

Table OneText(std::string column, std::string text) {
  Table table;
  table.columns = {std::move(column)};
  table.rows = {{Cell::Text(std::move(text))}};
  return table;
}

Table OneColumnNoRows(std::string column) {
  Table table;
  table.columns = {std::move(column)};
  return table;
}

// --- formats on the sample --------------------------------------------------

TEST(RenderTest, TableAlignsCyrillicByDisplayWidth) {
  EXPECT_EQ(Render(With(Format::kTable), Sample()),
            "┌─────────────────┬───────┬───────┬───────┬────────┐\n"
            "│ series          │ value │ lo    │ hi    │ approx │\n"
            "├─────────────────┼───────┼───────┼───────┼────────┤\n"
            "│ Томская область │ ~36   │ 36.00 │ 36.00 │ true   │\n"
            "│ 東京            │ >=28  │ 28.00 │       │ false  │\n"
            "│ say \"hi\", ok    │ 4.03  │  4.03 │  4.03 │ false  │\n"
            "└─────────────────┴───────┴───────┴───────┴────────┘\n"
            "(3 rows)\n");
}

TEST(RenderTest, AsciiTableUsesPlusMinusBar) {
  Table table;
  table.columns = {"city", "n"};
  table.rows = {{Cell::Text("東京"), Cell::Number(1.5)}, {Cell::Text("Омск"), Cell::Number(12)}};
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/true), table),
            "+------+-------+\n"
            "| city | n     |\n"
            "+------+-------+\n"
            "| 東京 |  1.50 |\n"
            "| Омск | 12.00 |\n"
            "+------+-------+\n"
            "(2 rows)\n");
}

TEST(RenderTest, TableSaysOneRowInTheSingular) {
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/true), OneText("a", "x")),
            "+---+\n"
            "| a |\n"
            "+---+\n"
            "| x |\n"
            "+---+\n"
            "(1 row)\n");
}

TEST(RenderTest, ColorBoldsHeaderWithoutWideningColumns) {
  Table table;
  table.columns = {"a", "bb"};
  table.rows = {{Cell::Text("x"), Cell::Number(1)}};
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/false, /*color=*/true), table),
            "┌───┬──────┐\n"
            "│ \x1b[1ma\x1b[0m │ \x1b[1mbb\x1b[0m   │\n"
            "├───┼──────┤\n"
            "│ x │ 1.00 │\n"
            "└───┴──────┘\n"
            "(1 row)\n");
}

TEST(RenderTest, TableShowsControlCharactersEscapedOnOneLine) {
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/true), OneText("s", "a\nb\tc\x1b")),
            "+-------------+\n"
            "| s           |\n"
            "+-------------+\n"
            "| a\\nb\\tc\\x1b |\n"
            "+-------------+\n"
            "(1 row)\n");
}

TEST(RenderTest, CsvQuotesCommaAndDoublesQuotes) {
  EXPECT_EQ(Render(With(Format::kCsv), Sample()),
            "series,value,lo,hi,approx\n"
            "Томская область,~36,36,36,true\n"
            "東京,>=28,28,,false\n"
            "\"say \"\"hi\"\", ok\",4.03,4.027777777777778,4.027777777777778,false\n");
}

TEST(RenderTest, CsvQuotesLineBreaksAndOuterSpaces) {
  Table table;
  table.columns = {"a,b", "c"};
  table.rows = {{Cell::Text(" lead"), Cell::Text("trail ")},
                {Cell::Text("two\nlines"), Cell::Text("cr\rhere")},
                {Cell::Text("in side"), Cell::Text("")}};
  EXPECT_EQ(Render(With(Format::kCsv), table),
            "\"a,b\",c\n"
            "\" lead\",\"trail \"\n"
            "\"two\nlines\",\"cr\rhere\"\n"
            "in side,\n");
}

TEST(RenderTest, TsvSeparatesByTabWithNullEmpty) {
  EXPECT_EQ(Render(With(Format::kTsv), Sample()),
            "series\tvalue\tlo\thi\tapprox\n"
            "Томская область\t~36\t36\t36\ttrue\n"
            "東京\t>=28\t28\t\tfalse\n"
            "say \"hi\", ok\t4.03\t4.027777777777778\t4.027777777777778\tfalse\n");
}

TEST(RenderTest, TsvEscapesBackslashTabNewlineAndCr) {
  Table table;
  table.columns = {"a\tb", "c"};
  table.rows = {{Cell::Text(R"(back\slash)"), Cell::Text("tab\there")},
                {Cell::Text("new\nline"), Cell::Text("cr\rhere")}};
  EXPECT_EQ(Render(With(Format::kTsv), table),
            "a\\tb\tc\n"
            "back\\\\slash\ttab\\there\n"
            "new\\nline\tcr\\rhere\n");
}

TEST(RenderTest, JsonWritesOneArrayOfTypedObjects) {
  EXPECT_EQ(Render(With(Format::kJson), Sample()),
            R"([{"series":"Томская область","value":"~36","lo":36,"hi":36,"approx":true},)"
            R"({"series":"東京","value":">=28","lo":28,"hi":null,"approx":false},)"
            R"({"series":"say \"hi\", ok","value":"4.03","lo":4.027777777777778,)"
            R"("hi":4.027777777777778,"approx":false}])"
            "\n");
}

TEST(RenderTest, JsonlWritesOneObjectPerLine) {
  EXPECT_EQ(Render(With(Format::kJsonl), Sample()),
            R"({"series":"Томская область","value":"~36","lo":36,"hi":36,"approx":true})"
            "\n"
            R"({"series":"東京","value":">=28","lo":28,"hi":null,"approx":false})"
            "\n"
            R"({"series":"say \"hi\", ok","value":"4.03","lo":4.027777777777778,)"
            R"("hi":4.027777777777778,"approx":false})"
            "\n");
}

TEST(RenderTest, JsonWritesExactIntegersWithoutFraction) {
  Table table;
  table.columns = {"n"};
  for (double v : {145.0, -3.0, 0.5, 9007199254740992.0, 9007199254740994.0, 1e20,
                   std::numeric_limits<double>::infinity()}) {
    table.rows.push_back({Cell::Number(v)});
  }
  EXPECT_EQ(Render(With(Format::kJsonl), table),
            "{\"n\":145}\n"
            "{\"n\":-3}\n"
            "{\"n\":0.5}\n"
            "{\"n\":9007199254740992}\n"
            "{\"n\":9007199254740994}\n"
            "{\"n\":100000000000000000000}\n"
            "{\"n\":null}\n");
}

TEST(RenderTest, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(Render(With(Format::kJsonl), OneText("s", "a\xff" "b")),
            "{\"s\":\"a\xef\xbf\xbd" "b\"}\n");
}

TEST(RenderTest, MarkdownRightAlignsNumericColumns) {
  EXPECT_EQ(Render(With(Format::kMarkdown), Sample()),
            "| series | value | lo | hi | approx |\n"
            "|---|---|---:|---:|---|\n"
            "| Томская область | ~36 | 36.00 | 36.00 | true |\n"
            "| 東京 | >=28 | 28.00 |  | false |\n"
            "| say \"hi\", ok | 4.03 | 4.03 | 4.03 | false |\n");
}

TEST(RenderTest, MarkdownEscapesPipesAndLineBreaks) {
  Table table;
  table.columns = {"a|b", "mixed"};
  table.rows = {{Cell::Text("x|y\nz"), Cell::Number(1)}, {Cell::Text("p\r\nq"), Cell::Text("t")}};
  EXPECT_EQ(Render(With(Format::kMarkdown), table),
            "| a\\|b | mixed |\n"
            "|---|---|\n"
            "| x\\|y<br>z | 1.00 |\n"
            "| p<br>q | t |\n");
}

// --- empty results ----------------------------------------------------------

TEST(RenderTest, EmptyCsvPrintsHeaderOnly) {
  EXPECT_EQ(Render(With(Format::kCsv), EmptyResult()), "series,lo\n");
}

TEST(RenderTest, EmptyTsvPrintsHeaderOnly) {
  EXPECT_EQ(Render(With(Format::kTsv), EmptyResult()), "series\tlo\n");
}

TEST(RenderTest, EmptyMarkdownPrintsHeaderAndRuleOnly) {
  EXPECT_EQ(Render(With(Format::kMarkdown), EmptyResult()), "| series | lo |\n|---|---|\n");
}

TEST(RenderTest, EmptyJsonPrintsEmptyArray) {
  EXPECT_EQ(Render(With(Format::kJson), EmptyResult()), "[]\n");
}

TEST(RenderTest, EmptyJsonlPrintsNothing) {
  EXPECT_EQ(Render(With(Format::kJsonl), EmptyResult()), "");
}

TEST(RenderTest, EmptyTablePrintsNoRowsOnly) {
  EXPECT_EQ(Render(With(Format::kTable), EmptyResult()), "(no rows)\n");
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/true), EmptyResult()), "(no rows)\n");
}

// --- several results --------------------------------------------------------

TEST(RenderTest, CsvSeparatesResultsByOneEmptyLine) {
  EXPECT_EQ(Render(With(Format::kCsv), {OneText("a", "x"), OneColumnNoRows("b"), OneText("c", "y")}),
            "a\nx\n\nb\n\nc\ny\n");
}

TEST(RenderTest, TsvSeparatesResultsByOneEmptyLine) {
  EXPECT_EQ(Render(With(Format::kTsv), {OneText("a", "x"), OneText("b", "y")}), "a\nx\n\nb\ny\n");
}

TEST(RenderTest, MarkdownSeparatesResultsByOneEmptyLine) {
  EXPECT_EQ(Render(With(Format::kMarkdown), {OneText("a", "x"), OneColumnNoRows("b")}),
            "| a |\n|---|\n| x |\n\n| b |\n|---|\n");
}

TEST(RenderTest, TableSeparatesResultsByOneEmptyLine) {
  EXPECT_EQ(Render(With(Format::kTable, /*ascii=*/true), {OneColumnNoRows("a"), OneText("b", "y")}),
            "(no rows)\n"
            "\n"
            "+---+\n"
            "| b |\n"
            "+---+\n"
            "| y |\n"
            "+---+\n"
            "(1 row)\n");
}

TEST(RenderTest, JsonPrintsOneArrayPerResultWithoutSeparators) {
  EXPECT_EQ(Render(With(Format::kJson), {OneText("a", "x"), OneColumnNoRows("b")}),
            "[{\"a\":\"x\"}]\n[]\n");
}

TEST(RenderTest, JsonlPrintsAllRowsWithoutSeparators) {
  EXPECT_EQ(Render(With(Format::kJsonl), {OneText("a", "x"), OneColumnNoRows("b"), OneText("c", "y")}),
            "{\"a\":\"x\"}\n{\"c\":\"y\"}\n");
}

TEST(RenderTest, TextLinesDoNotChangeResultSeparation) {
  Capture capture;
  ResultWriter writer(capture.file(), With(Format::kCsv));
  writer.WriteText("plot");
  writer.Write(OneText("a", "x"));
  writer.WriteText("check ok\n");
  writer.Write(OneText("b", "y"));
  EXPECT_EQ(capture.str(), "plot\na\nx\ncheck ok\n\nb\ny\n");
}

TEST(RenderTest, TextIsWrittenWhateverTheFormat) {
  for (Format format : {Format::kTable, Format::kCsv, Format::kTsv, Format::kJson, Format::kJsonl,
                        Format::kMarkdown}) {
    Capture capture;
    ResultWriter writer(capture.file(), With(format));
    writer.WriteText("line one\nline two");
    EXPECT_EQ(capture.str(), "line one\nline two\n") << FormatName(format);
  }
}

TEST(RenderTest, FirstTabularResultAfterJsonHasNoLeadingEmptyLine) {
  Capture capture;
  ResultWriter writer(capture.file(), With(Format::kJson));
  writer.Write(OneText("a", "x"));
  writer.set_options(With(Format::kCsv));
  writer.Write(OneText("b", "y"));
  writer.Write(OneText("c", "z"));
  EXPECT_EQ(capture.str(), "[{\"a\":\"x\"}]\nb\ny\n\nc\nz\n");
}

// --- display width and format names ------------------------------------------

TEST(RenderTest, DisplayWidthCountsCyrillicAsOneColumnEach) {
  EXPECT_EQ(DisplayWidth("Томская область"), 15u);
}

TEST(RenderTest, DisplayWidthCountsCjkAsTwoColumnsEach) {
  EXPECT_EQ(DisplayWidth("東京"), 4u);
  EXPECT_EQ(DisplayWidth("a東京b"), 6u);
}

TEST(RenderTest, DisplayWidthCountsCombiningMarksAsZero) {
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);       // e + COMBINING ACUTE ACCENT
  EXPECT_EQ(DisplayWidth("\u0418\u0306"), 1u);  // И + COMBINING BREVE
}

TEST(RenderTest, DisplayWidthCountsInvalidBytesAsOneEach) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("ab"), 2u);
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2u);
  EXPECT_EQ(DisplayWidth("a\xe6\x9d"), 3u);  // truncated CJK sequence
}

TEST(RenderTest, FormatNamesRoundTrip) {
  for (Format format : {Format::kTable, Format::kCsv, Format::kTsv, Format::kJson, Format::kJsonl,
                        Format::kMarkdown}) {
    EXPECT_EQ(ParseFormat(FormatName(format)), format);
  }
  EXPECT_EQ(FormatName(Format::kJsonl), "jsonl");
  EXPECT_EQ(FormatName(Format::kMarkdown), "markdown");
}

TEST(RenderTest, UnknownFormatNameIsRejected) {
  EXPECT_EQ(ParseFormat("xml"), std::nullopt);
  EXPECT_EQ(ParseFormat(""), std::nullopt);
  EXPECT_EQ(ParseFormat("CSV"), std::nullopt);
  EXPECT_EQ(ParseFormat("json "), std::nullopt);
}

}  // namespace
}  // namespace docket::cli
