// The CSV reader (cli/csv.h): line ends after a quoted field, fields and
// their columns wherever the reader's 64 KiB buffer ends, records of
// different lengths in a row.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/csv.h"

namespace docket::cli {
namespace {

struct Read {
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  std::vector<std::vector<size_t>> columns;
  std::vector<std::string> errors;  // "LINE:COLUMN: message" per record, "" when well-formed
};

Read ReadAll(std::string text) {
  Read out;
  std::FILE* in = fmemopen(text.data(), text.size(), "rb");
  CsvReader reader(in);
  CsvRecord record;
  while (reader.Next(&record)) {
    out.records.emplace_back();
    out.columns.emplace_back();
    for (const auto& field : record.fields) {
      out.records.back().push_back(field.text);
      out.columns.back().push_back(field.column);
    }
    out.lines.push_back(record.line);
    out.errors.push_back(reader.error().empty() ? ""
                                                : std::to_string(reader.error_line()) + ":" +
                                                      std::to_string(reader.error_column()) + ": " +
                                                      reader.error());
  }
  std::fclose(in);
  return out;
}

TEST(CsvReaderTest, CrlfAfterAQuotedFieldEndsTheRecord) {
  const Read r = ReadAll("\"a\"\r\n\"b\",c\r\n");
  EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"a"}, {"b", "c"}}));
  EXPECT_EQ(r.lines, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(r.errors, (std::vector<std::string>{"", ""}));
}

TEST(CsvReaderTest, ALoneCrAfterAQuotedFieldIsAnErrorThatLosesNothing) {
  // Found by the csv fuzzer (`""\rqo`): the CR ended the record and the
  // next byte was taken for the separator and dropped, so `b` vanished and
  // `c` started a second record on the same line.
  const Read r = ReadAll("\"a\"\rb,c\nd\n");
  EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"a", "c"}, {"d"}}));
  EXPECT_EQ(r.lines, (std::vector<size_t>{1, 2}));
  // Column 4: the CR after `"a"`.
  EXPECT_EQ(r.errors, (std::vector<std::string>{"1:4: unexpected character after a closing quote", ""}));
  const Read comma = ReadAll("\"a\"\r,b\n");
  EXPECT_EQ(comma.errors, (std::vector<std::string>{"1:4: unexpected character after a closing quote"}));
}

TEST(CsvReaderTest, FieldsAndColumnsAcrossTheReadBuffer) {
  // 4,000 records of about 40 bytes: fields of every record cross the
  // 64 KiB buffer's end at some byte, inside Cyrillic letters too.
  std::string text;
  std::vector<std::vector<std::string>> expected;
  std::vector<std::vector<size_t>> columns;
  for (int i = 0; i < 4000; ++i) {
    const std::string region = "Область " + std::to_string(i), plain = std::string(i % 17, 'x');
    const std::string quoted = "q\"" + std::to_string(i);
    text += region + "," + plain + ",\"q\"\"" + std::to_string(i) + "\",end\n";
    expected.push_back({region, plain, quoted, "end"});
    const size_t region_chars = 8 + std::to_string(i).size();  // "Область " is 8 characters
    const size_t plain_at = region_chars + 2, quoted_at = plain_at + plain.size() + 1;
    columns.push_back({1, plain_at, quoted_at, quoted_at + quoted.size() + 4});  // `"q""N",`
  }
  ASSERT_GT(text.size(), 2u << 16);
  const Read r = ReadAll(text);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.columns, columns);
  ASSERT_EQ(r.lines.size(), 4000u);
  EXPECT_EQ(r.lines.back(), 4000u);
  EXPECT_EQ(r.errors, std::vector<std::string>(4000, ""));
}

TEST(CsvReaderTest, ARecordAfterALongerOneHasOnlyItsOwnFields) {
  const Read r = ReadAll("a,b,c\nd\n,\ne,f,g,h\n");
  EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"d"}, {"", ""}, {"e", "f", "g", "h"}}));
  EXPECT_EQ(r.columns, (std::vector<std::vector<size_t>>{{1, 3, 5}, {1}, {1, 2}, {1, 3, 5, 7}}));
}

TEST(CsvReaderTest, AQuoteInsideAnUnquotedFieldIsFoundAtItsColumn) {
  const Read r = ReadAll("Томск\"x,b\r\nc\rd\n");
  EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"Томск\"x", "b"}, {"c\rd"}}));
  EXPECT_EQ(r.errors, (std::vector<std::string>{"1:6: a quote in an unquoted field", ""}));
}

}  // namespace
}  // namespace docket::cli
