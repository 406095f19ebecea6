// Output formats (spec §4): one writer prints a script's results in
// statement order, as table, csv, tsv, json, jsonl or markdown.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/table_layout.h"  // DisplayWidth, and wrapping for tables
#include "query/table.h"
#include "storage/status.h"

namespace docket::cli {

enum class Format { kTable, kCsv, kTsv, kJson, kJsonl, kMarkdown };

std::optional<Format> ParseFormat(std::string_view name);  // "table", "csv", …
std::string_view FormatName(Format format);

using docket::Cell;
using docket::Table;

// A table's records one field per line, as psql's \x: never, always, or
// when the table would be wider than `width`.
enum class Expanded { kOff, kOn, kAuto };

struct RenderOptions {
  Format format = Format::kCsv;
  bool ascii = false;  // table: +-| instead of box-drawing characters
  bool color = false;  // table: bold header (only on a terminal, never with NO_COLOR)
  // table: the display columns to fit in (a terminal's width): wider
  // tables have their cells wrapped within narrowed columns (table_layout.h).
  // 0: no limit, every row on one line.
  size_t width = 0;
  Expanded expanded = Expanded::kOff;  // table; kAuto needs a width
};

// Writes results to a stream. Not thread-safe.
class ResultWriter {
 public:
  // The most rows a table or markdown result holds: both need every row
  // before the first line (column widths, alignment).
  static constexpr size_t kMaxHeldRows = 100'000;

  ResultWriter(std::FILE* out, RenderOptions options);
  ~ResultWriter();

  // One result as a stream: Begin, Row for each row, End. csv, tsv, json
  // and jsonl print each row as it comes (json: `[` at Begin, `]` at End);
  // table and markdown hold the rows and print them at End. Row refuses
  // the row after kMaxHeldRows held ones (kUsage, naming the formats that
  // print them all) after printing those, the table's footer saying it is
  // cut short; the result ends there.
  //
  // csv, tsv, markdown and table print a header per result and one empty
  // line between results; json prints one array per line; jsonl one
  // object per row. No rows: header only (csv/tsv/markdown), `[]` (json),
  // nothing (jsonl), `(no rows)` (table). A table ends with `(N rows)` /
  // `(1 row)`. Expanded, a table prints each record as a line
  // `-[ RECORD N ]---+---` and one line `field | value` per column (psql's
  // layout: the `+` under the `|` when the label leaves room, `─┬│` with
  // box-drawing characters), then the same footer.
  void Begin(const std::vector<std::string>& columns);
  Status Row(const std::vector<Cell>& cells);
  void End();
  // A whole result already in memory: Begin, its rows (no bound), End.
  void Write(const Table& table);
  // Plain text lines (check results) whatever the format.
  void WriteText(std::string_view text);
  // A chart: plain text, separated from the results around it like a
  // result in csv, tsv, markdown and table.
  void WriteChart(std::string_view text);

  const RenderOptions& options() const { return options_; }
  void set_options(const RenderOptions& options) { options_ = options; }

  struct Held;  // render.cc: the rows of a table or markdown result, as shown

 private:
  bool Holds() const;  // table or markdown
  void Add(const std::vector<Cell>& cells);
  void WriteHeld(std::string_view footer);

  std::FILE* out_;
  RenderOptions options_;
  bool wrote_table_ = false;  // a header-bearing result was printed before
  std::vector<std::string> columns_;  // of the result being written
  size_t rows_ = 0;                   // of the result being written
  std::unique_ptr<Held> held_;
};

// One RFC 4180 csv field: quoted when it contains `,` `"` CR or LF, or
// starts or ends with a space (which many readers would trim).
std::string CsvQuote(std::string_view text);

// Columns of the terminal `out` writes to; otherwise $COLUMNS, else 80.
size_t TerminalWidth(std::FILE* out);

}  // namespace docket::cli
