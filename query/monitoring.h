// Internal to query: judging the rows of an `assert` or a `check` (spec §5
// "Exit codes"). Pure functions over sorted rows; cli formats the result.
#pragma once

#include "query/ast.h"
#include "query/query.h"
#include "query/rows.h"

namespace docket {

// Every row of an assert: OK when the comparison holds, CRITICAL when it
// does not, UNKNOWN when it cannot tell; the result's state is the worst,
// UNKNOWN without rows. `rows` sorted (SortRows).
CheckResult JudgeAssert(const ast::Assert& a, const Rows& rows);

// Every row of a check: CRITICAL if crit holds; else UNKNOWN if either
// comparison is unknown or the row has no value; else WARNING if warn
// holds; else OK. The result's state is the worst, UNKNOWN without rows.
CheckResult JudgeCheck(const ast::Check& c, const Rows& rows);

}  // namespace docket
