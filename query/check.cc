// Static checks of a parsed script against the catalog (query.h: CheckNames).
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "query/expr_kind.h"
#include "query/query.h"

namespace docket {
namespace {

// Damerau–Levenshtein distance (unrestricted: a transposed pair may also
// be edited, so `ca` → `abc` is 2), by Lowrance and Wagner's algorithm,
// on bytes (names are ASCII).
size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t inf = a.size() + b.size();
  // d[i + 1][j + 1] is the distance between a[0, i) and b[0, j); row and
  // column 0 hold the sentinel `inf`.
  std::vector<std::vector<size_t>> d(a.size() + 2, std::vector<size_t>(b.size() + 2, inf));
  for (size_t i = 0; i <= a.size(); ++i) d[i + 1][1] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[1][j + 1] = j;
  size_t last_row[256] = {};  // per byte: the last row of a holding it (0: none)
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t last_match_column = 0;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t k = last_row[static_cast<unsigned char>(b[j - 1])];
      const size_t l = last_match_column;
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      if (cost == 0) last_match_column = j;
      d[i + 1][j + 1] = std::min({d[i][j] + cost, d[i + 1][j] + 1, d[i][j + 1] + 1,
                                  d[k][l] + (i - k - 1) + 1 + (j - l - 1)});
    }
    last_row[static_cast<unsigned char>(a[i - 1])] = i;
  }
  return d[a.size() + 1][b.size() + 1];
}

}  // namespace

std::string UnknownName(std::string_view kind, std::string_view name,
                        const std::set<std::string, std::less<>>& defined) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& candidate : defined) {  // byte order: the first of equals wins
    const size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (best.empty()) return fmt::format("unknown {} `{}`", kind, name);
  return fmt::format("unknown {} `{}`; did you mean `{}`?", kind, name, best);
}

namespace {

Place PlaceOf(const ast::Span& span) { return Place{true, span.piece, span.begin}; }

class Checker {
 public:
  explicit Checker(const Archive* archive) {
    if (!archive) return;
    for (const auto& [name, c] : archive->charges()) charges_.insert(name);
    for (const auto& [name, s] : archive->sources()) sources_.insert(name);
  }

  Status Statement(const ast::Statement& st) {
    return std::visit([&](const auto& node) { return Check(*node); }, st.node);
  }

 private:
  Status Charge(const std::string& name, const ast::Span& span) const {
    if (charges_.count(name)) return {};
    return Status::Input(UnknownName("charge", name, charges_), PlaceOf(span));
  }
  Status SourceName(const std::string& name, const ast::Span& span) const {
    if (sources_.count(name)) return {};
    return Status::Input(UnknownName("source", name, sources_), PlaceOf(span));
  }

  Status Check(const ast::DefineCharge& d) {
    charges_.insert(d.name);
    return {};
  }
  Status Check(const ast::DefineSource& d) {
    sources_.insert(d.name);
    return {};
  }
  Status Check(const ast::Record& r) {
    DOCKET_RETURN_IF_ERROR(Charge(r.target.charge, r.target.charge_span));
    return SourceName(r.source, r.source_span);
  }
  Status Check(const ast::Query& q) {
    DOCKET_RETURN_IF_ERROR(Expression(q.expr, q.mods));
    auto kind = KindOf(q.expr);
    if (!kind.ok()) return kind.status();
    DOCKET_RETURN_IF_ERROR(ModifiersFit(*kind, q.mods));
    if (q.mods.resolve && (*kind == ExprKind::kRevisions || *kind == ExprKind::kConflicts))
      return Status::Input(fmt::format("`resolve` cannot be used with {}: it shows every source's "
                                       "figures",
                                       *kind == ExprKind::kRevisions ? "revisions" : "conflicts"),
                           PlaceOf(q.mods.resolve_span));
    return Resolvable(q.expr, q.mods);
  }
  Status Check(const ast::Assert& a) { return Monitored(a.expr, a.mods, "assert"); }
  Status Check(const ast::Check& c) { return Monitored(c.expr, c.mods, "check"); }
  Status Check(const ast::Plot& p) {
    DOCKET_RETURN_IF_ERROR(Expression(p.expr, p.mods));
    auto kind = KindOf(p.expr);
    if (!kind.ok()) return kind.status();
    if (*kind != ExprKind::kValues && *kind != ExprKind::kScalar && *kind != ExprKind::kHistory &&
        *kind != ExprKind::kVintages)
      return Status::Input("plot draws values (a series, an aggregate or arithmetic on them), "
                           "history or vintages",
                           PlaceOf(p.expr.span));
    DOCKET_RETURN_IF_ERROR(ModifiersFit(*kind, p.mods));
    return Resolvable(p.expr, p.mods);
  }
  Status Check(const ast::Show& s) const {
    return s.what == ast::Show::What::kSeries ? Charge(s.charge, s.charge_span) : Status();
  }
  Status Check(const ast::Describe& d) const { return Charge(d.charge, d.charge_span); }
  Status Check(const ast::Changes& c) const {
    if (c.mods.by_source)
      return Status::Input("`by source` cannot be used with changes", PlaceOf(c.mods.by_source_span));
    if (c.mods.resolve)
      return Status::Input("`resolve` cannot be used with changes: it lists versions, it resolves "
                           "no cell",
                           PlaceOf(c.mods.resolve_span));
    return Modifiers(c.mods);
  }

  // assert and check compare values or growth rows with a number.
  Status Monitored(const ast::Expr& e, const ast::Modifiers& mods, const char* what) const {
    DOCKET_RETURN_IF_ERROR(Expression(e, mods));
    auto kind = KindOf(e);
    if (!kind.ok()) return kind.status();
    if (IsWholeStatement(*kind))
      return Status::Input(fmt::format("{} compares values, not {}", what, CalledName(e)),
                           PlaceOf(e.span));
    return Resolvable(e, mods);
  }

  // Spec §7.6: `resolve` needs a cell to resolve. Without a resolution (by
  // source), or when first/lag are all there is (they have their own rule),
  // it is an error at `resolve`.
  static Status Resolvable(const ast::Expr& e, const ast::Modifiers& mods) {
    if (!mods.resolve) return {};
    if (mods.by_source)
      return Status::Input("`resolve` cannot be used with `by source`: by source shows each "
                           "source's figure, resolving nothing",
                           PlaceOf(mods.resolve_span));
    if (!Resolves(e) && HasFirstOrLag(e))
      return Status::Input("`resolve` does not apply to first and lag: they take the first "
                           "release by their own rule",
                           PlaceOf(mods.resolve_span));
    return {};
  }
  // True if `e` resolves a cell: a selector, an aggregate or growth/change/pct.
  static bool Resolves(const ast::Expr& e) {
    if (std::holds_alternative<ast::Selector>(e.node)) return true;
    if (const auto* call = e.call())
      return call->func != ast::Func::kFirst && call->func != ast::Func::kLag;
    if (const auto* neg = std::get_if<ast::Negate>(&e.node)) return Resolves(*neg->operand);
    if (const auto* bin = std::get_if<ast::Binary>(&e.node))
      return Resolves(*bin->left) || Resolves(*bin->right);
    return false;
  }
  static bool HasFirstOrLag(const ast::Expr& e) {
    if (const auto* call = e.call())
      return call->func == ast::Func::kFirst || call->func == ast::Func::kLag;
    if (const auto* neg = std::get_if<ast::Negate>(&e.node)) return HasFirstOrLag(*neg->operand);
    if (const auto* bin = std::get_if<ast::Binary>(&e.node))
      return HasFirstOrLag(*bin->left) || HasFirstOrLag(*bin->right);
    return false;
  }

  // The modifiers a whole-statement function refuses (spec §2.3, §7.3-7.5).
  static Status ModifiersFit(ExprKind kind, const ast::Modifiers& mods) {
    auto refuse = [](const char* modifier, const ast::Span& span, const char* func, const char* why) {
      return Status::Input(fmt::format("`{}` cannot be used with {}{}", modifier, func, why),
                           PlaceOf(span));
    };
    switch (kind) {
      case ExprKind::kRevisions:
      case ExprKind::kConflicts:
        if (mods.by_source)
          return refuse("by source", mods.by_source_span,
                        kind == ExprKind::kRevisions ? "revisions" : "conflicts", "");
        return {};
      case ExprKind::kHistory:
        if (mods.by_source)
          return refuse("by source", mods.by_source_span, "history",
                        ": it follows the resolved figure (revisions shows each source's reports)");
        return {};
      case ExprKind::kVintages:
        if (mods.as_of)
          return refuse("as of", mods.as_of_span, "vintages", ": the vintages are the cutoffs");
        return {};
      case ExprKind::kDiff: {
        const char* why = ": give each side its cutoff inside diff(...)";
        if (mods.as_of) return refuse("as of", mods.as_of_span, "diff", why);
        if (mods.recorded_as_of) return refuse("recorded as of", mods.recorded_as_of_span, "diff", why);
        if (mods.by_source) return refuse("by source", mods.by_source_span, "diff", "");
        return {};
      }
      default: return {};
    }
  }


  Status Modifiers(const ast::Modifiers& mods) const {
    if (mods.from)
      for (const auto& [name, span] : *mods.from) DOCKET_RETURN_IF_ERROR(SourceName(name, span));
    return {};
  }

  Status Expression(const ast::Expr& e, const ast::Modifiers& mods) const {
    DOCKET_RETURN_IF_ERROR(Modifiers(mods));
    return Names(e);
  }

  Status Names(const ast::Expr& e) const {
    if (const auto* sel = std::get_if<ast::Selector>(&e.node)) return Charge(sel->charge, sel->charge_span);
    if (const auto* call = e.call())
      return Charge(call->arg.charge, call->arg.charge_span);
    if (const auto* neg = std::get_if<ast::Negate>(&e.node)) return Names(*neg->operand);
    if (const auto* bin = std::get_if<ast::Binary>(&e.node)) {
      DOCKET_RETURN_IF_ERROR(Names(*bin->left));
      return Names(*bin->right);
    }
    return {};
  }

  std::set<std::string, std::less<>> charges_, sources_;
};

}  // namespace

Status CheckNames(const ast::Script& script, const Archive* archive) {
  return CheckNames(script, 0, archive);
}

Status CheckNames(const ast::Script& script, size_t first, const Archive* archive) {
  Checker checker(archive);
  // Definitions before `first` count as made.
  for (size_t i = 0; i < script.statements.size(); ++i) {
    Status s = checker.Statement(script.statements[i]);
    if (i >= first && !s.ok()) return s;
  }
  return {};
}

}  // namespace docket
