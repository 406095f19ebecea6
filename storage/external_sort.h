// Internal to storage: sorts records that may not fit in memory. Records
// are a fixed-size key plus a payload; those that do not fit in the memory
// budget are spilled to sorted run files under a directory and merged.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace docket {

// Appends records (key, payload) to a file; the format RunReader reads.
class RunWriter {
 public:
  static Result<std::unique_ptr<RunWriter>> Create(const std::string& path, size_t key_size);
  ~RunWriter();
  Status Add(std::string_view key, std::string_view payload);
  Status Close();

 private:
  RunWriter(std::FILE* f, std::string path, size_t key_size);
  std::FILE* f_;
  std::string path_;
  size_t key_size_;
  std::string buffer_;
};

// Reads a run file written by RunWriter, one record at a time.
class RunReader {
 public:
  static Result<std::unique_ptr<RunReader>> Open(const std::string& path, size_t key_size);
  ~RunReader();
  // False at the end or on error (see status()). The views stay valid until the next call.
  bool Next(std::string_view* key, std::string_view* payload);
  const Status& status() const { return status_; }

 private:
  RunReader(std::FILE* f, std::string path, size_t key_size);
  bool Fill(size_t n);
  std::FILE* f_;
  std::string path_;
  size_t key_size_;
  std::string buffer_;
  size_t pos_ = 0;
  Status status_;
};

class ExternalSorter {
 public:
  // Run files are named `<dir>/<name>-N.run`. Keys must be unique.
  ExternalSorter(std::string dir, std::string name, size_t key_size, size_t memory_budget);
  ~ExternalSorter();

  Status Add(std::string_view key, std::string_view payload);
  // Ends input; Next then yields every record in key order.
  Status Finish();
  bool Next(std::string_view* key, std::string_view* payload);
  const Status& status() const { return status_; }
  uint64_t size() const { return count_; }

 private:
  struct Entry {
    uint64_t prefix;  // the key's first 8 bytes, big-endian: most comparisons end here
    uint64_t offset;  // into arena_
  };
  struct Cursor;
  void SortChunk();
  Status Spill();
  std::string_view KeyAt(uint64_t offset) const;

  std::string dir_, name_;
  size_t key_size_, budget_;
  std::string arena_;  // key, varint payload size, payload; per record
  std::vector<Entry> entries_;
  std::vector<std::string> runs_;
  uint64_t count_ = 0;
  // Reading: from memory when nothing was spilled, else a merge of runs.
  size_t next_entry_ = 0;
  std::vector<std::unique_ptr<Cursor>> heap_;
  Status status_;
};

}  // namespace docket
