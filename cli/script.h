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
// and check lines as text (plugin_output.h), messages to stderr.
class ConsoleOutput : public Output {
 public:
  ConsoleOutput(std::FILE* out, RenderOptions render, PlotOptions plot)
      : writer_(out, render), plot_(plot) {}
  void Rows(const Table& table) override { writer_.Write(table); }
  void Plot(const Table& rows) override { writer_.WriteChart(RenderPlot(rows, plot_)); }
  // Check lines to stdout whatever the format; an assert that did not hold to stderr.
  void Check(std::string_view where, const CheckResult& result) override;
  void Message(std::string_view where, std::string_view message) override;

 private:
  ResultWriter writer_;
  PlotOptions plot_;
};

// Exit code for a run's worst check state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
int ExitCode(CheckState state);

// Runs the script given by -e/-f (or stdin) and returns the exit code.
int RunScript(const Options& options);

}  // namespace docket::cli
