// Running a script from the command line (spec §5): all -e and -f, in
// order, or stdin, parsed and checked whole, then run and committed as one
// batch through the statement pipeline.
#pragma once

#include "cli/options.h"

namespace docket::cli {

// Runs the script given by -e/-f (or stdin), prints its results to stdout
// and its errors to stderr, and returns the exit code. A script that only
// reads and succeeds ends the process itself (std::_Exit) without closing
// the archive.
int RunScript(const Options& options);

}  // namespace docket::cli
