// The query language's public face: parse a script, check it against the
// archive's catalog, run it. Only cli prints; results reach it through Output.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "query/ast.h"
#include "query/table.h"
#include "storage/archive.h"
#include "storage/status.h"

namespace docket {

struct ParseOptions {
  int32_t today = 0;  // days since the epoch: reported dates after it are rejected
};

// The most text a script holds, all its pieces together (16 MiB). Parsing
// takes memory in proportion to the text: about 15 bytes per byte for the
// parse tree of the statement being parsed (freed after it), plus the
// statements' syntax trees, each its own kind's size (ast.h: Box): about
// 330 bytes for a query, so ~24 bytes per byte of `treason[2024];` lines
// and ~210 for `1;`, the worst case (peak RSS of the whole process).
inline constexpr size_t kMaxScriptBytes = size_t{16} << 20;

// Parses one piece of script text and appends it and its statements to
// `script`. Errors are kInput with a place in that piece; the piece is
// still appended (to show the error's line) but none of its statements.
// Validates values: periods, dates, counts, timestamps. A script whose
// pieces hold more than kMaxScriptBytes is refused (kInput).
Status ParsePiece(std::string origin, std::string text, const ParseOptions& options,
                  ast::Script* script);

// ParsePiece that remembers: the statements of the last kCapacity first
// pieces it parsed (each under kMaxTextBytes, parsed without error), keyed
// by origin, text and today, so that a server answering the same query
// again skips the parser. A later piece of a script, a long text or an
// error is parsed afresh. Not thread-safe: one per thread.
class ParseCache {
 public:
  static constexpr size_t kCapacity = 64;
  static constexpr size_t kMaxTextBytes = 4096;

  ParseCache();
  ~ParseCache();
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;

  Status Parse(std::string origin, std::string text, const ParseOptions& options, ast::Script* script);

 private:
  struct Entries;
  std::unique_ptr<Entries> entries_;
};

// Checks what parsing cannot: every name is defined in the catalog (or by
// an earlier statement), arithmetic sides hold one series each, `by source`
// is allowed where it is used. Unknown names suggest the closest defined one.
// `archive` may be null: an empty catalog.
Status CheckNames(const ast::Script& script, const Archive* archive);
// Checks statements [first, script.statements.size()) only.
Status CheckNames(const ast::Script& script, size_t first, const Archive* archive);

// "unknown charge `tresaon`; did you mean `treason`?": the closest name of
// `defined` (Damerau–Levenshtein distance <= 2, ties in byte order), if any.
std::string UnknownName(std::string_view kind, std::string_view name,
                        const std::set<std::string, std::less<>>& defined);

// Monitoring states, worst last as they combine: CRITICAL > WARNING > UNKNOWN > OK.
enum class CheckState { kOk, kUnknown, kWarning, kCritical };
CheckState Worse(CheckState a, CheckState b);
std::string_view CheckStateName(CheckState state);  // "OK", "UNKNOWN", "WARNING", "CRITICAL"

}  // namespace docket

// `{}` prints CheckStateName(): `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
template <>
struct fmt::formatter<docket::CheckState> : fmt::formatter<std::string_view> {
  auto format(const docket::CheckState& v, format_context& ctx) const {
    return formatter<std::string_view>::format(docket::CheckStateName(v), ctx);
  }
};

namespace docket {

// One row an assert or a check judged.
struct CheckRow {
  CheckState state = CheckState::kOk;
  std::string series;             // the series text, or an expression's
  std::string period;             // `2024`; a growth row's `to`; `2024-H1/2024` for pairs
  std::string source;             // the source(s) the value came from
  std::optional<Interval> value;  // nullopt: no value
};

// What one assert or check found (spec §5), for cli to print: today one
// plugin line per check row, a message per assert that did not hold.
// Carries what the v1.1 plugin output needs too (one status line for the
// whole script, asserts as rows, range syntax from the comparisons).
struct CheckResult {
  enum class Kind { kAssert, kCheck };
  Kind kind = Kind::kCheck;
  // check: the expression normalised, modifiers dropped (ExprText);
  // assert: its `else` text, or the assertion as written.
  std::string text;
  std::optional<ast::Comparison> warn, crit;  // check: its thresholds as written
  std::optional<ast::Comparison> expected;    // assert: what every row must meet
  std::vector<CheckRow> rows;                 // in row order; none: no data
  CheckState state = CheckState::kUnknown;    // the worst row's; UNKNOWN without rows
};

// Receives what a run produces, in statement order.
//
// A result (a query, show, describe, changes…) arrives as a stream:
// Begin with its field names, Row for each row in result order, then End.
// Results never interleave, and producers emit rows as they compute them,
// so a sink that writes them through holds one row at a time. Row may
// refuse a row (a bound of the sink, output that cannot be written): the
// producer stops, no End follows, and the run ends with that Status as its
// error. A result without rows is Begin then End.
class Output {
 public:
  virtual ~Output() = default;
  virtual void Begin(const std::vector<std::string>& columns) = 0;
  [[nodiscard]] virtual Status Row(const std::vector<Cell>& cells) = 0;
  virtual void End() = 0;
  // Rows for `plot`: value rows (series, period, value, lo, hi, approx, source, reported).
  virtual void Plot(const Table& rows) = 0;
  // The result of an assert or a check in the script piece `where`.
  virtual void Check(std::string_view where, const CheckResult& result) = 0;
  // A message for stderr: `docket: WHERE: message`.
  virtual void Message(std::string_view where, std::string_view message) = 0;
};

// A whole table as one result: Begin, each row, End; the first refusal of Row.
Status EmitTable(Output& output, const Table& table);

// When a run must stop: a front end's time bound (spec §8's --timeout).
// Evaluation checks it between units of work, each at most a cell's
// worth: before each statement, each cell a selector, aggregate, growth
// step, revisions or conflicts reads, each day of a cell's history, each
// vintage, each version `changes` reads, each row of an arithmetic's left
// side. Unset (the command line): never passes, and a check costs a test
// of a flag. Copyable; a check only reads the clock.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  Deadline() = default;  // never
  explicit Deadline(Clock::time_point at) : at_(at) {}
  // Ok until the deadline; once the clock is past it, the error a run
  // stops with: kLocked (exit 75, a temporary failure, as spec §8 gives a
  // timeout), which a front end that set the deadline reports as its own.
  Status Check() const { return at_ && Clock::now() > *at_ ? Passed() : Status(); }

 private:
  static Status Passed();
  std::optional<Clock::time_point> at_;
};

struct RunOptions {
  Micros now = 0;     // recorded times and "today"
  Deadline deadline;  // past it, the run stops with Deadline::Check's error
};

struct RunResult {
  Status error;                      // the first error; later statements did not run
  size_t piece = 0;                  // with an error: the piece of the failing statement
  CheckState state = CheckState::kOk;  // the worst assert/check state
};

// Runs statements [first, last) of a checked script. Writes go to the
// archive's batch; the caller commits when `error` is ok (past the
// deadline it is not, so nothing is committed).
RunResult Run(const ast::Script& script, size_t first, size_t last, Archive& archive,
              const RunOptions& options, Output& output);

// The normalised text of an expression: `growth(treason, 2023, 2024)`,
// `treason[2024-H1] / treason[2024]`.
std::string ExprText(const ast::Expr& expr);

}  // namespace docket
