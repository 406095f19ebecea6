// What the meta-commands (meta_commands.h) may do to the shell session
// they run in. Session implements it; the meta-commands know only this.
#pragma once

#include <string>
#include <string_view>

#include "cli/options.h"
#include "cli/render.h"
#include "cli/shell/shell_output.h"
#include "storage/status.h"

namespace docket::cli {

// What the meta-commands set.
struct ShellSettings {
  Format format = Format::kTable;
  bool ascii = false;
  bool timing = false;  // print how long each statement took
  Expanded expanded = Expanded::kOff;  // \x
  bool pager = true;  // results taller than the terminal through PagerCommand()
};

// How a text's statements run: typed input one statement at a time, each
// committed at once; a script file (\read) as one batch, like `docket -f`.
enum class Batch { kEachStatement, kWhole };

class ShellControl {
 public:
  virtual ~ShellControl() = default;

  virtual const Options& options() const = 0;
  virtual ShellSettings& settings() = 0;
  // Writes what the shell says (not results) to the terminal, after any
  // pending results.
  virtual void Say(std::string_view text) const = 0;
  // Parses `text` (one piece from `origin`) and runs it through the
  // pipeline in `batch`es into `output`, each timed with \timing, until one
  // fails. Errors are printed with their place.
  virtual void RunText(const std::string& origin, std::string text, Batch batch, Sink& output) = 0;
  // Results in the current format to the current destination: on the
  // terminal, fitted to its width and through the pager when it is on.
  virtual ShellOutput MakeOutput() const = 0;
  // Sends results to the file at `path`, truncated first, or back to
  // standard output when `path` is empty. kIo when it cannot be written.
  virtual Status SendResultsTo(const std::string& path) = 0;
  // The \output file, or empty for standard output.
  virtual const std::string& results_path() const = 0;
  // Where history is saved, or empty when it is kept in memory only.
  virtual const std::string& history_path() const = 0;
  // "5 series, 25 reports (27 versions)", or why there is no count.
  virtual std::string ArchiveSummary() const = 0;
  virtual void Quit() = 0;
};

}  // namespace docket::cli
