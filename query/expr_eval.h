// Internal to query: evaluating expressions against the archive (spec §2.2,
// §3): selectors are resolved per cell (resolve.h), then combined with
// interval arithmetic. Also the whole-statement functions revisions and
// conflicts, which read the same cells.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "query/ast.h"
#include "query/query.h"
#include "query/resolve.h"
#include "query/rows.h"
#include "storage/archive.h"

namespace docket {

// What one statement's modifiers say, and what its evaluation noticed.
struct Context {
  Cutoffs cutoffs;
  SourceFilter filter;
  bool by_source = false;
  ResolveRule rule = ResolveRule::kLatest;
  bool divided_by_zero = false;  // set by evaluation: some value is empty for it
  // Set by evaluation, once per cell, in the order met: `no consensus on
  // espionage[2024]: IStories 23, RTVI >=28` (spec §7.6's warning).
  std::vector<std::string> no_consensus;
};

// The series a selector without `*` names, labels sorted by key.
SeriesKey ConcreteKey(const ast::Selector& sel);


// Reads the archive for one statement at a time. Requires a checked script
// (every name defined, KindOf ok). Every call below also fails with the
// deadline's error once it passes (query.h: Deadline says where it is
// checked). Not thread-safe.
class ExprEvaluator {
 public:
  ExprEvaluator(Archive& archive, Deadline deadline) : archive_(archive), deadline_(deadline) {}

  // The context of a statement's modifiers.
  Context ContextOf(const ast::Modifiers& mods) const;

  // The rows of a value or growth expression, unsorted. Storage errors only.
  Result<Rows> Eval(const ast::Expr& e, Context& ctx);

  // Calls `chunk` with the rows of one series at a time, in series order
  // (canonical text), for a selector, a growth-family call, first or lag;
  // any other expression gives all its rows in one call (arithmetic pairs
  // the rows of its sides, aggregates combine across series). Rows within
  // a chunk are unsorted. Storage errors, or the first error of `chunk`.
  Status EvalBySeries(const ast::Expr& e, Context& ctx, const std::function<Status(Rows)>& chunk);

  // `revisions(sel)` and `conflicts(sel)`: their rows to `output` in spec
  // order, one series at a time. Storage errors, or Row's refusal.
  Status RevisionsOf(const ast::Selector& sel, const Context& ctx, Output& output);
  Status ConflictsOf(const ast::Selector& sel, const Context& ctx, Output& output);

  // `history`, `vintages` and `diff` (spec §7.3-7.5): their rows (the
  // columns of rows.h's HistoryTable, VintagesTable, DiffTable) to `row`,
  // in spec order, a window of series at a time (ForEachCell). Each
  // matched cell's versions are read once (timeline.h). Storage errors, or
  // the first error of `row`.
  using RowSink = std::function<Status(std::vector<Cell>)>;
  Status HistoryOf(const ast::Call& call, const Context& ctx, const RowSink& row);
  Status VintagesOf(const ast::Call& call, Context& ctx, const RowSink& row);
  Status DiffOf(const ast::Call& call, const Context& ctx, const RowSink& row);

 private:
  // The series a selector matches.
  Result<std::vector<SeriesInfo>> Match(const ast::Selector& sel);
  // The cells of `info` that `sel` covers, read into `storage`: with every
  // version, or with `current_at`, only the current reports at those
  // cutoffs (Archive::ScanCurrentReports), which is all that resolving the
  // cells at `current_at` reads.
  Status Cells(const SeriesInfo& info, const ast::Selector& sel, const Cutoffs* current_at,
               std::vector<Version>* storage, std::vector<CellSpan>* cells);
  // Calls visit(info, cell, &rows) for every cell `sel` covers, ordered by
  // series text then period, until one returns an error, and hands each
  // series' rows to `row` in that order. The series are read in key order
  // (InKeyOrder), in windows of about 8,192 cells' rows, a cell counting
  // as `rows_per_cell`; `warnings` (none when null) gets a series'
  // warnings in text order. The cell's versions live until visit returns.
  template <class Visit>
  Status ForEachCell(const ast::Selector& sel, size_t rows_per_cell, std::vector<std::string>* warnings,
                     const RowSink& row, Visit visit);
  // The rows of one series, appended to `out`.
  Status SeriesValues(const SeriesInfo& info, const ast::Selector& sel, Context& ctx, Values* out);
  Status SeriesPairs(const SeriesInfo& info, const ast::Call& call, Context& ctx, Pairs* out);
  Status SeriesFirsts(const SeriesInfo& info, const ast::Call& call, Context& ctx, Values* out);  // first, lag
  ValueRow RowOf(const std::string& series, const Period& period, const SourceFigure& f) const;
  // The cell resolved at `at` under the context's rule and source filter
  // (resolve.h: ResolveCell); an empty consensus is noted in
  // `ctx.no_consensus`.
  std::optional<Resolution> ResolveForRow(const std::string& series, const Period& period,
                                          std::span<const Version> cell, const Cutoffs& at,
                                          Context& ctx) const;

  // Every row of a selector, first or lag (Values) or a growth-family call
  // (Pairs): EvalBySeries's chunks, gathered.
  Result<Rows> SeriesRows(const ast::Expr& e, Context& ctx);
  Result<Rows> AggregateRows(const ast::Call& call, Context& ctx);
  Result<Rows> BinaryRows(const ast::Expr& e, Context& ctx);

  Archive& archive_;
  Deadline deadline_;
};

}  // namespace docket
