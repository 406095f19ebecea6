// The CSV reader (cli/csv.h): any bytes read to the end without a crash or a
// hang, records on increasing lines, and every well-formed record reads back
// unchanged after docket's own CSV writing (render.h CsvQuote).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/csv.h"
#include "cli/render.h"

namespace {

using docket::cli::CsvReader;
using docket::cli::CsvRecord;

// Every record of `text`; `ok` tells whether each was well-formed.
std::vector<CsvRecord> ReadAll(const std::string& text, std::vector<bool>* ok) {
  // fmemopen needs a non-empty buffer; an empty input is an empty file.
  std::FILE* in = text.empty() ? std::fopen("/dev/null", "rb")
                               : fmemopen(const_cast<char*>(text.data()), text.size(), "rb");
  if (!in) std::abort();
  CsvReader reader(in);
  std::vector<CsvRecord> records;
  CsvRecord record;
  size_t last_line = 0;
  while (reader.Next(&record)) {
    if (record.line <= last_line || record.fields.empty()) std::abort();
    for (const auto& field : record.fields)
      if (field.column == 0) std::abort();
    if (!reader.error().empty() && (reader.error_line() < record.line || reader.error_column() == 0))
      std::abort();
    last_line = record.line;
    ok->push_back(reader.error().empty());
    records.push_back(record);
  }
  if (reader.io_error()) std::abort();
  std::fclose(in);
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<bool> ok;
  const auto records = ReadAll(std::string(reinterpret_cast<const char*>(data), size), &ok);

  // A leading BOM, which the reader skips, so that a first field that
  // starts with one survives.
  std::string written = "\xEF\xBB\xBF";
  std::vector<std::vector<std::string>> expected;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!ok[i]) continue;
    expected.emplace_back();
    for (size_t f = 0; f < records[i].fields.size(); ++f) {
      if (f > 0) written += ',';
      written += docket::cli::CsvQuote(records[i].fields[f].text);
      expected.back().push_back(records[i].fields[f].text);
    }
    written += '\n';
  }
  std::vector<bool> reread_ok;
  const auto reread = ReadAll(written, &reread_ok);
  if (reread.size() != expected.size()) std::abort();
  for (size_t i = 0; i < reread.size(); ++i) {
    if (!reread_ok[i] || reread[i].fields.size() != expected[i].size()) std::abort();
    for (size_t f = 0; f < expected[i].size(); ++f)
      if (reread[i].fields[f].text != expected[i][f]) std::abort();
  }
  return 0;
}
