// The rules that decide what a write does to the archive's versions
// (spec §1), in one place for Archive::Record and the BulkLoader: whether a
// version is new, a correction or unchanged; when a retraction may be
// written; the recorded time a new version gets; the id a new series gets.
#pragma once

#include <optional>
#include <string_view>

#include "storage/status.h"
#include "storage/types.h"

namespace docket::version_rules {

// What writing `incoming` does to its report: kNew when the report has no
// version yet (`newest` null), kUnchanged when `incoming` has the content of
// the report's newest version, else kCorrection.
WriteOutcome Decide(const Version* newest, const Version& incoming);

// A retraction needs a report of the same source for the cell dated on or
// before it. `earliest_day`: the effective day of that source's earliest
// report for the cell written before this one (stored, or earlier in the
// same import); nullopt when there is none. kInput naming the retraction
// otherwise.
Status CheckRetraction(std::optional<int32_t> earliest_day, const SeriesKey& series,
                       const Period& period, std::string_view source, const Date& reported);

// The first recorded time at or after year 10000, which no version may get.
inline constexpr Micros kRecordedLimit = Micros{2'932'897} * kMicrosPerDay;  // 10000-01-01

// The recorded time of the first of `count` (>= 1) new versions written
// together, the others following 1 µs apart: `now`, but after `latest`, the
// archive's latest recorded time. kInput when the last would reach year 10000.
Result<Micros> FirstRecorded(Micros now, std::optional<Micros> latest, uint64_t count = 1);

// Series ids are dense from 1 in creation order: the id after `last` (0 in
// an archive without series). kInput when the ids are used up.
Result<SeriesId> SeriesIdAfter(SeriesId last);

}  // namespace docket::version_rules
