// Running a script from the command line (spec §5): all -e and -f, in
// order, or stdin, parsed and checked whole, then run and committed as one
// batch through the statement pipeline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"

namespace docket::cli {

// Runs the script given by -e/-f (or stdin), prints its results to stdout
// and its errors to stderr, and returns the exit code. A script that only
// reads and succeeds ends the process itself (std::_Exit) without closing
// the archive.
int RunScript(const Options& options);

// For a command line that could not be parsed (`args` without argv[0]):
// `DOCKET UNKNOWN - MESSAGE` on stdout when one of its -e texts holds a
// check, so that a bad command line of a monitoring plugin says why where
// the monitoring host looks (spec §5).
void ReportBadCommandLine(const std::vector<std::string>& args, std::string_view message);

}  // namespace docket::cli
