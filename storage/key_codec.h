// The archive's byte layout: the only code that knows how keys and values
// are encoded. Used by storage and its tests; documented in docs/storage.md.
//
// Every key starts with a one-byte tag. Integers are fixed-width big-endian
// so RocksDB's default bytewise order is numeric order:
//
//   'F'                                        -> format version (u32)
//   'N'                                        -> number of reports, of versions (varints)
//   'C' charge                                 -> charge attributes
//   'O' source                                 -> source id, priority, attributes
//   'S' charge 0x00 labels                     -> series id (u32)
//   'I' series(u32)                            -> charge 0x00 labels
//   'Q' series(u32) period(3)                  -> the cell's versions (EncodeCell)
//   'T' recorded(u64) series period source day precision
//                                              -> empty (the system-time index)
//
// labels = (key 0x00 value 0x00)* sorted by key; strings hold no NUL byte.
// period = year(u16) slot(u8); day = effective day + 2^31 (u32);
// recorded = microseconds since the epoch + 2^63 (u64, so times before 1970
// sort first).
//
// A cell's versions sit in one value, in cell order: by source, reported
// day, precision, then newest version first (CellOrderLess). Format 2 kept
// one key per version ('R' series period source day precision ~recorded ->
// version value); the upgrade reads those keys (VersionKey below).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/types.h"

namespace docket::keys {

// 2: recorded times biased by 2^63 (1 stored them as plain u64).
// 3: a cell's versions in one value ('Q'), not a key per version ('R').
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr uint32_t kFormatWithVersionKeys = 2;

inline constexpr char kFormatTag = 'F';
inline constexpr char kCountsTag = 'N';
inline constexpr char kChargeTag = 'C';
inline constexpr char kSourceTag = 'O';
inline constexpr char kSeriesByNameTag = 'S';
inline constexpr char kSeriesByIdTag = 'I';
inline constexpr char kCellTag = 'Q';
inline constexpr char kVersionTag = 'R';  // format 2 only
inline constexpr char kTimeTag = 'T';

// Size of an encoded ReportKey (series, period, source, day, precision).
inline constexpr size_t kReportKeySize = 4 + 3 + 2 + 4 + 1;
// Size of a CellKey (tag, series, period).
inline constexpr size_t kCellKeySize = 1 + 4 + 3;

// ---- fixed-width integers and varints
void PutFixed16(std::string* dst, uint16_t v);
void PutFixed32(std::string* dst, uint32_t v);
void PutFixed64(std::string* dst, uint64_t v);
uint16_t DecodeFixed16(const char* p);
uint32_t DecodeFixed32(const char* p);
uint64_t DecodeFixed64(const char* p);
// Microseconds since the epoch, biased by 2^63: order-preserving as u64.
uint64_t EncodeMicros(Micros t);
Micros DecodeMicros(uint64_t v);
void PutVarint64(std::string* dst, uint64_t v);
// Reads a varint from the front of `in` and advances it; false on short or overlong input.
bool GetVarint64(std::string_view* in, uint64_t* v);
void PutLengthPrefixed(std::string* dst, std::string_view s);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);

// ---- keys
std::string FormatKey();
std::string CountsKey();
std::string ChargeKey(std::string_view name);
std::string SourceKey(std::string_view name);
std::string SeriesByNameKey(const SeriesKey& series);
// Prefix of every SeriesByNameKey of `charge`.
std::string SeriesByNamePrefix(std::string_view charge);
std::string SeriesByIdKey(SeriesId id);
// Prefix of every key of one kind (a tag above), for scans of the kind.
std::string KindPrefix(char tag);
// The name in a ChargeKey or SourceKey (the key without its tag).
std::string_view CatalogKeyName(std::string_view key);
bool DecodeSeriesByNameKey(std::string_view key, SeriesKey* series);
bool DecodeSeriesByIdKey(std::string_view key, SeriesId* id);
// The value of a SeriesByNameKey: the series id (u32).
std::string EncodeSeriesId(SeriesId id);
bool DecodeSeriesId(std::string_view in, SeriesId* id);

void PutReportKey(std::string* dst, const ReportKey& report);
bool DecodeReportKey(std::string_view in, ReportKey* report);  // exactly kReportKeySize bytes

// A cell's key, and the prefix of every cell key of one series.
std::string CellKey(SeriesId series, const Period& period);
std::string CellSeriesPrefix(SeriesId series);
bool DecodeCellKey(std::string_view key, SeriesId* series, Period* period);

// Format 2's key of one version, read by the upgrade; its bytes also sort
// versions in cell order (CellOrderLess), by series first.
std::string VersionKey(const ReportKey& report, Micros recorded);
bool DecodeVersionKey(std::string_view key, ReportKey* report, Micros* recorded);

std::string TimeKey(Micros recorded, const ReportKey& report);
bool DecodeTimeKey(std::string_view key, Micros* recorded, ReportKey* report);
std::string TimePrefixFrom(Micros recorded);  // first TimeKey at or after `recorded`

// The smallest key greater than every key starting with `prefix`
// (for iterate_upper_bound); empty if there is none.
std::string PrefixEnd(std::string_view prefix);

// Where a key sorts against the cells (kVersion: a cell's key): an import
// writes the keys below and above them to table files of their own.
enum class KeyRange { kBelowVersions, kVersion, kAboveVersions };
KeyRange RangeOf(std::string_view key);
bool IsTimeKey(std::string_view key);

// ---- run keys: the bulk loader's on-disk sorts, never stored in the archive.
// A run key is a report then an order (u64: the row's input position, or
// its biased recorded time), so one report's rows are adjacent and in order.
// A time run key is the order then the report: recorded order.
inline constexpr size_t kRunKeySize = kReportKeySize + 8;
std::string RunKey(const ReportKey& report, uint64_t order);
void PutRunKey(std::string* dst, const ReportKey& report, uint64_t order);
bool DecodeRunKey(std::string_view key, ReportKey* report, uint64_t* order);
// The bytes of a run key shared by the rows of one cell and source.
std::string_view RunKeyCellSource(std::string_view run_key);
// The time run key of the row with `run_key`.
std::string TimeRunKey(std::string_view run_key);
bool DecodeTimeRunKey(std::string_view key, uint64_t* order, ReportKey* report);

// ---- values
std::string EncodeCounts(uint64_t reports, uint64_t versions);
bool DecodeCounts(std::string_view in, uint64_t* reports, uint64_t* versions);

std::string EncodeFormatValue(uint32_t version);
bool DecodeFormatValue(std::string_view in, uint32_t* version);

std::string EncodeCharge(const Charge& charge);
bool DecodeCharge(std::string_view name, std::string_view in, Charge* charge);
std::string EncodeSource(const Source& source);
bool DecodeSource(std::string_view name, std::string_view in, Source* source);

// Series: the 'I' value and the 'S' key suffix share one encoding.
std::string EncodeSeries(const SeriesKey& series);  // charge 0x00 labels
void PutSeries(std::string* dst, const SeriesKey& series);
bool DecodeSeries(std::string_view in, SeriesKey* series);

// Version value: kind byte (0 =, 1 >=, 2 <=, 3 ~, 4 retraction; +0x10 note,
// +0x20 url), varint count unless a retraction, then note and url
// length-prefixed when present.
std::string EncodeVersionValue(const Version& version);
void PutVersionValue(std::string* dst, const Version& version);
bool DecodeVersionValue(std::string_view in, Version* version);

// The order of a cell's versions (and of cells by series and period):
// source, reported day, precision, then newest version first.
bool CellOrderLess(const Version& a, const Version& b);
// A cell's value: its versions (at least one, all of one cell, in cell
// order), each an entry after the one before it: a flags byte (precision;
// 0x04 a new source follows, as a varint; 0x08 a new report's day follows,
// as a zigzag varint of its change), the recorded time's change as a
// zigzag varint, then the version value above.
std::string EncodeCell(const std::vector<Version>& versions);
// Appends the versions of the cell stored under (key, value) to `out`;
// false if either is corrupt or the versions are out of cell order.
bool DecodeCell(std::string_view key, std::string_view value, std::vector<Version>* out);
// The version of `report` recorded at `recorded` among `cell` (one cell's
// versions, in cell order); null if it holds none.
const Version* FindInCell(const std::vector<Version>& cell, const ReportKey& report, Micros recorded);

}  // namespace docket::keys
