// Internal to query: evaluating expressions against the archive (spec §2.2,
// §3): selectors are resolved per cell (resolve.h), then combined with
// interval arithmetic. Also the whole-statement functions revisions and
// conflicts, which read the same cells.
#pragma once

#include <string>
#include <vector>

#include "query/ast.h"
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
// (every name defined, KindOf ok). Not thread-safe.
class ExprEvaluator {
 public:
  explicit ExprEvaluator(Archive& archive) : archive_(archive) {}

  // The context of a statement's modifiers.
  Context ContextOf(const ast::Modifiers& mods) const;

  // The rows of a value or growth expression, unsorted. Storage errors only.
  Result<Rows> Eval(const ast::Expr& e, Context& ctx);

  // `revisions(sel)` and `conflicts(sel)`: their tables, in spec order.
  Result<Table> RevisionsOf(const ast::Selector& sel, const Context& ctx);
  Result<Table> ConflictsOf(const ast::Selector& sel, const Context& ctx);

  // `history`, `vintages` and `diff` (spec §7.3-7.5): their tables, in spec
  // order. Each matched cell's versions are read once (timeline.h).
  Result<Table> HistoryOf(const ast::Call& call, const Context& ctx);
  Result<Table> VintageTableOf(const ast::Call& call, const Context& ctx);
  Result<Table> DiffOf(const ast::Call& call, const Context& ctx);

 private:
  // The series a selector matches; the cells of one that it covers.
  Result<std::vector<SeriesInfo>> Match(const ast::Selector& sel);
  Status Cells(const SeriesInfo& info, const ast::Selector& sel, std::vector<Version>* storage,
               std::vector<CellSpan>* cells);
  // Calls visit(info, cell) for every cell `sel` covers, ordered by series
  // text then period; the cell's versions live until visit returns.
  template <class Visit>
  Status ForEachCell(const ast::Selector& sel, Visit visit);
  ValueRow RowOf(const std::string& series, const Period& period, const SourceFigure& f) const;
  // The cell resolved under the context's rule (resolve.h: ResolveCell);
  // an empty consensus is noted in `ctx.no_consensus`.
  std::optional<Resolution> ResolveForRow(const std::string& series, const Period& period,
                                     std::span<const Version> cell, Context& ctx) const;

  Result<Rows> SelectorRows(const ast::Selector& sel, Context& ctx);
  Result<Rows> PairRows(const ast::Call& call, Context& ctx);
  Result<Rows> AggregateRows(const ast::Call& call, Context& ctx);
  Result<Rows> FirstRows(const ast::Call& call, Context& ctx);  // first(S), lag(S)
  Result<Rows> BinaryRows(const ast::Expr& e, Context& ctx);

  Archive& archive_;
};

}  // namespace docket
