// The statement pipeline: every front end (a script, the shell, a server)
// takes statements from text to a commit the same way (spec §5):
//
//   Parse      each piece of text, in order
//   Check      refuse writes when read-only, then check every name against
//              a read-only view opened now, before any writer's lock
//   Run        open (the checked view for a first range that only reads,
//              else a fresh view, or the writer's lock when a statement
//              writes, checked again), run into a Sink, flush it, commit
//
// It prints nothing and assumes no terminal: errors come back as
// Diagnostics, output goes to the caller's Sink. Not thread-safe: one
// Pipeline per thread, like Archive.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "cli/options.h"
#include "query/query.h"

namespace docket::cli {

// Where a run's output goes: an Output that can tell, once the run is
// done, whether all of it reached its destination.
class Sink : public Output {
 public:
  // Delivers what is buffered; kIo when some output was lost since the
  // last Flush.
  virtual Status Flush() = 0;
};

// Opens a read-only view of the archive: a snapshot as of the call.
using ViewOpener = std::function<Result<std::shared_ptr<Archive>>()>;

struct PipelineOptions {
  std::string db;             // the archive's path
  bool read_only = false;     // refuse define, record and retract
  double wait_seconds = 5;    // how long a write waits for another writer's lock
  std::optional<Micros> now;  // a fixed "now" (DOCKET_NOW); unset: the clock, read at each step
  // Past it, a Run stops inside evaluation (query.h: Deadline) and commits
  // nothing; unset: never (the command line).
  Deadline deadline;
  // How views are opened; unset: Archive::Open(db, ReadOpen()) each time.
  // A server may hand out a snapshot it holds instead.
  ViewOpener open_view;
  // Where Parse takes statements it parsed before (a server thread's, which
  // outlives the Pipeline); unset: each text is parsed.
  ParseCache* parse_cache = nullptr;
};

// The options of a command-line front end: its archive, --read-only,
// --wait, and DOCKET_NOW when it is set.
PipelineOptions PipelineOptionsFrom(const Options& options);

// What running statements gave.
struct Ran {
  // The first error: the statements after it did not run and nothing of
  // the range was committed.
  std::optional<Diagnostic> error;
  CheckState state = CheckState::kOk;  // the worst assert/check state

  int exit_code() const { return error ? error->exit_code() : ExitCode(state); }
};

class Pipeline {
 public:
  explicit Pipeline(PipelineOptions options);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Parses one more piece of text from `origin` (`-e`, a file, `<stdin>`),
  // with "today" from now. An error (kInput, placed in the piece) leaves
  // none of its statements; the caller should not go on.
  std::optional<Diagnostic> Parse(std::string origin, std::string text);

  // After the last Parse: refuses a writing statement when read-only, then
  // checks names against a view opened now (a missing archive is an empty
  // catalog when the script writes, else kNotFound). Names in the archive
  // that have become reserved words are warned of by the first Run.
  // Nothing to do without statements.
  std::optional<Diagnostic> Check();

  // After Check: runs statements [first, last) into `sink` and commits
  // their writes when none failed and Flush succeeded. The first range that
  // only reads runs on the view Check opened; other reads open a fresh
  // view; a range that writes takes the writer's lock (waiting up to
  // wait_seconds), is checked again on it (another writer may have defined
  // names meanwhile) and releases it before returning. Ranges run in order.
  Ran Run(size_t first, size_t last, Sink& sink);

  const ast::Script& script() const { return script_; }
  size_t size() const { return script_.statements.size(); }
  bool writes() const { return script_.writes(); }

 private:
  Micros Now() const;
  // WHERE for errors of the whole script: the origin of its first piece.
  std::string_view where() const;
  Diagnostic Error(const Status& status) const;

  PipelineOptions options_;
  ast::Script script_;
  // Said once, through the first range's Sink: names in the archive that
  // are reserved words since it was written (spec §7).
  std::vector<std::string> warnings_;
  std::shared_ptr<Archive> checked_;  // Check's view, until a range that only reads uses it
  // The view the last range read, kept open until the next Run or the
  // Pipeline's end, so that a one-shot caller may leave at once without
  // the archive's orderly teardown.
  std::shared_ptr<Archive> last_view_;
};

}  // namespace docket::cli
