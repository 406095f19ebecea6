// The text of assert and check results (spec §5): the plugin output of a
// script with checks, in the form of the Nagios plugin guidelines, and the
// message for an assert that did not hold on stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/query.h"

namespace docket::cli {

// The plugin output of a script's asserts and checks, gathered as they run
// and printed once when the script ends (spec §5 v1.1). Rows: every row of
// every check (a check without rows is one UNKNOWN row, `TEXT: no data`)
// and every assert that did not hold.
class PluginReport {
 public:
  // Adds the result of an assert or a check, in statement order.
  void Add(const CheckResult& result);
  // True when a check was added: only then is there plugin output.
  bool has_check() const;
  // The lines, without newlines. One row and no assert row:
  // `DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5`.
  // Otherwise `DOCKET STATE - N checks: 1 critical, … | PERFDATA…`, then a
  // line per row, worst state first, then in statement and row order. The
  // status word is the worst row's state. Requires: has_check().
  std::vector<std::string> Lines() const;
  // The line of each row (`WARNING - TEXT`), worst state first, then in
  // statement and row order: the lines after the first in the several-rows
  // form.
  std::vector<std::string> RowLines() const;
  // Forgets every result added.
  void Clear() { results_.clear(); }

 private:
  std::vector<CheckResult> results_;
};

// `DOCKET UNKNOWN - MESSAGE`: the plugin output of a script with a check
// that an error stopped. MESSAGE is the message's first line.
std::string PluginErrorLine(std::string_view message);

// True when `text` holds the keyword `check` outside strings and comments,
// so that its script owes plugin output even when it does not parse.
bool MentionsCheck(std::string_view text);

// `assertion failed: TEXT (got VALUE)` for the first false row, else
// `assertion unknown: …` for the first unknown one (`(no rows)` without
// rows); nullopt when the assert held.
std::optional<std::string> AssertMessage(const CheckResult& assertion);

}  // namespace docket::cli
