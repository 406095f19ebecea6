// Output formats (spec §4). Each format is one function that turns a Table
// into text on a FILE*; ResultWriter only chooses the function and keeps
// the "blank line between tabular results" state.
//
// Conventions shared by every format:
//   - Lines end with "\n" (never CRLF, csv included).
//   - A row with fewer cells than columns reads the missing ones as null;
//     extra cells are ignored.
//   - A Cell::Number prints its `shown` text for people (table, markdown)
//     and its exact `text` for programs (csv, tsv, json, jsonl: a JSON
//     number written as that text, so integers of any size stay exact).
#include "cli/render.h"

#include <sys/ioctl.h>

#include <cstdlib>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <utf8proc.h>


namespace docket::cli {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Names indexed by Format, in enum order.
constexpr std::array<std::string_view, 6> kFormatNames = {
    "table", "csv", "tsv", "json", "jsonl", "markdown"};
static_assert(static_cast<size_t>(Format::kMarkdown) + 1 == kFormatNames.size());

void Put(std::FILE* out, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), out);
}

// The cell at `column`, or a null cell when the row is short.
const Cell& CellAt(const std::vector<Cell>& row, size_t column) {
  static const Cell kNull;
  return column < row.size() ? row[column] : kNull;
}

enum class NumberStyle { kFixed2, kShortest };

// The unescaped text of a cell: numbers in `style`, booleans as
// `true`/`false`, null as the empty string.
std::string PlainText(const Cell& cell, NumberStyle style) {
  switch (cell.kind) {
    case Cell::Kind::kText:
      return cell.text;
    case Cell::Kind::kNumber:
      return style == NumberStyle::kFixed2 ? cell.shown : cell.text;
    case Cell::Kind::kBool:
      return cell.boolean ? "true" : "false";
    case Cell::Kind::kNull:
      return {};
  }
  return {};
}

// A column is numeric (right-aligned in markdown) when it holds at least one
// number and nothing but numbers and nulls.
std::vector<bool> NumericColumns(const Table& table) {
  std::vector<bool> numeric(table.columns.size(), false);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    bool any_number = false;
    bool only_numbers = true;
    for (const auto& row : table.rows) {
      const Cell::Kind kind = CellAt(row, c).kind;
      any_number = any_number || kind == Cell::Kind::kNumber;
      only_numbers = only_numbers && (kind == Cell::Kind::kNumber || kind == Cell::Kind::kNull);
    }
    numeric[c] = any_number && only_numbers;
  }
  return numeric;
}

// ---------------------------------------------------------------------------
// csv and tsv: one header line of column names, then one line per row.

// PostgreSQL text-format escaping: `\` `\t` `\n` `\r` become `\\` `\t` `\n`
// `\r`, so every row is one line and fields never contain the separator.
std::string TsvField(std::string_view text) {
  std::string field;
  field.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '\\': field += "\\\\"; break;
      case '\t': field += "\\t"; break;
      case '\n': field += "\\n"; break;
      case '\r': field += "\\r"; break;
      default: field += ch;
    }
  }
  return field;
}

using FieldEscaper = std::string (*)(std::string_view);

void WriteSeparated(std::FILE* out, const Table& table, char separator, FieldEscaper escape) {
  std::string line;
  auto flush_line = [&] {
    line += '\n';
    Put(out, line);
    line.clear();
  };
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) line += separator;
    line += escape(table.columns[c]);
  }
  flush_line();
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) line += separator;
      line += escape(PlainText(CellAt(row, c), NumberStyle::kShortest));
    }
    flush_line();
  }
}

void WriteCsv(std::FILE* out, const Table& table) { WriteSeparated(out, table, ',', CsvQuote); }
void WriteTsv(std::FILE* out, const Table& table) { WriteSeparated(out, table, '\t', TsvField); }

// ---------------------------------------------------------------------------
// json and jsonl.

// Compact, UTF-8 passed through unescaped; invalid UTF-8 becomes U+FFFD
// instead of throwing.
std::string DumpJson(const OrderedJson& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, OrderedJson::error_handler_t::replace);
}

// A cell as JSON text. Numbers are written as their exact decimal (whole
// numbers in full, however many digits: nlohmann's numbers stop at 64
// bits); a number that is not finite is `null`.
std::string JsonValue(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kText: return DumpJson(cell.text);
    case Cell::Kind::kNumber: {
      const std::string number = PlainText(cell, NumberStyle::kShortest);
      return number.empty() ? "null" : number;
    }
    case Cell::Kind::kBool: return cell.boolean ? "true" : "false";
    case Cell::Kind::kNull: return "null";
  }
  return "null";
}

// One object, keys in column order. (A repeated column name keeps its last
// value: JSON objects cannot hold a key twice.)
std::string JsonObject(const std::vector<std::string>& columns, const std::vector<Cell>& row) {
  std::string object = "{";
  for (size_t c = 0; c < columns.size(); ++c) {
    if (std::find(columns.begin() + static_cast<std::ptrdiff_t>(c) + 1, columns.end(), columns[c]) !=
        columns.end())
      continue;
    if (object.size() > 1) object += ',';
    object += DumpJson(columns[c]);
    object += ':';
    object += JsonValue(CellAt(row, c));
  }
  object += '}';
  return object;
}

// The whole result as one array on one line.
void WriteJson(std::FILE* out, const Table& table) {
  std::string array = "[";
  for (const auto& row : table.rows) {
    if (array.size() > 1) array += ',';
    array += JsonObject(table.columns, row);
  }
  Put(out, array + "]\n");
}

// One object per row per line; nothing for an empty result.
void WriteJsonl(std::FILE* out, const Table& table) {
  for (const auto& row : table.rows) Put(out, JsonObject(table.columns, row) + '\n');
}

// ---------------------------------------------------------------------------
// markdown (GitHub pipe tables).

// `|` becomes `\|` and a line break (LF, CRLF or CR) becomes `<br>`, so a
// cell stays inside its row.
std::string MarkdownField(std::string_view text) {
  std::string field;
  field.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '|') {
      field += "\\|";
    } else if (ch == '\n') {
      field += "<br>";
    } else if (ch == '\r') {
      field += "<br>";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      field += ch;
    }
  }
  return field;
}

void WriteMarkdownLine(std::FILE* out, const std::vector<std::string>& fields) {
  std::string line = "|";
  for (const auto& field : fields) line += " " + field + " |";
  line += '\n';
  Put(out, line);
}

void WriteMarkdown(std::FILE* out, const Table& table) {
  std::vector<std::string> fields;
  for (const auto& name : table.columns) fields.push_back(MarkdownField(name));
  WriteMarkdownLine(out, fields);

  std::string rule = "|";
  for (bool numeric : NumericColumns(table)) rule += numeric ? "---:|" : "---|";
  rule += '\n';
  Put(out, rule);

  for (const auto& row : table.rows) {
    fields.clear();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      fields.push_back(MarkdownField(PlainText(CellAt(row, c), NumberStyle::kFixed2)));
    }
    WriteMarkdownLine(out, fields);
  }
}

// ---------------------------------------------------------------------------
// table: a box sized by terminal display width.

struct BoxChars {
  // Corners and joints of the top, middle (under the header) and bottom
  // rules: left, middle, right.
  std::array<std::string_view, 3> top;
  std::array<std::string_view, 3> mid;
  std::array<std::string_view, 3> bottom;
  std::string_view horizontal;
  std::string_view vertical;
};

constexpr BoxChars kUnicodeBox = {
    {"┌", "┬", "┐"}, {"├", "┼", "┤"}, {"└", "┴", "┘"}, "─", "│"};
constexpr BoxChars kAsciiBox = {
    {"+", "+", "+"}, {"+", "+", "+"}, {"+", "+", "+"}, "-", "|"};

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

// Control characters would break the row across lines or move the cursor:
// `\n` `\t` `\r` are shown as such, other C0 controls and DEL as `\xHH`.
std::string TableField(std::string_view text) {
  std::string field;
  field.reserve(text.size());
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '\n') {
      field += "\\n";
    } else if (ch == '\t') {
      field += "\\t";
    } else if (ch == '\r') {
      field += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      field += "\\x";
      field += kHex[byte >> 4];
      field += kHex[byte & 0xf];
    } else {
      field += ch;
    }
  }
  return field;
}

// A rule such as ├───┼────┤: each column's width plus its two padding spaces.
std::string Rule(const std::array<std::string_view, 3>& joints, std::string_view horizontal,
                 const std::vector<size_t>& widths) {
  std::string line(joints[0]);
  for (size_t c = 0; c < widths.size(); ++c) {
    if (c > 0) line += joints[1];
    for (size_t i = 0; i < widths[c] + 2; ++i) line += horizontal;
  }
  line += joints[2];
  line += '\n';
  return line;
}

struct BoxCell {
  std::string text;    // escaped, as shown
  bool right = false;  // right-aligned (numbers)
};

// One line of cells between verticals, padded to `widths`. `bold` wraps
// each text in escapes that take no columns.
std::string BoxRow(const std::vector<BoxCell>& cells, const std::vector<size_t>& widths,
                   std::string_view vertical, bool bold) {
  std::string line(vertical);
  for (size_t c = 0; c < cells.size(); ++c) {
    const std::string padding(widths[c] - DisplayWidth(cells[c].text), ' ');
    line += ' ';
    if (cells[c].right) line += padding;
    if (bold) line += kBold;
    line += cells[c].text;
    if (bold) line += kReset;
    if (!cells[c].right) line += padding;
    line += ' ';
    line += vertical;
  }
  line += '\n';
  return line;
}

// The footer: `(1 row)`, `(N rows)`.
std::string RowCount(size_t n) {
  if (n == 1) return "(1 row)\n";
  std::string footer = "(";
  footer += std::to_string(n);
  footer += " rows)\n";
  return footer;
}

void WriteBoxTable(std::FILE* out, const Table& table, const RenderOptions& options) {
  if (table.rows.empty()) {
    Put(out, "(no rows)\n");
    return;
  }
  const BoxChars& box = options.ascii ? kAsciiBox : kUnicodeBox;
  const size_t columns = table.columns.size();

  std::vector<BoxCell> header;
  std::vector<size_t> widths;
  for (const auto& name : table.columns) {
    header.push_back({TableField(name), false});
    widths.push_back(DisplayWidth(header.back().text));
  }
  std::vector<std::vector<BoxCell>> body;
  for (const auto& row : table.rows) {
    auto& cells = body.emplace_back();
    for (size_t c = 0; c < columns; ++c) {
      const Cell& cell = CellAt(row, c);
      cells.push_back({TableField(PlainText(cell, NumberStyle::kFixed2)),
                       cell.kind == Cell::Kind::kNumber});
      widths[c] = std::max(widths[c], DisplayWidth(cells.back().text));
    }
  }

  std::string text = Rule(box.top, box.horizontal, widths);
  text += BoxRow(header, widths, box.vertical, options.color);
  text += Rule(box.mid, box.horizontal, widths);
  for (const auto& cells : body) text += BoxRow(cells, widths, box.vertical, false);
  text += Rule(box.bottom, box.horizontal, widths);
  text += RowCount(table.rows.size());
  Put(out, text);
}

bool IsTabular(Format format) { return format != Format::kJson && format != Format::kJsonl; }

}  // namespace

std::string CsvQuote(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string field = "\"";
  for (char ch : text) {
    if (ch == '"') field += '"';
    field += ch;
  }
  field += '"';
  return field;
}

std::optional<Format> ParseFormat(std::string_view name) {
  for (size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == name) return static_cast<Format>(i);
  }
  return std::nullopt;
}

std::string_view FormatName(Format format) {
  return kFormatNames.at(static_cast<size_t>(format));
}

size_t TerminalWidth(std::FILE* out) {
  winsize ws{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 0) return static_cast<size_t>(n);
  }
  return 80;
}

size_t DisplayWidth(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  const auto size = static_cast<utf8proc_ssize_t>(utf8.size());
  size_t width = 0;
  utf8proc_ssize_t i = 0;
  while (i < size) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &code_point);
    if (length <= 0) {  // invalid UTF-8: this byte takes one column
      width += 1;
      i += 1;
      continue;
    }
    const int char_width = utf8proc_charwidth(code_point);
    if (char_width > 0) width += static_cast<size_t>(char_width);
    i += length;
  }
  return width;
}

ResultWriter::ResultWriter(std::FILE* out, RenderOptions options)
    : out_(out), options_(options) {}

// Only tabular results (csv, tsv, markdown, table) are separated, and only
// from an earlier tabular result of this writer; json/jsonl results and
// WriteText neither print nor reset the separation.
void ResultWriter::Write(const Table& table) {
  if (IsTabular(options_.format)) {
    if (wrote_table_) Put(out_, "\n");
    wrote_table_ = true;
  }
  switch (options_.format) {
    case Format::kTable: WriteBoxTable(out_, table, options_); break;
    case Format::kCsv: WriteCsv(out_, table); break;
    case Format::kTsv: WriteTsv(out_, table); break;
    case Format::kJson: WriteJson(out_, table); break;
    case Format::kJsonl: WriteJsonl(out_, table); break;
    case Format::kMarkdown: WriteMarkdown(out_, table); break;
  }
}

void ResultWriter::WriteChart(std::string_view text) {
  if (IsTabular(options_.format)) {
    if (wrote_table_) Put(out_, "\n");
    wrote_table_ = true;
  }
  WriteText(text);
}

void ResultWriter::WriteText(std::string_view text) {
  Put(out_, text);
  if (text.empty() || text.back() != '\n') Put(out_, "\n");
}

}  // namespace docket::cli
