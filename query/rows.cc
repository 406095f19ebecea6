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

std::vector<Cell> RevisionRow(const std::string& series, const std::string& source,
                              const Version& v, std::string_view status) {
  std::optional<Interval> value;
  if (v.figure) value = Interval::FromFigure(*v.figure);
  return {Cell::Text(series),
          Cell::Text(v.report.period.ToString()),
          Cell::Text(source),
          Cell::Text(v.report.reported.ToString()),
          Cell::Text(FormatTimestamp(v.recorded)),
          ValueText(value),
          BoundCell(value, false),
          BoundCell(value, true),
          Cell::Bool(value && value->approx),
          Cell::Text(std::string(status)),
          Cell::Text(v.note),
          Cell::Text(v.url)};
}

}  // namespace docket
