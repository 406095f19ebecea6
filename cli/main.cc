// argv -> options -> run -> exit code; nothing else.
#include <unistd.h>

#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "cli/export.h"
#include "cli/import.h"
#include "cli/maintenance.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/script.h"
#include "cli/serve_command.h"
#include "cli/shell/shell.h"

namespace {

int Run(char** argv, const std::vector<std::string>& args) {
  using namespace docket::cli;
  if (!args.empty() && args[0] == "serve") return RunServeCommand(argv);
  auto options = ParseCommandLine(args);
  if (!options.ok()) {
    ReportBadCommandLine(args, options.status().message());
    std::fflush(stdout);
    std::fprintf(stderr, "docket: %s\nTry `docket --help`.\n", options.status().message().c_str());
    return ExitCode(options.status().kind());
  }
  switch (options->command) {
    case Command::kHelp:
    case Command::kVersion: {
      std::fputs(options->command == Command::kHelp ? HelpText().c_str()
                                                    : "docket " DOCKET_VERSION "\n",
                 stdout);
      const docket::Status s = FlushStdout();
      if (!s.ok()) PrintError(nullptr, s, "");
      return s.ok() ? 0 : ExitCode(s.kind());
    }
    case Command::kImport:
      return RunImport(*options);
    case Command::kExport:
      return RunExport(*options);
    case Command::kVerify:
      return RunVerify(*options);
    case Command::kRepair:
      return RunRepair(*options);
    case Command::kCheckpoint:
      return RunCheckpoint(*options);
    case Command::kScript:
      if (options->scripts.empty() && ::isatty(STDIN_FILENO) == 1) return RunShell(*options);
      return RunScript(*options);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Out of memory (a limit such as `ulimit -v`): an exit code of the spec
  // rather than an abort. A statement that ran out did not commit.
  try {
    return Run(argv, args);
  } catch (const std::bad_alloc&) {
    std::fputs("docket: out of memory\n", stderr);
    return docket::cli::ExitCode(docket::ErrorKind::kIo);
  }
}
