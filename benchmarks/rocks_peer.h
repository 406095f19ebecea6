// Raw RocksDB (issue 5): the limit. The simplest key-value layout that
// answers the same questions, no query language, resolution hand-written
// for each question. Keys (fixed-width big-endian):
//
//   'P' source name                   -> id(u16) priority(i64)
//   'S' canonical series text         -> id(u32)
//   'I' id(u32)                       -> canonical series text
//   'R' series(u32) period(u32) source(u16) day(u32, +2^31) ~recorded(u64)
//                                     -> prec(u8) bound(u8) varint value [note]
//   'T' recorded(u64) series period source day     -> empty
//
// The import sorts in memory and ingests two SST files (SstFileWriter +
// IngestExternalFile): atomic and synced. The table format is docket's
// (4 KiB LZ4 blocks, a ZSTD time index, a partitioned index); see
// RawOptions in rocks_peer.cc and benchmarks/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/answers.h"

namespace rocksdb {
class DB;
class Iterator;
}

namespace docket::bench {

bool RocksImport(const std::string& csv, const std::string& definitions, const std::string& path,
                 int64_t now, ImportStats* stats, std::string* error);

class RocksPeer {
 public:
  RocksPeer();
  ~RocksPeer();
  bool Open(const std::string& path, std::string* error);

  Lines Point(const std::string& series, int32_t period, int32_t as_of);
  Lines Series(const std::string& series);
  Lines Growth(const std::string& charge, int32_t from, int32_t to);
  Lines Sum(const std::string& charge);
  Lines Revisions(const std::string& series, int32_t period);
  Lines Changes(int64_t since);

  struct Entry;

 private:
  bool SeriesId(const std::string& series, uint32_t* id);
  std::vector<std::pair<std::string, uint32_t>> SeriesOfCharge(const std::string& charge);
  void ScanPrefix(const std::string& prefix, std::vector<Entry>* out);
  Winner Resolve(const Entry* begin, const Entry* end, int32_t as_of);
  void Statuses(const std::vector<Entry>& cell, std::vector<std::string>* status);

  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<rocksdb::Iterator> it_;  // one iterator for every scan (read-only)
  struct SourceInfo {
    std::string name;
    int64_t priority = 0;
  };
  std::map<uint16_t, SourceInfo> sources_;
};

}  // namespace docket::bench
