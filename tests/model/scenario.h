// Seeded random scenarios for the reference model: definitions, writing
// scripts over several commits and queries, each both as docket text and
// as the structure the model reads.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tests/model/model.h"

namespace docket::model {

// A `recorded as of` cutoff tied to the scenario's own versions, so that
// a replay of the scenario alone (other stamps) cuts at the same place.
struct RecordedAnchor {
  size_t version = 0;  // of the scenario's versions in recorded order (the last if fewer)
  int64_t delta = 0;   // microseconds after that version's stamp
  size_t form = 0;     // how the cutoff is written: a date, a month, a minute, an offset, exact
};

// A query and how the model answers it.
struct Query {
  enum class Kind { kValues, kRevisions, kChanges, kFirst, kLag };
  Kind kind = Kind::kValues;
  Selector selector;
  Modifiers modifiers;
  int64_t since = 0;  // kChanges: the first instant included
  std::string text;   // as docket reads it
  std::optional<RecordedAnchor> anchor;
  std::string before_cutoff, after_cutoff;  // with an anchor: the text around the cutoff

  // With an anchor: writes the cutoff into `text` and `modifiers` for a run
  // whose scenario versions were stamped `stamps` (in recorded order).
  void Anchor(const std::vector<int64_t>& stamps);
  std::string Expected(const Model& model) const;
  std::string ExpectedErr(const Model& model) const;  // stderr: consensus warnings
};

// The docket text of a statement (no trailing `;`).
std::string StatementText(const Statement& s);

// One docket process of a scenario: the statements it commits, and an
// attempt the model refuses (a retraction with no report dated on or
// before it) that runs as a process of its own after it; empty if none.
struct Commit {
  std::vector<Statement> statements;
  std::vector<Statement> refused;
};

// One scenario: its names carry `tag` so that many scenarios share one
// archive without meeting (their own charges and sources, byte order kept).
class Scenario {
 public:
  // `commits` processes run at increasing "now"s; definitions lead the first.
  Scenario(uint64_t seed, const std::string& tag, size_t commits);
  uint64_t seed() const { return seed_; }
  const std::vector<Commit>& commits() const { return commits_; }
  // Queries on the scenario's names, with `recorded as of` cutoffs near the
  // versions `model` stamped for it (call after the commits ran).
  std::vector<Query> Queries(const Model& model);
  // The recorded times of the scenario's versions in `model`, in order.
  std::vector<int64_t> Stamps(const Model& model) const;
  // A selector on the scenario's names; `text` gets it as docket reads it.
  Selector RandomSelector(std::string& text);

 private:
  Statement NewRecord();
  Statement Next(const Model& local);
  std::optional<Statement> Refused(const Model& local);
  // Adds modifiers to `q` (its text so far is the query without them);
  // `resolve` only to value queries without `by source`.
  void RandomModifiers(const Model& model, bool by_source_allowed, Query& q);

  uint64_t seed_;
  std::mt19937_64 rng_;
  std::vector<std::string> charges_, sources_;
  std::vector<Series> series_;
  std::vector<Period> periods_;
  std::vector<Commit> commits_;
};

// The statements of step `step` of every scenario, in order: one process's script.
std::vector<Statement> StepStatements(const std::vector<Scenario>& scenarios, size_t step);
// A writing script's docket text: the statements joined by `;` and newlines.
std::string ScriptText(const std::vector<Statement>& statements);

// Queries of the whole archive (`changes since`) near the versions of `model`.
std::vector<Query> ChangesQueries(uint64_t seed, const Model& model);

// The "now" of each commit of a run seeded with `seed` (microseconds): mostly
// increasing, sometimes the same or a minute back (stamps still increase).
std::vector<int64_t> Schedule(uint64_t seed, size_t commits);

}  // namespace docket::model
