// `docket serve`'s command line (spec §8): its flags, their defaults and
// limits. No I/O beyond reading the environment.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/status.h"
#include "storage/types.h"

namespace docket::cli::server {

struct ServeOptions {
  bool help = false;
  std::string db;                    // absolute and canonical
  std::string host = "127.0.0.1";    // --listen ADDR
  int port = 8470;                   // --listen :PORT; 0 picks a free one
  std::string token_file;            // empty: writes are refused
  size_t threads = 0;                // the number of cores unless given
  size_t max_rows = 100'000;         // rows of one query's result
  double timeout_seconds = 10;       // until a response starts
  double wait_seconds = 5;           // for the writer's lock
  bool follow = false;               // a read replica of another process's archive
  std::optional<Micros> now;         // DOCKET_NOW
};

// The largest request body: past it, 413.
inline constexpr size_t kMaxBodyBytes = size_t{64} << 20;

// Parses the arguments after `serve`. kUsage on a bad flag or DOCKET_NOW.
Result<ServeOptions> ParseServeOptions(const std::vector<std::string>& args);

// The text of `docket serve --help`.
std::string ServeHelpText();

}  // namespace docket::cli::server
