// The benchmark workload (issue 5): a deterministic generator of docket's
// import CSV and of the definitions script the import needs.
//
// Shape: series × years × sources × revisions rows, one report version per
// row. Series are charges × label values (`citizenship`, `region`); each
// (cell, source) gets `revisions` rows: new reports on later dates, some
// corrections (a new version of the previous report), a few retractions,
// some `>=`/`<=`/`~` bounds, some month-only dates. The source reporting
// last in a cell rotates with the cell, and some rounds are same-day ties
// (decided by priority, then by name), so resolution has work to do.
// Rows are in publication order (reported day), the order docket stamps
// `recorded` in. Same shape and seed, same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace docket::bench {

// The fixed clock of every benchmark run (DOCKET_NOW): recorded times are
// kNow + the row's rank in microseconds.
inline constexpr const char* kNowText = "2026-01-01T00:00:00Z";
inline constexpr int64_t kNowMicros = 1767225600LL * 1000000;

struct Shape {
  uint64_t series = 1000;
  uint32_t years = 25;
  uint32_t sources = 4;
  uint32_t revisions = 10;
  uint64_t seed = 1;

  uint64_t reports() const { return series * years * sources * revisions; }
  int first_year() const { return 2024 - static_cast<int>(years); }
  int last_year() const { return 2023; }
};

// 10,000 series × 25 years × 4 sources × 10 revisions at 10M; fewer series
// for fewer reports (at least one). Accepts `20k`, `1M`, `10M` or a number.
bool ParseCount(const std::string& text, uint64_t* out);
Shape ShapeFor(uint64_t reports, uint64_t seed);

inline constexpr int kCharges = 4;
const char* ChargeName(int c);

struct SourceDef {
  std::string name;
  int priority;
};
std::vector<SourceDef> Sources(const Shape& shape);

// The series' charge index and labels; `CanonicalName` is docket's series
// text (`treason{citizenship="AB", region="Область 3"}`).
struct SeriesDef {
  int charge;
  std::string citizenship, region;
};
SeriesDef SeriesOf(const Shape& shape, uint64_t i);
std::string CanonicalName(const SeriesDef& s);
// Number of series of charge `c`.
uint64_t SeriesOfCharge(const Shape& shape, int c);

// The definitions script (`define charge …; define source … priority …;`).
std::string DefinitionsScript(const Shape& shape);

// Writes the CSV; false with a message on I/O failure.
bool WriteCsv(const Shape& shape, const std::string& path, std::string* error);

// Days since the epoch for a civil date.
int32_t Days(int y, int m, int d);
std::string DayText(int32_t day);  // YYYY-MM-DD

}  // namespace docket::bench
