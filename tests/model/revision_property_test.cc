// Property test of history, vintages and diff (spec §7.3-7.5, issue 11):
// on seeded random scenarios committed to the reference model and to a
// real archive, the real binary's
// - `vintages(S, START..END)` rows at each vintage equal the model's plain
//   query `S as of` that vintage's last day (less the empty rows);
// - `diff(S, as of A [recorded as of R], as of B)` lists exactly the cells
//   whose two plain queries differ, with both sides' figures;
// - last `history(S)` row per cell equals the model's plain query.
// DOCKET_MODEL_SEED and DOCKET_MODEL_SCENARIOS (here default 100) as in
// model_test.cc.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <random>

#include "tests/e2e/harness.h"
#include "tests/model/scenario.h"

namespace docket::model {
namespace {

using e2e::Docket;
using e2e::Outcome;
using Records = std::vector<std::vector<std::string>>;

constexpr size_t kScenariosPerArchive = 50;

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::stoull(text) : fallback;
}

// The records of csv text without its header.
Records Body(const std::string& csv) {
  Records r = e2e::ParseCsv(csv);
  if (!r.empty()) r.erase(r.begin());
  return r;
}

// Value-row fields: series 0, period 1, value 2, lo 3, hi 4, approx 5, source 6, reported 7.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> ByCell(const Records& rows) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (const auto& r : rows) out[{r[0], r[1]}] = r;
  return out;
}

// `value` as the csv prints it for the answer of one diff side.
std::vector<std::string> Side(const std::vector<std::string>* row) {
  if (!row) return {"", "", ""};
  return {(*row)[2], (*row)[6], (*row)[7]};
}

class Checker {
 public:
  Checker(const Model& model, const Docket& d) : model_(model), d_(d) {}

  // Runs `query`; "" when `expected` (csv records) is what docket printed.
  std::string Expect(const std::string& query, const Records& expected,
                     const std::function<Records(const Records&)>& project) const {
    const Outcome o = d_.Query(query);
    if (o.exit_code != 0 || !o.err.empty()) return query + "\n" + e2e::Describe(o);
    const Records got = project(Body(o.out));
    if (got == expected) return "";
    std::string text = query + "\n--- expected (model)\n";
    for (const auto& r : expected) text += fmt::format("{}\n", fmt::join(r, ","));
    text += "--- got (docket, projected)\n";
    for (const auto& r : got) text += fmt::format("{}\n", fmt::join(r, ","));
    return text + "--- docket printed\n" + o.out;
  }

  std::string Vintages(const Selector& sel, const std::string& text, int64_t first_day, int64_t days,
                       const Modifiers& m) const {
    Records expected;
    std::vector<std::string> vintages;
    for (int64_t day = first_day; day < first_day + days; ++day) {
      Modifiers at = m;
      at.as_of = day;
      for (auto& r : Body(model_.Values(sel, at))) {
        r.insert(r.begin() + 2, DayText(day));
        expected.push_back(r);
      }
    }
    // The model's rows are per vintage; docket's per cell, then vintage.
    std::stable_sort(expected.begin(), expected.end(), [&](const auto& a, const auto& b) {
      return CellIndex(sel, a) < CellIndex(sel, b);
    });
    const std::string query = fmt::format("vintages({}, {}..{}){}", text, DayText(first_day),
                                          DayText(first_day + days - 1), RecordedText(m));
    return Expect(query, expected, [](const Records& got) {
      Records kept;
      for (const auto& r : got)
        if (!r[3].empty()) kept.push_back(r);  // a vintage at which nothing was known
      return kept;
    });
  }

  std::string Diff(const Selector& sel, const std::string& text, const Modifiers& a, const Modifiers& b) const {
    const auto at_a = ByCell(Body(model_.Values(sel, a))), at_b = ByCell(Body(model_.Values(sel, b)));
    Records expected;
    for (const Cell& cell : model_.Cells(sel)) {
      const std::pair<std::string, std::string> key{cell.series.Text(), cell.period.Text()};
      const auto ia = at_a.find(key), ib = at_b.find(key);
      const std::vector<std::string>* ra = ia == at_a.end() ? nullptr : &ia->second;
      const std::vector<std::string>* rb = ib == at_b.end() ? nullptr : &ib->second;
      if ((!ra && !rb) || (ra && rb && *ra == *rb)) continue;
      const char* change = !ra ? "added"
                           : !rb ? "removed"
                           : std::vector<std::string>(ra->begin() + 3, ra->begin() + 6) !=
                                     std::vector<std::string>(rb->begin() + 3, rb->begin() + 6)
                               ? "revised"
                               : "restated";
      std::vector<std::string> row = {key.first, key.second, change};
      for (const auto& f : Side(ra)) row.push_back(f);
      for (const auto& f : Side(rb)) row.push_back(f);
      expected.push_back(row);
    }
    std::string side_a = fmt::format("as of {}", DayText(*a.as_of));
    if (a.recorded_as_of) side_a += " recorded as of " + TimestampText(*a.recorded_as_of);
    const std::string query = fmt::format("diff({}, {}, as of {})", text, side_a, DayText(*b.as_of));
    return Expect(query, expected, [](const Records& got) { return got; });
  }

  std::string History(const Selector& sel, const std::string& text, const Modifiers& m) const {
    const std::string query = fmt::format("history({}){}", text, RecordedText(m));
    return Expect(query, Body(model_.Values(sel, m)), [](const Records& got) {
      Records last;  // the last row of each cell, as a value row, unless empty
      for (size_t i = 0; i < got.size(); ++i) {
        const bool cell_ends = i + 1 == got.size() || got[i + 1][0] != got[i][0] || got[i + 1][1] != got[i][1];
        if (!cell_ends || got[i][4].empty()) continue;
        std::vector<std::string> row = got[i];
        row.erase(row.begin() + 2, row.begin() + 4);  // from, until
        last.push_back(row);
      }
      return last;
    });
  }

 private:
  size_t CellIndex(const Selector& sel, const std::vector<std::string>& row) const {
    const auto cells = model_.Cells(sel);
    for (size_t i = 0; i < cells.size(); ++i)
      if (cells[i].series.Text() == row[0] && cells[i].period.Text() == row[1]) return i;
    return cells.size();
  }
  static std::string RecordedText(const Modifiers& m) {
    return m.recorded_as_of ? " recorded as of " + TimestampText(*m.recorded_as_of) : "";
  }

  const Model& model_;
  const Docket& d_;
};

// Runs scenarios seed..seed+count-1 on one archive; failures found.
std::vector<std::string> RunArchive(uint64_t seed, size_t count) {
  const size_t steps = 1 + seed / kScenariosPerArchive % 3;
  const std::vector<int64_t> nows = Schedule(seed, steps);
  std::vector<Scenario> scenarios;
  for (size_t j = 0; j < count; ++j) scenarios.emplace_back(seed + j, std::to_string(j), steps);
  Model model;
  Docket d;
  for (size_t i = 0; i < steps; ++i) {
    const std::vector<Statement> script = StepStatements(scenarios, i);
    if (const auto failure = model.Run(script, nows[i])) return {"the model refuses its scenario: " + failure->message};
    d.env()["DOCKET_NOW"] = TimestampText(nows[i]);
    const Outcome o = d.Run({"-e", ScriptText(script)});
    if (o.exit_code != 0 || !o.err.empty()) return {"a commit failed: " + e2e::Describe(o)};
  }
  std::mt19937_64 rng(seed ^ 0x7e57);
  auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const Checker check(model, d);
  std::vector<std::string> failures;
  for (Scenario& s : scenarios) {
    std::string text;
    const Selector sel = s.RandomSelector(text);
    // Days near the ones the matched reports stand for; stamps near the versions'.
    std::vector<int64_t> days, stamps;
    for (const Version& v : model.versions()) {
      if (v.record.series.charge != sel.charge) continue;
      days.push_back(v.record.reported.day);
      stamps.push_back(v.recorded);
    }
    if (days.empty()) continue;
    auto near_day = [&] { return days[below(days.size())] + static_cast<int64_t>(below(3)) - 1; };
    Modifiers recorded;
    if (below(3) == 0) recorded.recorded_as_of = stamps[below(stamps.size())] + static_cast<int64_t>(below(3)) - 1;
    Modifiers a = recorded, b;
    a.as_of = near_day();
    b.as_of = near_day();
    for (std::string f : {check.Vintages(sel, text, near_day() - 1, 1 + static_cast<int64_t>(below(4)), recorded),
                          check.Diff(sel, text, a, b), check.History(sel, text, recorded)})
      if (!f.empty()) failures.push_back(fmt::format("seed {}: {}", s.seed(), f));
    if (failures.size() >= 3) break;
  }
  return failures;
}

TEST(RevisionPropertyTest, VintagesDiffAndHistoryAgreeWithPlainQueries) {
  const uint64_t first = EnvNumber("DOCKET_MODEL_SEED", 20251205);
  const uint64_t total = EnvNumber("DOCKET_MODEL_SCENARIOS", 100);
  std::vector<std::string> failures;
  for (uint64_t seed = first; seed < first + total && failures.size() < 3; seed += kScenariosPerArchive) {
    const auto found = RunArchive(seed, static_cast<size_t>(std::min<uint64_t>(kScenariosPerArchive, first + total - seed)));
    failures.insert(failures.end(), found.begin(), found.end());
  }
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace docket::model
