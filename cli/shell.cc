#include "cli/shell.h"

#include "cli/script.h"

namespace docket::cli {

int RunShell(const Options& options) { return RunScript(options); }

}  // namespace docket::cli
