// One shell session: its settings, where results go, and the loop that
// reads lines and runs what they amount to. Meta-commands (meta_commands.h)
// act on it through the public members below.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "cli/console_output.h"
#include "cli/options.h"
#include "cli/render.h"
#include "cli/shell/completion.h"
#include "cli/shell/line_editor.h"

namespace docket::cli {

// What the meta-commands set.
struct ShellSettings {
  Format format = Format::kTable;
  bool ascii = false;
  bool timing = false;  // print how long each statement took
};

// How a text's statements run: typed input one statement at a time, each
// committed at once; a script file (\read) as one batch, like `docket -f`.
enum class Batch { kEachStatement, kWhole };

class Session {
 public:
  explicit Session(const Options& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The banner, then lines until \quit or Ctrl-D on an empty line. Returns 0.
  int Run();

  const Options& options() const { return options_; }
  ShellSettings& settings() { return settings_; }
  // Writes what the shell says (not results) to the terminal, after any
  // pending results.
  void Say(std::string_view text) const;
  // Parses `text` (one piece from `origin`) and runs it through the
  // pipeline in `batch`es into `output`, each timed with \timing, until one
  // fails. Errors are printed with their place.
  void RunText(const std::string& origin, std::string text, Batch batch, Sink& output);
  // Results in the current format to the current destination.
  ConsoleOutput MakeOutput() const;
  // Sends results to the file at `path`, truncated first, or back to
  // standard output when `path` is empty. kIo when it cannot be written.
  Status SendResultsTo(const std::string& path);
  // The \output file, or empty for standard output.
  const std::string& results_path() const { return out_path_; }
  // Where history is saved, or empty when it is kept in memory only.
  const std::string& history_path() const { return editor_.history_path(); }
  void Quit() { quit_ = true; }

 private:
  void PrintBanner();
  std::string_view PromptFor() const;
  void HandleLine(const std::string& line);
  // For completion; reloaded after statements run.
  const Catalog& catalog();

  Options options_;
  ShellSettings settings_;
  bool quit_ = false;
  std::FILE* out_ = stdout;  // results: stdout, or the \output file
  std::string out_path_;
  std::FILE* term_;      // the shell's own words: banner, prompts, help, settings
  std::string pending_;  // typed lines of statements not yet ended by `;`
  std::optional<Catalog> catalog_;
  LineEditor editor_;
};

// "5 series, 25 reports (27 versions)", or why there is no count.
std::string ArchiveSummary(const std::string& db);

}  // namespace docket::cli
