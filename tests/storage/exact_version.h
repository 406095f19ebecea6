// A version for the storage tests that write versions as stored: an exact
// count of `report`, recorded at `recorded`, with an optional note.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "storage/types.h"

namespace docket {

inline Version ExactVersion(const ReportKey& report, Micros recorded, uint64_t count, std::string note = "") {
  Version v;
  v.report = report;
  v.recorded = recorded;
  v.figure = Figure{Bound::kExact, count};
  v.note = std::move(note);
  return v;
}

}  // namespace docket
