// The server's Sinks (spec §8): a script's results as the json results
// object, or as the bytes `docket --format F` prints; both bounded by
// --max-rows and --timeout.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/console_output.h"
#include "cli/pipeline.h"
#include "cli/plugin_output.h"
#include "cli/render.h"

namespace docket::cli::server {

// The bounds of one request: rows of its results, and a deadline until
// which a run may commit.
class Limits {
 public:
  Limits(size_t max_rows, std::chrono::steady_clock::time_point deadline)
      : max_rows_(max_rows), deadline_(deadline) {}
  // Counts `n` more rows; false once the total is past max_rows.
  bool AddRows(size_t n);
  bool too_many_rows() const { return rows_ > max_rows_; }
  size_t rows() const { return rows_; }
  size_t max_rows() const { return max_rows_; }
  bool timed_out() const { return std::chrono::steady_clock::now() > deadline_; }
  // For a Sink's Flush: kIo when a bound was crossed, so that nothing is
  // committed (the request answers 413 or 503 instead).
  Status Check() const;

 private:
  size_t max_rows_;
  size_t rows_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

// A FILE* writing to memory (open_memstream), for writers that take one.
class MemoryFile {
 public:
  MemoryFile();
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::FILE* get() const { return file_; }
  // What was written so far.
  std::string_view text();
  // Forgets what was written.
  void Clear();

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_ = nullptr;
};

// Holds a MemoryFile for a class whose base must write to it: a base
// listed first is built first.
struct MemoryHolder {
  MemoryFile memory;
};

// The bytes `docket --format F` prints on stdout, in memory; messages
// (stderr's on the command line) are left out.
class TextSink : private MemoryHolder, public ConsoleOutput {
 public:
  TextSink(Format format, Limits* limits);
  // Counts the row against --max-rows: past it, the limit's error.
  Status Row(const std::vector<Cell>& cells) override;
  void Plot(const Table& rows) override;
  void Message(std::string_view where, std::string_view message) override;
  Status Flush() override;
  std::string body();

 private:
  Limits* limits_;
};

// The json results object of spec §8, built as the run goes.
class JsonSink : public Sink {
 public:
  JsonSink(const ast::Script& script, Limits* limits);
  void Begin(const std::vector<std::string>& columns) override;
  // Counts the row against --max-rows: past it, the limit's error.
  Status Row(const std::vector<Cell>& cells) override;
  void End() override;
  void Plot(const Table& rows) override;
  void Check(std::string_view where, const CheckResult& result) override;
  void Message(std::string_view where, std::string_view message) override;
  Status Flush() override { return limits_->Check(); }
  // `{"results": […], "check": …, "outcome": …, "exit_code": …, "warnings": […]}` and a newline.
  std::string Body(CheckState state, int exit_code) const;

 private:
  // The text of the next statement that prints, from the script.
  std::string NextStatement();
  // The result in rows_ as the next entry of results_.
  void AddResult(const std::string& statement, const std::vector<std::string>& columns);

  const ast::Script& script_;
  Limits* limits_;
  size_t next_ = 0;  // the statement after the last one that printed
  MemoryFile rows_;  // one result's rows as `docket --format json` prints them
  // The result between Begin and End: its statement, fields and writer.
  std::string statement_;
  std::vector<std::string> columns_;
  std::unique_ptr<ResultWriter> writer_;
  std::vector<std::string> results_;  // each a json object
  PluginReport report_;  // every assert and check, for the script's plugin output
  std::vector<std::string> warnings_;
};

}  // namespace docket::cli::server
