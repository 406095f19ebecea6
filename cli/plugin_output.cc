#include "cli/plugin_output.h"

#include <set>
#include <tuple>

#include <fmt/format.h>

namespace docket::cli {
namespace {

// The identity of a row among several: its series (when series differ,
// or always with `series_always`), plus its period, or else its source,
// or else both: the first that tells the rows apart. A label that named
// the winning source without need would change whenever another source
// wins, breaking a monitored cell's history.
std::string RowLabel(const std::vector<CheckRow>& rows, const CheckRow& row, bool series_always) {
  auto unique = [&](bool period, bool source) {
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const auto& r : rows)
      if (!seen.insert({r.series, period ? r.period : "", source ? r.source : ""}).second) return false;
    return true;
  };
  bool with_period = false, with_source = false;
  if (!unique(false, false)) {
    if (unique(true, false)) {
      with_period = true;
    } else if (unique(false, true)) {
      with_source = true;
    } else {
      with_period = with_source = true;
    }
  }
  bool series_differ = false;
  for (const auto& r : rows) series_differ |= r.series != rows.front().series;
  std::string label;
  auto add = [&](const std::string& part) {
    if (!part.empty()) label += (label.empty() ? "" : " ") + part;
  };
  if (series_always || series_differ) add(row.series);
  if (with_period) add(row.period);
  if (with_source) add(row.source);
  return label;
}

// The number, or the finite end of a one-sided value, or U.
std::string PerfNumber(const std::optional<Interval>& v) {
  if (!v) return "U";
  auto shown = [&](const Real& x) { return DisplayValue(Interval{x, x, false, v->ratio}); };
  if (v->is_point()) return shown(v->lo);
  const bool low = v->bounded_below(), high = v->bounded_above();
  if (low && !high) return shown(v->lo);
  if (high && (!low || v->lo == 0)) return shown(v->hi);
  return "U";
}

std::string ThresholdText(const std::optional<ast::Comparison>& cmp) {
  return cmp ? cmp->threshold_text : std::string();
}

}  // namespace

std::vector<std::string> CheckLines(const CheckResult& check) {
  if (check.rows.empty()) return {fmt::format("DOCKET UNKNOWN - {}: no data", check.text)};
  std::vector<std::string> lines;
  const auto& rows = check.rows;
  for (const auto& r : rows) {
    std::string row_text = check.text;
    if (rows.size() > 1) row_text += fmt::format(" {}", RowLabel(rows, r, false));
    const std::string label = rows.size() > 1 ? RowLabel(rows, r, true) : r.series;
    std::string perf_label;
    for (char ch : label) perf_label += ch == '\'' ? std::string("''") : std::string(1, ch);
    const std::string shown = r.value ? "= " + DisplayValue(*r.value) : ": no value";
    lines.push_back(fmt::format("DOCKET {} - {} {} | '{}'={};{};{}", r.state,
                                row_text, shown, perf_label, PerfNumber(r.value),
                                ThresholdText(check.warn), ThresholdText(check.crit)));
  }
  return lines;
}

std::optional<std::string> AssertMessage(const CheckResult& assertion) {
  if (assertion.rows.empty())
    return fmt::format("assertion unknown: {} (no rows)", assertion.text);
  const CheckRow* first_false = nullptr;
  const CheckRow* first_unknown = nullptr;
  for (const auto& r : assertion.rows) {
    if (r.state == CheckState::kCritical && !first_false) first_false = &r;
    if (r.state == CheckState::kUnknown && !first_unknown) first_unknown = &r;
  }
  const CheckRow* shown = first_false ? first_false : first_unknown;
  if (!shown) return std::nullopt;
  const std::string got = shown->value ? DisplayValue(*shown->value) : "no value";
  return fmt::format("assertion {}: {} (got {})", first_false ? "failed" : "unknown",
                     assertion.text, got);
}

}  // namespace docket::cli
