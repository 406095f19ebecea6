// Runs a whole process and measures it from outside: wall time, peak
// resident memory (wait4's ru_maxrss) and what it printed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace docket::bench {

struct ProcessResult {
  int exit_code = -1;     // -1: did not run or killed by a signal
  double seconds = 0;     // spawn to reaped
  double cpu_seconds = 0; // the child's user + system time
  long max_rss_kib = 0;   // the child's peak RSS (see RunProcess)
  std::string out, err;
};

// Runs argv[0] (a path) with the current environment plus `env`, stdin
// from /dev/null; stdout and stderr are captured.
//
// With `measure_rss` the command runs under `/usr/bin/time -f %M`, and
// max_rss_kib is the command's own peak. (wait4's ru_maxrss of a child
// spawned straight from a large process is useless: the high-water mark
// survives exec, so it reports at least the parent's RSS.) /usr/bin/time
// adds about a millisecond to `seconds`: time short commands without it.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {}, bool measure_rss = false);

// Sum of the sizes of the regular files under `path` (a file or a directory).
uint64_t DiskBytes(const std::string& path);

}  // namespace docket::bench
