// The text of assert and check results (spec §5): Nagios plugin lines for
// checks on stdout, a message for an assert that did not hold on stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "query/query.h"

namespace docket::cli {

// One line per row: `DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 |
// 'treason'=3.717948717948718;3;5`; a check without rows gives
// `DOCKET UNKNOWN - TEXT: no data`. Rows among several add their period or
// source (and series, when they differ) to tell them apart.
std::vector<std::string> CheckLines(const CheckResult& check);

// `assertion failed: TEXT (got VALUE)` for the first false row, else
// `assertion unknown: …` for the first unknown one (`(no rows)` without
// rows); nullopt when the assert held.
std::optional<std::string> AssertMessage(const CheckResult& assertion);

}  // namespace docket::cli
