// The Sink of the command-line front ends: results for a terminal, a pipe
// or a file, messages to stderr.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "cli/pipeline.h"
#include "cli/plot.h"
#include "cli/plugin_output.h"
#include "cli/render.h"

namespace docket::cli {

// The format of results on `out` when none is chosen: table on a
// terminal, else csv.
Format DefaultFormat(std::FILE* out);

// How results on `out` look when nothing is chosen: DefaultFormat; on a
// terminal, colour unless NO_COLOR is set, tables fitted to its width
// (RenderOptions::width) and ASCII borders when the locale's character set
// (LC_ALL, LC_CTYPE, LANG) is not UTF-8; a file or a pipe none of these.
RenderOptions TerminalOptions(std::FILE* out);

// Results through a ResultWriter, plots drawn as text as wide as the
// terminal, check lines as text, messages to stderr. Colour only when
// `out` is a terminal and NO_COLOR is not set.
class ConsoleOutput : public Sink {
 public:
  // When the plugin output of checks is printed: once, by the script's
  // WritePluginOutput at its end (spec §5), or for each check as it comes
  // (the interactive shell, which runs each statement as it is entered).
  enum class PluginTiming { kAtScriptEnd, kEachCheck };

  // TerminalOptions(out), with `format` if set and ASCII borders if
  // `ascii`. `destination` names `out` in the error of a failed Flush.
  ConsoleOutput(std::FILE* out, std::optional<Format> format, bool ascii,
                std::string destination = "standard output",
                PluginTiming plugin_timing = PluginTiming::kAtScriptEnd);
  // Results on `out` as `render` says; charts as wide as render.width, or
  // when that is 0 as TerminalWidth(out).
  ConsoleOutput(std::FILE* out, const RenderOptions& render, std::string destination,
                PluginTiming plugin_timing);

  void Begin(const std::vector<std::string>& columns) override { writer_.Begin(columns); }
  // The writer's refusal (a table or markdown result too long), or kIo
  // when writing to `out` failed: no use computing more rows.
  Status Row(const std::vector<Cell>& cells) override;
  void End() override { writer_.End(); }
  void Plot(const Table& rows) override { writer_.WriteChart(RenderPlot(rows, plot_)); }
  // Gathers the result for WritePluginOutput (with kEachCheck, a check's
  // is written at once); an assert that did not hold is told on stderr.
  void Check(std::string_view where, const CheckResult& result) override;
  // The plugin output of the results gathered since the last call, as
  // plain text whatever the format (plugin_output.h), then forgets them:
  // `DOCKET UNKNOWN - MESSAGE` for `error`, else the rows when a check was
  // among them, else nothing. A script calls it once at its end (spec §5),
  // the shell after each statement.
  void WritePluginOutput(const std::optional<std::string>& error = std::nullopt);
  void Message(std::string_view where, std::string_view message) override;
  // kIo "cannot write to DESTINATION" when a write to `out` failed; the
  // stream's error is then cleared, so that a later Flush tells of later
  // writes only.
  Status Flush() override;

 private:
  std::FILE* out_;
  std::string destination_;
  ResultWriter writer_;
  PlotOptions plot_;
  PluginTiming plugin_timing_;
  PluginReport plugin_;
};

}  // namespace docket::cli
