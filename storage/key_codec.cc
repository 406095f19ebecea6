#include "storage/key_codec.h"

#include <algorithm>
#include <utility>

namespace docket::keys {
namespace {

constexpr uint32_t kDayBias = uint32_t{1} << 31;

constexpr uint8_t kKindRetraction = 4;
constexpr uint8_t kHasNote = 0x10;
constexpr uint8_t kHasUrl = 0x20;

void PutPeriod(std::string* dst, const Period& p) {
  PutFixed16(dst, static_cast<uint16_t>(p.year()));
  dst->push_back(static_cast<char>(p.slot()));
}

bool DecodePeriod(const char* p, Period* out) {
  auto period = Period::FromSlot(DecodeFixed16(p), static_cast<uint8_t>(p[2]));
  if (!period) return false;
  *out = *period;
  return true;
}

bool GetString(std::string_view* in, std::string* out) {
  std::string_view s;
  if (!GetLengthPrefixed(in, &s)) return false;
  out->assign(s);
  return true;
}

}  // namespace

// ---------------------------------------------------------------- integers

void PutFixed16(std::string* dst, uint16_t v) {
  dst->push_back(static_cast<char>(v >> 8));
  dst->push_back(static_cast<char>(v));
}

void PutFixed32(std::string* dst, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) dst->push_back(static_cast<char>(v >> shift));
}

void PutFixed64(std::string* dst, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) dst->push_back(static_cast<char>(v >> shift));
}

uint16_t DecodeFixed16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

uint32_t DecodeFixed32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | u[i];
  return v;
}

uint64_t DecodeFixed64(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | u[i];
  return v;
}

uint64_t EncodeMicros(Micros t) { return static_cast<uint64_t>(t) ^ (uint64_t{1} << 63); }

Micros DecodeMicros(uint64_t v) { return static_cast<Micros>(v ^ (uint64_t{1} << 63)); }

void PutVarint64(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in->size() && i < 10; ++i) {
    const auto byte = static_cast<unsigned char>((*in)[i]);
    if (i == 9 && byte > 1) return false;  // beyond 64 bits
    result |= uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}

void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s);
}

bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  uint64_t n;
  if (!GetVarint64(in, &n) || n > in->size()) return false;
  *s = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

// ---------------------------------------------------------------- keys

std::string FormatKey() { return std::string(1, kFormatTag); }

std::string CountsKey() { return std::string(1, kCountsTag); }

std::string ChargeKey(std::string_view name) { return kChargeTag + std::string(name); }

std::string SourceKey(std::string_view name) { return kSourceTag + std::string(name); }

std::string SeriesByNameKey(const SeriesKey& series) {
  return kSeriesByNameTag + EncodeSeries(series);
}

std::string SeriesByNamePrefix(std::string_view charge) {
  std::string k(1, kSeriesByNameTag);
  k.append(charge);
  k.push_back('\0');
  return k;
}

std::string SeriesByIdKey(SeriesId id) {
  std::string k(1, kSeriesByIdTag);
  PutFixed32(&k, id);
  return k;
}

std::string KindPrefix(char tag) { return std::string(1, tag); }

std::string_view CatalogKeyName(std::string_view key) { return key.empty() ? key : key.substr(1); }

bool DecodeSeriesByNameKey(std::string_view key, SeriesKey* series) {
  return !key.empty() && key[0] == kSeriesByNameTag && DecodeSeries(key.substr(1), series);
}

bool DecodeSeriesByIdKey(std::string_view key, SeriesId* id) {
  if (key.size() != 5 || key[0] != kSeriesByIdTag) return false;
  *id = DecodeFixed32(key.data() + 1);
  return true;
}

std::string EncodeSeriesId(SeriesId id) {
  std::string v;
  PutFixed32(&v, id);
  return v;
}

bool DecodeSeriesId(std::string_view in, SeriesId* id) {
  if (in.size() != 4) return false;
  *id = DecodeFixed32(in.data());
  return true;
}

void PutReportKey(std::string* dst, const ReportKey& r) {
  PutFixed32(dst, r.series);
  PutPeriod(dst, r.period);
  PutFixed16(dst, r.source);
  PutFixed32(dst, static_cast<uint32_t>(r.reported.last_day()) + kDayBias);
  dst->push_back(static_cast<char>(r.reported.precision()));
}

bool DecodeReportKey(std::string_view in, ReportKey* r) {
  if (in.size() != kReportKeySize) return false;
  const char* p = in.data();
  r->series = DecodeFixed32(p);
  if (!DecodePeriod(p + 4, &r->period)) return false;
  r->source = DecodeFixed16(p + 7);
  const auto day = static_cast<int32_t>(DecodeFixed32(p + 9) - kDayBias);
  const auto precision = static_cast<uint8_t>(p[13]);
  if (precision > static_cast<uint8_t>(DatePrecision::kDay)) return false;
  r->reported = Date(day, static_cast<DatePrecision>(precision));
  return true;
}

std::string VersionKey(const ReportKey& report, Micros recorded) {
  std::string k(1, kVersionTag);
  PutReportKey(&k, report);
  PutFixed64(&k, ~EncodeMicros(recorded));
  return k;
}

bool DecodeVersionKey(std::string_view key, ReportKey* report, Micros* recorded) {
  if (key.size() != 1 + kReportKeySize + 8 || key[0] != kVersionTag) return false;
  if (!DecodeReportKey(key.substr(1, kReportKeySize), report)) return false;
  *recorded = DecodeMicros(~DecodeFixed64(key.data() + 1 + kReportKeySize));
  return true;
}

std::string TimeKey(Micros recorded, const ReportKey& report) {
  std::string k(1, kTimeTag);
  PutFixed64(&k, EncodeMicros(recorded));
  PutReportKey(&k, report);
  return k;
}

bool DecodeTimeKey(std::string_view key, Micros* recorded, ReportKey* report) {
  if (key.size() != 1 + 8 + kReportKeySize || key[0] != kTimeTag) return false;
  *recorded = DecodeMicros(DecodeFixed64(key.data() + 1));
  return DecodeReportKey(key.substr(9), report);
}

std::string TimePrefixFrom(Micros recorded) {
  std::string k(1, kTimeTag);
  PutFixed64(&k, EncodeMicros(recorded));
  return k;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = end.back();
    if (static_cast<unsigned char>(last) != 0xff) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

KeyRange RangeOf(std::string_view key) {
  if (key.empty() || key[0] < kCellTag) return KeyRange::kBelowVersions;
  return key[0] == kCellTag ? KeyRange::kVersion : KeyRange::kAboveVersions;
}

bool IsTimeKey(std::string_view key) { return !key.empty() && key[0] == kTimeTag; }

// ---------------------------------------------------------------- run keys

void PutRunKey(std::string* dst, const ReportKey& report, uint64_t order) {
  PutReportKey(dst, report);
  PutFixed64(dst, order);
}

std::string RunKey(const ReportKey& report, uint64_t order) {
  std::string k;
  PutRunKey(&k, report, order);
  return k;
}

bool DecodeRunKey(std::string_view key, ReportKey* report, uint64_t* order) {
  if (key.size() != kRunKeySize || !DecodeReportKey(key.substr(0, kReportKeySize), report)) return false;
  *order = DecodeFixed64(key.data() + kReportKeySize);
  return true;
}

std::string_view RunKeyCellSource(std::string_view run_key) {
  return run_key.substr(0, 4 + 3 + 2);  // series, period, source
}

std::string TimeRunKey(std::string_view run_key) {
  std::string k(run_key.substr(kReportKeySize));
  k.append(run_key.substr(0, kReportKeySize));
  return k;
}

bool DecodeTimeRunKey(std::string_view key, uint64_t* order, ReportKey* report) {
  if (key.size() != kRunKeySize || !DecodeReportKey(key.substr(8), report)) return false;
  *order = DecodeFixed64(key.data());
  return true;
}

// ---------------------------------------------------------------- values

std::string EncodeCounts(uint64_t reports, uint64_t versions) {
  std::string v;
  PutVarint64(&v, reports);
  PutVarint64(&v, versions);
  return v;
}

bool DecodeCounts(std::string_view in, uint64_t* reports, uint64_t* versions) {
  return GetVarint64(&in, reports) && GetVarint64(&in, versions) && in.empty();
}

std::string EncodeFormatValue(uint32_t version) {
  std::string v;
  PutFixed32(&v, version);
  return v;
}

bool DecodeFormatValue(std::string_view in, uint32_t* version) {
  if (in.size() != 4) return false;
  *version = DecodeFixed32(in.data());
  return true;
}

std::string EncodeCharge(const Charge& charge) {
  std::string v;
  PutLengthPrefixed(&v, charge.title);
  PutLengthPrefixed(&v, charge.article);
  return v;
}

bool DecodeCharge(std::string_view name, std::string_view in, Charge* charge) {
  charge->name.assign(name);
  return GetString(&in, &charge->title) && GetString(&in, &charge->article) && in.empty();
}

std::string EncodeSource(const Source& source) {
  std::string v;
  PutFixed16(&v, source.id);
  // Zigzag: small negative priorities stay short.
  const auto p = static_cast<uint64_t>(source.priority);
  PutVarint64(&v, (p << 1) ^ static_cast<uint64_t>(source.priority >> 63));
  PutLengthPrefixed(&v, source.title);
  PutLengthPrefixed(&v, source.url);
  return v;
}

bool DecodeSource(std::string_view name, std::string_view in, Source* source) {
  if (in.size() < 2) return false;
  source->name.assign(name);
  source->id = DecodeFixed16(in.data());
  in.remove_prefix(2);
  uint64_t zigzag;
  if (!GetVarint64(&in, &zigzag)) return false;
  source->priority = static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
  return GetString(&in, &source->title) && GetString(&in, &source->url) && in.empty();
}

void PutSeries(std::string* dst, const SeriesKey& series) {
  dst->append(series.charge);
  dst->push_back('\0');
  for (const auto& [key, value] : series.labels) {
    dst->append(key);
    dst->push_back('\0');
    dst->append(value);
    dst->push_back('\0');
  }
}

std::string EncodeSeries(const SeriesKey& series) {
  std::string v;
  PutSeries(&v, series);
  return v;
}

bool DecodeSeries(std::string_view in, SeriesKey* series) {
  auto next = [&in](std::string* out) {
    const size_t nul = in.find('\0');
    if (nul == std::string_view::npos) return false;
    out->assign(in.substr(0, nul));
    in.remove_prefix(nul + 1);
    return true;
  };
  series->labels.clear();
  if (!next(&series->charge) || series->charge.empty()) return false;
  while (!in.empty()) {
    std::pair<std::string, std::string> label;
    if (!next(&label.first) || !next(&label.second)) return false;
    series->labels.push_back(std::move(label));
  }
  return true;
}

void PutVersionValue(std::string* dst, const Version& version) {
  uint8_t kind = version.figure ? static_cast<uint8_t>(version.figure->bound) : kKindRetraction;
  if (!version.note.empty()) kind |= kHasNote;
  if (!version.url.empty()) kind |= kHasUrl;
  dst->push_back(static_cast<char>(kind));
  if (version.figure) PutVarint64(dst, version.figure->count);
  if (!version.note.empty()) PutLengthPrefixed(dst, version.note);
  if (!version.url.empty()) PutLengthPrefixed(dst, version.url);
}

namespace {

bool GetVersionValue(std::string_view* in, Version* version) {
  if (in->empty()) return false;
  const auto kind = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  const uint8_t base = kind & 0x0f;
  if ((kind & ~(0x0f | kHasNote | kHasUrl)) != 0 || base > kKindRetraction) return false;
  if (base == kKindRetraction) {
    version->figure.reset();
  } else {
    uint64_t count;
    if (!GetVarint64(in, &count) || count > kMaxCount) return false;
    version->figure = Figure{static_cast<Bound>(base), count};
  }
  version->note.clear();
  version->url.clear();
  if ((kind & kHasNote) && !GetString(in, &version->note)) return false;
  if ((kind & kHasUrl) && !GetString(in, &version->url)) return false;
  return true;
}

}  // namespace

std::string EncodeVersionValue(const Version& version) {
  std::string v;
  PutVersionValue(&v, version);
  return v;
}

bool DecodeVersionValue(std::string_view in, Version* version) {
  return GetVersionValue(&in, version) && in.empty();
}

// ---------------------------------------------------------------- cells

bool CellOrderLess(const Version& a, const Version& b) {
  const ReportKey &x = a.report, &y = b.report;
  if (x.series != y.series) return x.series < y.series;
  if (!(x.period == y.period))
    return std::make_pair(x.period.year(), x.period.slot()) < std::make_pair(y.period.year(), y.period.slot());
  if (x.source != y.source) return x.source < y.source;
  if (x.reported.last_day() != y.reported.last_day()) return x.reported.last_day() < y.reported.last_day();
  if (x.reported.precision() != y.reported.precision()) return x.reported.precision() < y.reported.precision();
  return a.recorded > b.recorded;
}

const Version* FindInCell(const std::vector<Version>& cell, const ReportKey& report, Micros recorded) {
  Version probe;
  probe.report = report;
  probe.recorded = recorded;
  const auto it = std::lower_bound(cell.begin(), cell.end(), probe, CellOrderLess);
  return it != cell.end() && it->report == report && it->recorded == recorded ? &*it : nullptr;
}

std::string CellKey(SeriesId series, const Period& period) {
  std::string k = CellSeriesPrefix(series);
  PutPeriod(&k, period);
  return k;
}

std::string CellSeriesPrefix(SeriesId series) {
  std::string k(1, kCellTag);
  PutFixed32(&k, series);
  return k;
}

bool DecodeCellKey(std::string_view key, SeriesId* series, Period* period) {
  if (key.size() != kCellKeySize || key[0] != kCellTag) return false;
  *series = DecodeFixed32(key.data() + 1);
  return DecodePeriod(key.data() + 5, period);
}

namespace {
constexpr uint8_t kPrecisionBits = 0x03;
constexpr uint8_t kNewSource = 0x04;
constexpr uint8_t kNewReport = 0x08;

void PutZigzag(std::string* dst, int64_t v) {
  PutVarint64(dst, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

bool GetZigzag(std::string_view* in, int64_t* v) {
  uint64_t z;
  if (!GetVarint64(in, &z)) return false;
  *v = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  return true;
}
}  // namespace

namespace {
void PutCellEntry(std::string* dst, const Version* previous, const Version& v) {
  const ReportKey& r = v.report;
  const bool new_source = !previous || previous->report.source != r.source;
  const bool new_report = new_source || previous->report.reported != r.reported;
  uint8_t flags = static_cast<uint8_t>(r.reported.precision());
  if (new_source) flags |= kNewSource;
  if (new_report) flags |= kNewReport;
  dst->push_back(static_cast<char>(flags));
  if (new_source) PutVarint64(dst, r.source);
  const int64_t last_day = previous ? previous->report.reported.last_day() : 0;
  if (new_report) PutZigzag(dst, int64_t{r.reported.last_day()} - last_day);
  // Wraps for times far apart; unwrapped the same way.
  const uint64_t last_recorded = previous ? static_cast<uint64_t>(previous->recorded) : 0;
  PutZigzag(dst, static_cast<int64_t>(static_cast<uint64_t>(v.recorded) - last_recorded));
  PutVersionValue(dst, v);
}
}  // namespace

std::string EncodeCell(const std::vector<Version>& versions) {
  std::string value;
  const Version* previous = nullptr;
  for (const Version& v : versions) {
    PutCellEntry(&value, previous, v);
    previous = &v;
  }
  return value;
}

bool DecodeCell(std::string_view key, std::string_view value, std::vector<Version>* out) {
  SeriesId series;
  Period period;
  if (!DecodeCellKey(key, &series, &period) || value.empty()) return false;
  const size_t first = out->size();
  while (!value.empty()) {
    const Version* previous = out->size() > first ? &out->back() : nullptr;
    const auto flags = static_cast<uint8_t>(value[0]);
    value.remove_prefix(1);
    if ((flags & ~(kPrecisionBits | kNewSource | kNewReport)) != 0 ||
        (flags & kPrecisionBits) > static_cast<uint8_t>(DatePrecision::kDay) ||
        (!previous && !(flags & kNewSource)) || ((flags & kNewSource) && !(flags & kNewReport)))
      return false;
    Version v;
    v.report.series = series;
    v.report.period = period;
    if (flags & kNewSource) {
      uint64_t source;
      if (!GetVarint64(&value, &source) || source > UINT16_MAX) return false;
      v.report.source = static_cast<SourceId>(source);
    } else {
      v.report.source = previous->report.source;
    }
    int64_t day = previous ? previous->report.reported.last_day() : 0;
    if (flags & kNewReport) {
      int64_t delta;
      if (!GetZigzag(&value, &delta)) return false;
      day += delta;
      if (day < INT32_MIN || day > INT32_MAX) return false;
    } else if ((flags & kPrecisionBits) != static_cast<uint8_t>(previous->report.reported.precision())) {
      return false;
    }
    v.report.reported = Date(static_cast<int32_t>(day), static_cast<DatePrecision>(flags & kPrecisionBits));
    int64_t delta;
    if (!GetZigzag(&value, &delta)) return false;
    const uint64_t last_recorded = previous ? static_cast<uint64_t>(previous->recorded) : 0;
    v.recorded = static_cast<Micros>(last_recorded + static_cast<uint64_t>(delta));
    if (!GetVersionValue(&value, &v)) return false;
    if (previous && !CellOrderLess(*previous, v)) return false;
    out->push_back(std::move(v));
  }
  return true;
}

}  // namespace docket::keys
