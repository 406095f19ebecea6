#include "cli/script.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/console_output.h"
#include "cli/diagnostics.h"
#include "cli/input_file.h"
#include "cli/pipeline.h"
#include "cli/plugin_output.h"

namespace docket::cli {

int RunScript(const Options& options) {
  Pipeline pipeline(PipelineOptionsFrom(options));
  ConsoleOutput output(stdout, options.format, options.ascii);
  // A script with a check is a monitoring plugin: an error that stops it
  // still owes Nagios a status line on stdout (spec §5).
  bool plugin = false;
  auto Fail = [&](const Diagnostic& d) {
    if (plugin) {
      output.WritePluginOutput(d.message);
      (void)output.Flush();  // the error's exit code says more than a lost line
    }
    PrintDiagnostic(d);
    return d.exit_code();
  };
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
    plugin = plugin || MentionsCheck(text);
    if (auto error = pipeline.Parse(std::move(origin), std::move(text))) return Fail(*error);
  }
  if (pipeline.size() == 0) return 0;
  if (auto error = pipeline.Check()) return Fail(*error);

  const Ran ran = pipeline.Run(0, pipeline.size(), output);
  if (ran.error) return Fail(*ran.error);
  output.WritePluginOutput();
  if (Status s = output.Flush(); !s.ok()) return Fail(Diagnose(nullptr, s, ""));
  // A read-only run leaves without closing the archive: exiting releases its
  // files and lock, and RocksDB's orderly teardown would add a visible
  // share of a one-shot query's time (figures in benchmarks/README.md).
  if (!pipeline.writes()) std::_Exit(ran.exit_code());
  return ran.exit_code();
}

void ReportBadCommandLine(const std::vector<std::string>& args, std::string_view message) {
  bool plugin = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-e" && i + 1 < args.size()) plugin = plugin || MentionsCheck(args[i + 1]);
    if (args[i].starts_with("-e=")) plugin = plugin || MentionsCheck(args[i].substr(3));
  }
  if (plugin) std::printf("%s\n", PluginErrorLine(message).c_str());
}

}  // namespace docket::cli
