#include "cli/script.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/console_output.h"
#include "cli/diagnostics.h"
#include "cli/input_file.h"
#include "cli/pipeline.h"

namespace docket::cli {
namespace {

int Fail(const Diagnostic& d) {
  PrintDiagnostic(d);
  return d.exit_code();
}

}  // namespace

int RunScript(const Options& options) {
  Pipeline pipeline(PipelineOptionsFrom(options));
  std::vector<ScriptArg> args = options.scripts;
  if (args.empty()) args.push_back({true, "-"});
  int e_count = 0;
  for (const auto& arg : args) {
    std::string origin, text;
    if (arg.is_file) {
      origin = arg.value == "-" ? "<stdin>" : arg.value;
      auto read = ReadInput(arg.value, kMaxScriptBytes + 1);
      if (!read.ok()) return Fail(Diagnose(nullptr, read.status(), origin));
      text = std::move(*read);
    } else {
      origin = ++e_count == 1 ? "-e" : fmt::format("-e#{}", e_count);
      text = arg.value;
    }
    if (auto error = pipeline.Parse(std::move(origin), std::move(text))) return Fail(*error);
  }
  if (pipeline.size() == 0) return 0;
  if (auto error = pipeline.Check()) return Fail(*error);

  ConsoleOutput output(stdout, options.format, options.ascii);
  const Ran ran = pipeline.Run(0, pipeline.size(), output);
  if (ran.error) return Fail(*ran.error);
  // A read-only run leaves without closing the archive: exiting releases its
  // files and lock, and RocksDB's orderly teardown would add a visible
  // share of a one-shot query's time (figures in benchmarks/README.md).
  if (!pipeline.writes()) std::_Exit(ran.exit_code());
  return ran.exit_code();
}

}  // namespace docket::cli
