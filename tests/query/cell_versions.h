// Test helpers for query's tests: a scratch archive, and one cell's
// versions as a scenario states them, in the archive's key order (source, reported by effective day then
// as written, newest version first), as ScanCell returns them.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "storage/archive.h"
#include "storage/types.h"
#include "tests/temp_dir.h"

namespace docket::testing_cells {

// One version as a scenario states it.
struct V {
  SourceId source;
  const char* reported;
  Micros recorded;
  std::optional<Figure> figure;  // nullopt: a retraction
};

inline std::optional<Figure> Eq(uint64_t n) { return Figure{Bound::kExact, n}; }
inline std::optional<Figure> AtLeast(uint64_t n) { return Figure{Bound::kAtLeast, n}; }
inline std::optional<Figure> About(uint64_t n) { return Figure{Bound::kApprox, n}; }
inline const std::optional<Figure> kRetraction = std::nullopt;

inline Date D(const char* text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date());
}

inline int32_t Day(const char* text) { return D(text).last_day(); }

// The versions of one cell (series 1, period 2024) in archive key order.
inline std::vector<Version> Cell(const std::vector<V>& vs) {
  std::vector<Version> out;
  for (const V& v : vs) {
    Version version;
    version.report = ReportKey{1, Period(2024, Grain::kYear, 1), v.source, D(v.reported)};
    version.recorded = v.recorded;
    version.figure = v.figure;
    out.push_back(version);
  }
  std::sort(out.begin(), out.end(), [](const Version& a, const Version& b) {
    return std::make_tuple(a.report.source, a.report.reported, -a.recorded) <
           std::make_tuple(b.report.source, b.report.reported, -b.recorded);
  });
  return out;
}

// A new archive in `dir`, open for writing (definitions are visible
// before commit); null, with a test failure, if it cannot be opened.
inline std::unique_ptr<Archive> WritableArchive(const TempDir& dir) {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kWrite;
  auto a = Archive::Open(dir.File("archive"), o);
  EXPECT_TRUE(a.ok()) << a.status().message();
  return a.ok() ? std::move(a).value() : nullptr;
}

}  // namespace docket::testing_cells
