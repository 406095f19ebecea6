// The reference model against the real binary: thousands of seeded random
// scenarios applied to the model and to a real archive, every query's csv
// compared byte for byte. Scenarios run 50 to an archive (their names do
// not meet), so one docket process commits a step of 50 scenarios and one
// answers all their queries; two archives run at a time. Scripts the model
// refuses (a retraction with no report dated on or before it) must fail
// with 65 and its message, and `changes since` the first day then shows
// that they wrote nothing.
//
// DOCKET_MODEL_SCENARIOS=N runs N scenarios (default 2000, about a minute
// on two cores; a long run such as `scripts/test --long` sets more), and
// DOCKET_MODEL_SEED=S starts at seed S (default fixed, so the normal run is
// reproducible). A disagreement prints the seed, the scenario as docket
// commands, the query, the model's and docket's output, shrunk to the
// fewest statements that still disagree.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "tests/e2e/harness.h"
#include "tests/model/scenario.h"

namespace docket::model {
namespace {

using e2e::Docket;
using e2e::Outcome;

constexpr size_t kScenariosPerArchive = 50;

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::stoull(text) : fallback;
}

// Archives on tmpfs when there is one: the commits' fsyncs then cost
// nothing, the archives are real RocksDB archives all the same.
void PreferTmpfs() {
  struct stat st;
  if (!std::getenv("TMPDIR") && ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)) ::setenv("TMPDIR", "/dev/shm", 0);
}

Outcome Write(Docket& d, int64_t now, const std::vector<Statement>& statements) {
  d.env()["DOCKET_NOW"] = TimestampText(now);
  return d.Run({"-e", ScriptText(statements)});
}

std::string ShellQuoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A scenario alone, replayable: its commits and one query.
struct Case {
  std::vector<int64_t> nows;
  std::vector<std::vector<Statement>> commits;
  Query query;

  // The writing commands (the query follows in its Disagreement).
  std::string Commands() const {
    std::string text;
    for (size_t i = 0; i < commits.size(); ++i)
      text += fmt::format("DOCKET_NOW={} docket --db D -e {}\n", TimestampText(nows[i]), ShellQuoted(ScriptText(commits[i])));
    return text;
  }
};

// The query as it ran, what the model expects and what docket printed,
// when they differ.
struct Disagreement {
  std::string query, expected;
  Outcome got;
};

std::string Describe(const Disagreement& d) {
  return "docket --db D --format csv -e " + ShellQuoted(d.query) + "\n--- expected (model)\n" + d.expected +
         "--- got (docket)\n" + e2e::Describe(d.got);
}

bool Agrees(const std::string& expected, const std::string& expected_err, const Outcome& got) {
  return got.exit_code == 0 && got.err == expected_err && got.out == expected;
}

// Replays `c` on a fresh archive; nullopt when the model and docket agree
// on the query, or when the model or docket refuses one of the commits
// (a shrinking step went too far: not the case being reported).
std::optional<Disagreement> Replay(const Case& c) {
  Model model;
  Docket d;
  for (size_t i = 0; i < c.commits.size(); ++i) {
    if (model.Run(c.commits[i], c.nows[i])) return std::nullopt;
    const Outcome o = Write(d, c.nows[i], c.commits[i]);
    if (o.exit_code != 0 || !o.err.empty()) return std::nullopt;
  }
  Query query = c.query;
  std::vector<int64_t> stamps;  // every version is the scenario's
  for (const Version& v : model.versions()) stamps.push_back(v.recorded);
  query.Anchor(stamps);
  const std::string expected = query.Expected(model);
  const Outcome got = d.Query(query.text);
  if (Agrees(expected, query.ExpectedErr(model), got)) return std::nullopt;
  return Disagreement{query.text, expected, got};
}

// May the shrinker drop statement k of commit i? Records and retractions
// yes; a definition only when it changes a priority defined before or
// defines a name that no statement uses any more.
bool Droppable(const Case& c, size_t i, size_t k) {
  const Statement& s = c.commits[i][k];
  if (!s.define) return true;
  bool earlier = false, used = false;
  for (size_t ci = 0; ci < c.commits.size(); ++ci)
    for (size_t ck = 0; ck < c.commits[ci].size(); ++ck) {
      const Statement& t = c.commits[ci][ck];
      if (t.define) {
        earlier |= std::make_pair(ci, ck) < std::make_pair(i, k) && t.define->name == s.define->name;
      } else {
        used |= t.record.source == s.define->name || t.record.series.charge == s.define->name;
      }
    }
  return earlier || !used;
}

// Drops statements while the case still disagrees.
Case Shrink(Case c) {
  for (bool smaller = true; smaller;) {
    smaller = false;
    for (size_t i = 0; i < c.commits.size(); ++i) {
      for (size_t k = c.commits[i].size(); k-- > 0;) {
        if (!Droppable(c, i, k)) continue;
        Case candidate = c;
        candidate.commits[i].erase(candidate.commits[i].begin() + static_cast<long>(k));
        if (candidate.commits[i].empty()) {
          candidate.commits.erase(candidate.commits.begin() + static_cast<long>(i));
          candidate.nows.erase(candidate.nows.begin() + static_cast<long>(i));
        }
        if (Replay(candidate)) {
          c = candidate;
          smaller = true;
          break;
        }
      }
      if (smaller) break;
    }
  }
  return c;
}

struct Totals {
  size_t scenarios = 0, queries = 0, rows = 0, refusals = 0, processes = 0;
};

// Runs scenarios seed..seed+count-1 on one archive; "" or a report.
std::string RunArchive(uint64_t seed, size_t count, Totals& totals) {
  const size_t steps = 1 + seed / kScenariosPerArchive % 4;
  const std::vector<int64_t> nows = Schedule(seed, steps);
  std::vector<Scenario> scenarios;
  for (size_t j = 0; j < count; ++j) scenarios.emplace_back(seed + j, std::to_string(j), steps);
  const std::string rerun = fmt::format("DOCKET_MODEL_SEED={} DOCKET_MODEL_SCENARIOS={}", seed, count);

  Model model;
  Docket d;
  for (size_t i = 0; i < steps; ++i) {
    const std::vector<Statement> script = StepStatements(scenarios, i);
    if (const auto failure = model.Run(script, nows[i]))
      return fmt::format("{}: the model refuses its own scenario: {}", rerun, failure->message);
    const Outcome o = Write(d, nows[i], script);
    ++totals.processes;
    if (o.exit_code != 0 || !o.err.empty())
      return fmt::format("{}: commit {} failed:\n{}", rerun, i + 1, e2e::Describe(o));
    for (const Scenario& s : scenarios) {
      const std::vector<Statement>& refused = s.commits()[i].refused;
      if (refused.empty()) continue;
      Model tried = model;
      const auto failure = tried.Run(refused, nows[i]);
      // The error points at the failed statement's start: its physical line, column 1.
      std::vector<Statement> head(refused.begin(), refused.begin() + static_cast<long>(failure->statement));
      const std::string text = ScriptText(refused), before = head.empty() ? "" : ScriptText(head) + ";\n";
      const size_t end = text.find('\n', before.size());
      const std::string expected =
          fmt::format("docket: -e:{}:1: {}\n{}\n^\n", 1 + std::count(before.begin(), before.end(), '\n'),
                      failure->message, text.substr(before.size(), end == std::string::npos ? end : end - before.size()));
      // That nothing was written shows in the queries: `changes since` the
      // first day lists every version the archive holds.
      const Outcome r = Write(d, nows[i], refused);
      ++totals.processes;
      ++totals.refusals;
      if (r.exit_code != 65 || r.err != expected || !r.out.empty())
        return fmt::format("{} (seed {}): a refused script\nDOCKET_NOW={} docket --db D -e {}\n--- expected: exit 65, "
                           "stderr\n{}--- got\n{}",
                           rerun, s.seed(), TimestampText(nows[i]), ShellQuoted(ScriptText(refused)), expected,
                           e2e::Describe(r));
    }
  }

  std::vector<std::pair<size_t, Query>> queries;  // scenario index (count: the whole archive), query
  for (size_t j = 0; j < count; ++j)
    for (Query& q : scenarios[j].Queries(model)) queries.emplace_back(j, std::move(q));
  for (Query& q : ChangesQueries(seed, model)) queries.emplace_back(count, std::move(q));
  std::string script, expected, expected_err;
  for (const auto& [j, q] : queries) {
    const std::string answer = q.Expected(model);
    expected_err += q.ExpectedErr(model);
    script += (script.empty() ? "" : ";\n") + q.text;
    expected += (expected.empty() ? "" : "\n") + answer;
    totals.rows += e2e::ParseCsv(answer).size() - 1;  // after the header
  }
  const Outcome all = d.Query(script);
  ++totals.processes;
  totals.scenarios += count;
  totals.queries += queries.size();
  if (Agrees(expected, expected_err, all)) return "";

  // Find the first query that disagrees on its own, then replay its
  // scenario alone and shrink it.
  for (const auto& [j, q] : queries) {
    const std::string want = q.Expected(model);
    const Outcome got = d.Query(q.text);
    if (Agrees(want, q.ExpectedErr(model), got)) continue;
    const std::string in_archive = fmt::format("{}: in that run's archive\n{}", rerun, Describe({q.text, want, got}));
    if (j == count) return in_archive;
    Case c{nows, {}, q};
    for (const Commit& commit : scenarios[j].commits()) c.commits.push_back(commit.statements);
    if (!Replay(c)) return in_archive + "(scenario seed " + std::to_string(scenarios[j].seed()) + " alone agrees)\n";
    c = Shrink(c);
    return fmt::format("seed {} ({}), shrunk:\n{}{}", scenarios[j].seed(), rerun, c.Commands(), Describe(*Replay(c)));
  }
  return fmt::format("{}: the batched queries disagree, each alone agrees\n{}", rerun, Describe({script, expected, all}));
}

TEST(ModelTest, RandomScenariosAgreeWithTheArchive) {
  PreferTmpfs();
  const uint64_t first = EnvNumber("DOCKET_MODEL_SEED", 20251101);
  const uint64_t total = EnvNumber("DOCKET_MODEL_SCENARIOS", 2000);
  const auto start = std::chrono::steady_clock::now();
  Totals totals;
  std::vector<std::string> failures;
  std::mutex mutex;
  uint64_t next = first;
  const auto worker = [&] {
    for (;;) {
      uint64_t seed;
      size_t count;
      {
        const std::lock_guard lock(mutex);
        if (next >= first + total || failures.size() >= 3) return;
        seed = next;
        count = static_cast<size_t>(std::min<uint64_t>(kScenariosPerArchive, first + total - next));
        next += count;
      }
      Totals mine;
      std::string failure = RunArchive(seed, count, mine);
      const std::lock_guard lock(mutex);
      totals.scenarios += mine.scenarios;
      totals.queries += mine.queries;
      totals.rows += mine.rows;
      totals.refusals += mine.refusals;
      totals.processes += mine.processes;
      if (!failure.empty()) failures.push_back(std::move(failure));
    }
  };
  std::thread helper(worker);  // two cores: two archives at a time
  worker();
  helper.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("model: %zu scenarios, %zu queries (%zu rows), %zu refused scripts compared in %.1f s (%zu docket processes)\n",
              totals.scenarios, totals.queries, totals.rows, totals.refusals, seconds, totals.processes);
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

TEST(ModelTest, AShrunkDisagreementKeepsOnlyTheStatementsItNeeds) {
  PreferTmpfs();
  const int64_t now = DayNumber(2025, 11, 1) * kMicrosPerDay;
  const auto put = [](int year, uint64_t value) {
    return Statement{{}, Record{Series{"x", {}}, Period{year, Period::Kind::kYear, 1}, "A",
                                Reported{"2025-04", DayNumber(2025, 4, 30)}, Figure{Bound::kEqual, value}, "", ""}};
  };
  Case c;
  c.nows = {now, now + kMicrosPerDay};
  c.commits = {{{Define{false, "x", {}}, {}}, {Define{true, "A", {}}, {}}, {Define{true, "B", 3}, {}}, put(2021, 1),
                put(2024, 2)},
               {put(2022, 3), put(2024, 4)}};
  // The model is asked for 2023 and docket for 2024: they disagree exactly
  // while 2024 has a figure.
  const Period p2023{2023, Period::Kind::kYear, 1};
  c.query.selector = Selector{"x", {}, p2023, p2023};
  c.query.text = "x[2024]";
  ASSERT_TRUE(Replay(c));
  const Case shrunk = Shrink(c);
  ASSERT_EQ(shrunk.commits.size(), 2u);
  EXPECT_EQ(ScriptText(shrunk.commits[0]), "define charge x;\ndefine source A");
  EXPECT_EQ(ScriptText(shrunk.commits[1]), "record x[2024] = 4 from A on 2025-04");
}

}  // namespace
}  // namespace docket::model
