#include <fmt/format.h>

#include "query/expr_kind.h"
#include "query/lexicon.h"
#include "query/query.h"

namespace docket {
namespace {

bool IsAggregate(ast::Func f) { return FunctionOf(f).kind == FuncKind::kAggregate; }

// The first `key=*` selector of `e` outside an aggregate, or null.
const ast::Selector* SeveralSeries(const ast::Expr& e) {
  if (const auto* sel = std::get_if<ast::Selector>(&e.node)) return sel->wildcard() ? sel : nullptr;
  if (const auto* call = e.call())
    return !IsAggregate(call->func) && call->arg.wildcard() ? &call->arg : nullptr;
  if (const auto* neg = std::get_if<ast::Negate>(&e.node)) return SeveralSeries(*neg->operand);
  if (const auto* bin = std::get_if<ast::Binary>(&e.node)) {
    if (const auto* s = SeveralSeries(*bin->left)) return s;
    return SeveralSeries(*bin->right);
  }
  return nullptr;
}

ExprKind WholeStatementKind(ast::Func func) {
  switch (func) {
    case ast::Func::kRevisions: return ExprKind::kRevisions;
    case ast::Func::kHistory: return ExprKind::kHistory;
    case ast::Func::kVintages: return ExprKind::kVintages;
    case ast::Func::kDiff: return ExprKind::kDiff;
    default: return ExprKind::kConflicts;
  }
}

Status SideError(const ast::Expr& side, std::string message) {
  return Status::Input(std::move(message), Place{true, side.span.piece, side.span.begin});
}

}  // namespace

std::string_view FuncName(ast::Func func) { return FunctionOf(func).name; }

std::string_view CalledName(const ast::Expr& e) {
  if (const auto* call = e.call()) return FuncName(call->func);
  if (const auto* neg = std::get_if<ast::Negate>(&e.node)) return CalledName(*neg->operand);
  return "this";
}

bool IsWholeStatement(ExprKind kind) {
  return kind == ExprKind::kRevisions || kind == ExprKind::kConflicts ||
         kind == ExprKind::kHistory || kind == ExprKind::kVintages || kind == ExprKind::kDiff;
}

Result<ExprKind> KindOf(const ast::Expr& e) {
  if (std::holds_alternative<ast::Number>(e.node)) return ExprKind::kScalar;
  if (std::holds_alternative<ast::Selector>(e.node)) return ExprKind::kValues;
  if (const auto* call = e.call()) {
    switch (FunctionOf(call->func).kind) {
      case FuncKind::kGrowthFamily: return ExprKind::kPairs;
      case FuncKind::kWholeStatement: return WholeStatementKind(call->func);
      case FuncKind::kValue:
      case FuncKind::kAggregate: return ExprKind::kValues;
    }
  }
  if (const auto* neg = std::get_if<ast::Negate>(&e.node)) {
    auto k = KindOf(*neg->operand);
    if (k.ok() && IsWholeStatement(*k))
      return SideError(*neg->operand, fmt::format("{} cannot be negated", CalledName(*neg->operand)));
    return k;
  }
  const auto& bin = std::get<ast::Binary>(e.node);
  auto left = KindOf(*bin.left);
  if (!left.ok()) return left;
  auto right = KindOf(*bin.right);
  if (!right.ok()) return right;
  for (const auto* side : {bin.left.get(), bin.right.get()}) {
    const ExprKind k = side == bin.left.get() ? *left : *right;
    if (IsWholeStatement(k))
      return SideError(*side, fmt::format("{} cannot be used in arithmetic", CalledName(*side)));
  }
  for (const auto* side : {bin.left.get(), bin.right.get()}) {
    if (const auto* sel = SeveralSeries(*side))
      return SideError(*side, fmt::format("the {} side of `{}` holds several series ({}); "
                                          "arithmetic needs one series on each side: "
                                          "name one label value or use sum(...)",
                                          side == bin.left.get() ? "left" : "right", bin.op,
                                          SelectorText(*sel)));
  }
  if (*left == ExprKind::kPairs || *right == ExprKind::kPairs) {
    const auto* other = *left == ExprKind::kPairs ? bin.right.get() : bin.left.get();
    const ExprKind other_kind = *left == ExprKind::kPairs ? *right : *left;
    if (other_kind != ExprKind::kScalar)
      return SideError(*other, "growth, change and pct combine only with numbers");
    return ExprKind::kPairs;
  }
  if (*left == ExprKind::kScalar && *right == ExprKind::kScalar) return ExprKind::kScalar;
  return ExprKind::kValues;
}

std::string SelectorText(const ast::Selector& sel, bool with_period) {
  std::string out = sel.charge;
  if (!sel.labels.empty()) {
    out += '{';
    for (size_t i = 0; i < sel.labels.size(); ++i) {
      if (i > 0) out += ", ";
      out += sel.labels[i].key;
      out += '=';
      out += sel.labels[i].value ? QuoteString(*sel.labels[i].value) : "*";
    }
    out += '}';
  }
  if (with_period && sel.first) {
    out += '[' + sel.first->ToString();
    if (sel.range) out += ".." + sel.last->ToString();
    out += ']';
  }
  return out;
}

std::string VintageRangeText(const ast::VintageRange& r) {
  if (!r.days) return fmt::format("{}..{}", r.first, r.last);
  return fmt::format("{}..{}", Date(r.first_day, DatePrecision::kDay),
                     Date(r.last_day, DatePrecision::kDay));
}

std::string CutoffText(const ast::DiffCutoff& c) {
  std::string out;
  if (c.as_of) out = fmt::format("as of {}", *c.as_of);
  if (c.recorded_as_of)
    out += fmt::format("{}recorded as of {}", out.empty() ? "" : " ", FormatTimestamp(*c.recorded_as_of));
  return out;
}

std::string AggregateText(const ast::Call& call) {
  return fmt::format("{}({})", FuncName(call.func), SelectorText(call.arg, false));
}

std::string ExprText(const ast::Expr& e) {
  std::string out;
  if (const auto* num = std::get_if<ast::Number>(&e.node)) {
    out = num->text;
  } else if (const auto* sel = std::get_if<ast::Selector>(&e.node)) {
    out = SelectorText(*sel);
  } else if (const auto* call = e.call()) {
    out = fmt::format("{}({}", FuncName(call->func), SelectorText(call->arg));
    if (call->from) out += fmt::format(", {}, {}", *call->from, *call->to);
    if (call->vintages) out += ", " + VintageRangeText(*call->vintages);
    for (const auto& side : call->cutoffs) out += ", " + CutoffText(side);
    out += ')';
  } else if (const auto* neg = std::get_if<ast::Negate>(&e.node)) {
    out = fmt::format("-{}", ExprText(*neg->operand));
  } else {
    const auto& bin = std::get<ast::Binary>(e.node);
    out = fmt::format("{} {} {}", ExprText(*bin.left), bin.op, ExprText(*bin.right));
  }
  return e.parenthesized ? fmt::format("({})", out) : out;
}

}  // namespace docket
