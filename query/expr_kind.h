// Internal to query: what an expression yields, and the arithmetic rules
// checked before anything runs (spec §2.2).
#pragma once

#include <string>
#include <string_view>

#include "query/ast.h"
#include "storage/status.h"

namespace docket {

enum class ExprKind {
  kScalar,     // numbers only: applies to every row of the other side
  kValues,     // value rows: selectors, aggregates, arithmetic on them
  kPairs,      // growth/change/pct rows
  kRevisions,  // revisions(...): a whole query only
  kConflicts,  // conflicts(...): a whole query only
  kHistory,    // history(...): a whole query, or plot
  kVintages,   // vintages(...): a whole query, or plot
  kDiff,       // diff(...): a whole query only
};

// A kind that is a query of its own (lexicon.h: FuncKind::kWholeStatement).
bool IsWholeStatement(ExprKind kind);
// The name of the function a whole-statement expression calls (through
// minus signs), for messages; "this" for anything else.
std::string_view CalledName(const ast::Expr& e);

// The kind of `e`, or kInput when its arithmetic is not allowed: a side
// that holds several series (a `key=*` selector outside an aggregate),
// a whole-statement function inside arithmetic, growth rows with anything but
// numbers. The error's place is the offending side.
Result<ExprKind> KindOf(const ast::Expr& e);

// `espionage{citizenship="UA"}[2024]`; without the period part when
// `with_period` is false (aggregate rows name their series that way).
std::string SelectorText(const ast::Selector& sel, bool with_period = true);
// `2016..2025`, `2024-12-01..2024-12-31`: a vintages range, canonical.
std::string VintageRangeText(const ast::VintageRange& range);
// `as of 2024-12-31 recorded as of 2025-01-01T00:00:00.000000Z`: a diff side.
std::string CutoffText(const ast::DiffCutoff& cutoff);
// `sum(espionage{citizenship=*})`: the series text of aggregate rows.
std::string AggregateText(const ast::Call& call);
std::string_view FuncName(ast::Func func);  // lexicon.h: FunctionOf(func).name

}  // namespace docket
