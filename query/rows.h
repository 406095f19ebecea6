// Internal to query: the rows an expression evaluates to, their order and
// their tables (spec §4). No archive access; evaluation is in expr_eval.h.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "query/interval.h"
#include "query/table.h"
#include "storage/types.h"

namespace docket {

// A value row (spec §4). `period_key` is set for a plain period, unset for
// `LEFT/RIGHT` pairs and numbers.
struct ValueRow {
  std::string series;
  std::string period;
  std::optional<Period> period_key;
  std::optional<Interval> value;
  std::string source;
  std::optional<Date> reported;
  bool series_is_expression = false;  // `series` is an expression's text, not one series
};

// A growth/change/pct row.
struct PairRow {
  std::string series;
  Period from, to;
  std::optional<Interval> from_value, to_value, value;
  std::string source;
};

struct Values {
  std::vector<ValueRow> rows;
  bool scalar = false;  // a plain number (or arithmetic of numbers)
};
struct Pairs {
  std::vector<PairRow> rows;
};
using Rows = std::variant<Values, Pairs>;

// Value rows order by series, period (by first day, longer first; composite
// periods after, by text), then source; pair rows by series, to, from, source.
void SortValues(std::vector<ValueRow>* rows);
void SortPairs(std::vector<PairRow>* rows);
void SortRows(Rows* rows);

// The tables of spec §4: value rows, growth rows, revisions (also `changes`);
// their fields, and one row's cells.
std::vector<std::string> ValueColumns();
std::vector<std::string> PairColumns();
std::vector<Cell> ValueCells(const ValueRow& row);
std::vector<Cell> PairCells(const PairRow& row);
Table ValueTable(const std::vector<ValueRow>& rows);
Table RevisionTable();  // the columns, no rows
std::vector<Cell> RevisionRow(const std::string& series, const std::string& source,
                              const Version& v, std::string_view status);

// The value as displayed (`145`, `>=28`, `3.72`), empty without one.
Cell ValueText(const std::optional<Interval>& v);
// The fields value, lo, hi, approx of a value (none: empty, null, null, false).
std::vector<Cell> IntervalCells(const std::optional<Interval>& v);
// The same fields of a reported figure: IntervalCells(Interval::FromFigure),
// without exact arithmetic (a figure is a whole count below 2^53).
std::vector<Cell> FigureCells(const std::optional<Figure>& figure);

// The columns of spec §7's tables, no rows: history, vintages, diff.
Table HistoryTable();
Table VintagesTable();
Table DiffTable();

}  // namespace docket
