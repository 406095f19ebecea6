// Output formats (spec §4): one writer prints a script's results in
// statement order, as table, csv, tsv, json, jsonl or markdown.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/table.h"

namespace docket::cli {

enum class Format { kTable, kCsv, kTsv, kJson, kJsonl, kMarkdown };

std::optional<Format> ParseFormat(std::string_view name);  // "table", "csv", …
std::string_view FormatName(Format format);

using docket::Cell;
using docket::Table;

struct RenderOptions {
  Format format = Format::kCsv;
  bool ascii = false;  // table: +-| instead of box-drawing characters
  bool color = false;  // table: bold header (only on a terminal, never with NO_COLOR)
};

// Writes results to a stream. Table renders need every row to size columns;
// the other formats stream. Not thread-safe.
class ResultWriter {
 public:
  ResultWriter(std::FILE* out, RenderOptions options);

  // One result. csv, tsv, markdown and table print a header per result and
  // one empty line between results; json prints one array per line; jsonl
  // one object per row. No rows: header only (csv/tsv/markdown), `[]`
  // (json), nothing (jsonl), `(no rows)` (table). A table ends with
  // `(N rows)` / `(1 row)`.
  void Write(const Table& table);
  // Plain text lines (check results) whatever the format.
  void WriteText(std::string_view text);
  // A chart: plain text, separated from the results around it like a
  // result in csv, tsv, markdown and table.
  void WriteChart(std::string_view text);

  const RenderOptions& options() const { return options_; }
  void set_options(const RenderOptions& options) { options_ = options; }

 private:
  std::FILE* out_;
  RenderOptions options_;
  bool wrote_table_ = false;  // a header-bearing result was printed before
};

// One RFC 4180 csv field: quoted when it contains `,` `"` CR or LF, or
// starts or ends with a space (which many readers would trim).
std::string CsvQuote(std::string_view text);

// Columns of the terminal `out` writes to; otherwise $COLUMNS, else 80.
size_t TerminalWidth(std::FILE* out);

// Terminal display width of UTF-8 text (wide CJK = 2, combining marks = 0).
size_t DisplayWidth(std::string_view utf8);

}  // namespace docket::cli
