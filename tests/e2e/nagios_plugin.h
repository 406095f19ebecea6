// A monitoring host's reading of plugin output, written from the Nagios
// plugin development guidelines (monitoring-plugins.org/doc/guidelines.html,
// "Plugin Output", "Performance data", "Threshold and ranges"), strictly:
// whatever the guidelines leave open or forbid is an error here, so a test
// that parses docket's output proves it is what Nagios, Icinga and the
// plugin libraries read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docket::e2e {

// `'label'=value[UOM];[warn];[crit];[min];[max]`.
struct PerfDatum {
  std::string label;            // unquoted, `''` read as `'`
  std::optional<double> value;  // nullopt: `U`, undetermined
  std::string uom, warn, crit, min, max;
};

// `TEXT | PERFDATA` on the first line, then the long text, one line each.
struct PluginOutput {
  std::string text;  // the first line before ` | `
  std::vector<PerfDatum> perf;
  std::vector<std::string> long_text;
};

// Parses stdout of a plugin. Errors (the reason, in `*error`): no output,
// no final newline, an empty first line, a `|` in the long text (a host
// would read what follows as performance data), a second `|` on the first
// line, a label that is empty, holds `=` or an unpaired `'`, or repeats an
// earlier one (Icinga keys its metrics by label), a value that is not
// `[-0-9.]` digits or `U`, a number in exponent form, a warn or crit that is
// not a range, more than five fields, a control character anywhere.
std::optional<PluginOutput> ParsePluginOutput(const std::string& out, std::string* error);

// A threshold range, `[@]start:end`: `start` defaults to 0 and may be `~`
// (negative infinity); `start:` leaves the end infinite; it alerts when the
// value lies outside [start, end] (ends included), or with `@` inside it.
struct NagiosRange {
  bool inside = false;
  std::optional<double> start, end;  // nullopt: -inf, +inf
  // True when `value` raises the alert of this range.
  bool Alerts(double value) const;
};
// Nullopt for any text the guidelines do not define (also start > end).
std::optional<NagiosRange> ParseRange(std::string_view text);

// The state a plugin library computes from one performance datum: 2 when
// the crit range alerts, else 1 when the warn range alerts, else 0; 3 for
// `U` or a range it cannot read.
int StateOf(const PerfDatum& datum);

// How monitoring hosts combine states: 2 > 1 > 3 > 0.
int WorstState(int a, int b);

// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; -1 for any other word.
int StateCode(std::string_view word);

}  // namespace docket::e2e
