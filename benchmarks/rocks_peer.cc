#include "benchmarks/rocks_peer.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "benchmarks/input.h"

namespace docket::bench {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kKeySize = 1 + 4 + 4 + 2 + 4 + 8;

class NullLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

// A read-only open never flushes or compacts: it needs no background
// threads, and RocksDB would start two (their start is a visible part of a
// one-shot process). The same environment as docket's read-only opens.
class ReadOnlyEnv : public rocksdb::EnvWrapper {
 public:
  ReadOnlyEnv() : rocksdb::EnvWrapper(rocksdb::Env::Default()) {}
  const char* Name() const override { return "ReadOnlyEnv"; }
  void IncBackgroundThreadsIfNeeded(int, Priority) override {}
  // Only caches the disks' logical block size for direct I/O: a walk up /sys.
  rocksdb::Status RegisterDbPaths(const std::vector<std::string>&) override { return {}; }
  rocksdb::Status UnregisterDbPaths(const std::vector<std::string>&) override { return {}; }
};

// Raw RocksDB's options: RocksDB's defaults, except for two groups of
// choices that the comparison with docket needs (README, "How each way
// answers"):
//
// 1. The table format, which decides what a read costs (each cell read
//    decompresses one block) and the bytes on disk: docket's. 4 KiB
//    blocks, ZSTD level 4, a restart point every 64 keys, the time index
//    in its own file in 16 KiB blocks with a restart point every 128 keys
//    (it is only scanned in order), a partitioned index (an open reads
//    only its top level) in uncompressed 4 KiB partitions, a 64 MiB block
//    cache.
// 2. The open of a one-shot process: no info LOG file, no statistics read
//    from every table, tables opened in the calling thread, no background
//    threads and no walk up /sys (ReadOnlyEnv). RocksDB still starts one
//    timer thread: the store's two files sit in one level, so
//    OpenForReadOnly returns its CompactedDBImpl, which schedules periodic
//    tasks.
//
// Everything else is RocksDB's default (max_open_files = -1, as docket's
// read-only opens; no bloom filters: every read is a prefix scan). Nothing
// of docket's multi-process machinery (its publish lock) is copied: the
// limit has one process and no writer.
//
// DOCKET_BENCH_RAW_OPTIONS (`compression=lz4|zstd|none;time_compression=…;
// block_size=N;cache_mb=N;max_open_files=N;index_compression=0|1;
// partitioned_index=0|1;dict_kb=N`) varies the layout for experiments.
struct RawSetup {
  rocksdb::Options options;  // every open, and the import's main file
  rocksdb::CompressionType time_compression = rocksdb::kZSTD;  // the import's time-index file
};

rocksdb::CompressionType CompressionNamed(const std::string& name) {
  return name == "lz4" ? rocksdb::kLZ4Compression : name == "none" ? rocksdb::kNoCompression : rocksdb::kZSTD;
}

RawSetup RawOptions() {
  RawSetup setup;
  rocksdb::Options& o = setup.options;
  o.compression = o.bottommost_compression = rocksdb::kZSTD;
  o.compression_opts.level = o.bottommost_compression_opts.level = 4;
  o.bottommost_compression_opts.enabled = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 4 * 1024;
  table.block_restart_interval = 64;
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.metadata_block_size = 4 * 1024;
  table.enable_index_compression = false;
  size_t cache_mb = 64;
  o.info_log = std::make_shared<NullLogger>();
  o.skip_stats_update_on_db_open = true;
  o.max_file_opening_threads = 1;
  if (const char* env = std::getenv("DOCKET_BENCH_RAW_OPTIONS")) {
    std::string spec = env;
    for (size_t a = 0; a < spec.size();) {
      size_t b = spec.find(';', a);
      if (b == std::string::npos) b = spec.size();
      const std::string item = spec.substr(a, b - a);
      const size_t eq = item.find('=');
      const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
      if (key == "compression") o.compression = o.bottommost_compression = CompressionNamed(value);
      if (key == "time_compression") setup.time_compression = CompressionNamed(value);
      if (key == "block_size") table.block_size = std::stoul(value);
      if (key == "cache_mb") cache_mb = std::stoul(value);
      if (key == "max_open_files") o.max_open_files = std::stoi(value);
      if (key == "index_compression") table.enable_index_compression = value != "0";
      if (key == "partitioned_index")
        table.index_type = value == "0" ? rocksdb::BlockBasedTableOptions::kBinarySearch
                                        : rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
      if (key == "dict_kb") {  // ZSTD dictionary per SST, trained on its blocks
        for (rocksdb::CompressionOptions* c : {&o.compression_opts, &o.bottommost_compression_opts}) {
          c->max_dict_bytes = static_cast<uint32_t>(std::stoul(value) << 10);
          c->zstd_max_train_bytes = c->max_dict_bytes * 100;
          c->enabled = true;
        }
      }
      a = b + 1;
    }
  }
  table.block_cache = rocksdb::NewLRUCache(cache_mb << 20);
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return setup;
}

void Put16(char* p, uint16_t v) { p[0] = static_cast<char>(v >> 8), p[1] = static_cast<char>(v); }
void Put32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (24 - 8 * i));
}
void Put64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (56 - 8 * i));
}
uint16_t Get16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}
uint32_t Get32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
uint64_t Get64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
std::string U32(uint32_t v) {
  std::string s(4, '\0');
  Put32(s.data(), v);
  return s;
}
void PutVarint(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}
bool GetVarint(const char** p, const char* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; *p < end && shift < 64; shift += 7) {
    const uint8_t b = static_cast<uint8_t>(*(*p)++);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

void ReportKey(char* k, uint32_t series, int32_t period, uint16_t source, int32_t day, int64_t recorded) {
  k[0] = 'R';
  Put32(k + 1, series);
  Put32(k + 5, static_cast<uint32_t>(period));
  Put16(k + 9, source);
  Put32(k + 11, static_cast<uint32_t>(day) + 0x80000000u);
  Put64(k + 15, ~static_cast<uint64_t>(recorded));
}

std::string EncodeValue(const InputRow& row) {
  std::string v;
  v.push_back(static_cast<char>(row.prec | (row.note.empty() ? 0 : 0x10) | (row.url.empty() ? 0 : 0x20)));
  v.push_back(static_cast<char>(row.bound));
  if (row.bound != kRetracted) PutVarint(&v, row.value);
  for (const std::string* s : {&row.note, &row.url})
    if (!s->empty()) {
      PutVarint(&v, s->size());
      v += *s;
    }
  return v;
}

bool Check(const rocksdb::Status& s, const std::string& what, std::string* error) {
  if (!s.ok()) *error = what + ": " + s.ToString();
  return s.ok();
}

}  // namespace

struct RocksPeer::Entry {
  uint32_t series = 0;
  int32_t period = 0;
  uint16_t source = 0;
  int32_t day = 0;
  int64_t recorded = 0;
  int32_t prec = 2;
  int bound = 0;
  uint64_t value = 0;
  std::string note;
};

namespace {
bool DecodeEntry(const rocksdb::Slice& key, const rocksdb::Slice& value, RocksPeer::Entry* e) {
  if (key.size() != kKeySize) return false;
  const char* k = key.data();
  e->series = Get32(k + 1);
  e->period = static_cast<int32_t>(Get32(k + 5));
  e->source = Get16(k + 9);
  e->day = static_cast<int32_t>(Get32(k + 11) - 0x80000000u);
  e->recorded = static_cast<int64_t>(~Get64(k + 15));
  const char* p = value.data();
  const char* end = p + value.size();
  if (value.size() < 2) return false;
  const uint8_t flags = static_cast<uint8_t>(*p++);
  e->prec = flags & 0x0f;
  e->bound = static_cast<uint8_t>(*p++);
  e->value = 0;
  if (e->bound != kRetracted && !GetVarint(&p, end, &e->value)) return false;
  e->note.clear();
  if (flags & 0x10) {
    uint64_t n;
    if (!GetVarint(&p, end, &n) || static_cast<uint64_t>(end - p) < n) return false;
    e->note.assign(p, n);
  }
  return true;
}
}  // namespace

bool RocksImport(const std::string& csv, const std::string& definitions, const std::string& path,
                 int64_t now, ImportStats* stats, std::string* error) {
  namespace fs = std::filesystem;
  std::vector<std::string> charges;
  std::vector<SourceDefinition> sources;
  if (!ReadDefinitions(definitions, &charges, &sources, error)) return false;
  std::unordered_map<std::string, uint16_t> source_ids;
  for (const auto& s : sources) source_ids.emplace(s.name, static_cast<uint16_t>(source_ids.size() + 1));
  CsvInput in;
  if (!in.Open(csv, error)) return false;

  // Every row in memory: the report key inline, the value in an arena.
  struct Rec {
    char key[kKeySize];
    uint32_t value_offset;
    uint16_t value_size;
  };
  std::vector<Rec> recs;
  std::string arena;
  std::unordered_map<std::string, uint32_t> series_ids;
  InputRow row;
  while (in.Next(&row, error)) {
    auto [it, fresh] = series_ids.try_emplace(row.series, static_cast<uint32_t>(series_ids.size() + 1));
    auto src = source_ids.find(row.source);
    if (src == source_ids.end()) {
      *error = "unknown source " + row.source;
      return false;
    }
    Rec r;
    ReportKey(r.key, it->second, row.period, src->second, row.day, now + static_cast<int64_t>(recs.size()));
    const std::string v = EncodeValue(row);
    r.value_offset = static_cast<uint32_t>(arena.size());
    r.value_size = static_cast<uint16_t>(v.size());
    arena += v;
    recs.push_back(r);
  }
  if (!error->empty()) return false;
  stats->rows = recs.size();
  // rank → position after sorting, for the time index (recorded = now + rank).
  std::vector<uint32_t> order(recs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::memcmp(recs[a].key, recs[b].key, kKeySize) < 0;
  });

  fs::remove_all(path);
  fs::create_directories(path);
  // Two files, each in key order: 'I' < 'P' < 'R' < 'S' in one, the 'T'
  // time index (compressed apart, as docket's) in the other.
  const std::string sst = path + ".ingest.sst", times_sst = path + ".ingest-times.sst";
  RawSetup setup = RawOptions();
  rocksdb::Options& options = setup.options;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options);
  if (!Check(writer.Open(sst), "open sst", error)) return false;
  auto put = [&](const std::string& k, const std::string& v) { return Check(writer.Put(k, v), "put", error); };
  std::vector<std::pair<std::string, uint32_t>> by_name(series_ids.begin(), series_ids.end());
  std::sort(by_name.begin(), by_name.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& [name, id] : by_name)
    if (!put("I" + U32(id), name)) return false;
  std::vector<std::pair<std::string, uint16_t>> srcs(source_ids.begin(), source_ids.end());
  std::sort(srcs.begin(), srcs.end());
  for (const auto& [name, id] : srcs) {
    std::string v(10, '\0');
    Put16(v.data(), id);
    int64_t priority = 0;
    for (const auto& s : sources)
      if (s.name == name) priority = s.priority;
    Put64(v.data() + 2, static_cast<uint64_t>(priority));
    if (!put("P" + name, v)) return false;
  }
  for (uint32_t i : order) {
    const Rec& r = recs[i];
    if (!Check(writer.Put(rocksdb::Slice(r.key, kKeySize),
                          rocksdb::Slice(arena.data() + r.value_offset, r.value_size)),
               "put", error))
      return false;
  }
  std::sort(by_name.begin(), by_name.end());
  for (const auto& [name, id] : by_name)
    if (!put("S" + name, U32(id))) return false;
  if (!Check(writer.Finish(), "finish sst", error)) return false;
  // SstFileWriter compresses with bottommost_compression when it is set.
  rocksdb::Options times_options = options;
  times_options.compression = times_options.bottommost_compression = setup.time_compression;
  times_options.bottommost_compression_opts = rocksdb::CompressionOptions();
  times_options.bottommost_compression_opts.enabled = true;
  rocksdb::BlockBasedTableOptions times_table = *options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
  times_table.block_size = 16 * 1024;
  times_table.block_restart_interval = 128;
  times_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(times_table));
  rocksdb::SstFileWriter times(rocksdb::EnvOptions(), times_options);
  if (!Check(times.Open(times_sst), "open sst", error)) return false;
  for (uint32_t rank = 0; rank < recs.size(); ++rank) {
    const Rec& r = recs[rank];
    char k[1 + 8 + 14];
    k[0] = 'T';
    Put64(k + 1, ~Get64(r.key + 15));
    std::memcpy(k + 9, r.key + 1, 14);
    if (!Check(times.Put(rocksdb::Slice(k, sizeof k), rocksdb::Slice()), "put", error)) return false;
  }
  if (!Check(times.Finish(), "finish sst", error)) return false;
  std::vector<Rec>().swap(recs);
  std::string().swap(arena);

  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!Check(rocksdb::DB::Open(options, path, &raw), "open", error)) return false;
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = true;
  return Check(db->IngestExternalFile({sst, times_sst}, ingest), "ingest", error);
}

RocksPeer::RocksPeer() = default;
RocksPeer::~RocksPeer() {
  it_.reset();
  db_.reset();
}

bool RocksPeer::Open(const std::string& path, std::string* error) {
  rocksdb::DB* raw = nullptr;
  static ReadOnlyEnv read_only_env;
  rocksdb::Options options = RawOptions().options;
  options.env = &read_only_env;
  if (!Check(rocksdb::DB::OpenForReadOnly(options, path, &raw), "open " + path, error)) return false;
  db_.reset(raw);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("P"); it->Valid() && it->key().starts_with("P"); it->Next()) {
    const rocksdb::Slice v = it->value();
    if (v.size() != 10) continue;
    sources_[Get16(v.data())] = {it->key().ToString().substr(1), static_cast<int64_t>(Get64(v.data() + 2))};
  }
  return it->status().ok();
}

bool RocksPeer::SeriesId(const std::string& series, uint32_t* id) {
  std::string v;
  if (!db_->Get(rocksdb::ReadOptions(), "S" + series, &v).ok() || v.size() != 4) return false;
  *id = Get32(v.data());
  return true;
}

std::vector<std::pair<std::string, uint32_t>> RocksPeer::SeriesOfCharge(const std::string& charge) {
  const std::string prefix = "S" + charge + "{";
  std::vector<std::pair<std::string, uint32_t>> out;
  if (!it_) it_.reset(db_->NewIterator(rocksdb::ReadOptions()));
  for (it_->Seek(prefix); it_->Valid() && it_->key().starts_with(prefix); it_->Next())
    out.emplace_back(it_->key().ToString().substr(1), Get32(it_->value().data()));
  return out;
}

void RocksPeer::ScanPrefix(const std::string& prefix, std::vector<Entry>* out) {
  out->clear();
  if (!it_) it_.reset(db_->NewIterator(rocksdb::ReadOptions()));
  const rocksdb::Slice p(prefix);
  for (it_->Seek(p); it_->Valid() && it_->key().starts_with(p); it_->Next()) {
    out->emplace_back();
    if (!DecodeEntry(it_->key(), it_->value(), &out->back())) out->pop_back();
  }
}

Winner RocksPeer::Resolve(const Entry* begin, const Entry* end, int32_t as_of) {
  // Per source, the first entry of its greatest day <= as_of: the newest
  // version recorded that day (keys: day ascending, newest first).
  const Entry* best = nullptr;
  auto better = [&](const Entry& a, const Entry& b) {  // a beats b
    if (a.day != b.day) return a.day > b.day;
    const SourceInfo& sa = sources_[a.source];
    const SourceInfo& sb = sources_[b.source];
    if (sa.priority != sb.priority) return sa.priority > sb.priority;
    return sa.name < sb.name;
  };
  for (const Entry* e = begin; e != end;) {
    const Entry* pick = nullptr;
    const uint16_t source = e->source;
    for (; e != end && e->source == source; ++e)
      if (e->day <= as_of && (!pick || e->day > pick->day)) pick = e;
    if (pick && pick->bound != kRetracted && (!best || better(*pick, *best))) best = pick;
  }
  Winner w;
  if (!best) return w;
  w.has = true;
  w.source = sources_[best->source].name;
  w.day = best->day;
  w.prec = best->prec;
  w.bound = best->bound;
  w.value = best->value;
  return w;
}

Lines RocksPeer::Point(const std::string& series, int32_t period, int32_t as_of) {
  uint32_t id;
  Lines out;
  if (!SeriesId(series, &id)) return out;
  std::vector<Entry> cell;
  ScanPrefix("R" + U32(id) + U32(static_cast<uint32_t>(period)), &cell);
  const Winner w = Resolve(cell.data(), cell.data() + cell.size(), as_of);
  if (w.has) out.push_back(ValueLine(series, period, w));
  return out;
}

Lines RocksPeer::Series(const std::string& series) {
  uint32_t id;
  Lines out;
  if (!SeriesId(series, &id)) return out;
  std::vector<Entry> all;
  ScanPrefix("R" + U32(id), &all);
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].period == all[i].period) ++j;
    const Winner w = Resolve(all.data() + i, all.data() + j, std::numeric_limits<int32_t>::max());
    if (w.has) out.push_back(ValueLine(series, all[i].period, w));
    i = j;
  }
  return out;
}

Lines RocksPeer::Growth(const std::string& charge, int32_t from, int32_t to) {
  Lines out;
  std::vector<Entry> a, b;
  for (const auto& [name, id] : SeriesOfCharge(charge)) {
    ScanPrefix("R" + U32(id) + U32(static_cast<uint32_t>(from)), &a);
    ScanPrefix("R" + U32(id) + U32(static_cast<uint32_t>(to)), &b);
    constexpr int32_t kNoCutoff = std::numeric_limits<int32_t>::max();
    out.push_back(GrowthLine(name, from, to, Resolve(a.data(), a.data() + a.size(), kNoCutoff),
                             Resolve(b.data(), b.data() + b.size(), kNoCutoff)));
  }
  return out;
}

Lines RocksPeer::Sum(const std::string& charge) {
  struct Acc {
    double lo = 0, hi = 0;
    bool approx = false;
    std::vector<std::string> sources;
    int64_t reported = -1;  // day * 4 + prec
  };
  std::map<int32_t, Acc> acc;
  std::vector<Entry> all;
  for (const auto& [name, id] : SeriesOfCharge(charge)) {
    ScanPrefix("R" + U32(id), &all);
    for (size_t i = 0; i < all.size();) {
      size_t j = i;
      while (j < all.size() && all[j].period == all[i].period) ++j;
      const Winner w = Resolve(all.data() + i, all.data() + j, std::numeric_limits<int32_t>::max());
      if (w.has) {
        Acc& a = acc[all[i].period];
        double lo, hi;
        FigureSpan(w.bound, w.value, &lo, &hi);
        a.lo += lo;
        a.hi += hi;
        a.approx |= w.bound == kApprox;
        if (std::find(a.sources.begin(), a.sources.end(), w.source) == a.sources.end()) a.sources.push_back(w.source);
        a.reported = std::max<int64_t>(a.reported, int64_t{w.day} * 4 + w.prec);
      }
      i = j;
    }
  }
  Lines out;
  for (const auto& [period, a] : acc)
    out.push_back(SumLine(period, a.lo, a.hi, a.approx, a.sources, static_cast<int32_t>(a.reported / 4),
                          static_cast<int32_t>(a.reported % 4)));
  return out;
}

void RocksPeer::Statuses(const std::vector<Entry>& cell, std::vector<std::string>* status) {
  status->assign(cell.size(), "current");
  for (size_t i = 0; i < cell.size(); ++i) {
    const Entry& e = cell[i];
    bool corrected = false, superseded = false;
    for (const Entry& x : cell) {
      if (x.source != e.source) continue;
      if (x.day == e.day && x.prec == e.prec && x.recorded > e.recorded) corrected = true;
      if (x.day > e.day || (x.day == e.day && x.prec != e.prec && x.recorded > e.recorded)) superseded = true;
    }
    (*status)[i] = corrected ? "corrected" : superseded ? "superseded" : e.bound == kRetracted ? "retracted" : "current";
  }
}

Lines RocksPeer::Revisions(const std::string& series, int32_t period) {
  uint32_t id;
  Lines out;
  if (!SeriesId(series, &id)) return out;
  std::vector<Entry> cell;
  ScanPrefix("R" + U32(id) + U32(static_cast<uint32_t>(period)), &cell);
  std::vector<std::string> status;
  Statuses(cell, &status);
  std::vector<size_t> idx(cell.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const Entry &x = cell[a], &y = cell[b];
    return std::tie(sources_[x.source].name, x.day, x.prec, x.recorded) <
           std::tie(sources_[y.source].name, y.day, y.prec, y.recorded);
  });
  for (size_t i : idx) {
    const Entry& e = cell[i];
    out.push_back(RevisionLine(series, period, sources_[e.source].name, e.day, e.prec, e.recorded, e.bound,
                               e.value, status[i], e.note));
  }
  return out;
}

Lines RocksPeer::Changes(int64_t since) {
  Lines out;
  std::string start(9, '\0');
  start[0] = 'T';
  Put64(start.data() + 1, static_cast<uint64_t>(since) + 1);
  rocksdb::Slice upper("U");
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  struct Cached {
    std::vector<Entry> cell;
    std::vector<std::string> status;
  };
  std::map<std::pair<uint32_t, int32_t>, Cached> cells;
  std::unordered_map<uint32_t, std::string> names;
  for (it->Seek(start); it->Valid(); it->Next()) {
    const char* k = it->key().data();
    const int64_t recorded = static_cast<int64_t>(Get64(k + 1));
    const uint32_t series = Get32(k + 9);
    const int32_t period = static_cast<int32_t>(Get32(k + 13));
    auto [c, fresh] = cells.try_emplace({series, period});
    if (fresh) {
      ScanPrefix("R" + U32(series) + U32(static_cast<uint32_t>(period)), &c->second.cell);
      Statuses(c->second.cell, &c->second.status);
    }
    std::string& name = names[series];
    if (name.empty()) db_->Get(rocksdb::ReadOptions(), "I" + U32(series), &name);
    for (size_t i = 0; i < c->second.cell.size(); ++i) {
      const Entry& e = c->second.cell[i];
      if (e.recorded != recorded) continue;
      out.push_back(RevisionLine(name, period, sources_[e.source].name, e.day, e.prec, e.recorded, e.bound,
                                 e.value, c->second.status[i], e.note));
    }
  }
  return out;
}

}  // namespace docket::bench
