// A reference model of docket's data model (spec §1), its resolution (and
// §7.6's rules), first and lag (§7.1, §7.2), the
// modifiers (§2.3) and the revisions statuses (§4), written from the spec
// alone and deliberately brute force: an in-memory list of every version,
// every question answered by a scan of the whole list. The answers are the
// csv text docket prints (`--format csv`), so the model and the real binary
// can be compared byte for byte.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace docket::model {

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DayNumber(int year, int month, int day);
int DaysInMonth(int year, int month);
// `YYYY-MM-DD` of a day number.
std::string DayText(int64_t day);
// Microseconds since the epoch, printed as docket prints `recorded`:
// `YYYY-MM-DDThh:mm:ss.ffffffZ`.
std::string TimestampText(int64_t micros);
constexpr int64_t kMicrosPerDay = 86'400'000'000;

// A charge plus its labels (key -> value).
struct Series {
  std::string charge;
  std::map<std::string, std::string> labels;
  // Canonical text: labels sorted by key, `c{a="x", k="y \"q\""}`.
  std::string Text() const;
  bool operator==(const Series&) const = default;
};

// A period of the valid time: a year, a half, a quarter or a month.
struct Period {
  enum class Kind { kYear, kHalf, kQuarter, kMonth };
  int year = 0;
  Kind kind = Kind::kYear;
  int index = 1;  // 1-based half, quarter or month; 1 for a year
  int64_t FirstDay() const;
  int64_t LastDay() const;
  std::string Text() const;  // `2024`, `2024-H1`, `2024-Q3`, `2024-07`
  bool operator==(const Period&) const = default;
};
// The spec's period order: by first day, longer first.
bool PeriodBefore(const Period& a, const Period& b);

// A reported date: as written (`2025-04`, `2025-04-30`, `2025`) and the
// day it stands for (a partial date: the last day of its month or year).
struct Reported {
  std::string written;
  int64_t day = 0;
};

enum class Bound { kEqual, kAtLeast, kAtMost, kApprox };
struct Figure {
  Bound bound = Bound::kEqual;
  uint64_t value = 0;
};

// A `record` (figure set) or a `retract` (no figure).
struct Record {
  Series series;
  Period period;
  std::string source;
  Reported reported;
  std::optional<Figure> figure;
  std::string note, url;
};

// `define charge NAME` or `define source NAME [priority N]`.
struct Define {
  bool source = false;
  std::string name;
  std::optional<int64_t> priority;  // sources only
};

// One statement of a writing script.
struct Statement {
  std::optional<Define> define;  // set: a definition; else `record` or `retract`
  Record record;
};

// One stored version of a report.
struct Version {
  Record record;
  int64_t recorded = 0;
};

// A cell of a series: the unit resolution answers for.
struct Cell {
  Series series;
  Period period;
  bool operator==(const Cell&) const = default;
};

// A selector (§2.1): labels with a value, or nullopt for `key=*`.
struct Selector {
  std::string charge;
  std::map<std::string, std::optional<std::string>> labels;
  std::optional<Period> first, last;  // none: every period; first == last: one cell
  bool Matches(const Series& s, const Period& p) const;
};

// `resolve` (§7.6).
enum class Rule { kLatest, kPriority, kConsensus };

// The modifiers (§2.3, §7.6).
struct Modifiers {
  std::optional<int64_t> as_of;        // a day: reported on or before it
  std::optional<int64_t> recorded_as_of;  // an instant in microseconds, inclusive
  std::optional<std::vector<std::string>> from;
  bool by_source = false;
  Rule rule = Rule::kLatest;
};

class Model {
 public:
  // Runs a writing script at `now` (microseconds) as one docket process:
  // all statements or none. Every new version is stamped max(now, the
  // latest recorded + 1µs); an unchanged re-record writes nothing. Returns
  // the index of the statement that failed and its message (without the
  // `docket: WHERE:` prefix), or nullopt when the script committed.
  struct Failure {
    size_t statement = 0;
    std::string message;
  };
  std::optional<Failure> Run(const std::vector<Statement>& script, int64_t now);

  // The cells of `selector` that have any version, in the spec's row order
  // (series text, then period).
  std::vector<Cell> Cells(const Selector& selector) const;
  // §1's resolution of one cell under `m` (its as of, recorded as of and
  // from): the winning version, or with m.by_source each source's figure in
  // byte order of the source; empty when no source has a figure.
  std::vector<const Version*> Resolve(const Cell& cell, const Modifiers& m) const;

  // The csv results of a value query, `revisions(...)` and `changes since`.
  std::string Values(const Selector& selector, const Modifiers& modifiers) const;
  // What a value query prints on stderr: `docket: -e: no consensus on
  // CELL: SOURCE FIGURE, ...` per cell whose consensus is empty (§7.6).
  std::string Warnings(const Selector& selector, const Modifiers& modifiers) const;
  // The csv results of `first(...)` and, with `lag`, `lag(...)` (§7.1, §7.2).
  std::string Firsts(const Selector& selector, const Modifiers& modifiers, bool lag) const;
  std::string Revisions(const Selector& selector, const Modifiers& modifiers) const;
  // `since` is the first instant included (a timestamp T is passed as T+1µs).
  std::string ChangesSince(int64_t since) const;

  const std::vector<Version>& versions() const { return versions_; }

 private:
  // Each source's first release of the cell (by_source), or the cell's.
  std::vector<const Version*> FirstReleases(const Cell& cell, const Modifiers& m) const;
  // A value row's fields after the period under m.rule, or nullopt
  // without a figure; `warning` gets the sources' figures of an empty consensus.
  std::optional<std::string> Resolved(const Cell& cell, const Modifiers& m, std::string* warning) const;
  // Why `r` cannot be written now, or "" if it can.
  std::string Refusal(const Record& r) const;
  std::vector<Version> versions_;
  std::map<std::string, int64_t> priorities_;
  int64_t latest_ = INT64_MIN;
};

}  // namespace docket::model
