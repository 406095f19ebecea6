// Internal to query: the tables of the catalog and the archive's history
// (spec §2.4): `show`, `describe` and `changes`. Each reads the archive and
// returns its table in spec order; storage errors only.
#pragma once

#include "query/ast.h"
#include "query/expr_eval.h"
#include "query/query.h"
#include "query/table.h"
#include "storage/archive.h"

namespace docket {

// `show charges|sources|series CHARGE`.
Result<Table> ShowTable(Archive& archive, const ast::Show& s);
// `describe CHARGE`: one row per series (one empty row without any). The
// charge must exist. Storage errors, or the deadline's (checked per series).
Result<Table> DescribeTable(Archive& archive, const ast::Describe& d, const Deadline& deadline);
// `changes since`: the versions recorded at or after `since` that the
// context's cutoffs and sources let through, in recorded order, each with
// its status over its cell's whole history, emitted a window of 2^20 at a
// time (memory independent of their number). Storage errors, Row's
// refusal, or the deadline's error (checked at each entry of the time
// index and at each cell read).
Status EmitChanges(Archive& archive, Micros since, const Context& ctx, const Deadline& deadline,
                   Output& output);

}  // namespace docket
