#include "cli/plugin_output.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "query/lexicon.h"

namespace docket::cli {
namespace {

bool IsControl(char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; }

// Any `|` or control character of `text` replaced by `_`: a plugin line
// holds no performance-data separator and no line break of its own.
std::string LineText(std::string_view text) {
  std::string out(text);
  for (char& ch : out)
    if (ch == '|' || IsControl(ch)) ch = '_';
  return out;
}

// `text` with any `=`, `'`, `|` or control character replaced by `_`: what
// a performance label may not hold.
std::string LabelChars(std::string_view text) {
  std::string out(text);
  for (char& ch : out)
    if (ch == '=' || ch == '\'' || ch == '|' || IsControl(ch)) ch = '_';
  return out;
}

// A series text as a performance label: each label
// `key:value` without quotes or escapes (`espionage{citizenship:UA}`),
// then any `=`, `'`, `|` or control character left replaced by `_`.
std::string PerfLabelText(std::string_view text) {
  std::string out;
  bool in_braces = false, in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (ch == '"') {
        in_string = false;
      } else {
        out += ch;
      }
    } else if (ch == '"') {
      in_string = true;
    } else {
      if (ch == '{') in_braces = true;
      if (ch == '}') in_braces = false;
      out += in_braces && ch == '=' ? ':' : ch;
    }
  }
  return LabelChars(out);
}

// A row as the rows around it may need to name it.
struct RowKey {
  std::string series, period, source;
};

// For each of `keys`, whether its period and whether its source are needed
// to tell it apart from the rows of the same series: the period when their
// periods differ, the source when two of them (of the same period, when
// the period is told) differ in it. Nothing else: a label that named the
// winning source without need would change whenever another source wins,
// breaking a monitored cell's history.
std::vector<std::pair<bool, bool>> Needed(const std::vector<RowKey>& keys) {
  std::map<std::string, std::vector<size_t>> by_series;
  for (size_t i = 0; i < keys.size(); ++i) by_series[keys[i].series].push_back(i);
  std::vector<std::pair<bool, bool>> needed(keys.size());
  for (const auto& [series, group] : by_series) {
    std::set<std::string> periods;
    for (size_t i : group) periods.insert(keys[i].period);
    const bool period = periods.size() > 1;
    std::map<std::string, std::set<std::string>> sources;  // by told period
    for (size_t i : group) sources[period ? keys[i].period : ""].insert(keys[i].source);
    bool source = false;
    for (const auto& [p, s] : sources) source |= s.size() > 1;
    for (size_t i : group) needed[i] = {period, source};
  }
  return needed;
}

// `key` named by its series (when `with_series`) and the parts Needed says.
std::string Named(const RowKey& key, std::pair<bool, bool> needed, bool with_series) {
  std::vector<std::string_view> parts;
  if (with_series) parts.push_back(key.series);
  if (needed.first) parts.push_back(key.period);
  if (needed.second) parts.push_back(key.source);
  std::erase_if(parts, [](std::string_view p) { return p.empty(); });
  return fmt::format("{}", fmt::join(parts, " "));
}

// NUM of the performance data: the point value, the finite end of a
// one-sided value (`<=v` being [0, v]), the lower end of a two-sided one,
// or U without a value or when it is unbounded both ways.
std::string PerfNumber(const std::optional<Interval>& v) {
  if (!v || (!v->bounded_below() && !v->bounded_above())) return "U";
  if (!v->bounded_below() || (v->lo == 0 && v->bounded_above())) return FormatExact(v->hi);
  return FormatExact(v->lo);
}

// A threshold in the guidelines' range syntax, which alerts when the value
// is outside the range or, with `@`, inside it; empty when absent.
std::string Range(const std::optional<ast::Comparison>& c) {
  if (!c) return "";
  const std::string& t = c->threshold_text;
  switch (c->op) {
    case Cmp::kGt: return fmt::format("~:{}", t);
    case Cmp::kLt: return fmt::format("{}:", t);
    case Cmp::kGe: return fmt::format("@{}:", t);
    case Cmp::kLe: return fmt::format("@~:{}", t);
    case Cmp::kEq: return fmt::format("@{}:{}", t, t);
    case Cmp::kNe: return fmt::format("{}:{}", t, t);
  }
  return "";
}

// The row of an assert that did not hold that its message shows: the
// first false row, else the first unknown one; null when it held or has
// no rows.
const CheckRow* ShownAssertRow(const CheckResult& assertion) {
  const CheckRow* first_unknown = nullptr;
  for (const auto& r : assertion.rows) {
    if (r.state == CheckState::kCritical) return &r;
    if (r.state == CheckState::kUnknown && !first_unknown) first_unknown = &r;
  }
  return first_unknown;
}

// `(got VALUE)`, `(got no value)` or `(no rows)`.
std::string AssertGot(const CheckResult& assertion) {
  if (assertion.rows.empty()) return "(no rows)";
  const CheckRow* shown = ShownAssertRow(assertion);
  return fmt::format("(got {})", shown && shown->value ? DisplayValue(*shown->value) : "no value");
}

// One row of the plugin output.
struct PluginRow {
  CheckState state = CheckState::kOk;
  std::string text;  // after `STATE - `
  bool has_perf = false;
  RowKey key;             // the label's parts, already label text
  std::string perf_tail;  // `=NUM;WARN;CRIT`
};

std::vector<PluginRow> RowsOf(const std::vector<CheckResult>& results) {
  std::vector<PluginRow> out;
  for (const auto& result : results) {
    if (result.kind == CheckResult::Kind::kAssert) {
      if (result.state != CheckState::kOk)
        out.push_back({result.state, LineText(fmt::format("assert {} {}", result.text, AssertGot(result))),
                       false, {}, ""});
      continue;
    }
    const std::string ranges = fmt::format("{};{}", Range(result.warn), Range(result.crit));
    if (result.rows.empty()) {
      out.push_back({CheckState::kUnknown, LineText(fmt::format("{}: no data", result.text)), true,
                     {LabelChars(result.text), "", ""}, fmt::format("=U;{}", ranges)});
      continue;
    }
    std::vector<RowKey> keys;
    bool series_differ = false;
    for (const auto& row : result.rows) {
      keys.push_back({PerfLabelText(row.series), LabelChars(row.period), LabelChars(row.source)});
      series_differ |= row.series != result.rows.front().series;
    }
    const auto needed = Needed(keys);
    for (size_t i = 0; i < result.rows.size(); ++i) {
      const CheckRow& row = result.rows[i];
      std::string text = result.text;
      if (std::string identity = Named(keys[i], needed[i], series_differ); !identity.empty())
        text += " " + identity;
      text += row.value ? " = " + DisplayValue(*row.value) : ": no value";
      out.push_back({row.state, LineText(text), true, keys[i],
                     fmt::format("={};{}", PerfNumber(row.value), ranges)});
    }
  }
  return out;
}

// The performance labels of `rows` (those with performance data): the
// series, plus period or source where Needed, then ` #2`, ` #3` … when
// still not unique.
std::vector<std::string> PerfLabels(const std::vector<PluginRow>& rows) {
  std::vector<RowKey> keys;
  for (const auto& r : rows)
    if (r.has_perf) keys.push_back(r.key);
  const auto needed = Needed(keys);
  std::vector<std::string> labels;
  std::map<std::string, int> seen;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string label = Named(keys[i], needed[i], true);
    if (const int n = ++seen[label]; n > 1) label += fmt::format(" #{}", n);
    labels.push_back(std::move(label));
  }
  return labels;
}

}  // namespace

void PluginReport::Add(const CheckResult& result) { results_.push_back(result); }

bool PluginReport::has_check() const {
  return std::any_of(results_.begin(), results_.end(),
                     [](const CheckResult& r) { return r.kind == CheckResult::Kind::kCheck; });
}

std::vector<std::string> PluginReport::Lines() const {
  std::vector<PluginRow> rows = RowsOf(results_);
  const std::vector<std::string> labels = PerfLabels(rows);
  std::string perf;
  size_t next_label = 0;
  for (const auto& r : rows)
    if (r.has_perf) perf += fmt::format(" '{}'{}", labels[next_label++], r.perf_tail);
  CheckState worst = CheckState::kOk;
  bool has_assert = false;
  for (const auto& r : rows) {
    worst = Worse(worst, r.state);
    has_assert |= !r.has_perf;
  }
  if (rows.size() == 1 && !has_assert) return {fmt::format("DOCKET {} - {} |{}", worst, rows[0].text, perf)};

  std::vector<std::string> counts;
  for (CheckState s : {CheckState::kCritical, CheckState::kWarning, CheckState::kUnknown, CheckState::kOk}) {
    const auto n = std::count_if(rows.begin(), rows.end(), [&](const PluginRow& r) { return r.state == s; });
    if (n > 0) {
      std::string name(CheckStateName(s));
      std::transform(name.begin(), name.end(), name.begin(), [](char ch) { return static_cast<char>(ch - 'A' + 'a'); });
      counts.push_back(fmt::format("{} {}", n, name));
    }
  }
  std::vector<std::string> lines{
      fmt::format("DOCKET {} - {} checks: {} |{}", worst, rows.size(), fmt::join(counts, ", "), perf)};
  for (auto& line : RowLines()) lines.push_back(std::move(line));
  return lines;
}

std::vector<std::string> PluginReport::RowLines() const {
  std::vector<PluginRow> rows = RowsOf(results_);
  std::stable_sort(rows.begin(), rows.end(), [](const PluginRow& a, const PluginRow& b) {
    return Worse(a.state, b.state) == a.state && a.state != b.state;
  });
  std::vector<std::string> lines;
  for (const auto& r : rows) lines.push_back(fmt::format("{} - {}", r.state, r.text));
  return lines;
}

std::string PluginErrorLine(std::string_view message) {
  return fmt::format("DOCKET UNKNOWN - {}", LineText(message.substr(0, message.find('\n'))));
}

bool MentionsCheck(std::string_view text) { return HasWord(text, "check"); }

std::optional<std::string> AssertMessage(const CheckResult& assertion) {
  if (assertion.state == CheckState::kOk && !assertion.rows.empty()) return std::nullopt;
  const bool failed = assertion.state == CheckState::kCritical;
  return fmt::format("assertion {}: {} {}", failed ? "failed" : "unknown", assertion.text, AssertGot(assertion));
}

}  // namespace docket::cli
