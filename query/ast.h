// The parsed script: plain structs, each node with its source span.
// Values in the tree are already validated (periods exist, counts are in
// range, dates are not in the future); names are checked later, against
// the archive's catalog (query.h: CheckNames).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "query/interval.h"
#include "query/resolve.h"
#include "storage/types.h"

namespace docket::ast {

// Bytes [begin, end) of one piece of the script (one -e, -f or stdin text).
// 32 bits each: a script holds at most kMaxScriptBytes (query.h).
struct Span {
  uint32_t piece = 0;
  uint32_t begin = 0, end = 0;
};

// A node kept on the heap, so that a variant holding it takes a pointer's
// room instead of its largest alternative's: a statement or an expression
// costs its own size (a script of many tiny statements is the parser's
// worst case for memory). Holds a T from construction. Nothing changes a
// node once parsed, so copies share it (query.h: ParseCache copies a
// script's statements).
template <class T>
class Box {
 public:
  Box() : p_(std::make_shared<const T>()) {}
  Box(T value) : p_(std::make_shared<const T>(std::move(value))) {}  // NOLINT: implicit, as the T it holds
  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }

 private:
  std::shared_ptr<const T> p_;
};

struct LabelMatch {
  std::string key;
  std::optional<std::string> value;  // nullopt: `key=*`
  Span span;
};

// `charge{labels}[period]` or `charge{labels}[first..last]`.
struct Selector {
  std::string charge;
  Span charge_span;
  bool braces = false;              // `{…}` written, possibly empty
  std::vector<LabelMatch> labels;   // as written
  std::optional<Period> first, last;  // both set, equal unless a range
  bool range = false;
  Span span;

  bool wildcard() const {
    for (const auto& l : labels)
      if (!l.value) return true;
    return false;
  }
};

enum class Func {
  kGrowth, kChange, kPct, kSum, kMin, kMax, kCount, kRevisions, kConflicts,
  kFirst, kLag,                // spec §7.1-7.2
  kHistory, kVintages, kDiff,  // spec §7.3-7.5
};

// `vintages(S, START..END)`: periods of one grain, or full dates (`days`).
// Validated when parsed: START <= END, at most kMaxVintages steps.
struct VintageRange {
  bool days = false;
  Period first, last;                   // unless `days`
  int32_t first_day = 0, last_day = 0;  // with `days`: days since the epoch
  Span span;
};
inline constexpr size_t kMaxVintages = 10000;

// One side of `diff(S, CUTOFF, CUTOFF)`: `as of DATE`, `recorded as of
// TIMESTAMP` or both; an absent part is no cutoff on that axis.
struct DiffCutoff {
  std::optional<Date> as_of;
  std::optional<Micros> recorded_as_of;  // a date already made its last microsecond
  Span span;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Number {
  Real value;          // exactly as written
  bool decimal = false;  // decimal literals are ratios
  std::string text;      // as written
};
struct Binary {
  char op = '+';  // + - * /
  ExprPtr left, right;
};
struct Negate {
  ExprPtr operand;
};
// growth/change/pct(selector, from, to) or (selector[range]); aggregates,
// revisions, conflicts, first, lag and history take a selector; vintages a
// selector and a range of vintages; diff a selector and two cutoffs.
struct Call {
  Func func = Func::kSum;
  Selector arg;
  std::optional<Period> from, to;
  std::optional<VintageRange> vintages;
  std::vector<DiffCutoff> cutoffs;  // diff: sides A and B
};

struct Expr {
  std::variant<Number, Selector, Box<Call>, Binary, Negate> node;  // a call, the largest, boxed
  bool parenthesized = false;
  Span span;

  // The call, if the expression is one, else null.
  const Call* call() const {
    const auto* box = std::get_if<Box<Call>>(&node);
    return box ? &**box : nullptr;
  }
};

struct Modifiers {
  std::optional<Date> as_of;
  Span as_of_span;
  std::optional<Micros> recorded_as_of;
  Span recorded_as_of_span;
  std::optional<std::vector<std::pair<std::string, Span>>> from;
  bool by_source = false;
  Span by_source_span;
  std::optional<ResolveRule> resolve;  // `resolve RULE`; nullopt: not written (latest)
  Span resolve_span;
};

struct Comparison {
  Cmp op = Cmp::kEq;
  Real threshold;               // exactly as written
  std::string threshold_text;  // as written, for performance data
};

struct DefineCharge {
  std::string name;
  Span name_span;
  std::optional<std::string> title, article;
};
struct DefineSource {
  std::string name;
  Span name_span;
  std::optional<std::string> title, url;
  std::optional<int64_t> priority;
};
// `record` (figure set) or `retract` (no figure).
struct Record {
  Selector target;
  std::optional<Figure> figure;
  std::string source;
  Span source_span;
  Date reported;
  std::string note, url;
};
struct Query {
  Expr expr;
  Modifiers mods;
};
struct Assert {
  Expr expr;
  Modifiers mods;
  Comparison cmp;
  std::optional<std::string> message;  // the `else` text
  std::string text;                    // the assertion as written
};
struct Check {
  Expr expr;
  Modifiers mods;
  std::optional<Comparison> warn, crit;
};
struct Show {
  enum class What { kCharges, kSources, kSeries } what = What::kCharges;
  std::string charge;
  Span charge_span;
};
struct Describe {
  std::string charge;
  Span charge_span;
};
struct Plot {
  Expr expr;
  Modifiers mods;
};
struct Changes {
  Micros since = 0;
  Modifiers mods;
};

// Each kind of statement is boxed: a statement takes its own kind's room.
// std::visit gives a Box; get_if and is give the node.
struct Statement {
  std::variant<Box<DefineCharge>, Box<DefineSource>, Box<Record>, Box<Query>, Box<Assert>, Box<Check>,
               Box<Show>, Box<Describe>, Box<Plot>, Box<Changes>>
      node;
  Span span;

  // The node if the statement is a T, else null.
  template <class T>
  const T* get_if() const {
    const auto* box = std::get_if<Box<T>>(&node);
    return box ? &**box : nullptr;
  }
  template <class T>
  bool is() const {
    return std::holds_alternative<Box<T>>(node);
  }
  bool writes() const { return is<DefineCharge>() || is<DefineSource>() || is<Record>(); }
};

// One piece of script text and where it came from: `-e`, `-e#2`, a path, `<stdin>`.
struct Piece {
  std::string origin;
  std::string text;
};

struct Script {
  std::vector<Piece> pieces;
  std::deque<Statement> statements;  // grows without copying: a script may hold many

  bool writes() const {
    for (const auto& s : statements)
      if (s.writes()) return true;
    return false;
  }
};

}  // namespace docket::ast
