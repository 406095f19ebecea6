// The interactive shell (issue #3, spec §5): line editing and history with
// libedit, tab completion from the archive's catalog, meta-commands, and
// statements run one by one through the statement pipeline, each on a
// fresh snapshot of the archive. docs/shell.md describes it for users.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Runs the shell on the terminal until \quit or Ctrl-D on an empty line.
// Requires stdin to be a terminal. Errors are printed and the shell carries
// on, so it always returns 0.
int RunShell(const Options& options);

}  // namespace docket::cli
