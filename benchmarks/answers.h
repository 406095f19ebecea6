// Answers in one canonical text form, one line per result row, so that the
// three ways (docket, SQLite, raw RocksDB) can be compared exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace docket::bench {

using Lines = std::vector<std::string>;

// What an import of the peers reports.
struct ImportStats {
  uint64_t rows = 0;
};

// The resolved figure of a cell: the winning source's newest report.
struct Winner {
  bool has = false;
  std::string source;
  int32_t day = 0, prec = 2;  // reported: effective day, precision
  int bound = 0;              // PeerBound
  uint64_t value = 0;
};

// `series|period|value|source|reported`
std::string ValueLine(const std::string& series, int32_t period, const Winner& w);

// `series|period|vintage|value|source|reported`; a vintage at which nothing
// was known (no winner) has empty value, source and reported.
std::string VintageLine(const std::string& series, int32_t period, const std::string& vintage, const Winner& w);

// `series|period|change|value_a|source_a|reported_a|value_b|source_b|reported_b`
// for a cell whose winners at cutoffs A and B differ (spec §7.5).
std::string DiffLine(const std::string& series, int32_t period, const std::string& change, const Winner& a,
                     const Winner& b);

// `series|from|to|from_value|to_value|lo|hi|approx|source`: growth = to / from
// in interval arithmetic (spec §3), computed here for the peers.
std::string GrowthLine(const std::string& series, int32_t from, int32_t to, const Winner& f,
                       const Winner& t);

// `period|lo|hi|approx|sources|reported` for an aggregate row.
std::string SumLine(int32_t period, double lo, double hi, bool approx, std::vector<std::string> sources,
                    int32_t day, int32_t prec);

// `series|period|source|reported|recorded|value|status|note`
std::string RevisionLine(const std::string& series, int32_t period, const std::string& source,
                         int32_t day, int32_t prec, int64_t recorded, int bound, uint64_t value,
                         const std::string& status, const std::string& note);

// A number as the lines show it: `%.10g`, empty for an infinite or missing bound.
std::string Num(double v);
// `YYYY-MM-DDThh:mm:ss.ffffffZ`
std::string FormatMicros(int64_t t);

// Figure → [lo, hi]; `>=` has hi = +inf, `<=` has lo = 0.
void FigureSpan(int bound, uint64_t value, double* lo, double* hi);

// A short description of the first difference, or empty when equal.
std::string Diff(const Lines& a, const Lines& b);

}  // namespace docket::bench
