// Reading the workload for the peers (SQLite, raw RocksDB): the CSV rows
// and the definitions script, parsed just far enough for them. docket's
// own import reads the same files with its own parser.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace docket::bench {

struct SourceDefinition {
  std::string name;
  int64_t priority = 0;
};

// `define charge NAME …;` and `define source NAME … priority N …;`.
bool ReadDefinitions(const std::string& path, std::vector<std::string>* charges,
                     std::vector<SourceDefinition>* sources, std::string* error);

// Bounds as the peers store them; a retraction has no value.
enum PeerBound : int { kEq = 0, kGe = 1, kLe = 2, kApprox = 3, kRetracted = 4 };

struct InputRow {
  std::string charge;
  std::string series;  // canonical text, labels sorted by key
  int32_t period = 0;  // year * 32 + slot (slot 0: the year; docket's display order)
  std::string source;
  int32_t day = 0;     // effective reported day, days since the epoch
  int32_t prec = 2;    // 0 year, 1 month, 2 day (the date as written)
  int bound = kEq;
  uint64_t value = 0;
  std::string note, url;
};

// A streaming RFC 4180 reader for the import CSV.
class CsvInput {
 public:
  ~CsvInput();
  bool Open(const std::string& path, std::string* error);
  // False at the end; on a bad row, false with `error` set.
  bool Next(InputRow* row, std::string* error);

 private:
  bool Record(std::vector<std::string>* fields);
  int Get();

  std::FILE* f_ = nullptr;
  std::vector<char> buf_;
  size_t pos_ = 0, size_ = 0;
  std::vector<std::string> fields_;
  int charge_ = -1, period_ = -1, value_ = -1, source_ = -1, reported_ = -1, note_ = -1, url_ = -1,
      bound_ = -1;
  std::vector<std::pair<std::string, int>> labels_;  // sorted by key
  uint64_t line_ = 1;
};

// Period text → year * 32 + slot, or -1.
int32_t ParsePeriod(const std::string& text);
std::string PeriodText(int32_t period);
// Reported date text → effective day and precision; false if malformed.
bool ParseReported(const std::string& text, int32_t* day, int32_t* prec);
std::string ReportedText(int32_t day, int32_t prec);
// `145`, `>=28`, `<=10`, `~36` (a retraction: empty).
std::string FigureText(int bound, uint64_t value);

}  // namespace docket::bench
