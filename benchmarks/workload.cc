#include "benchmarks/workload.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace docket::bench {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Hash(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0, uint64_t d = 0,
              uint64_t e = 0) {
  uint64_t h = Mix(seed);
  for (uint64_t v : {a, b, c, d, e}) h = Mix(h ^ v);
  return h;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t yy = static_cast<int32_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

int32_t LastDayOfMonth(int32_t day) {
  int y, m, d;
  CivilFromDays(day, &y, &m, &d);
  return (m == 12 ? Days(y + 1, 1, 1) : Days(y, m + 1, 1)) - 1;
}

enum class Kind : uint8_t { kNew, kCorrection, kRetraction };
enum class BoundKind : uint8_t { kExact, kAtLeast, kAtMost, kApprox };

// One row of a (cell, source): its report (day as written and precision),
// what it is, its figure and note.
struct Row {
  Kind kind = Kind::kNew;
  int32_t day = 0;      // the date as written (a month-only date: any day of the month)
  bool month = false;   // written as YYYY-MM
  int32_t effective = 0;
  BoundKind bound = BoundKind::kExact;
  uint64_t value = 0;
  uint8_t note = 0;     // 0 none, 1 plain, 2 quoted, 3 "corrected"
};

constexpr uint32_t kMaxRevisions = 64;
constexpr int32_t kRevisionSpacing = 40;  // days: two revisions never share a month

// Every row of series i, year index y, source p, in revision order.
void Chain(const Shape& s, uint64_t i, uint32_t y, uint32_t p, Row* rows) {
  const int year = s.first_year() + static_cast<int>(y);
  const int32_t base_day = Days(year + 1, 1, 10);
  const uint64_t base = 1 + Hash(s.seed, i, y, 4) % 300;
  const int64_t src_delta = static_cast<int64_t>(Hash(s.seed, i, y, p, 5) % 21) - 10;
  const uint64_t step = Hash(s.seed, i, y, p, 6) % 3;
  for (uint32_t r = 0; r < s.revisions; ++r) {
    Row& row = rows[r];
    row = Row();
    const uint64_t h = Hash(s.seed, i, y, p, r + 1000 * 1) % 100;
    if (r > 0 && h < 10 && rows[r - 1].kind == Kind::kNew) {
      row.kind = Kind::kCorrection;
    } else if (r > 0 && h == 10) {
      row.kind = Kind::kRetraction;
    }
    if (row.kind == Kind::kCorrection) {
      row.day = rows[r - 1].day;
      row.month = rows[r - 1].month;
      row.effective = rows[r - 1].effective;
      row.value = rows[r - 1].value + 1 + Hash(s.seed, i, y, p, r + 1000 * 9) % 3;
      row.note = 3;
    } else {
      // Same-day rounds: JudicialDept first, the others a day later and
      // tied (priority, then name decides); otherwise the last reporter
      // rotates with the cell.
      const bool tie = Hash(s.seed, i, y, r, 2) % 10 == 0;
      const int32_t offset = tie ? (p == 0 ? 0 : 1)
                                 : static_cast<int32_t>((p + i + y) % s.sources) * 2;
      row.day = base_day + static_cast<int32_t>(r) * kRevisionSpacing + offset;
      row.month = Hash(s.seed, i, y, p, r + 1000 * 3) % 10 == 0;
      row.effective = row.month ? LastDayOfMonth(row.day) : row.day;
      const int64_t v = static_cast<int64_t>(base) + src_delta + static_cast<int64_t>(r * step);
      row.value = static_cast<uint64_t>(std::max<int64_t>(1, v));
      const uint64_t n = Hash(s.seed, i, y, p, r + 1000 * 8) % 100;
      row.note = n < 3 ? 1 : n == 3 ? 2 : 0;
    }
    const uint64_t b = Hash(s.seed, i, y, p, r + 1000 * 7) % 100;
    row.bound = b < 8 ? BoundKind::kAtLeast : b < 11 ? BoundKind::kApprox
                : b < 13 ? BoundKind::kAtMost : BoundKind::kExact;
  }
}

// Rows are sorted by (effective day, revision, series, year, source),
// packed in 64 bits: day since 1990 (16), revision (8), series (24), year (8), source (8).
constexpr int32_t kEpoch1990 = 7305;

uint64_t PackOrder(int32_t effective, uint32_t r, uint64_t i, uint32_t y, uint32_t p) {
  return (static_cast<uint64_t>(effective - kEpoch1990) << 48) | (uint64_t{r} << 40) | (i << 16) |
         (uint64_t{y} << 8) | p;
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  out->append(buf, static_cast<size_t>(n));
}

}  // namespace

int32_t Days(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 +
                       static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

std::string DayText(int32_t day) {
  int y, m, d;
  CivilFromDays(day, &y, &m, &d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool ParseCount(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t mult = 1;
  std::string digits = text;
  const char last = text.back();
  if (last == 'k' || last == 'K') mult = 1000;
  if (last == 'm' || last == 'M') mult = 1000000;
  if (mult != 1) digits.pop_back();
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = std::stoull(digits) * mult;
  return *out > 0;
}

Shape ShapeFor(uint64_t reports, uint64_t seed) {
  Shape s;
  s.seed = seed;
  const uint64_t per_series = uint64_t{s.years} * s.sources * s.revisions;
  s.series = std::max<uint64_t>(1, (reports + per_series / 2) / per_series);
  return s;
}

const char* ChargeName(int c) {
  static const char* const kNames[kCharges] = {"treason", "espionage", "confidential_cooperation",
                                               "state_secrets"};
  return kNames[c];
}

std::vector<SourceDef> Sources(const Shape& shape) {
  // Two sources share a priority so that the name decides some ties.
  std::vector<SourceDef> out = {{"JudicialDept", 20}, {"IStories", 10}, {"RTVI", 10}, {"Mediazona", 0}};
  out.resize(std::min<size_t>(out.size(), shape.sources));
  for (uint32_t p = static_cast<uint32_t>(out.size()); p < shape.sources; ++p)
    out.push_back({"Source" + std::to_string(p), 0});
  return out;
}

SeriesDef SeriesOf(const Shape&, uint64_t i) {
  SeriesDef s;
  s.charge = static_cast<int>(i % kCharges);
  const uint64_t j = i / kCharges;
  const uint64_t k = j % 50;
  s.citizenship = std::string{static_cast<char>('A' + k / 26), static_cast<char>('A' + k % 26)};
  s.region = "Область " + std::to_string(j / 50 + 1);
  return s;
}

std::string CanonicalName(const SeriesDef& s) {
  return std::string(ChargeName(s.charge)) + "{citizenship=\"" + s.citizenship + "\", region=\"" +
         s.region + "\"}";
}

uint64_t SeriesOfCharge(const Shape& shape, int c) {
  return shape.series > static_cast<uint64_t>(c) ? (shape.series - static_cast<uint64_t>(c) + kCharges - 1) / kCharges : 0;
}

std::string DefinitionsScript(const Shape& shape) {
  static const char* const kTitles[kCharges][2] = {{"High treason", "275"},
                                                   {"Espionage", "276"},
                                                   {"Confidential cooperation", "275.1"},
                                                   {"State secrets", "283, 283.1, 284"}};
  std::string out;
  for (int c = 0; c < kCharges; ++c)
    out += std::string("define charge ") + ChargeName(c) + " title \"" + kTitles[c][0] +
           "\" article \"" + kTitles[c][1] + "\";\n";
  for (const auto& src : Sources(shape))
    out += "define source " + src.name + " priority " + std::to_string(src.priority) + ";\n";
  return out;
}

bool WriteCsv(const Shape& s, const std::string& path, std::string* error) {
  if (s.revisions > kMaxRevisions || s.sources > 255 || s.years > 255 || s.series >= (1u << 24)) {
    *error = "shape out of range (revisions <= 64, sources/years <= 255, series < 2^24)";
    return false;
  }
  // Publication order.
  std::vector<uint64_t> order;
  order.reserve(s.reports());
  Row rows[kMaxRevisions];
  for (uint64_t i = 0; i < s.series; ++i)
    for (uint32_t y = 0; y < s.years; ++y)
      for (uint32_t p = 0; p < s.sources; ++p) {
        Chain(s, i, y, p, rows);
        for (uint32_t r = 0; r < s.revisions; ++r) order.push_back(PackOrder(rows[r].effective, r, i, y, p));
      }
  std::sort(order.begin(), order.end());

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) {
    *error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  const auto sources = Sources(s);
  std::vector<std::string> series_cols(s.series);  // "citizenship,region"
  for (uint64_t i = 0; i < s.series; ++i) {
    const SeriesDef def = SeriesOf(s, i);
    series_cols[i] = def.citizenship + "," + def.region;
  }
  std::string buf = "charge,period,value,source,reported,note,citizenship,region\n";
  for (uint64_t key : order) {
    const uint32_t p = static_cast<uint32_t>(key & 0xff);
    const uint32_t y = static_cast<uint32_t>((key >> 8) & 0xff);
    const uint64_t i = (key >> 16) & 0xffffff;
    const uint32_t r = static_cast<uint32_t>((key >> 40) & 0xff);
    Chain(s, i, y, p, rows);
    const Row& row = rows[r];
    buf += ChargeName(static_cast<int>(i % kCharges));
    buf += ',';
    AppendUint(&buf, static_cast<uint64_t>(s.first_year()) + y);
    buf += ',';
    if (row.kind == Kind::kRetraction) {
      buf += "retracted";
    } else {
      static const char* const kPrefix[] = {"", ">=", "<=", "~"};
      buf += kPrefix[static_cast<int>(row.bound)];
      AppendUint(&buf, row.value);
    }
    buf += ',';
    buf += sources[p].name;
    buf += ',';
    const std::string date = DayText(row.day);
    buf.append(date, 0, row.month ? 7 : 10);
    buf += ',';
    static const char* const kNotes[] = {"", "court data", "\"analysis, \"\"court\"\" data\"",
                                         "corrected"};
    buf += kNotes[row.note];
    buf += ',';
    buf += series_cols[i];
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      if (std::fwrite(buf.data(), 1, buf.size(), f.get()) != buf.size()) break;
      buf.clear();
    }
  }
  if (std::fwrite(buf.data(), 1, buf.size(), f.get()) != buf.size() || std::fflush(f.get()) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace docket::bench
