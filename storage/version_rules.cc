#include "storage/version_rules.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace docket::version_rules {

WriteOutcome Decide(const Version* newest, const Version& incoming) {
  if (!newest) return WriteOutcome::kNew;
  return newest->SameContent(incoming) ? WriteOutcome::kUnchanged : WriteOutcome::kCorrection;
}

Status CheckRetraction(std::optional<int32_t> earliest_day, const SeriesKey& series,
                       const Period& period, std::string_view source, const Date& reported) {
  if (earliest_day && *earliest_day <= reported.last_day()) return {};
  return Status::Input(fmt::format("cannot retract {}[{}] from {} on {}: the source has no "
                                   "report for that cell dated on or before it",
                                   series, period, source, reported));
}

Result<Micros> FirstRecorded(Micros now, std::optional<Micros> latest, uint64_t count) {
  const bool full = (latest && *latest >= kRecordedLimit - 1) || now >= kRecordedLimit;
  const Micros first = full ? kRecordedLimit : latest ? std::max(now, *latest + 1) : now;
  // The room left, in unsigned arithmetic: no overflow for any `first` below the limit.
  if (full || count > static_cast<uint64_t>(kRecordedLimit) - static_cast<uint64_t>(first))
    return Status::Input(fmt::format(
        "cannot record: the recorded time would reach the year 10000 (the archive's latest "
        "recorded time is {}); nothing was written",
        latest ? FormatTimestamp(*latest) : FormatTimestamp(now)));
  return first;
}

Result<SeriesId> SeriesIdAfter(SeriesId last) {
  if (last == std::numeric_limits<SeriesId>::max())
    return Status::Input("the archive holds the maximum number of series");
  return last + 1;
}

}  // namespace docket::version_rules
