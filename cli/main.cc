// argv -> options -> run -> exit code; nothing else.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/diagnostics.h"
#include "cli/export.h"
#include "cli/import.h"
#include "cli/maintenance.h"
#include "cli/options.h"
#include "cli/script.h"
#include "cli/shell.h"

int main(int argc, char** argv) {
  using namespace docket::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto options = ParseCommandLine(args);
  if (!options.ok()) {
    std::fprintf(stderr, "docket: %s\nTry `docket --help`.\n", options.status().message().c_str());
    return ExitCode(options.status().kind());
  }
  switch (options->command) {
    case Command::kHelp:
      std::fputs(HelpText().c_str(), stdout);
      return 0;
    case Command::kVersion:
      std::printf("docket %s\n", DOCKET_VERSION);
      return 0;
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
