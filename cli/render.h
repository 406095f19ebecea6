// Output formats (spec §4): one writer prints a script's results in
// statement order, as table, csv, tsv, json, jsonl or markdown.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docket::cli {

enum class Format { kTable, kCsv, kTsv, kJson, kJsonl, kMarkdown };

std::optional<Format> ParseFormat(std::string_view name);  // "table", "csv", …
std::string_view FormatName(Format format);

// One field of a result row. Numbers are the `lo`/`hi` fields: two decimals
// in table and markdown, the shortest exact decimal elsewhere. Null prints
// empty, or `null` in json/jsonl. Booleans print `true`/`false`.
struct Cell {
  enum class Kind { kText, kNumber, kBool, kNull };
  Kind kind = Kind::kNull;
  std::string text;
  double number = 0;
  bool boolean = false;

  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0, false}; }
  static Cell Number(double v) { return {Kind::kNumber, {}, v, false}; }
  static Cell Bool(bool b) { return {Kind::kBool, {}, 0, b}; }
  static Cell Null() { return {}; }
};

// A result: field names and rows of cells, one per field.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

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
  // Plain text lines (check results, plots) whatever the format.
  void WriteText(std::string_view text);

  const RenderOptions& options() const { return options_; }
  void set_options(const RenderOptions& options) { options_ = options; }
  void set_stream(std::FILE* out) { out_ = out; }

 private:
  std::FILE* out_;
  RenderOptions options_;
  bool wrote_table_ = false;  // a header-bearing result was printed before
};

// Terminal display width of UTF-8 text (wide CJK = 2, combining marks = 0).
size_t DisplayWidth(std::string_view utf8);

}  // namespace docket::cli
