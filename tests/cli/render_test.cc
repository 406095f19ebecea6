// Output formats (spec §4): exact bytes for each format, worked out by hand
// from the rules, on a small result with Cyrillic, CJK, a value needing CSV
// quoting, a null and booleans; tables fitted to a width, expanded, and the
// options a terminal gets by default.
#include "cli/render.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cli/console_output.h"

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

// --- tables fitted to a terminal's width (RenderOptions::width) --------------

RenderOptions Fitted(size_t width, Expanded expanded = Expanded::kOff, bool ascii = false) {
  RenderOptions options = With(Format::kTable, ascii);
  options.width = width;
  options.expanded = expanded;
  return options;
}

// Revision-like rows: a long note and a URL without spaces.
Table NotesAndUrls() {
  Table table;
  table.columns = {"period", "note", "url"};
  table.rows = {
      {Cell::Text("2024"), Cell::Text("at least 28 people had been convicted of espionage that year"),
       Cell::Text("https://qazreiting.kz/A_Aimaq/2025-04-17/7935.html")},
      {Cell::Text("2023"), Cell::Text("none"), Cell::Null()},
  };
  return table;
}

std::string Padded(const std::string& ascii_text, size_t width) {
  return ascii_text + std::string(width - ascii_text.size(), ' ');
}

TEST(RenderTest, CellsWrapInsideTheirColumnsToFitEightyColumns) {
  // Natural widths 6, 60, 50 and 10 columns of borders: 70 left, so note
  // and url are cut to 32 each (6 + 2 * 32 = 70) and the table is 80 wide.
  // A row of several lines is set apart from the next by a rule.
  const auto line = [](const std::string& a, const std::string& b, const std::string& c) {
    return "│ " + Padded(a, 6) + " │ " + Padded(b, 32) + " │ " + Padded(c, 32) + " │\n";
  };
  const auto rule = [](const char* left, const char* joint, const char* right) {
    std::string text = left;
    for (size_t w : {8, 34, 34}) {
      if (w != 8) text += joint;
      for (size_t i = 0; i < w; ++i) text += "─";
    }
    return text + right + "\n";
  };
  const std::string expected = rule("┌", "┬", "┐") + line("period", "note", "url") +
                               rule("├", "┼", "┤") +
                               line("2024", "at least 28 people had been", "https://qazreiting.kz/A_Aimaq/20") +
                               line("", "convicted of espionage that year", "25-04-17/7935.html") +
                               rule("├", "┼", "┤") + line("2023", "none", "") +
                               rule("└", "┴", "┘") + "(2 rows)\n";
  const std::string table = Render(Fitted(80), NotesAndUrls());
  EXPECT_EQ(table, expected);
  size_t start = 0;
  for (size_t end; (end = table.find('\n', start)) != std::string::npos && table[start] != '('; start = end + 1)
    EXPECT_EQ(DisplayWidth(table.substr(start, end - start)), 80u) << table.substr(start, end - start);
}

TEST(RenderTest, HeadersWrapTooWhenTheTerminalIsVeryNarrow) {
  // 11 columns: 7 of borders, 4 for two columns of 6: 2 each.
  Table table;
  table.columns = {"period", "approx"};
  table.rows = {{Cell::Text("2024"), Cell::Bool(true)}};
  EXPECT_EQ(Render(Fitted(11, Expanded::kOff, /*ascii=*/true), table),
            "+----+----+\n"
            "| pe | ap |\n"
            "| ri | pr |\n"
            "| od | ox |\n"
            "+----+----+\n"
            "| 20 | tr |\n"
            "| 24 | ue |\n"
            "+----+----+\n"
            "(1 row)\n");
}

TEST(RenderTest, ATableThatFitsIsTheSameWithOrWithoutAWidth) {
  // The sample is 52 columns wide.
  EXPECT_EQ(Render(Fitted(52), Sample()), Render(With(Format::kTable), Sample()));
}

TEST(RenderTest, ExpandedShowsOneFieldPerLineUnderARecordRule) {
  // Names 6 wide, values 15 (Томская область): the rule is 6 + 3 + 15 = 24
  // wide; its label (13) passes the name column, so it has no joint.
  EXPECT_EQ(Render(Fitted(0, Expanded::kOn, /*ascii=*/true), Sample()),
            "-[ RECORD 1 ]-----------\n"
            "series | Томская область\n"
            "value  | ~36\n"
            "lo     | 36.00\n"
            "hi     | 36.00\n"
            "approx | true\n"
            "-[ RECORD 2 ]-----------\n"
            "series | 東京\n"
            "value  | >=28\n"
            "lo     | 28.00\n"
            "hi     | \n"
            "approx | false\n"
            "-[ RECORD 3 ]-----------\n"
            "series | say \"hi\", ok\n"
            "value  | 4.03\n"
            "lo     | 4.03\n"
            "hi     | 4.03\n"
            "approx | false\n"
            "(3 rows)\n");
}

TEST(RenderTest, ExpandedRuleHasItsJointAboveTheBarWhenTheLabelLeavesRoom) {
  // psql's: 16 + 1 columns before the joint, 16 + 3 + 4 = 23 in all.
  const Table table = OneText("application_name", "psql");
  EXPECT_EQ(Render(Fitted(0, Expanded::kOn, /*ascii=*/true), table),
            "-[ RECORD 1 ]----+-----\n"
            "application_name | psql\n"
            "(1 row)\n");
  EXPECT_EQ(Render(Fitted(0, Expanded::kOn), table),
            "─[ RECORD 1 ]────┬─────\n"
            "application_name │ psql\n"
            "(1 row)\n");
}

TEST(RenderTest, ExpandedWrapsValuesToTheWidth) {
  // 40 columns: 4 for `note`, 3 for ` | `, 33 for the value.
  EXPECT_EQ(Render(Fitted(40, Expanded::kOn, /*ascii=*/true),
                   OneText("note", "at least 28 people had been convicted of espionage that year")),
            "-[ RECORD 1 ]---------------------------\n"
            "note | at least 28 people had been\n"
            "     | convicted of espionage that year\n"
            "(1 row)\n");
}

TEST(RenderTest, ExpandedAutoOnlyWhenTheTableIsWiderThanTheWidth) {
  const std::string table = Render(With(Format::kTable), Sample());
  const std::string expanded = Render(Fitted(0, Expanded::kOn), Sample());
  EXPECT_EQ(Render(Fitted(52, Expanded::kAuto), Sample()), table);  // exactly 52 wide
  EXPECT_EQ(Render(Fitted(51, Expanded::kAuto), Sample()), expanded);
  EXPECT_EQ(Render(Fitted(0, Expanded::kAuto), Sample()), table);  // no width: never
  EXPECT_EQ(Render(Fitted(0, Expanded::kOn), EmptyResult()), "(no rows)\n");
}

// --- what a terminal gets by default (console_output.h TerminalOptions) -----

// A pseudo-terminal `columns` wide: the end a program writes to.
class PseudoTerminal {
 public:
  explicit PseudoTerminal(unsigned short columns) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    EXPECT_GE(master_, 0);
    EXPECT_EQ(::grantpt(master_), 0);
    EXPECT_EQ(::unlockpt(master_), 0);
    file_ = std::fopen(::ptsname(master_), "w");
    EXPECT_NE(file_, nullptr);
    winsize size{};
    size.ws_col = columns;
    size.ws_row = 24;
    EXPECT_EQ(::ioctl(::fileno(file_), TIOCSWINSZ, &size), 0);
  }
  ~PseudoTerminal() {
    if (file_) std::fclose(file_);
    ::close(master_);
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;
  std::FILE* file() const { return file_; }

 private:
  int master_ = -1;
  std::FILE* file_ = nullptr;
};

// Sets LC_ALL for the test's scope.
class LocaleAll {
 public:
  explicit LocaleAll(const char* value) {
    if (const char* old = std::getenv("LC_ALL")) old_ = old;
    ::setenv("LC_ALL", value, 1);
  }
  ~LocaleAll() {
    if (old_) ::setenv("LC_ALL", old_->c_str(), 1);
    else ::unsetenv("LC_ALL");
  }

 private:
  std::optional<std::string> old_;
};

TEST(TerminalOptionsTest, ATerminalGetsAsciiBordersUnlessTheLocaleIsUtf8) {
  PseudoTerminal terminal(80);
  {
    LocaleAll locale("C");
    EXPECT_TRUE(TerminalOptions(terminal.file()).ascii);
  }
  {
    LocaleAll locale("POSIX");
    EXPECT_TRUE(TerminalOptions(terminal.file()).ascii);
  }
  {
    LocaleAll locale("C.UTF-8");
    EXPECT_FALSE(TerminalOptions(terminal.file()).ascii);
  }
}

TEST(TerminalOptionsTest, ATerminalGetsTablesFittedToItsWidth) {
  PseudoTerminal terminal(80);
  const RenderOptions options = TerminalOptions(terminal.file());
  EXPECT_EQ(options.format, Format::kTable);
  EXPECT_EQ(options.width, 80u);
  EXPECT_EQ(options.expanded, Expanded::kOff);
}

TEST(TerminalOptionsTest, AFileGetsNothingOfATerminalWhateverTheLocale) {
  LocaleAll locale("C");
  Capture capture;
  const RenderOptions options = TerminalOptions(capture.file());
  EXPECT_EQ(options.format, Format::kCsv);
  EXPECT_FALSE(options.ascii);
  EXPECT_FALSE(options.color);
  EXPECT_EQ(options.width, 0u);
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
