#include "query/monitoring.h"

namespace docket {
namespace {

// The rows to judge: series, period (a growth row's `to`), source, value.
std::vector<CheckRow> RowsOf(const Rows& rows) {
  std::vector<CheckRow> out;
  if (const auto* values = std::get_if<Values>(&rows)) {
    for (const auto& r : values->rows) out.push_back({CheckState::kOk, r.series, r.period, r.source, r.value});
  } else {
    for (const auto& r : std::get<Pairs>(rows).rows)
      out.push_back({CheckState::kOk, r.series, r.to.ToString(), r.source, r.value});
  }
  return out;
}

Truth Judgement(const CheckRow& row, const ast::Comparison& c) {
  return row.value ? Compare(*row.value, c.op, c.threshold) : Truth::kUnknown;
}

CheckState WorstOf(const std::vector<CheckRow>& rows) {
  if (rows.empty()) return CheckState::kUnknown;
  CheckState worst = CheckState::kOk;
  for (const auto& r : rows) worst = Worse(worst, r.state);
  return worst;
}

}  // namespace

CheckResult JudgeAssert(const ast::Assert& a, const Rows& rows) {
  CheckResult result;
  result.kind = CheckResult::Kind::kAssert;
  result.text = a.message.value_or(a.text);
  result.expected = a.cmp;
  result.rows = RowsOf(rows);
  for (auto& r : result.rows) {
    switch (Judgement(r, a.cmp)) {
      case Truth::kTrue: r.state = CheckState::kOk; break;
      case Truth::kFalse: r.state = CheckState::kCritical; break;
      case Truth::kUnknown: r.state = CheckState::kUnknown; break;
    }
  }
  result.state = WorstOf(result.rows);
  return result;
}

CheckResult JudgeCheck(const ast::Check& c, const Rows& rows) {
  CheckResult result;
  result.kind = CheckResult::Kind::kCheck;
  result.text = ExprText(c.expr);
  result.warn = c.warn;
  result.crit = c.crit;
  result.rows = RowsOf(rows);
  for (auto& r : result.rows) {
    const Truth crit = c.crit ? Judgement(r, *c.crit) : Truth::kFalse;
    const Truth warn = c.warn ? Judgement(r, *c.warn) : Truth::kFalse;
    if (crit == Truth::kTrue) {
      r.state = CheckState::kCritical;
    } else if (crit == Truth::kUnknown || warn == Truth::kUnknown || !r.value) {
      r.state = CheckState::kUnknown;
    } else if (warn == Truth::kTrue) {
      r.state = CheckState::kWarning;
    } else {
      r.state = CheckState::kOk;
    }
  }
  result.state = WorstOf(result.rows);
  return result;
}

}  // namespace docket
