// Running a script from the command line (spec §5): all -e and -f, in
// order, or stdin, parsed and checked whole, then run and committed as one
// batch.
#pragma once

#include <cstdio>
#include <string>

#include "cli/options.h"
#include "cli/plot.h"
#include "cli/render.h"
#include "query/query.h"

namespace docket::cli {

// Output to the terminal or pipes: results through a ResultWriter, plots
// and check lines as text, messages to stderr.
class ConsoleOutput : public Output {
 public:
  ConsoleOutput(std::FILE* out, RenderOptions render, PlotOptions plot)
      : writer_(out, render), plot_(plot) {}
  void Result(const Table& table) override { writer_.Write(table); }
  void Plot(const Table& rows) override { writer_.WriteChart(RenderPlot(rows, plot_)); }
  void Text(std::string_view line) override { writer_.WriteText(line); }
  void Message(std::string_view where, std::string_view message) override;

  ResultWriter& writer() { return writer_; }
  PlotOptions& plot_options() { return plot_; }

 private:
  ResultWriter writer_;
  PlotOptions plot_;
};

// Exit code for a run's outcome: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
int ExitCode(Outcome outcome);

// Runs the script given by -e/-f (or stdin) and returns the exit code.
int RunScript(const Options& options);

}  // namespace docket::cli
