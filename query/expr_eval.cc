#include "query/expr_eval.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <type_traits>

#include <fmt/format.h>

#include "query/expr_kind.h"
#include "query/lexicon.h"
#include "query/query.h"
#include "query/timeline.h"

namespace docket {
namespace {

// The names of a source text: one name, or several joined by `/` (a
// consensus's sources, a pair's two sources); none for an empty text.
std::vector<std::string> SourceNames(const std::string& text) {
  std::vector<std::string> names;
  if (text.empty()) return names;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t end = std::min(text.find('/', begin), text.size());
    names.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return names;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "/") + n;
  return out;
}

// The distinct names of the source texts, in byte order.
std::string JoinSources(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  for (const auto& text : texts)
    for (auto& name : SourceNames(text)) names.push_back(std::move(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return Join(names);
}

// The names of `a`, then those of `b` not among them (`IStories/Media`
// and `Media` give `IStories/Media`; `IStories` and `Media` give `IStories/Media`).
std::string JoinInOrder(const std::string& a, const std::string& b) {
  std::vector<std::string> names = SourceNames(a);
  for (auto& name : SourceNames(b))
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  return Join(names);
}

// The later of two reported dates (effective day, then as written).
std::optional<Date> Later(const std::optional<Date>& a, const std::optional<Date>& b) {
  if (!a) return b;
  if (!b) return a;
  return *a < *b ? b : a;
}

}  // namespace

Context ExprEvaluator::ContextOf(const ast::Modifiers& mods) const {
  Context ctx;
  if (mods.as_of) ctx.cutoffs.as_of_day = mods.as_of->last_day();
  ctx.cutoffs.recorded_as_of = mods.recorded_as_of;
  if (mods.from) {
    ctx.filter.emplace();
    for (const auto& [name, span] : *mods.from) ctx.filter->push_back(archive_.FindSource(name)->id);
  }
  ctx.by_source = mods.by_source;
  ctx.rule = mods.resolve.value_or(ResolveRule::kLatest);
  return ctx;
}

// The series a selector without `*` names, labels sorted by key.
SeriesKey ConcreteKey(const ast::Selector& sel) {
  SeriesKey key{sel.charge, {}};
  for (const auto& l : sel.labels) key.labels.emplace_back(l.key, *l.value);
  std::sort(key.labels.begin(), key.labels.end());
  return key;
}


// The series a selector matches: the exact set of label keys. Without a
// `*` that is at most one series, found by one lookup.
Result<std::vector<SeriesInfo>> ExprEvaluator::Match(const ast::Selector& sel) {
  if (!sel.wildcard()) {
    const SeriesKey key = ConcreteKey(sel);
    auto id = archive_.FindSeries(key);
    if (!id.ok()) return id.status();
    if (!*id) return std::vector<SeriesInfo>();
    return std::vector<SeriesInfo>{SeriesInfo{**id, key, key.ToString()}};
  }
  auto all = archive_.SeriesOf(sel.charge);
  if (!all.ok()) return all.status();
  std::vector<SeriesInfo> out;
  for (auto& info : *all) {
    const Labels& labels = info.key.labels;
    if (labels.size() != sel.labels.size()) continue;
    bool match = true;
    for (const auto& m : sel.labels) {
      auto it = std::find_if(labels.begin(), labels.end(),
                             [&](const auto& l) { return l.first == m.key; });
      if (it == labels.end() || (m.value && it->second != *m.value)) {
        match = false;
        break;
      }
    }
    if (match) out.push_back(std::move(info));
  }
  return out;
}

Status ExprEvaluator::Cells(const SeriesInfo& info, const ast::Selector& sel, const Cutoffs* current_at,
                            std::vector<Version>* storage, std::vector<CellSpan>* cells) {
  cells->clear();
  const bool one_cell = sel.first && !sel.range;
  if (current_at)
    DOCKET_RETURN_IF_ERROR(archive_.ScanCurrentReports(
        info.id, one_cell ? sel.first : std::nullopt, *current_at, storage));
  else if (one_cell)
    DOCKET_RETURN_IF_ERROR(archive_.ScanCell(info.id, *sel.first, storage));
  else
    DOCKET_RETURN_IF_ERROR(archive_.ScanSeries(info.id, storage));
  if (one_cell) {
    if (!storage->empty()) cells->push_back({*sel.first, *storage});
    return {};
  }
  for (const auto& cell : SplitCells(*storage)) {
    if (sel.range && (cell.period.grain() != sel.first->grain() || cell.period < *sel.first ||
                      *sel.last < cell.period))
      continue;
    cells->push_back(cell);
  }
  return {};
}

ValueRow ExprEvaluator::RowOf(const std::string& series, const Period& period, const SourceFigure& f) const {
  return {series, period.ToString(), period, Interval::FromFigure(f.figure), SourceName(archive_, f.source),
          f.reported};
}

std::optional<Resolution> ExprEvaluator::ResolveForRow(const std::string& series, const Period& period,
                                                       std::span<const Version> cell, const Cutoffs& at,
                                                       Context& ctx) const {
  auto r = ResolveCell(cell, at, ctx.filter, ctx.rule, archive_);
  if (r && !r->value) {
    std::string message = fmt::format("no consensus on {}[{}]: {}", series, period, r->disagreement);
    if (std::find(ctx.no_consensus.begin(), ctx.no_consensus.end(), message) == ctx.no_consensus.end())
      ctx.no_consensus.push_back(std::move(message));
  }
  return r;
}

Result<Rows> ExprEvaluator::Eval(const ast::Expr& e, Context& ctx) {
  if (const auto* num = std::get_if<ast::Number>(&e.node)) {
    Values v;
    v.scalar = true;
    v.rows.push_back(
        {num->text, "", std::nullopt, Interval::Point(num->value, num->decimal), "", {}, true});
    return Rows(std::move(v));
  }
  if (std::holds_alternative<ast::Selector>(e.node)) return SeriesRows(e, ctx);
  if (const auto* call = e.call()) {
    switch (FunctionOf(call->func).kind) {
      case FuncKind::kGrowthFamily:
      case FuncKind::kValue: return SeriesRows(e, ctx);
      default: return AggregateRows(*call, ctx);
    }
  }
  if (const auto* neg = std::get_if<ast::Negate>(&e.node)) {
    auto rows = Eval(*neg->operand, ctx);
    if (!rows.ok()) return rows;
    std::visit([](auto& r) {
      for (auto& row : r.rows)
        if (row.value) row.value = Neg(*row.value);
    }, *rows);
    return rows;
  }
  return BinaryRows(e, ctx);
}

namespace {

// A window of InKeyOrder holds the rows of at most about this many cells.
constexpr size_t kWindowCells = 8192;

// The cells of one series that `sel` covers at most: one period, or its
// range's periods; a guess for the whole series.
size_t CellsPerSeries(const ast::Selector& sel) {
  if (!sel.first) return 64;
  if (!sel.range) return 1;
  size_t n = 1;
  for (Period p = *sel.first; p < *sel.last && n < kWindowCells; p = p.Next()) ++n;
  return n;
}

// The cells of one series that a growth-family call reads.
size_t CellsPerSeries(const ast::Call& call) { return call.from ? 2 : CellsPerSeries(call.arg); }

// Calls eval(info, &chunk) for every series of `series` (in text order) and
// emit(chunk) with each series' chunk, in that order, stopping at the
// first error; a chunk starts as `empty`. The series are evaluated in
// windows of text order, each window in id order, which is the archive's
// key order: a window's cells are read in one pass over the file, so the
// blocks of neighbouring series, and the index blocks that find them, are
// read once (a one-shot growth of a charge at 10M reports: 0.92x the
// time). The no-consensus warnings a series raises into `*warnings` (none
// when null) stay there in text order too.
template <class Chunk>
Status InKeyOrder(const std::vector<SeriesInfo>& series, size_t cells_per_series, const Chunk& empty,
                  std::vector<std::string>* warnings,
                  const std::type_identity_t<std::function<Status(const SeriesInfo&, Chunk*)>>& eval,
                  const std::type_identity_t<std::function<Status(Chunk)>>& emit) {
  struct Evaluated {
    Chunk chunk;
    std::vector<std::string> no_consensus;
  };
  std::vector<std::string> none;
  std::vector<std::string>& raised = warnings ? *warnings : none;
  const size_t window = std::max<size_t>(1, kWindowCells / std::max<size_t>(1, cells_per_series));
  std::vector<std::string> met = std::move(raised);
  raised.clear();
  std::vector<size_t> order;
  std::vector<Evaluated> evaluated;
  auto run = [&]() -> Status {
    for (size_t begin = 0; begin < series.size(); begin += window) {
      const size_t end = std::min(series.size(), begin + window);
      order.resize(end - begin);
      std::iota(order.begin(), order.end(), begin);
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return series[a].id < series[b].id; });
      evaluated.assign(end - begin, Evaluated{empty, {}});
      for (size_t i : order) {
        Evaluated& e = evaluated[i - begin];
        DOCKET_RETURN_IF_ERROR(eval(series[i], &e.chunk));
        e.no_consensus.swap(raised);
      }
      for (Evaluated& e : evaluated) {
        for (auto& message : e.no_consensus)
          if (std::find(met.begin(), met.end(), message) == met.end()) met.push_back(std::move(message));
        DOCKET_RETURN_IF_ERROR(emit(std::move(e.chunk)));
      }
    }
    return {};
  };
  const Status status = run();
  raised = std::move(met);
  return status;
}

}  // namespace

Result<Rows> ExprEvaluator::SeriesRows(const ast::Expr& e, Context& ctx) {
  const auto* call = e.call();
  Rows all = call && FunctionOf(call->func).kind == FuncKind::kGrowthFamily ? Rows(Pairs()) : Rows(Values());
  DOCKET_RETURN_IF_ERROR(EvalBySeries(e, ctx, [&](Rows rows) {
    std::visit(
        [&](auto& to) {
          for (auto& row : std::get<std::decay_t<decltype(to)>>(rows).rows) to.rows.push_back(std::move(row));
        },
        all);
    return Status();
  }));
  return all;
}

Status ExprEvaluator::SeriesValues(const SeriesInfo& info, const ast::Selector& sel, Context& ctx,
                                   Values* out) {
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  DOCKET_RETURN_IF_ERROR(Cells(info, sel, &ctx.cutoffs, &storage, &cells));
  for (const auto& cell : cells) {
    DOCKET_RETURN_IF_ERROR(deadline_.Check());
    if (ctx.by_source) {
      for (const auto& f : SourceFigures(cell.versions, ctx.cutoffs, ctx.filter))
        out->rows.push_back(RowOf(info.text, cell.period, f));
    } else if (auto r = ResolveForRow(info.text, cell.period, cell.versions, ctx.cutoffs, ctx)) {
      out->rows.push_back({info.text, cell.period.ToString(), cell.period, r->value,
                           std::move(r->source), r->reported});
    }
  }
  return {};
}

Status ExprEvaluator::SeriesFirsts(const SeriesInfo& info, const ast::Call& call, Context& ctx, Values* out) {
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  DOCKET_RETURN_IF_ERROR(Cells(info, call.arg, nullptr, &storage, &cells));
  for (const auto& cell : cells) {
    DOCKET_RETURN_IF_ERROR(deadline_.Check());
    auto emit = [&](const SourceFigure& f) {
      ValueRow row = RowOf(info.text, cell.period, f);
      if (call.func == ast::Func::kLag)
        row.value = Interval::Point(Real::Integer(LagDays(cell.period, f.reported)));
      out->rows.push_back(std::move(row));
    };
    const auto firsts = FirstFigures(cell.versions, ctx.cutoffs, ctx.filter);
    if (ctx.by_source) {
      for (const auto& f : firsts) emit(f);
    } else if (const SourceFigure* f = FirstRelease(firsts, archive_)) {
      emit(*f);
    }
  }
  return {};
}

Status ExprEvaluator::EvalBySeries(const ast::Expr& e, Context& ctx,
                                   const std::function<Status(Rows)>& chunk) {
  const auto* call = e.call();
  const bool pairs = call && FunctionOf(call->func).kind == FuncKind::kGrowthFamily;
  const bool firsts = call && FunctionOf(call->func).kind == FuncKind::kValue;
  const auto* sel = std::get_if<ast::Selector>(&e.node);
  if (!sel && !pairs && !firsts) {
    auto rows = Eval(e, ctx);
    if (!rows.ok()) return rows.status();
    return chunk(std::move(*rows));
  }
  auto series = Match(call ? call->arg : *sel);
  if (!series.ok()) return series.status();
  if (pairs)
    return InKeyOrder<Rows>(
        *series, CellsPerSeries(*call), Pairs(), &ctx.no_consensus,
        [&](const SeriesInfo& info, Rows* rows) { return SeriesPairs(info, *call, ctx, &std::get<Pairs>(*rows)); },
        chunk);
  if (firsts)
    return InKeyOrder<Rows>(
        *series, CellsPerSeries(call->arg), Values(), nullptr,
        [&](const SeriesInfo& info, Rows* rows) { return SeriesFirsts(info, *call, ctx, &std::get<Values>(*rows)); },
        chunk);
  return InKeyOrder<Rows>(
      *series, CellsPerSeries(*sel), Values(), &ctx.no_consensus,
      [&](const SeriesInfo& info, Rows* rows) { return SeriesValues(info, *sel, ctx, &std::get<Values>(*rows)); },
      chunk);
}

static std::optional<Interval> PairValue(ast::Func func, const std::optional<Interval>& from,
                                  const std::optional<Interval>& to, Context& ctx) {
  if (!from || !to) return std::nullopt;
  if (func == ast::Func::kChange) return Change(*from, *to);
  auto v = func == ast::Func::kGrowth ? Growth(*from, *to) : Pct(*from, *to);
  if (!v) ctx.divided_by_zero = true;
  return v;
}

Status ExprEvaluator::SeriesPairs(const SeriesInfo& info, const ast::Call& call, Context& ctx,
                                  Pairs* pairs) {
  Pairs& out = *pairs;
  std::vector<Version> from_versions, to_versions, all;
  // (from, to) period pairs and the cells they read: each only resolved
  // at the query's cutoffs, so only its current reports are read.
  std::vector<std::pair<Period, Period>> steps;
  std::map<Period, std::span<const Version>> cells;
  if (call.from) {
    DOCKET_RETURN_IF_ERROR(archive_.ScanCurrentReports(info.id, *call.from, ctx.cutoffs, &from_versions));
    DOCKET_RETURN_IF_ERROR(archive_.ScanCurrentReports(info.id, *call.to, ctx.cutoffs, &to_versions));
    cells[*call.from] = from_versions;
    cells[*call.to] = to_versions;
    steps.emplace_back(*call.from, *call.to);
  } else {
    DOCKET_RETURN_IF_ERROR(archive_.ScanCurrentReports(info.id, std::nullopt, ctx.cutoffs, &all));
    for (const auto& cell : SplitCells(all)) cells[cell.period] = cell.versions;
    for (Period p = call.arg.first->Next(); !(*call.arg.last < p); p = p.Next())
      steps.emplace_back(p.Prev(), p);
  }
  for (const auto& step : steps) {
    DOCKET_RETURN_IF_ERROR(deadline_.Check());
    const Period &from = step.first, &to = step.second;  // not a binding: lambdas capture it (clang 14)
    auto versions = [&](const Period& p) {
      auto it = cells.find(p);
      return it == cells.end() ? std::span<const Version>() : it->second;
    };
    // One side of the pair: its value (none for an empty consensus) and source(s).
    struct Side {
      std::optional<Interval> value;
      std::string source;
    };
    auto make = [&](const std::optional<Side>& f, const std::optional<Side>& t) {
      PairRow row{info.text, from, to, std::nullopt, std::nullopt, std::nullopt, ""};
      if (f) row.from_value = f->value;
      if (t) row.to_value = t->value;
      row.value = PairValue(call.func, row.from_value, row.to_value, ctx);
      row.source = JoinInOrder(f ? f->source : "", t ? t->source : "");
      out.rows.push_back(std::move(row));
    };
    if (!ctx.by_source) {
      auto side = [&](const Period& p) -> std::optional<Side> {
        auto r = ResolveForRow(info.text, p, versions(p), ctx.cutoffs, ctx);
        if (!r) return std::nullopt;
        return Side{r->value, std::move(r->source)};
      };
      const auto from_side = side(from);
      make(from_side, side(to));
      continue;
    }
    const auto from_figures = SourceFigures(versions(from), ctx.cutoffs, ctx.filter);
    const auto to_figures = SourceFigures(versions(to), ctx.cutoffs, ctx.filter);
    std::set<SourceId> sources;
    for (const auto& f : from_figures) sources.insert(f.source);
    for (const auto& f : to_figures) sources.insert(f.source);
    for (SourceId id : sources) {
      auto find = [&](const std::vector<SourceFigure>& fs) -> std::optional<Side> {
        for (const auto& f : fs)
          if (f.source == id) return Side{Interval::FromFigure(f.figure), SourceName(archive_, f.source)};
        return std::nullopt;
      };
      make(find(from_figures), find(to_figures));
    }
  }
  return {};
}

Result<Rows> ExprEvaluator::AggregateRows(const ast::Call& call, Context& ctx) {
  auto series = Match(call.arg);
  if (!series.ok()) return series.status();
  struct Member {
    Interval value;
    std::string source;
    Date reported;
  };
  // Per (period, source under `by source`), the figures combined so far,
  // folded in series text order: memory per group, not per cell.
  struct Group {
    std::optional<Interval> value;
    size_t count = 0;
    std::set<std::string> sources;  // the members' source texts
    std::optional<Date> reported;   // the latest
  };
  using Key = std::pair<Period, std::string>;
  std::map<Key, Group> groups;
  const auto fold = [&](Group& g, Member m) {
    if (!g.value) {
      g.value = m.value;
    } else {
      switch (call.func) {
        case ast::Func::kMin: g.value = MinOf(*g.value, m.value); break;
        case ast::Func::kMax: g.value = MaxOf(*g.value, m.value); break;
        case ast::Func::kCount: break;
        default: g.value = Add(*g.value, m.value); break;
      }
    }
    ++g.count;
    g.sources.insert(std::move(m.source));
    g.reported = Later(g.reported, m.reported);
  };
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  using Members = std::vector<std::pair<Key, Member>>;  // one series'
  const Status read = InKeyOrder<Members>(
      *series, CellsPerSeries(call.arg), {}, &ctx.no_consensus,
      [&](const SeriesInfo& info, Members* members) -> Status {
        DOCKET_RETURN_IF_ERROR(Cells(info, call.arg, &ctx.cutoffs, &storage, &cells));
        for (const auto& cell : cells) {
          DOCKET_RETURN_IF_ERROR(deadline_.Check());
          if (ctx.by_source) {
            for (const auto& f : SourceFigures(cell.versions, ctx.cutoffs, ctx.filter))
              members->push_back({{cell.period, SourceName(archive_, f.source)},
                                  {Interval::FromFigure(f.figure), SourceName(archive_, f.source), f.reported}});
          } else if (auto r = ResolveForRow(info.text, cell.period, cell.versions, ctx.cutoffs, ctx);
                     r && r->value) {
            // An empty consensus counts as no figure: skipped.
            members->push_back({{cell.period, ""}, {*r->value, std::move(r->source), r->reported}});
          }
        }
        return {};
      },
      [&](Members members) {
        for (auto& [key, member] : members) fold(groups[key], std::move(member));
        return Status();
      });
  DOCKET_RETURN_IF_ERROR(read);
  Values out;
  const std::string text = AggregateText(call);
  for (const auto& [key, g] : groups) {
    const Interval v = call.func == ast::Func::kCount ? Interval::Point(static_cast<double>(g.count)) : *g.value;
    out.rows.push_back({text, key.first.ToString(), key.first, v,
                        JoinSources({g.sources.begin(), g.sources.end()}), g.reported});
  }
  return Rows(std::move(out));
}

static std::optional<Interval> Apply(char op, const std::optional<Interval>& a,
                              const std::optional<Interval>& b, Context& ctx) {
  if (!a || !b) return std::nullopt;
  switch (op) {
    case '+': return Add(*a, *b);
    case '-': return Sub(*a, *b);
    case '*': return Mul(*a, *b);
    default: {
      auto q = Div(*a, *b);
      if (!q) ctx.divided_by_zero = true;
      return q;
    }
  }
}

Result<Rows> ExprEvaluator::BinaryRows(const ast::Expr& e, Context& ctx) {
  const auto& bin = std::get<ast::Binary>(e.node);
  auto left = Eval(*bin.left, ctx);
  if (!left.ok()) return left;
  auto right = Eval(*bin.right, ctx);
  if (!right.ok()) return right;

  // Growth rows with a number: the number applies to each row's value.
  if (std::holds_alternative<Pairs>(*left) || std::holds_alternative<Pairs>(*right)) {
    const bool pairs_left = std::holds_alternative<Pairs>(*left);
    Pairs out = std::move(std::get<Pairs>(pairs_left ? *left : *right));
    const auto& number = std::get<Values>(pairs_left ? *right : *left).rows.front().value;
    for (auto& row : out.rows)
      row.value = pairs_left ? Apply(bin.op, row.value, number, ctx)
                             : Apply(bin.op, number, row.value, ctx);
    return Rows(std::move(out));
  }

  auto& l = std::get<Values>(*left);
  auto& r = std::get<Values>(*right);
  Values out;
  out.scalar = l.scalar && r.scalar;
  if (l.scalar || r.scalar) {
    // A plain number applies to every row of the other side.
    const Values& rows = l.scalar && !r.scalar ? r : l;
    const auto& number = (l.scalar && !r.scalar ? l : r).rows.front().value;
    for (ValueRow row : rows.rows) {
      row.value = &rows == &l ? Apply(bin.op, row.value, number, ctx)
                              : Apply(bin.op, number, row.value, ctx);
      // One series keeps its name; an expression's text grows to the whole.
      if (out.scalar || row.series_is_expression) row.series = ExprText(e);
      out.rows.push_back(std::move(row));
    }
    return Rows(std::move(out));
  }
  auto combine = [&](const ValueRow& a, const ValueRow& b) {
    ValueRow row;
    row.series_is_expression =
        a.series != b.series || a.series_is_expression || b.series_is_expression;
    row.series = row.series_is_expression ? ExprText(e) : a.series;
    if (a.period == b.period) {
      row.period = a.period;
      row.period_key = a.period_key;
    } else {
      row.period = a.period + "/" + b.period;
    }
    row.source = JoinInOrder(a.source, b.source);
    row.reported = Later(a.reported, b.reported);
    row.value = Apply(bin.op, a.value, b.value, ctx);
    out.rows.push_back(std::move(row));
  };
  if (l.rows.size() == 1 && r.rows.size() == 1) {
    combine(l.rows.front(), r.rows.front());
  } else {
    for (const auto& a : l.rows) {
      DOCKET_RETURN_IF_ERROR(deadline_.Check());
      for (const auto& b : r.rows)
        if (a.period == b.period && (!ctx.by_source || a.source == b.source)) combine(a, b);
    }
  }
  return Rows(std::move(out));
}

Status ExprEvaluator::RevisionsOf(const ast::Selector& sel, const Context& ctx, Output& output) {
  auto series = Match(sel);
  if (!series.ok()) return series.status();
  struct Item {
    std::string source;
    const Version* version;
    VersionStatus status;
  };
  output.Begin(RevisionTable().columns);
  std::vector<Item> items;  // one series' at a time: the series order is Match's
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  for (const auto& info : *series) {
    DOCKET_RETURN_IF_ERROR(Cells(info, sel, nullptr, &storage, &cells));
    items.clear();
    for (const auto& cell : cells) {
      DOCKET_RETURN_IF_ERROR(deadline_.Check());
      for (const auto& r : Revisions(cell.versions, ctx.cutoffs, ctx.filter))
        items.push_back({SourceName(archive_, r.version->report.source), r.version, r.status});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.version->report.period, a.source, a.version->report.reported,
                      a.version->recorded) < std::tie(b.version->report.period, b.source,
                                                      b.version->report.reported, b.version->recorded);
    });
    for (const auto& item : items)
      DOCKET_RETURN_IF_ERROR(
          output.Row(RevisionRow(info.text, item.source, *item.version, StatusName(item.status))));
  }
  output.End();
  return {};
}

Status ExprEvaluator::ConflictsOf(const ast::Selector& sel, const Context& ctx, Output& output) {
  auto series = Match(sel);
  if (!series.ok()) return series.status();
  output.Begin({"series", "period", "source_a", "value_a", "reported_a", "source_b", "value_b",
                "reported_b"});
  using TableRows = std::vector<std::vector<Cell>>;
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  const Status read = InKeyOrder<TableRows>(
      *series, CellsPerSeries(sel), {}, nullptr,
      [&](const SeriesInfo& info, TableRows* rows) -> Status {
        DOCKET_RETURN_IF_ERROR(Cells(info, sel, &ctx.cutoffs, &storage, &cells));
        for (const auto& cell : cells) {
          DOCKET_RETURN_IF_ERROR(deadline_.Check());
          auto figures = SourceFigures(cell.versions, ctx.cutoffs, ctx.filter);
          std::sort(figures.begin(), figures.end(), [&](const auto& a, const auto& b) {
            return SourceName(archive_, a.source) < SourceName(archive_, b.source);
          });
          for (size_t i = 0; i < figures.size(); ++i) {
            for (size_t j = i + 1; j < figures.size(); ++j) {
              const Interval a = Interval::FromFigure(figures[i].figure);
              const Interval b = Interval::FromFigure(figures[j].figure);
              if (CanBothBeTrue(a, b)) continue;
              rows->push_back({Cell::Text(info.text), Cell::Text(cell.period.ToString()),
                               Cell::Text(SourceName(archive_, figures[i].source)), Cell::Text(DisplayValue(a)),
                               Cell::Text(figures[i].reported.ToString()),
                               Cell::Text(SourceName(archive_, figures[j].source)), Cell::Text(DisplayValue(b)),
                               Cell::Text(figures[j].reported.ToString())});
            }
          }
        }
        return {};
      },
      [&](TableRows rows) -> Status {
        for (auto& row : rows) DOCKET_RETURN_IF_ERROR(output.Row(std::move(row)));
        return {};
      });
  DOCKET_RETURN_IF_ERROR(read);
  output.End();
  return {};
}

template <class Visit>
Status ExprEvaluator::ForEachCell(const ast::Selector& sel, size_t rows_per_cell,
                                  std::vector<std::string>* warnings, const RowSink& row, Visit visit) {
  auto series = Match(sel);
  if (!series.ok()) return series.status();
  using TableRows = std::vector<std::vector<Cell>>;
  std::vector<Version> storage;
  std::vector<CellSpan> cells;
  return InKeyOrder<TableRows>(
      *series, CellsPerSeries(sel) * std::max<size_t>(1, rows_per_cell), {}, warnings,
      [&](const SeriesInfo& info, TableRows* rows) -> Status {
        DOCKET_RETURN_IF_ERROR(Cells(info, sel, nullptr, &storage, &cells));
        std::stable_sort(cells.begin(), cells.end(),
                         [](const CellSpan& a, const CellSpan& b) { return a.period < b.period; });
        for (const auto& cell : cells) {
          DOCKET_RETURN_IF_ERROR(deadline_.Check());
          DOCKET_RETURN_IF_ERROR(visit(info, cell, rows));
        }
        return {};
      },
      [&](TableRows rows) -> Status {
        for (auto& r : rows) DOCKET_RETURN_IF_ERROR(row(std::move(r)));
        return {};
      });
}

namespace {

// series, period, then `head` (a history row's from/until, a vintage),
// the resolved value, source and reported: the rows of history and vintages.
std::vector<Cell> TimelineRow(const std::string& series, const Period& period, std::vector<Cell> head,
                              const Resolved& r) {
  std::vector<Cell> row = {Cell::Text(series), Cell::Text(period.ToString())};
  for (Cell& c : head) row.push_back(std::move(c));
  for (Cell& c : IntervalCells(r.value)) row.push_back(std::move(c));
  row.push_back(Cell::Text(r.source));
  row.push_back(Cell::Text(r.reported ? r.reported->ToString() : std::string()));
  return row;
}

std::string DayText(int32_t day) { return Date(day, DatePrecision::kDay).ToString(); }

}  // namespace

Status ExprEvaluator::HistoryOf(const ast::Call& call, const Context& ctx, const RowSink& row) {
  // A cell's history has a step per day its figure changed: a few.
  constexpr size_t kStepsPerCell = 8;
  return ForEachCell(call.arg, kStepsPerCell, nullptr, row, [&](const SeriesInfo& info, const CellSpan& cell,
                                                                std::vector<std::vector<Cell>>* rows) -> Status {
    auto steps = CellHistory(cell.versions, ctx.cutoffs, ctx.filter, ctx.rule, archive_, deadline_);
    if (!steps.ok()) return steps.status();
    for (const HistoryStep& step : *steps) {
      // A day without a figure is an empty row: no source, no reported.
      const Resolved shown = step.result.value ? step.result : Resolved{};
      rows->push_back(TimelineRow(
          info.text, cell.period,
          {Cell::Text(DayText(step.from)), Cell::Text(step.until ? DayText(*step.until) : "")}, shown));
    }
    return {};
  });
}

Status ExprEvaluator::VintagesOf(const ast::Call& call, Context& ctx, const RowSink& row) {
  const std::vector<Vintage> vintages = VintageSteps(*call.vintages);
  const Cutoffs existing{std::nullopt, ctx.cutoffs.recorded_as_of};
  return ForEachCell(call.arg, vintages.size(), &ctx.no_consensus, row,
                     [&](const SeriesInfo& info, const CellSpan& cell,
                         std::vector<std::vector<Cell>>* rows) -> Status {
    if (ReportDays(cell.versions, existing, ctx.filter).empty()) return {};  // no report: no rows
    for (const Vintage& v : vintages) {
      DOCKET_RETURN_IF_ERROR(deadline_.Check());
      const Cutoffs at{v.day, ctx.cutoffs.recorded_as_of};
      if (!ctx.by_source) {
        // Resolved as a value row is: an empty consensus is a row with its
        // sources, and a warning (spec §7.6).
        auto r = ResolveForRow(info.text, cell.period, cell.versions, at, ctx);
        rows->push_back(TimelineRow(info.text, cell.period, {Cell::Text(v.text)},
                                    r ? Resolved{r->value, r->source, r->reported} : Resolved{}));
        continue;
      }
      std::vector<Resolved> figures;
      for (const SourceFigure& f : SourceFigures(cell.versions, at, ctx.filter))
        figures.push_back({Interval::FromFigure(f.figure), SourceName(archive_, f.source), f.reported});
      std::sort(figures.begin(), figures.end(),
                [](const Resolved& a, const Resolved& b) { return a.source < b.source; });
      for (const Resolved& f : figures)
        rows->push_back(TimelineRow(info.text, cell.period, {Cell::Text(v.text)}, f));
    }
    return {};
  });
}

Status ExprEvaluator::DiffOf(const ast::Call& call, const Context& ctx, const RowSink& row) {
  const Cutoffs a = CutoffsOf(call.cutoffs[0]), b = CutoffsOf(call.cutoffs[1]);
  return ForEachCell(call.arg, 1, nullptr, row, [&](const SeriesInfo& info, const CellSpan& cell,
                                                    std::vector<std::vector<Cell>>* rows) -> Status {
    const Resolved at_a = ResolveAt(cell.versions, a, ctx.filter, ctx.rule, archive_);
    const Resolved at_b = ResolveAt(cell.versions, b, ctx.filter, ctx.rule, archive_);
    const auto change = ChangeBetween(at_a, at_b);
    if (!change) return {};
    std::vector<Cell> cells = {Cell::Text(info.text), Cell::Text(cell.period.ToString()),
                               Cell::Text(ChangeName(*change))};
    for (const Resolved* side : {&at_a, &at_b}) {
      // A side without a figure shows no source and no reported date.
      const bool figure = side->value.has_value();
      cells.push_back(ValueText(side->value));
      cells.push_back(Cell::Text(figure ? side->source : ""));
      cells.push_back(Cell::Text(figure && side->reported ? side->reported->ToString() : ""));
    }
    rows->push_back(std::move(cells));
    return {};
  });
}

}  // namespace docket
