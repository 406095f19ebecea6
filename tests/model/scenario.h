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

// A query and how the model answers it.
struct Query {
  enum class Kind { kValues, kRevisions, kChanges };
  Kind kind = Kind::kValues;
  Selector selector;
  Modifiers modifiers;
  int64_t since = 0;  // kChanges: the first instant included
  std::string text;   // as docket reads it
  std::string Expected(const Model& model) const { return kind == Kind::kValues     ? model.Values(selector, modifiers)
                                                          : kind == Kind::kRevisions ? model.Revisions(selector, modifiers)
                                                                                     : model.ChangesSince(since); }
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

 private:
  Statement NewRecord();
  std::optional<Statement> Next(const Model& local);
  std::optional<Statement> Refused(const Model& local);
  Selector RandomSelector(std::string& text);
  Modifiers RandomModifiers(const Model& model, bool by_source_allowed, std::string& text);
  bool Mine(const Version& v) const;

  uint64_t seed_;
  std::mt19937_64 rng_;
  std::vector<std::string> charges_, sources_;
  std::vector<Series> series_;
  std::vector<Period> periods_;
  std::vector<Commit> commits_;
};

// Queries of the whole archive (`changes since`) near the versions of `model`.
std::vector<Query> ChangesQueries(uint64_t seed, const Model& model);

// The "now" of each commit of a run seeded with `seed` (microseconds): mostly
// increasing, sometimes the same or a minute back (stamps still increase).
std::vector<int64_t> Schedule(uint64_t seed, size_t commits);

}  // namespace docket::model
