// Archive::ScanCurrentReports against resolution: for random cells, at
// random cutoffs and source filters, each source's figure (SourceFigures)
// and every rule's resolution from the current reports alone are those
// from every version of the cell, in a writer's batch and once committed.

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "query/resolve.h"
#include "storage/archive.h"
#include "tests/temp_dir.h"

namespace docket {
namespace {

std::string Describe(const std::vector<SourceFigure>& figures) {
  std::string out;
  for (const auto& f : figures)
    out += fmt::format("{} {} {} {}{};", f.source, f.reported, f.recorded, BoundSymbol(f.figure.bound),
                       f.figure.count);
  return out;
}

std::string Describe(const std::optional<Resolution>& r) {
  if (!r) return "none";
  return fmt::format("{} {} {} [{}]", r->value ? DisplayValue(*r->value) + " " + ShowLo(*r->value) + " " + ShowHi(*r->value) : "empty", r->source, r->reported,
                     r->disagreement);
}

// Random reports on two cells of one series, from three sources: dates
// full and partial (several on one effective day), corrections,
// retractions, and reports with many versions.
void Fill(Archive& a, std::mt19937_64& rng) {
  const char* const kDates[] = {"2025-03", "2025-03-31", "2025-04-02", "2025-04", "2025-04-30",
                                "2025-05-15", "2025", "2025-12", "2025-12-31"};
  const char* const kSources[] = {"A", "B", "C"};
  const Period kPeriods[] = {Period(2024, Grain::kYear, 1), Period(2024, Grain::kHalf, 2)};
  auto pick = [&](auto& options) { return options[rng() % std::size(options)]; };
  for (int i = 0, n = 5 + static_cast<int>(rng() % 40); i < n; ++i) {
    RecordRequest r{{"x", {}}, pick(kPeriods), pick(kSources), *Date::Parse(pick(kDates)), std::nullopt, "",
                    "", 0};
    const unsigned bound = rng() % 4;
    if (rng() % 6 != 0)
      r.figure = Figure{bound == 0 ? Bound::kAtLeast : bound == 1 ? Bound::kApprox : Bound::kExact, rng() % 30};
    // A retraction without an earlier report is refused: nothing written.
    (void)a.Record(r);
  }
}

class CurrentReportsTest : public ::testing::Test {
 protected:
  // Source filters, cutoffs and rules checked on every cell of `a`.
  void ExpectSameResolution(Archive& a) {
    auto id = a.FindSeries({"x", {}});
    ASSERT_TRUE(id.ok());
    if (!*id) return;
    std::vector<Version> all, current;
    ASSERT_TRUE(a.ScanSeries(**id, &all).ok());
    std::vector<std::optional<int32_t>> days = {std::nullopt};
    std::vector<std::optional<Micros>> times = {std::nullopt, 0};
    for (const Version& v : all) {
      days.push_back(v.report.reported.last_day());
      days.push_back(v.report.reported.last_day() - 1);
      times.push_back(v.recorded);
      times.push_back(v.recorded - 1);
    }
    std::vector<SourceFilter> filters = {std::nullopt, std::vector<SourceId>{a.FindSource("B")->id},
                                         std::vector<SourceId>{a.FindSource("A")->id, a.FindSource("C")->id}};
    // Each day and time cutoff, in 60 random pairs.
    std::mt19937_64 rng(all.size());
    for (int pair = 0; pair < 60; ++pair) {
      const auto& day = days[rng() % days.size()];
      const auto& time = times[rng() % times.size()];
      const Cutoffs at{day, time};
      const std::optional<Period> kWhole, kOne(Period(2024, Grain::kYear, 1));
      for (const std::optional<Period>& one : {kWhole, kOne}) {
        std::vector<Version> every;
        if (one)
          ASSERT_TRUE(a.ScanCell(**id, *one, &every).ok());
        else
          every = all;
        ASSERT_TRUE(a.ScanCurrentReports(**id, one, at, &current).ok());
        const auto every_cells = SplitCells(every), current_cells = SplitCells(current);
        for (const CellSpan& cell : every_cells) {
          std::span<const Version> mine;
          for (const CellSpan& c : current_cells)
            if (c.period == cell.period) mine = c.versions;
          for (const auto& filter : filters) {
            SCOPED_TRACE(fmt::format("{} as of {} recorded as of {}", cell.period, day ? *day : -1,
                                     time ? *time : -1));
            ASSERT_EQ(Describe(SourceFigures(mine, at, filter)), Describe(SourceFigures(cell.versions, at, filter)));
            for (ResolveRule rule : {ResolveRule::kLatest, ResolveRule::kPriority, ResolveRule::kConsensus})
              ASSERT_EQ(Describe(ResolveCell(mine, at, filter, rule, a)),
                        Describe(ResolveCell(cell.versions, at, filter, rule, a)));
            ++checks_;
          }
        }
      }
    }
  }
  size_t checks_ = 0;
};

TEST_F(CurrentReportsTest, ResolvingTheCurrentReportsGivesWhatEveryVersionGives) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    TempDir dir;
    OpenOptions o;
    o.mode = OpenOptions::Mode::kWrite;
    auto a = Archive::Open(dir.File("archive"), o);
    ASSERT_TRUE(a.ok()) << a.status().message();
    ASSERT_TRUE((*a)->DefineCharge({"x", std::nullopt, std::nullopt}).ok());
    ASSERT_TRUE((*a)->DefineSource({"A", std::nullopt, std::nullopt, 1}).ok());
    ASSERT_TRUE((*a)->DefineSource({"B", std::nullopt, std::nullopt, std::nullopt}).ok());
    ASSERT_TRUE((*a)->DefineSource({"C", std::nullopt, std::nullopt, 1}).ok());
    Fill(**a, rng);
    ExpectSameResolution(**a);
    ASSERT_TRUE((*a)->Commit().ok());
    // Committed, and more written over it in a new batch.
    Fill(**a, rng);
    ExpectSameResolution(**a);
    ASSERT_TRUE((*a)->Commit().ok());
    a->reset();
    o.mode = OpenOptions::Mode::kRead;
    auto r = Archive::Open(dir.File("archive"), o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ExpectSameResolution(**r);
  }
  EXPECT_GT(checks_, 5000u);  // the cells were not empty
}

}  // namespace
}  // namespace docket
