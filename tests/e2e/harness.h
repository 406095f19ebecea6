// End-to-end harness: runs the real `docket` binary on a temporary archive
// and captures what a user would see: stdout, stderr and the exit code.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/temp_dir.h"

namespace docket::e2e {

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

// The docket binary under test: $DOCKET_BINARY when set (scripts/test
// points it at the sanitized build's), else the one CMake built beside the
// tests.
std::string DocketBinary();

// The argv and envp that posix_spawn needs for `program args...` with
// `env` added to a clean environment: PATH and HOME from this process,
// LANG=C.UTF-8, nothing else (so no NO_COLOR).
class SpawnArgs {
 public:
  SpawnArgs(const std::string& program, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env);
  SpawnArgs(const SpawnArgs&) = delete;
  SpawnArgs& operator=(const SpawnArgs&) = delete;
  char* const* argv() const { return argv_.data(); }
  char* const* envp() const { return envp_.data(); }

 private:
  std::vector<std::string> args_, env_;  // own the strings the pointers point into
  std::vector<char*> argv_, envp_;       // null-terminated
};

// Runs `program args...` in SpawnArgs' clean environment plus `env`,
// feeding `input` on stdin.
Outcome RunProgram(const std::string& program, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {},
                   const std::string& input = "");

// A temporary archive and a fixed clock (DOCKET_NOW=2025-11-01T00:00:00Z by default).
class Docket {
 public:
  Docket();
  const std::string& db() const { return db_; }
  const TempDir& dir() const { return dir_; }
  std::map<std::string, std::string>& env() { return env_; }

  // `docket --db DB args...`; for a subcommand (import, export, verify, repair,
  // checkpoint) it comes first.
  Outcome Run(const std::vector<std::string>& args, const std::string& input = "") const;
  // `docket --db DB --format csv -e script`.
  Outcome Query(const std::string& script) const;
  // Writes `text` to a file in the temporary directory and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) const;
  // Everything the archive holds (its jsonl backup), or "<missing>" when
  // the archive does not exist: compare before and after to prove a
  // failed command wrote nothing.
  std::string Fingerprint() const;

 private:
  TempDir dir_;
  std::string db_;
  std::map<std::string, std::string> env_;
};

// Reads a whole file; empty if it does not exist.
std::string ReadFile(const std::string& path);

// exit code, stdout and stderr of `o` as one text, for failure messages.
std::string Describe(const Outcome& o);

// Empty when `o` exited 0 with nothing on stderr, else Describe(o): for
// set-up steps, `ASSERT_EQ(FailureOf(d.Query(script)), "")`.
std::string FailureOf(const Outcome& o);

// The records of CSV text (RFC 4180: quoted fields may hold commas, doubled
// quotes and newlines). A final line break ends the last record.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);

// The values of column `name` in CSV text whose first record is a header;
// {"<no column NAME>"} if there is no such column.
std::vector<std::string> CsvColumn(const std::string& text, const std::string& name);

}  // namespace docket::e2e
