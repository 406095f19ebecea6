#include "query/rows.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace docket {
namespace {

auto OrderKey(const ValueRow& r) {
  return std::make_tuple(std::cref(r.series), !r.period_key.has_value(),
                         r.period_key.value_or(Period()), std::cref(r.period), std::cref(r.source));
}

// `lo` or `hi`: null without a value or for an unbounded end.
Cell BoundCell(const std::optional<Interval>& v, bool upper) {
  if (!v) return Cell::Null();
  const Real& x = upper ? v->hi : v->lo;
  if (!x.finite()) return Cell::Null();
  return Cell::Number(x.ToDouble(), FormatExact(x), upper ? ShowHi(*v) : ShowLo(*v));
}

}  // namespace

void SortValues(std::vector<ValueRow>* rows) {
  std::stable_sort(rows->begin(), rows->end(),
                   [](const ValueRow& a, const ValueRow& b) { return OrderKey(a) < OrderKey(b); });
}

void SortPairs(std::vector<PairRow>* rows) {
  std::stable_sort(rows->begin(), rows->end(), [](const PairRow& a, const PairRow& b) {
    return std::tie(a.series, a.to, a.from, a.source) < std::tie(b.series, b.to, b.from, b.source);
  });
}

void SortRows(Rows* rows) {
  if (auto* values = std::get_if<Values>(rows)) {
    SortValues(&values->rows);
  } else {
    SortPairs(&std::get<Pairs>(*rows).rows);
  }
}

Cell ValueText(const std::optional<Interval>& v) {
  return Cell::Text(v ? DisplayValue(*v) : std::string());
}

std::vector<Cell> IntervalCells(const std::optional<Interval>& v) {
  return {ValueText(v), BoundCell(v, false), BoundCell(v, true), Cell::Bool(v && v->approx)};
}

std::vector<std::string> ValueColumns() {
  return {"series", "period", "value", "lo", "hi", "approx", "source", "reported"};
}

std::vector<std::string> PairColumns() {
  return {"series", "from", "to", "from_value", "to_value", "value", "lo", "hi", "approx", "source"};
}

std::vector<Cell> ValueCells(const ValueRow& r) {
  return {Cell::Text(r.series), Cell::Text(r.period), ValueText(r.value),
          BoundCell(r.value, false), BoundCell(r.value, true),
          Cell::Bool(r.value && r.value->approx), Cell::Text(r.source),
          Cell::Text(r.reported ? r.reported->ToString() : std::string())};
}

std::vector<Cell> PairCells(const PairRow& r) {
  return {Cell::Text(r.series), Cell::Text(r.from.ToString()), Cell::Text(r.to.ToString()),
          ValueText(r.from_value), ValueText(r.to_value), ValueText(r.value),
          BoundCell(r.value, false), BoundCell(r.value, true),
          Cell::Bool(r.value && r.value->approx), Cell::Text(r.source)};
}

Table ValueTable(const std::vector<ValueRow>& rows) {
  Table t{ValueColumns(), {}};
  for (const auto& r : rows) t.rows.push_back(ValueCells(r));
  return t;
}

Table HistoryTable() {
  return {{"series", "period", "from", "until", "value", "lo", "hi", "approx", "source", "reported"},
          {}};
}

Table VintagesTable() {
  return {{"series", "period", "vintage", "value", "lo", "hi", "approx", "source", "reported"}, {}};
}

Table DiffTable() {
  return {{"series", "period", "change", "value_a", "source_a", "reported_a", "value_b", "source_b",
           "reported_b"},
          {}};
}

Table RevisionTable() {
  return {{"series", "period", "source", "reported", "recorded", "value", "lo", "hi", "approx",
           "status", "note", "url"},
          {}};
}

std::vector<Cell> FigureCells(const std::optional<Figure>& figure) {
  if (!figure) return IntervalCells(std::nullopt);
  // A count below 2^53: exact as a double, and every end prints as it is.
  const uint64_t count = figure->count;
  const auto number = [](uint64_t v) {
    std::string text = std::to_string(v);
    return Cell::Number(static_cast<double>(v), text, text);
  };
  const auto value = [count](std::string sign) { return Cell::Text(sign.append(std::to_string(count))); };
  switch (figure->bound) {
    case Bound::kExact: return {value(""), number(count), number(count), Cell::Bool(false)};
    case Bound::kApprox: return {value("~"), number(count), number(count), Cell::Bool(true)};
    case Bound::kAtLeast: return {value(">="), number(count), Cell::Null(), Cell::Bool(false)};
    case Bound::kAtMost:  // [0, count]: the point 0 when the count is 0
      return {value(count == 0 ? "" : "<="), number(0), number(count), Cell::Bool(false)};
  }
  return IntervalCells(Interval::FromFigure(*figure));  // unreachable: every Bound is handled above
}

std::vector<Cell> RevisionRow(const std::string& series, const std::string& source,
                              const Version& v, std::string_view status) {
  std::vector<Cell> row;
  row.reserve(12);  // RevisionTable's columns
  row.push_back(Cell::Text(series));
  row.push_back(Cell::Text(v.report.period.ToString()));
  row.push_back(Cell::Text(source));
  row.push_back(Cell::Text(v.report.reported.ToString()));
  row.push_back(Cell::Text(FormatTimestamp(v.recorded)));
  for (auto& cell : FigureCells(v.figure)) row.push_back(std::move(cell));
  row.push_back(Cell::Text(std::string(status)));
  row.push_back(Cell::Text(v.note));
  row.push_back(Cell::Text(v.url));
  return row;
}

}  // namespace docket
