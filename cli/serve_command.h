// `docket serve` (spec §8) is the binary `docket-serve` installed beside
// `docket` (cli/server/): the HTTP library it uses is a shared one, and
// `docket` itself stays a static binary that starts fast.
#pragma once

namespace docket::cli {

// Replaces this process with `docket-serve` from the directory of the
// running binary, passing the arguments after `serve`. Returns only when
// that fails: 74, with the reason on stderr.
int RunServeCommand(char** argv);

}  // namespace docket::cli
