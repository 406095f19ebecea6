// Running a checked script (query.h: Run): statement dispatch. Each
// statement's work is elsewhere: expressions in expr_eval.h, the catalog
// and history tables in catalog_tables.h, assert/check in monitoring.h;
// here each result goes to Output, and write statements to the archive.
#include <fmt/format.h>

#include "query/catalog_tables.h"
#include "query/expr_eval.h"
#include "query/expr_kind.h"
#include "query/monitoring.h"
#include "query/query.h"

namespace docket {
namespace {

class Dispatcher {
 public:
  Dispatcher(const ast::Script& script, Archive& archive, const RunOptions& options, Output& output)
      : script_(script), archive_(archive), options_(options), output_(output), eval_(archive, options.deadline) {}

  // Runs one statement; assert and check make `*state` worse.
  Status Statement(const ast::Statement& st, CheckState* state) {
    where_ = script_.pieces[st.span.piece].origin;
    return std::visit([&](const auto& node) { return Run(st, *node, state); }, st.node);
  }

 private:
  Status Run(const ast::Statement&, const ast::DefineCharge& d, CheckState*) {
    return archive_.DefineCharge({d.name, d.title, d.article});
  }
  Status Run(const ast::Statement&, const ast::DefineSource& d, CheckState*) {
    return archive_.DefineSource({d.name, d.title, d.url, d.priority});
  }

  Status Run(const ast::Statement& st, const ast::Record& r, CheckState*) {
    auto outcome = archive_.Record(
        {ConcreteKey(r.target), *r.target.first, r.source, r.reported, r.figure, r.note, r.url, options_.now});
    if (!outcome.ok()) {
      Status s = outcome.status();
      if (s.kind() == ErrorKind::kInput && !s.place().set)
        return Status::Input(s.message(), Place{true, st.span.piece, st.span.begin});
      return s;
    }
    return {};
  }

  // Rows go out one series at a time where evaluation allows (EvalBySeries).
  Status Run(const ast::Statement&, const ast::Query& q, CheckState*) {
    auto kind = KindOf(q.expr);
    if (!kind.ok()) return kind.status();
    Context ctx = eval_.ContextOf(q.mods);
    if (*kind == ExprKind::kRevisions || *kind == ExprKind::kConflicts) {
      const auto& sel = q.expr.call()->arg;
      return *kind == ExprKind::kRevisions ? eval_.RevisionsOf(sel, ctx, output_)
                                           : eval_.ConflictsOf(sel, ctx, output_);
    }
    if (IsWholeStatement(*kind)) {
      output_.Begin(TimelineColumns(*kind));
      DOCKET_RETURN_IF_ERROR(
          TimelineRows(*kind, q.expr, ctx, [&](std::vector<Cell> row) { return output_.Row(row); }));
      output_.End();
      Warn(q.expr, ctx);
      return {};
    }
    const bool pairs = *kind == ExprKind::kPairs;
    output_.Begin(pairs ? PairColumns() : ValueColumns());
    const Status s = eval_.EvalBySeries(q.expr, ctx, [&](Rows rows) -> Status {
      SortRows(&rows);
      if (pairs) {
        for (const auto& row : std::get<Pairs>(rows).rows) DOCKET_RETURN_IF_ERROR(output_.Row(PairCells(row)));
      } else {
        for (const auto& row : std::get<Values>(rows).rows) DOCKET_RETURN_IF_ERROR(output_.Row(ValueCells(row)));
      }
      return {};
    });
    if (!s.ok()) return s;
    output_.End();
    Warn(q.expr, ctx);
    return {};
  }

  Status Run(const ast::Statement&, const ast::Plot& p, CheckState*) {
    auto kind = KindOf(p.expr);
    if (!kind.ok()) return kind.status();
    if (IsWholeStatement(*kind)) {  // history or vintages rows (checked)
      Context ctx = eval_.ContextOf(p.mods);
      Table table{TimelineColumns(*kind), {}};
      DOCKET_RETURN_IF_ERROR(TimelineRows(*kind, p.expr, ctx, [&](std::vector<Cell> row) {
        table.rows.push_back(std::move(row));
        return Status();
      }));
      output_.Plot(table);
      Warn(p.expr, ctx);
      return {};
    }
    auto rows = SortedRows(p.expr, p.mods);
    if (!rows.ok()) return rows.status();
    output_.Plot(ValueTable(std::get<Values>(*rows).rows));
    return {};
  }

  Status Run(const ast::Statement&, const ast::Assert& a, CheckState* state) {
    auto rows = SortedRows(a.expr, a.mods);
    if (!rows.ok()) return rows.status();
    return Judged(JudgeAssert(a, *rows), state);
  }

  Status Run(const ast::Statement&, const ast::Check& c, CheckState* state) {
    auto rows = SortedRows(c.expr, c.mods);
    if (!rows.ok()) return rows.status();
    return Judged(JudgeCheck(c, *rows), state);
  }

  Status Run(const ast::Statement&, const ast::Show& s, CheckState*) {
    return Emit(ShowTable(archive_, s));
  }
  Status Run(const ast::Statement&, const ast::Describe& d, CheckState*) {
    return Emit(DescribeTable(archive_, d, options_.deadline));
  }
  Status Run(const ast::Statement&, const ast::Changes& c, CheckState*) {
    return EmitChanges(archive_, c.since, eval_.ContextOf(c.mods), options_.deadline, output_);
  }

  // The columns and rows of `history`, `vintages` or `diff` (KindOf: `kind`).
  static std::vector<std::string> TimelineColumns(ExprKind kind) {
    switch (kind) {
      case ExprKind::kHistory: return HistoryTable().columns;
      case ExprKind::kVintages: return VintagesTable().columns;
      default: return DiffTable().columns;
    }
  }
  Status TimelineRows(ExprKind kind, const ast::Expr& e, Context& ctx, const ExprEvaluator::RowSink& row) {
    const auto& call = *e.call();
    switch (kind) {
      case ExprKind::kHistory: return eval_.HistoryOf(call, ctx, row);
      case ExprKind::kVintages: return eval_.VintagesOf(call, ctx, row);
      default: return eval_.DiffOf(call, ctx, row);
    }
  }

  Status Emit(Result<Table> table) {
    if (!table.ok()) return table.status();
    return EmitTable(output_, *table);
  }

  Status Judged(const CheckResult& result, CheckState* state) {
    *state = Worse(*state, result.state);
    output_.Check(where_, result);
    return {};
  }

  // The rows of `e` under `mods`, sorted; warnings said (Warn).
  Result<Rows> SortedRows(const ast::Expr& e, const ast::Modifiers& mods) {
    Context ctx = eval_.ContextOf(mods);
    auto rows = eval_.Eval(e, ctx);
    if (!rows.ok()) return rows;
    Warn(e, ctx);
    SortRows(&*rows);
    return rows;
  }

  // What evaluating `e` has to say on stderr: a division by zero, cells
  // without a consensus (spec §7.6).
  void Warn(const ast::Expr& e, const Context& ctx) {
    if (ctx.divided_by_zero)
      output_.Message(where_, fmt::format("warning: division by zero in {}; its value is empty",
                                          ExprText(e)));
    for (const auto& message : ctx.no_consensus) output_.Message(where_, message);
  }

  const ast::Script& script_;
  Archive& archive_;
  const RunOptions& options_;
  Output& output_;
  ExprEvaluator eval_;
  std::string where_;
};

}  // namespace

Status Deadline::Passed() {
  return Status::Error(ErrorKind::kLocked, "the statements ran past their deadline");
}

Status EmitTable(Output& output, const Table& table) {
  output.Begin(table.columns);
  for (const auto& row : table.rows) DOCKET_RETURN_IF_ERROR(output.Row(row));
  output.End();
  return {};
}

CheckState Worse(CheckState a, CheckState b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

std::string_view CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kOk: return "OK";
    case CheckState::kWarning: return "WARNING";
    case CheckState::kCritical: return "CRITICAL";
    case CheckState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

RunResult Run(const ast::Script& script, size_t first, size_t last, Archive& archive,
              const RunOptions& options, Output& output) {
  Dispatcher dispatcher(script, archive, options, output);
  RunResult result;
  for (size_t i = first; i < last; ++i) {
    const auto& st = script.statements[i];
    result.error = options.deadline.Check();
    if (result.error.ok()) result.error = dispatcher.Statement(st, &result.state);
    if (!result.error.ok()) {
      result.piece = st.span.piece;
      break;
    }
  }
  return result;
}

}  // namespace docket
