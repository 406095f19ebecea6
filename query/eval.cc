// Running a checked script (query.h: Run): each statement reads the
// archive through resolution (resolve.h), computes interval values
// (interval.h) and hands tables to Output.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "query/expr_kind.h"
#include "query/query.h"
#include "query/resolve.h"

namespace docket {
namespace {

// ---------------------------------------------------------------- rows

// A value row (spec §4). `period_key` is set for a plain period, unset for
// `LEFT/RIGHT` pairs and numbers.
struct ValueRow {
  std::string series;
  std::string period;
  std::optional<Period> period_key;
  std::optional<Interval> value;
  std::string source;
  std::optional<Date> reported;
  bool series_is_expression = false;  // `series` is an expression's text, not one series
};

// A growth/change/pct row.
struct PairRow {
  std::string series;
  Period from, to;
  std::optional<Interval> from_value, to_value, value;
  std::string source;
};

struct Values {
  std::vector<ValueRow> rows;
  bool scalar = false;  // a plain number (or arithmetic of numbers)
};
struct Pairs {
  std::vector<PairRow> rows;
};
using Rows = std::variant<Values, Pairs>;

// Rows order by series, period (by first day, longer first; composite
// periods after, by text), then source.
auto OrderKey(const ValueRow& r) {
  return std::make_tuple(std::cref(r.series), !r.period_key.has_value(),
                         r.period_key.value_or(Period()), std::cref(r.period), std::cref(r.source));
}

void SortValues(std::vector<ValueRow>* rows) {
  std::stable_sort(rows->begin(), rows->end(),
                   [](const ValueRow& a, const ValueRow& b) { return OrderKey(a) < OrderKey(b); });
}

void SortPairs(std::vector<PairRow>* rows) {
  std::stable_sort(rows->begin(), rows->end(), [](const PairRow& a, const PairRow& b) {
    return std::tie(a.series, a.to, a.from, a.source) < std::tie(b.series, b.to, b.from, b.source);
  });
}

std::string JoinSources(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "/") + n;
  return out;
}

// The later of two reported dates (effective day, then as written).
std::optional<Date> Later(const std::optional<Date>& a, const std::optional<Date>& b) {
  if (!a) return b;
  if (!b) return a;
  return *a < *b ? b : a;
}

// The series a selector without `*` names, labels sorted by key.
SeriesKey ConcreteKey(const ast::Selector& sel) {
  SeriesKey key{sel.charge, {}};
  for (const auto& l : sel.labels) key.labels.emplace_back(l.key, *l.value);
  std::sort(key.labels.begin(), key.labels.end());
  return key;
}

// ---------------------------------------------------------------- tables

Cell Bound(const std::optional<Interval>& v, bool upper) {
  if (!v) return Cell::Null();
  const double x = upper ? v->hi : v->lo;
  return std::isinf(x) ? Cell::Null() : Cell::Number(x);
}

Cell ValueText(const std::optional<Interval>& v) {
  return Cell::Text(v ? DisplayValue(*v) : std::string());
}

Table ValueTable(const std::vector<ValueRow>& rows) {
  Table t{{"series", "period", "value", "lo", "hi", "approx", "source", "reported"}, {}};
  for (const auto& r : rows)
    t.rows.push_back({Cell::Text(r.series), Cell::Text(r.period), ValueText(r.value),
                      Bound(r.value, false), Bound(r.value, true),
                      Cell::Bool(r.value && r.value->approx), Cell::Text(r.source),
                      Cell::Text(r.reported ? r.reported->ToString() : std::string())});
  return t;
}

Table PairTable(const std::vector<PairRow>& rows) {
  Table t{{"series", "from", "to", "from_value", "to_value", "value", "lo", "hi", "approx", "source"},
          {}};
  for (const auto& r : rows)
    t.rows.push_back({Cell::Text(r.series), Cell::Text(r.from.ToString()),
                      Cell::Text(r.to.ToString()), ValueText(r.from_value), ValueText(r.to_value),
                      ValueText(r.value), Bound(r.value, false), Bound(r.value, true),
                      Cell::Bool(r.value && r.value->approx), Cell::Text(r.source)});
  return t;
}

const std::vector<std::string> kRevisionColumns = {
    "series", "period", "source", "reported", "recorded", "value",
    "lo",     "hi",     "approx", "status",   "note",     "url"};

// ---------------------------------------------------------------- evaluation

// What one statement's modifiers say.
struct Context {
  Cutoffs cutoffs;
  SourceFilter filter;
  bool by_source = false;
  bool divided_by_zero = false;
};

class Evaluator {
 public:
  Evaluator(const ast::Script& script, Archive& archive, const RunOptions& options, Output& output)
      : script_(script), archive_(archive), options_(options), output_(output) {}

  Status Statement(const ast::Statement& st, Outcome* outcome) {
    where_ = script_.pieces[st.span.piece].origin;
    return std::visit([&](const auto& node) { return Run(st, node, outcome); }, st.node);
  }

 private:
  // ---- statements

  Status Run(const ast::Statement&, const ast::DefineCharge& d, Outcome*) {
    return archive_.DefineCharge({d.name, d.title, d.article});
  }
  Status Run(const ast::Statement&, const ast::DefineSource& d, Outcome*) {
    return archive_.DefineSource({d.name, d.title, d.url, d.priority});
  }

  Status Run(const ast::Statement& st, const ast::Record& r, Outcome*) {
    auto outcome = archive_.Record(ConcreteKey(r.target), *r.target.first, r.source, r.reported, r.figure, r.note,
                                   r.url, options_.now);
    if (!outcome.ok()) {
      Status s = outcome.status();
      if (s.kind() == ErrorKind::kInput && !s.place().set)
        return Status::Input(s.message(), Place{true, st.span.piece, st.span.begin});
      return s;
    }
    return {};
  }

  Status Run(const ast::Statement&, const ast::Query& q, Outcome*) {
    Context ctx = ContextOf(q.mods);
    auto kind = KindOf(q.expr);
    if (!kind.ok()) return kind.status();
    if (*kind == ExprKind::kRevisions) return RevisionsOf(std::get<ast::Call>(q.expr.node).arg, ctx);
    if (*kind == ExprKind::kConflicts) return ConflictsOf(std::get<ast::Call>(q.expr.node).arg, ctx);
    auto rows = Eval(q.expr, ctx);
    if (!rows.ok()) return rows.status();
    WarnDivision(ctx, q.expr);
    if (auto* values = std::get_if<Values>(&*rows)) {
      SortValues(&values->rows);
      output_.Result(ValueTable(values->rows));
    } else {
      auto& pairs = std::get<Pairs>(*rows);
      SortPairs(&pairs.rows);
      output_.Result(PairTable(pairs.rows));
    }
    return {};
  }

  Status Run(const ast::Statement&, const ast::Plot& p, Outcome*) {
    Context ctx = ContextOf(p.mods);
    auto rows = Eval(p.expr, ctx);
    if (!rows.ok()) return rows.status();
    WarnDivision(ctx, p.expr);
    auto& values = std::get<Values>(*rows);
    SortValues(&values.rows);
    output_.Plot(ValueTable(values.rows));
    return {};
  }

  // One row of an assert or check: a label for messages and its value.
  struct Judged {
    std::string series, period, source;
    std::optional<Interval> value;
  };

  Result<std::vector<Judged>> Judge(const ast::Expr& e, const ast::Modifiers& mods) {
    Context ctx = ContextOf(mods);
    auto rows = Eval(e, ctx);
    if (!rows.ok()) return rows.status();
    WarnDivision(ctx, e);
    std::vector<Judged> out;
    if (auto* values = std::get_if<Values>(&*rows)) {
      SortValues(&values->rows);
      for (auto& r : values->rows) out.push_back({r.series, r.period, r.source, r.value});
    } else {
      auto& pairs = std::get<Pairs>(*rows).rows;
      SortPairs(&pairs);
      for (auto& r : pairs) out.push_back({r.series, r.to.ToString(), r.source, r.value});
    }
    return out;
  }

  static Truth Judgement(const Judged& row, const ast::Comparison& c) {
    return row.value ? Compare(*row.value, c.op, c.threshold) : Truth::kUnknown;
  }

  // The identity of a row among several: its series (when series differ,
  // or always with `series_always`), plus its period, or else its source,
  // or else both: the first that tells the rows apart. A label that named
  // the winning source without need would change whenever another source
  // wins, breaking a monitored cell's history.
  static std::string RowLabel(const std::vector<Judged>& rows, const Judged& row, bool series_always) {
    auto unique = [&](bool period, bool source) {
      std::set<std::tuple<std::string, std::string, std::string>> seen;
      for (const auto& r : rows)
        if (!seen.insert({r.series, period ? r.period : "", source ? r.source : ""}).second) return false;
      return true;
    };
    bool with_period = false, with_source = false;
    if (!unique(false, false)) {
      if (unique(true, false)) {
        with_period = true;
      } else if (unique(false, true)) {
        with_source = true;
      } else {
        with_period = with_source = true;
      }
    }
    bool series_differ = false;
    for (const auto& r : rows) series_differ |= r.series != rows.front().series;
    std::string label;
    auto add = [&](const std::string& part) {
      if (!part.empty()) label += (label.empty() ? "" : " ") + part;
    };
    if (series_always || series_differ) add(row.series);
    if (with_period) add(row.period);
    if (with_source) add(row.source);
    return label;
  }

  Status Run(const ast::Statement&, const ast::Assert& a, Outcome* outcome) {
    auto rows = Judge(a.expr, a.mods);
    if (!rows.ok()) return rows.status();
    const std::string text = a.message.value_or(a.text);
    if (rows->empty()) {
      output_.Message(where_, fmt::format("assertion unknown: {} (no rows)", text));
      *outcome = Worse(*outcome, Outcome::kUnknown);
      return {};
    }
    const Judged* first_false = nullptr;
    const Judged* first_unknown = nullptr;
    for (const auto& r : *rows) {
      const Truth t = Judgement(r, a.cmp);
      if (t == Truth::kFalse && !first_false) first_false = &r;
      if (t == Truth::kUnknown && !first_unknown) first_unknown = &r;
    }
    const Judged* shown = first_false ? first_false : first_unknown;
    if (!shown) return {};
    const std::string got = shown->value ? DisplayValue(*shown->value) : "no value";
    output_.Message(where_, fmt::format("assertion {}: {} (got {})",
                                        first_false ? "failed" : "unknown", text, got));
    *outcome = Worse(*outcome, first_false ? Outcome::kCritical : Outcome::kUnknown);
    return {};
  }

  Status Run(const ast::Statement&, const ast::Check& c, Outcome* outcome) {
    auto rows = Judge(c.expr, c.mods);
    if (!rows.ok()) return rows.status();
    const std::string text = ExprText(c.expr);
    if (rows->empty()) {
      output_.Text(fmt::format("DOCKET UNKNOWN - {}: no data", text));
      *outcome = Worse(*outcome, Outcome::kUnknown);
      return {};
    }
    auto threshold = [](const std::optional<ast::Comparison>& cmp) {
      return cmp ? cmp->threshold_text : std::string();
    };
    for (const auto& r : *rows) {
      const Truth crit = c.crit ? Judgement(r, *c.crit) : Truth::kFalse;
      const Truth warn = c.warn ? Judgement(r, *c.warn) : Truth::kFalse;
      Outcome state = Outcome::kOk;
      if (crit == Truth::kTrue) {
        state = Outcome::kCritical;
      } else if (crit == Truth::kUnknown || warn == Truth::kUnknown || !r.value) {
        state = Outcome::kUnknown;
      } else if (warn == Truth::kTrue) {
        state = Outcome::kWarning;
      }
      *outcome = Worse(*outcome, state);
      std::string row_text = text;
      if (rows->size() > 1) row_text += fmt::format(" {}", RowLabel(*rows, r, false));
      const std::string label = rows->size() > 1 ? RowLabel(*rows, r, true) : r.series;
      std::string perf_label;
      for (char ch : label) perf_label += ch == '\'' ? std::string("''") : std::string(1, ch);
      const std::string shown = r.value ? "= " + DisplayValue(*r.value) : ": no value";
      output_.Text(fmt::format("DOCKET {} - {} {} | '{}'={};{};{}", OutcomeName(state), row_text,
                               shown, perf_label, PerfNumber(r.value), threshold(c.warn),
                               threshold(c.crit)));
    }
    return {};
  }

  static const char* OutcomeName(Outcome o) {
    switch (o) {
      case Outcome::kOk: return "OK";
      case Outcome::kWarning: return "WARNING";
      case Outcome::kCritical: return "CRITICAL";
      case Outcome::kUnknown: return "UNKNOWN";
    }
    return "UNKNOWN";
  }

  // The number, or the finite end of a one-sided value, or U.
  static std::string PerfNumber(const std::optional<Interval>& v) {
    if (!v) return "U";
    auto shown = [&](double x) { return DisplayValue(Interval{x, x, false, v->ratio}); };
    if (v->is_point()) return shown(v->lo);
    const bool low = v->bounded_below(), high = v->bounded_above();
    if (low && !high) return shown(v->lo);
    if (high && (!low || v->lo == 0)) return shown(v->hi);
    return "U";
  }

  Status Run(const ast::Statement&, const ast::Show& s, Outcome*) {
    Table t;
    switch (s.what) {
      case ast::Show::What::kCharges:
        t.columns = {"charge", "title", "article"};
        for (const auto& [name, c] : archive_.charges())
          t.rows.push_back({Cell::Text(name), Cell::Text(c.title), Cell::Text(c.article)});
        break;
      case ast::Show::What::kSources:
        t.columns = {"source", "title", "url", "priority"};
        for (const auto& [name, src] : archive_.sources())
          t.rows.push_back({Cell::Text(name), Cell::Text(src.title), Cell::Text(src.url),
                            Cell::Text(std::to_string(src.priority))});
        break;
      case ast::Show::What::kSeries: {
        t.columns = {"series", "periods", "first", "last", "sources", "reports"};
        auto series = archive_.SeriesOf(s.charge);
        if (!series.ok()) return series.status();
        std::vector<Version> versions;
        for (const auto& info : *series) {
          DOCKET_RETURN_IF_ERROR(archive_.ScanSeries(info.id, &versions));
          const auto cells = SplitCells(versions);
          if (cells.empty()) continue;
          t.rows.push_back({Cell::Text(info.text), Cell::Text(std::to_string(cells.size())),
                            Cell::Text(cells.front().period.ToString()),
                            Cell::Text(cells.back().period.ToString()),
                            Cell::Text(SourceList(versions)),
                            Cell::Text(std::to_string(versions.size()))});
        }
        break;
      }
    }
    output_.Result(t);
    return {};
  }

  Status Run(const ast::Statement&, const ast::Describe& d, Outcome*) {
    Table t{{"charge", "title", "article", "series", "periods", "sources"}, {}};
    const Charge* charge = archive_.FindCharge(d.charge);
    auto series = archive_.SeriesOf(d.charge);
    if (!series.ok()) return series.status();
    std::vector<Version> versions;
    for (const auto& info : *series) {
      DOCKET_RETURN_IF_ERROR(archive_.ScanSeries(info.id, &versions));
      std::vector<Period> periods;
      for (const auto& cell : SplitCells(versions)) periods.push_back(cell.period);
      t.rows.push_back({Cell::Text(d.charge), Cell::Text(charge->title), Cell::Text(charge->article),
                        Cell::Text(info.text), Cell::Text(CollapsePeriods(periods)),
                        Cell::Text(SourceList(versions))});
    }
    if (t.rows.empty())
      t.rows.push_back({Cell::Text(d.charge), Cell::Text(charge->title), Cell::Text(charge->article),
                        Cell::Text(""), Cell::Text(""), Cell::Text("")});
    output_.Result(t);
    return {};
  }

  // `2013, 2015..2024, 2024-H1, 2025-H1`: grouped by granularity, runs of
  // consecutive periods collapsed.
  static std::string CollapsePeriods(std::vector<Period> periods) {
    std::sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) {
      return std::make_pair(a.grain(), a.ordinal()) < std::make_pair(b.grain(), b.ordinal());
    });
    std::string out;
    for (size_t i = 0; i < periods.size();) {
      size_t j = i + 1;
      while (j < periods.size() && periods[j].grain() == periods[i].grain() &&
             periods[j].ordinal() == periods[j - 1].ordinal() + 1)
        ++j;
      if (!out.empty()) out += ", ";
      out += periods[i].ToString();
      if (j - i > 1) out += ".." + periods[j - 1].ToString();
      i = j;
    }
    return out;
  }

  std::string SourceList(const std::vector<Version>& versions) const {
    std::set<std::string> names;
    for (const auto& v : versions) names.insert(SourceName(v.report.source));
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  Status Run(const ast::Statement&, const ast::Changes& c, Outcome*) {
    Context ctx = ContextOf(c.mods);
    // The time index names what changed; each changed cell is then read once.
    std::vector<std::pair<Micros, ReportKey>> changed;
    DOCKET_RETURN_IF_ERROR(archive_.ScanTimeIndex(c.since, [&](Micros recorded, const ReportKey& r) {
      if (ctx.cutoffs.recorded_as_of && recorded > *ctx.cutoffs.recorded_as_of) return false;
      if (ctx.filter && std::find(ctx.filter->begin(), ctx.filter->end(), r.source) == ctx.filter->end())
        return true;
      if (ctx.cutoffs.as_of_day && r.reported.last_day() > *ctx.cutoffs.as_of_day) return true;
      changed.emplace_back(recorded, r);
      return true;
    }));
    // Statuses with no cutoff: from each changed cell's whole history, once per cell.
    struct CellHistory {
      std::vector<Version> versions;
      std::vector<VersionWithStatus> statuses;
    };
    std::map<std::pair<SeriesId, Period>, CellHistory> cells;
    Table t{kRevisionColumns, {}};
    for (const auto& [recorded, report] : changed) {
      auto [it, fresh] = cells.try_emplace({report.series, report.period});
      CellHistory& cell = it->second;
      if (fresh) {
        DOCKET_RETURN_IF_ERROR(archive_.ScanCell(report.series, report.period, &cell.versions));
        cell.statuses = Revisions(cell.versions, Cutoffs{}, std::nullopt);
      }
      const VersionWithStatus* found = nullptr;
      for (const auto& r : cell.statuses)
        if (r.version->report == report && r.version->recorded == recorded) found = &r;
      if (!found) return Status::Io("the time index points at a missing report version");
      auto info = archive_.SeriesById(report.series);
      if (!info.ok()) return info.status();
      t.rows.push_back(RevisionRow(info->text, *found->version, found->status));
    }
    output_.Result(t);
    return {};
  }

  std::vector<Cell> RevisionRow(const std::string& series, const Version& v, VersionStatus status) {
    std::optional<Interval> value;
    if (v.figure) value = Interval::FromFigure(*v.figure);
    return {Cell::Text(series),
            Cell::Text(v.report.period.ToString()),
            Cell::Text(SourceName(v.report.source)),
            Cell::Text(v.report.reported.ToString()),
            Cell::Text(FormatTimestamp(v.recorded)),
            ValueText(value),
            Bound(value, false),
            Bound(value, true),
            Cell::Bool(value && value->approx),
            Cell::Text(StatusName(status)),
            Cell::Text(v.note),
            Cell::Text(v.url)};
  }

  // ---- modifiers and data access

  Context ContextOf(const ast::Modifiers& mods) const {
    Context ctx;
    if (mods.as_of) ctx.cutoffs.as_of_day = mods.as_of->last_day();
    ctx.cutoffs.recorded_as_of = mods.recorded_as_of;
    if (mods.from) {
      ctx.filter.emplace();
      for (const auto& [name, span] : *mods.from) ctx.filter->push_back(archive_.FindSource(name)->id);
    }
    ctx.by_source = mods.by_source;
    return ctx;
  }

  void WarnDivision(const Context& ctx, const ast::Expr& e) {
    if (ctx.divided_by_zero)
      output_.Message(where_, fmt::format("warning: division by zero in {}; its value is empty",
                                          ExprText(e)));
  }

  std::string SourceName(SourceId id) const {
    const Source* s = archive_.SourceById(id);
    return s ? s->name : fmt::format("#{}", id);
  }

  // The series a selector matches: the exact set of label keys. Without a
  // `*` that is at most one series, found by one lookup.
  Result<std::vector<SeriesInfo>> Match(const ast::Selector& sel) {
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

  // The cells of `info` the selector covers, reading into `storage`.
  Status Cells(const SeriesInfo& info, const ast::Selector& sel, std::vector<Version>* storage,
               std::vector<CellSpan>* cells) {
    cells->clear();
    if (sel.first && !sel.range) {
      DOCKET_RETURN_IF_ERROR(archive_.ScanCell(info.id, *sel.first, storage));
      if (!storage->empty()) cells->push_back({*sel.first, *storage});
      return {};
    }
    DOCKET_RETURN_IF_ERROR(archive_.ScanSeries(info.id, storage));
    for (const auto& cell : SplitCells(*storage)) {
      if (sel.range && (cell.period.grain() != sel.first->grain() || cell.period < *sel.first ||
                        *sel.last < cell.period))
        continue;
      cells->push_back(cell);
    }
    return {};
  }

  ValueRow RowOf(const std::string& series, const Period& period, const SourceFigure& f) const {
    return {series, period.ToString(), period, Interval::FromFigure(f.figure), SourceName(f.source),
            f.reported};
  }

  // ---- expressions

  Result<Rows> Eval(const ast::Expr& e, Context& ctx) {
    if (const auto* num = std::get_if<ast::Number>(&e.node)) {
      Values v;
      v.scalar = true;
      v.rows.push_back(
          {num->text, "", std::nullopt, Interval::Point(num->value, num->decimal), "", {}, true});
      return Rows(std::move(v));
    }
    if (const auto* sel = std::get_if<ast::Selector>(&e.node)) return SelectorRows(*sel, ctx);
    if (const auto* call = std::get_if<ast::Call>(&e.node)) {
      if (call->func == ast::Func::kGrowth || call->func == ast::Func::kChange ||
          call->func == ast::Func::kPct)
        return PairRows(*call, ctx);
      return AggregateRows(*call, ctx);
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

  Result<Rows> SelectorRows(const ast::Selector& sel, Context& ctx) {
    auto series = Match(sel);
    if (!series.ok()) return series.status();
    Values out;
    std::vector<Version> storage;
    std::vector<CellSpan> cells;
    for (const auto& info : *series) {
      DOCKET_RETURN_IF_ERROR(Cells(info, sel, &storage, &cells));
      for (const auto& cell : cells) {
        const auto figures = SourceFigures(cell.versions, ctx.cutoffs, ctx.filter);
        if (ctx.by_source) {
          for (const auto& f : figures) out.rows.push_back(RowOf(info.text, cell.period, f));
        } else if (const SourceFigure* w = Winner(figures, archive_)) {
          out.rows.push_back(RowOf(info.text, cell.period, *w));
        }
      }
    }
    return Rows(std::move(out));
  }

  std::optional<Interval> PairValue(ast::Func func, const std::optional<Interval>& from,
                                    const std::optional<Interval>& to, Context& ctx) {
    if (!from || !to) return std::nullopt;
    if (func == ast::Func::kChange) return Change(*from, *to);
    auto v = func == ast::Func::kGrowth ? Growth(*from, *to) : Pct(*from, *to);
    if (!v) ctx.divided_by_zero = true;
    return v;
  }

  Result<Rows> PairRows(const ast::Call& call, Context& ctx) {
    auto series = Match(call.arg);
    if (!series.ok()) return series.status();
    Pairs out;
    std::vector<Version> from_versions, to_versions, all;
    for (const auto& info : *series) {
      // (from, to) period pairs and the cells they read.
      std::vector<std::pair<Period, Period>> steps;
      std::map<Period, std::span<const Version>> cells;
      if (call.from) {
        DOCKET_RETURN_IF_ERROR(archive_.ScanCell(info.id, *call.from, &from_versions));
        DOCKET_RETURN_IF_ERROR(archive_.ScanCell(info.id, *call.to, &to_versions));
        cells[*call.from] = from_versions;
        cells[*call.to] = to_versions;
        steps.emplace_back(*call.from, *call.to);
      } else {
        DOCKET_RETURN_IF_ERROR(archive_.ScanSeries(info.id, &all));
        for (const auto& cell : SplitCells(all)) cells[cell.period] = cell.versions;
        for (Period p = call.arg.first->Next(); !(*call.arg.last < p); p = p.Next())
          steps.emplace_back(p.Prev(), p);
      }
      for (const auto& step : steps) {
        const Period &from = step.first, &to = step.second;  // not a binding: lambdas capture it (clang 14)
        auto figures = [&](const Period& p) {
          auto it = cells.find(p);
          return it == cells.end() ? std::vector<SourceFigure>()
                                   : SourceFigures(it->second, ctx.cutoffs, ctx.filter);
        };
        const auto from_figures = figures(from), to_figures = figures(to);
        auto make = [&](const SourceFigure* f, const SourceFigure* t) {
          PairRow row{info.text, from, to, std::nullopt, std::nullopt, std::nullopt, ""};
          if (f) row.from_value = Interval::FromFigure(f->figure);
          if (t) row.to_value = Interval::FromFigure(t->figure);
          row.value = PairValue(call.func, row.from_value, row.to_value, ctx);
          std::vector<std::string> names;
          if (f) names.push_back(SourceName(f->source));
          if (t && (!f || t->source != f->source)) names.push_back(SourceName(t->source));
          for (const auto& n : names) row.source += (row.source.empty() ? "" : "/") + n;
          out.rows.push_back(std::move(row));
        };
        if (!ctx.by_source) {
          make(Winner(from_figures, archive_), Winner(to_figures, archive_));
          continue;
        }
        std::set<SourceId> sources;
        for (const auto& f : from_figures) sources.insert(f.source);
        for (const auto& f : to_figures) sources.insert(f.source);
        for (SourceId id : sources) {
          auto find = [&](const std::vector<SourceFigure>& fs) -> const SourceFigure* {
            for (const auto& f : fs)
              if (f.source == id) return &f;
            return nullptr;
          };
          make(find(from_figures), find(to_figures));
        }
      }
    }
    return Rows(std::move(out));
  }

  Result<Rows> AggregateRows(const ast::Call& call, Context& ctx) {
    auto series = Match(call.arg);
    if (!series.ok()) return series.status();
    struct Member {
      Interval value;
      std::string source;
      Date reported;
    };
    // Per (period, source under `by source`), the figures to combine.
    std::map<std::pair<Period, std::string>, std::vector<Member>> groups;
    std::vector<Version> storage;
    std::vector<CellSpan> cells;
    for (const auto& info : *series) {
      DOCKET_RETURN_IF_ERROR(Cells(info, call.arg, &storage, &cells));
      for (const auto& cell : cells) {
        const auto figures = SourceFigures(cell.versions, ctx.cutoffs, ctx.filter);
        if (ctx.by_source) {
          for (const auto& f : figures)
            groups[{cell.period, SourceName(f.source)}].push_back(
                {Interval::FromFigure(f.figure), SourceName(f.source), f.reported});
        } else if (const SourceFigure* w = Winner(figures, archive_)) {
          groups[{cell.period, ""}].push_back(
              {Interval::FromFigure(w->figure), SourceName(w->source), w->reported});
        }
      }
    }
    Values out;
    const std::string text = AggregateText(call);
    for (const auto& [key, members] : groups) {
      Interval v = members.front().value;
      for (size_t i = 1; i < members.size(); ++i) {
        switch (call.func) {
          case ast::Func::kMin: v = MinOf(v, members[i].value); break;
          case ast::Func::kMax: v = MaxOf(v, members[i].value); break;
          default: v = Add(v, members[i].value); break;
        }
      }
      if (call.func == ast::Func::kCount) v = Interval::Point(static_cast<double>(members.size()));
      std::vector<std::string> sources;
      std::optional<Date> reported;
      for (const auto& m : members) {
        sources.push_back(m.source);
        reported = Later(reported, m.reported);
      }
      out.rows.push_back({text, key.first.ToString(), key.first, v, JoinSources(sources), reported});
    }
    return Rows(std::move(out));
  }

  std::optional<Interval> Apply(char op, const std::optional<Interval>& a,
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

  Result<Rows> BinaryRows(const ast::Expr& e, Context& ctx) {
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
      row.source = a.source == b.source ? a.source : a.source + "/" + b.source;
      row.reported = Later(a.reported, b.reported);
      row.value = Apply(bin.op, a.value, b.value, ctx);
      out.rows.push_back(std::move(row));
    };
    if (l.rows.size() == 1 && r.rows.size() == 1) {
      combine(l.rows.front(), r.rows.front());
    } else {
      for (const auto& a : l.rows)
        for (const auto& b : r.rows)
          if (a.period == b.period && (!ctx.by_source || a.source == b.source)) combine(a, b);
    }
    return Rows(std::move(out));
  }

  // ---- revisions and conflicts

  Status RevisionsOf(const ast::Selector& sel, Context& ctx) {
    auto series = Match(sel);
    if (!series.ok()) return series.status();
    struct Item {
      std::string series, source;
      Version version;
      VersionStatus status;
    };
    std::vector<Item> items;
    std::vector<Version> storage;
    std::vector<CellSpan> cells;
    for (const auto& info : *series) {
      DOCKET_RETURN_IF_ERROR(Cells(info, sel, &storage, &cells));
      for (const auto& cell : cells)
        for (const auto& r : Revisions(cell.versions, ctx.cutoffs, ctx.filter))
          items.push_back({info.text, SourceName(r.version->report.source), *r.version, r.status});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.series, a.version.report.period, a.source, a.version.report.reported,
                      a.version.recorded) < std::tie(b.series, b.version.report.period, b.source,
                                                     b.version.report.reported, b.version.recorded);
    });
    Table t{kRevisionColumns, {}};
    for (const auto& item : items) t.rows.push_back(RevisionRow(item.series, item.version, item.status));
    output_.Result(t);
    return {};
  }

  Status ConflictsOf(const ast::Selector& sel, Context& ctx) {
    auto series = Match(sel);
    if (!series.ok()) return series.status();
    Table t{{"series", "period", "source_a", "value_a", "reported_a", "source_b", "value_b",
             "reported_b"},
            {}};
    std::vector<Version> storage;
    std::vector<CellSpan> cells;
    for (const auto& info : *series) {
      DOCKET_RETURN_IF_ERROR(Cells(info, sel, &storage, &cells));
      for (const auto& cell : cells) {
        auto figures = SourceFigures(cell.versions, ctx.cutoffs, ctx.filter);
        std::sort(figures.begin(), figures.end(), [&](const auto& a, const auto& b) {
          return SourceName(a.source) < SourceName(b.source);
        });
        for (size_t i = 0; i < figures.size(); ++i) {
          for (size_t j = i + 1; j < figures.size(); ++j) {
            const Interval a = Interval::FromFigure(figures[i].figure);
            const Interval b = Interval::FromFigure(figures[j].figure);
            if (CanBothBeTrue(a, b)) continue;
            t.rows.push_back({Cell::Text(info.text), Cell::Text(cell.period.ToString()),
                              Cell::Text(SourceName(figures[i].source)), Cell::Text(DisplayValue(a)),
                              Cell::Text(figures[i].reported.ToString()),
                              Cell::Text(SourceName(figures[j].source)), Cell::Text(DisplayValue(b)),
                              Cell::Text(figures[j].reported.ToString())});
          }
        }
      }
    }
    output_.Result(t);
    return {};
  }

  const ast::Script& script_;
  Archive& archive_;
  const RunOptions& options_;
  Output& output_;
  std::string where_;
};

}  // namespace

Outcome Worse(Outcome a, Outcome b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

RunResult Run(const ast::Script& script, size_t first, size_t last, Archive& archive,
              const RunOptions& options, Output& output) {
  Evaluator evaluator(script, archive, options, output);
  RunResult result;
  for (size_t i = first; i < last; ++i) {
    const auto& st = script.statements[i];
    result.error = evaluator.Statement(st, &result.outcome);
    if (!result.error.ok()) {
      result.piece = st.span.piece;
      break;
    }
  }
  return result;
}

}  // namespace docket
