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
#include <functional>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>


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

// One line of fields (a header or a row) joined by `separator`.
void WriteSeparatedLine(std::FILE* out, size_t fields, char separator, FieldEscaper escape,
                        const std::function<std::string(size_t)>& field) {
  std::string line;
  for (size_t c = 0; c < fields; ++c) {
    if (c > 0) line += separator;
    line += escape(field(c));
  }
  line += '\n';
  Put(out, line);
}

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

}  // namespace

// The rows of a table or markdown result, as they will be shown.
struct ResultWriter::Held {
  std::vector<BoxCell> header;
  std::vector<std::vector<BoxCell>> rows;
  std::vector<size_t> widths;  // table: display width of each column
  // markdown: a column is numeric (right-aligned) when it holds at least
  // one number and nothing but numbers and nulls.
  std::vector<bool> any_number, only_numbers;
};

namespace {

// The rows of one table line, each cell wrapped to its column's width when
// it is wider: as many lines as the tallest cell needs.
std::string BoxLines(const std::vector<BoxCell>& cells, const std::vector<size_t>& widths,
                     std::string_view vertical, bool bold) {
  std::vector<std::vector<std::string>> wrapped(cells.size());
  size_t height = 1;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (DisplayWidth(cells[c].text) <= widths[c]) continue;
    wrapped[c] = WrapText(cells[c].text, widths[c]);
    height = std::max(height, wrapped[c].size());
  }
  if (height == 1) return BoxRow(cells, widths, vertical, bold);
  std::string text;
  for (size_t k = 0; k < height; ++k) {
    std::vector<BoxCell> line;
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool whole = wrapped[c].empty();
      std::string part = whole ? (k == 0 ? cells[c].text : "") : k < wrapped[c].size() ? wrapped[c][k] : "";
      line.push_back({std::move(part), cells[c].right});
    }
    text += BoxRow(line, widths, vertical, bold);
  }
  return text;
}

// A table as wide as its columns and their borders, every row on one line.
size_t NaturalWidth(const std::vector<size_t>& widths) {
  size_t width = 3 * widths.size() + 1;
  for (size_t w : widths) width += w;
  return width;
}

// `-[ RECORD 7 ]----+------`: a record's first line, as wide as its fields
// and values, the joint above the field's vertical when the label ends
// before it (psql's rule).
std::string RecordRule(size_t record, size_t name_width, size_t value_width, const BoxChars& box) {
  const std::string label = fmt::format("[ RECORD {} ]", record);
  std::string line(box.horizontal);
  line += label;
  size_t used = 1 + label.size();
  if (used <= name_width + 1) {
    for (; used < name_width + 1; ++used) line += box.horizontal;
    line += box.top[1];
    ++used;
  }
  for (; used < name_width + 3 + value_width; ++used) line += box.horizontal;
  line += '\n';
  return line;
}

// Expanded display: per record its rule, then `field | value` lines; a
// value wider than the room `width` leaves is wrapped under itself.
std::string ExpandedRecords(const ResultWriter::Held& held, const BoxChars& box,
                            const RenderOptions& options) {
  size_t name_width = 0, value_width = 0;
  for (const auto& name : held.header) name_width = std::max(name_width, DisplayWidth(name.text));
  for (const auto& cells : held.rows)
    for (const auto& cell : cells) value_width = std::max(value_width, DisplayWidth(cell.text));
  if (options.width > 0)
    value_width = std::min(value_width, options.width > name_width + 4 ? options.width - name_width - 3 : 1);
  std::string text;
  for (size_t r = 0; r < held.rows.size(); ++r) {
    text += RecordRule(r + 1, name_width, value_width, box);
    for (size_t c = 0; c < held.header.size(); ++c) {
      const std::string& value = held.rows[r][c].text;
      const std::vector<std::string> lines = DisplayWidth(value) > value_width
                                                 ? WrapText(value, value_width)
                                                 : std::vector<std::string>{value};
      for (size_t k = 0; k < lines.size(); ++k) {
        const std::string& name = k == 0 ? held.header[c].text : std::string();
        if (options.color && k == 0) text += kBold;
        text += name;
        if (options.color && k == 0) text += kReset;
        text.append(name_width - DisplayWidth(name), ' ');
        text += ' ';
        text += box.vertical;
        text += ' ';
        text += lines[k];
        text += '\n';
      }
    }
  }
  return text;
}

void WriteBoxTable(std::FILE* out, const ResultWriter::Held& held, const RenderOptions& options,
                   std::string_view footer) {
  if (held.rows.empty()) {
    Put(out, "(no rows)\n");
    return;
  }
  const BoxChars& box = options.ascii ? kAsciiBox : kUnicodeBox;
  const size_t natural = NaturalWidth(held.widths);
  const bool narrow = options.width > 0 && natural > options.width;
  std::string text;
  if (options.expanded == Expanded::kOn || (options.expanded == Expanded::kAuto && narrow)) {
    text = ExpandedRecords(held, box, options);
  } else {
    const size_t borders = 3 * held.widths.size() + 1;
    const std::vector<size_t> widths =
        narrow ? FitColumns(held.widths, options.width > borders ? options.width - borders : 0)
               : held.widths;
    // When a row takes several lines, a rule between rows tells them apart.
    std::vector<std::string> rows;
    bool wrapped = false;
    for (const auto& cells : held.rows) {
      rows.push_back(BoxLines(cells, widths, box.vertical, false));
      wrapped = wrapped || std::count(rows.back().begin(), rows.back().end(), '\n') > 1;
    }
    text = Rule(box.top, box.horizontal, widths);
    text += BoxLines(held.header, widths, box.vertical, options.color);
    text += Rule(box.mid, box.horizontal, widths);
    for (size_t r = 0; r < rows.size(); ++r) {
      if (wrapped && r > 0) text += Rule(box.mid, box.horizontal, widths);
      text += rows[r];
    }
    text += Rule(box.bottom, box.horizontal, widths);
  }
  text += footer;
  Put(out, text);
}

void WriteMarkdown(std::FILE* out, const ResultWriter::Held& held) {
  auto line = [&](const std::vector<BoxCell>& cells) {
    std::string text = "|";
    for (const auto& cell : cells) text += " " + cell.text + " |";
    text += '\n';
    Put(out, text);
  };
  line(held.header);
  std::string rule = "|";
  for (size_t c = 0; c < held.header.size(); ++c)
    rule += held.any_number[c] && held.only_numbers[c] ? "---:|" : "---|";
  rule += '\n';
  Put(out, rule);
  for (const auto& cells : held.rows) line(cells);
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
  // A memory stream has no descriptor to ask (the server renders into one per request).
  const int fd = ::fileno(out);
  if (fd >= 0 && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 0) return static_cast<size_t>(n);
  }
  return 80;
}

ResultWriter::ResultWriter(std::FILE* out, RenderOptions options)
    : out_(out), options_(options), held_(std::make_unique<Held>()) {}

ResultWriter::~ResultWriter() = default;

bool ResultWriter::Holds() const {
  return options_.format == Format::kTable || options_.format == Format::kMarkdown;
}

// Only tabular results (csv, tsv, markdown, table) are separated, and only
// from an earlier tabular result of this writer; json/jsonl results and
// WriteText neither print nor reset the separation.
void ResultWriter::Begin(const std::vector<std::string>& columns) {
  if (IsTabular(options_.format)) {
    if (wrote_table_) Put(out_, "\n");
    wrote_table_ = true;
  }
  columns_ = columns;
  rows_ = 0;
  *held_ = Held();
  switch (options_.format) {
    case Format::kTable:
      for (const auto& name : columns) {
        held_->header.push_back({TableField(name), false});
        held_->widths.push_back(DisplayWidth(held_->header.back().text));
      }
      break;
    case Format::kMarkdown:
      for (const auto& name : columns) held_->header.push_back({MarkdownField(name), false});
      held_->any_number.assign(columns.size(), false);
      held_->only_numbers.assign(columns.size(), true);
      break;
    case Format::kCsv:
      WriteSeparatedLine(out_, columns.size(), ',', CsvQuote, [&](size_t c) { return columns[c]; });
      break;
    case Format::kTsv:
      WriteSeparatedLine(out_, columns.size(), '\t', TsvField, [&](size_t c) { return columns[c]; });
      break;
    case Format::kJson: Put(out_, "["); break;
    case Format::kJsonl: break;
  }
}

Status ResultWriter::Row(const std::vector<Cell>& cells) {
  if (Holds() && held_->rows.size() == kMaxHeldRows) {
    WriteHeld(fmt::format("(first {} rows; more not shown)\n", kMaxHeldRows));
    return Status::Error(
        ErrorKind::kUsage,
        fmt::format("the result has more than {} rows: --format {} shows the first {}; "
                    "--format csv, tsv, json or jsonl prints them all",
                    kMaxHeldRows, FormatName(options_.format), kMaxHeldRows));
  }
  Add(cells);
  return {};
}

void ResultWriter::Add(const std::vector<Cell>& cells) {
  const size_t columns = columns_.size();
  switch (options_.format) {
    case Format::kTable: {
      auto& row = held_->rows.emplace_back();
      for (size_t c = 0; c < columns; ++c) {
        const Cell& cell = CellAt(cells, c);
        row.push_back({TableField(PlainText(cell, NumberStyle::kFixed2)), cell.kind == Cell::Kind::kNumber});
        held_->widths[c] = std::max(held_->widths[c], DisplayWidth(row.back().text));
      }
      break;
    }
    case Format::kMarkdown: {
      auto& row = held_->rows.emplace_back();
      for (size_t c = 0; c < columns; ++c) {
        const Cell& cell = CellAt(cells, c);
        row.push_back({MarkdownField(PlainText(cell, NumberStyle::kFixed2)), false});
        held_->any_number[c] = held_->any_number[c] || cell.kind == Cell::Kind::kNumber;
        held_->only_numbers[c] = held_->only_numbers[c] &&
                                 (cell.kind == Cell::Kind::kNumber || cell.kind == Cell::Kind::kNull);
      }
      break;
    }
    case Format::kCsv:
    case Format::kTsv: {
      const bool csv = options_.format == Format::kCsv;
      WriteSeparatedLine(out_, columns, csv ? ',' : '\t', csv ? CsvQuote : TsvField, [&](size_t c) {
        return PlainText(CellAt(cells, c), NumberStyle::kShortest);
      });
      break;
    }
    case Format::kJson: Put(out_, (rows_ > 0 ? "," : "") + JsonObject(columns_, cells)); break;
    case Format::kJsonl: Put(out_, JsonObject(columns_, cells) + '\n'); break;
  }
  ++rows_;
}

void ResultWriter::End() {
  if (Holds()) {
    WriteHeld(RowCount(held_->rows.size()));
  } else if (options_.format == Format::kJson) {
    Put(out_, "]\n");
  }
}

void ResultWriter::WriteHeld(std::string_view footer) {
  if (options_.format == Format::kTable) {
    WriteBoxTable(out_, *held_, options_, footer);
  } else {
    WriteMarkdown(out_, *held_);
  }
  *held_ = Held();
}

void ResultWriter::Write(const Table& table) {
  Begin(table.columns);
  for (const auto& row : table.rows) Add(row);
  End();
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
