// `docket serve` (spec §8): the archive over HTTP.
#pragma once

#include <string>
#include <vector>

namespace docket::cli::server {

// Runs the server with the arguments after `serve` until SIGTERM or
// SIGINT; returns the exit code (0 after a graceful stop; 64 for a bad
// command line, 66 for a missing archive, 74 when it cannot listen).
int RunServe(const std::vector<std::string>& args);

}  // namespace docket::cli::server
