// The interactive shell (issue #3): line editing, history, completion,
// meta-commands; each statement runs on a fresh snapshot of the archive.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Runs the shell on stdin/stdout until \quit or end of input; returns the exit code.
int RunShell(const Options& options);

}  // namespace docket::cli
