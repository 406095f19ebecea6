// The CSV reader (cli/csv.h): line ends after a quoted field.

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
  std::vector<std::string> errors;  // "LINE:COLUMN: message" per record, "" when well-formed
};

Read ReadAll(std::string text) {
  Read out;
  std::FILE* in = fmemopen(text.data(), text.size(), "rb");
  CsvReader reader(in);
  CsvRecord record;
  while (reader.Next(&record)) {
    out.records.emplace_back();
    for (const auto& field : record.fields) out.records.back().push_back(field.text);
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

}  // namespace
}  // namespace docket::cli
