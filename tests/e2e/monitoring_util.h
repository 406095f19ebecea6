// Helpers for the monitoring end-to-end tests (issue 4): background
// processes that can be killed, a FIFO that keeps an importer (and so the
// writer's lock) busy for as long as a test wants, big generated CSV files,
// and small parsers for what docket prints.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"

namespace docket::e2e {

// A process started in the background with stdout and stderr going to
// files and stdin from `stdin_path` (a FIFO there must already have a
// writer: the child opens it before exec while the parent waits). The destructor kills it (SIGKILL) if
// it is still running, so a failing test never leaves one behind.
class Background {
 public:
  Background(const std::string& program, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, const std::string& scratch_dir,
             const std::string& stdin_path = "/dev/null");
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  pid_t pid() const { return pid_; }
  // True while the process has not exited (reaps it if it has).
  bool Running();
  // Waits up to `timeout` for the process to end; its outcome, or
  // exit_code -1 if it is still running after the timeout.
  Outcome Wait(std::chrono::milliseconds timeout);
  // Sends SIGKILL and reaps the process; its outcome (128 + 9 if the signal
  // killed it, its exit code if it had ended before).
  Outcome Kill();
  // What it has written to stdout so far.
  std::string OutputSoFar() const { return ReadFile(out_path_); }

 private:
  Outcome Collect();
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_path_, err_path_;
};

// `docket import --db DB ... FIFO` in the background: the importer opens
// the archive for writing (taking the lock), then blocks reading the FIFO
// until the test closes it. Open() returns once the importer has opened the
// FIFO, i.e. once it holds the lock.
class HeldImport {
 public:
  // `extra_args` go between `import --db DB` and the FIFO's path.
  HeldImport(Docket& d, const std::string& fifo_name,
             const std::vector<std::string>& extra_args = {});
  ~HeldImport();
  // Waits (up to 20 s) for the importer to open the FIFO; false if it
  // exited or never opened it. The FIFO's write end is close-on-exec: a
  // process the test starts later must not keep the importer from seeing
  // the end of its file.
  bool Open();
  // Writes CSV text into the FIFO.
  void Write(const std::string& text);
  // Closes the FIFO (end of file for the importer) and waits for its outcome.
  Outcome Finish();
  const std::string& path() const { return fifo_; }
  Background& process() { return *process_; }

 private:
  std::string fifo_;
  int fd_ = -1;
  std::unique_ptr<Background> process_;
};

// The write end of a FIFO, opened once a reader has opened it (close-on-exec,
// blocking writes); -1 if `reader` exits first or 20 s pass.
int OpenFifoForWriting(const std::string& fifo, Background& reader);

// The environment a Docket's commands run with (its env(), e.g. DOCKET_NOW).
std::map<std::string, std::string> EnvOf(Docket& d);

// A CSV import file of `rows` rows for charge `charge`, source `source`:
// series `CHARGE{batch="B"}` with B = row / 1000 (prefixed with `tag`),
// monthly periods from 1900-01, each row a new report `= row % 997`
// reported on 2025-01. Every row is a new report; the file is written once
// per (rows, charge, source, tag) and test binary, and its path returned.
const std::string& GeneratedCsv(size_t rows, const std::string& charge, const std::string& source,
                                const std::string& tag);

// Lines of `text` without their '\n' (a final line without '\n' counts).
std::vector<std::string> Lines(const std::string& text);

// Fields of one CSV line (RFC 4180 quoting; no embedded newlines).
std::vector<std::string> CsvFields(const std::string& line);

// Seconds since `start`.
double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace docket::e2e
