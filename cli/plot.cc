// The bar chart of `plot` (plot.h): read the rows, choose the labels,
// choose one scale, draw each line.
#include "cli/plot.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/render.h"
#include "storage/types.h"

namespace docket::cli {
namespace {

struct Glyphs {
  std::string_view solid, approx, hollow, open;
};
constexpr Glyphs kUnicodeGlyphs = {"█", "▓", "░", "▶"};
constexpr Glyphs kAsciiGlyphs = {"#", "~", ".", ">"};

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

constexpr size_t kMinBarColumns = 10;
constexpr std::string_view kNoValue = "no value";
constexpr std::string_view kNoFigure = "no figure";

// One value row as the chart needs it.
struct Row {
  std::string series, period, value, source;
  std::optional<double> lo, hi;  // nullopt: unbounded (or no value at all)
  bool approx = false;
};

// The cell of `row` in the column called `name`; null when there is none.
const Cell& Field(const Table& table, const std::vector<Cell>& row, std::string_view name) {
  static const Cell kNull;
  const auto it = std::find(table.columns.begin(), table.columns.end(), name);
  const auto column = static_cast<size_t>(it - table.columns.begin());
  return column < row.size() ? row[column] : kNull;
}

std::optional<double> NumberOf(const Cell& cell) {
  if (cell.kind != Cell::Kind::kNumber || !std::isfinite(cell.number)) return std::nullopt;
  return cell.number;
}

bool HasColumn(const Table& table, std::string_view name) {
  return std::find(table.columns.begin(), table.columns.end(), name) != table.columns.end();
}

std::vector<Row> ReadRows(const Table& table) {
  // history and vintages rows: one mark per change or vintage, labelled by
  // it, under their cell (`espionage[2024]`) as the series.
  const std::string_view step = HasColumn(table, "from")      ? "from"
                                : HasColumn(table, "vintage") ? "vintage"
                                                              : "";
  std::vector<Row> rows;
  for (const auto& cells : table.rows) {
    Row& r = rows.emplace_back();
    r.series = Field(table, cells, "series").text;
    r.period = Field(table, cells, "period").text;
    if (!step.empty()) {
      r.series += "[" + r.period + "]";
      r.period = Field(table, cells, step).text;
    }
    r.value = Field(table, cells, "value").text;
    r.source = Field(table, cells, "source").text;
    r.lo = NumberOf(Field(table, cells, "lo"));
    r.hi = NumberOf(Field(table, cells, "hi"));
    r.approx = Field(table, cells, "approx").boolean;
    if (r.value.empty()) r.value = kNoValue;
  }
  return rows;
}

// `rows` with a row for each run of periods missing between two rows of
// the same series and grain (`2018..2021`, or `2018` alone): no bar, the
// value `no figure`, no source.
std::vector<Row> WithGaps(const std::vector<Row>& rows) {
  std::vector<Row> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i - 1].series == rows[i].series) {
      const auto before = Period::Parse(rows[i - 1].period), after = Period::Parse(rows[i].period);
      if (before && after && before->grain() == after->grain() && after->ordinal() > before->ordinal() + 1) {
        const Period first = before->Next(), last = after->Prev();
        Row& gap = out.emplace_back();
        gap.series = rows[i].series;
        gap.period = first == last ? first.ToString() : first.ToString() + ".." + last.ToString();
        gap.value = kNoFigure;
      }
    }
    out.push_back(rows[i]);
  }
  return out;
}

// ---------------------------------------------------------------- labels

// How rows are labelled: see plot.h, "Layout".
struct Layout {
  bool grouped = false;       // a header line per series, bars indented
  bool series_label = false;  // the series is part of each label
  bool source_label = false;  // the source is part of each label (by source)
};

Layout ChooseLayout(const std::vector<Row>& rows) {
  std::set<std::string_view> series;
  std::set<std::pair<std::string_view, std::string_view>> cells;
  Layout layout;
  for (const auto& r : rows) {
    series.insert(r.series);
    layout.source_label = !cells.emplace(r.series, r.period).second || layout.source_label;
  }
  const bool several_series = series.size() > 1;
  const bool several_periods = cells.size() > series.size();
  layout.grouped = several_series && several_periods;
  layout.series_label = several_series && !several_periods;
  return layout;
}

std::vector<std::string> LabelParts(const Row& r, const Layout& layout) {
  std::vector<std::string> parts;
  if (layout.series_label) parts.push_back(r.series);
  parts.push_back(r.period);
  if (layout.source_label) parts.push_back(r.source);
  return parts;
}

// Each label's parts padded to their column's display width, joined by a
// space: every label then has the same width.
std::vector<std::string> AlignedLabels(const std::vector<Row>& rows, const Layout& layout) {
  std::vector<std::vector<std::string>> parts;
  std::vector<size_t> widths;
  for (const auto& r : rows) {
    parts.push_back(LabelParts(r, layout));
    widths.resize(parts.back().size());
    for (size_t i = 0; i < widths.size(); ++i)
      widths[i] = std::max(widths[i], DisplayWidth(parts.back()[i]));
  }
  std::vector<std::string> labels;
  for (const auto& row_parts : parts) {
    std::string& label = labels.emplace_back();
    for (size_t i = 0; i < row_parts.size(); ++i) {
      if (i > 0) label += ' ';
      label += row_parts[i];
      label.append(widths[i] - DisplayWidth(row_parts[i]), ' ');
    }
  }
  return labels;
}

// ---------------------------------------------------------------- bars

// A bar's ends in value units, clamped at zero: solid from 0 to `solid`,
// hollow from there to `hollow`, then an arrow when `open`.
struct Extent {
  double solid = 0, hollow = 0;
  bool open = false;
};

Extent ExtentOf(const Row& r) {
  Extent e;
  if (!r.lo && !r.hi) return e;  // no value, or unbounded both ways
  e.solid = std::max(0.0, r.lo.value_or(0.0));
  e.hollow = r.hi ? std::max(e.solid, *r.hi) : e.solid;
  e.open = !r.hi;
  return e;
}

// Columns for a length `x` at `scale` columns per unit: none for zero or
// less, at least one for anything positive.
size_t ColumnsFor(double x, double scale) {
  if (x <= 0 || scale <= 0) return 0;
  return std::max<size_t>(1, static_cast<size_t>(std::lround(x * scale)));
}

std::string Repeat(std::string_view glyph, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += glyph;
  return out;
}

// `text` wrapped in `style` when colour is on.
std::string Styled(std::string_view style, const std::string& text, bool color) {
  if (!color || text.empty()) return text;
  std::string out(style);
  out += text;
  out += kReset;
  return out;
}

std::string Bar(const Row& r, const Extent& e, double scale, const PlotOptions& options) {
  const Glyphs& g = options.ascii ? kAsciiGlyphs : kUnicodeGlyphs;
  const size_t solid = ColumnsFor(e.solid, scale);
  const size_t hollow = ColumnsFor(e.hollow, scale) - solid;
  const std::string_view color = r.approx ? kYellow : kCyan;
  std::string bar = Styled(color, Repeat(r.approx ? g.approx : g.solid, solid), options.color);
  bar += Styled(kDim, Repeat(g.hollow, hollow), options.color);
  if (e.open) bar += Styled(color, std::string(g.open), options.color);
  return bar;
}

// Columns per value unit so that the longest bar takes `columns`.
double ScaleFor(const std::vector<Extent>& extents, size_t columns) {
  double longest = 0;
  for (const auto& e : extents) longest = std::max(longest, e.hollow);
  return longest > 0 ? static_cast<double>(columns) / longest : 0;
}

// What the bars may take of `width` once everything else on the widest
// line is placed; at least kMinBarColumns.
size_t BarColumns(const std::vector<Row>& rows, const std::vector<Extent>& extents, size_t fixed,
                  bool source_after, size_t width) {
  size_t value_width = 0, source_width = 0;
  bool open = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    value_width = std::max(value_width, DisplayWidth(rows[i].value));
    source_width = std::max(source_width, DisplayWidth(rows[i].source));
    open = open || extents[i].open;
  }
  size_t used = fixed + 1 + value_width + (open ? 1 : 0);
  if (source_after) used += 2 + source_width;
  return width > used + kMinBarColumns ? width - used : kMinBarColumns;
}

}  // namespace

std::string RenderPlot(const Table& table, const PlotOptions& options) {
  const std::vector<Row> rows = WithGaps(ReadRows(table));
  if (rows.empty()) return "(no rows)\n";
  const Layout layout = ChooseLayout(rows);
  const std::vector<std::string> labels = AlignedLabels(rows, layout);
  std::vector<Extent> extents;
  for (const auto& r : rows) extents.push_back(ExtentOf(r));

  const std::string indent = layout.grouped ? "  " : "";
  const size_t fixed = indent.size() + DisplayWidth(labels.front()) + 2;
  const bool source_after = !layout.source_label;
  const double scale =
      ScaleFor(extents, BarColumns(rows, extents, fixed, source_after, options.width));

  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (layout.grouped && (i == 0 || rows[i - 1].series != r.series))
      out += Styled(kBold, r.series, options.color) + "\n";
    out += indent + labels[i] + "  " + Bar(r, extents[i], scale, options) + " " + r.value;
    if (source_after && !r.source.empty()) out += "  " + Styled(kDim, r.source, options.color);
    out += '\n';
  }
  return out;
}

}  // namespace docket::cli
