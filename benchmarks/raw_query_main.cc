// docket-bench-raw: raw RocksDB's one-shot process (issue 5, "the limit"),
// linked statically like `docket` so that start-up costs compare.
//
//   docket-bench-raw --db DIR point SERIES PERIOD AS_OF_DAY
//   docket-bench-raw --db DIR growth CHARGE|* FROM TO
#include <cstdio>
#include <string>

#include "benchmarks/rocks_peer.h"
#include "benchmarks/workload.h"

using namespace docket::bench;

int main(int argc, char** argv) {
  if (argc != 7 || std::string(argv[1]) != "--db") {
    std::fputs("usage: docket-bench-raw --db DIR point SERIES PERIOD AS_OF_DAY\n"
               "       docket-bench-raw --db DIR growth CHARGE|* FROM TO\n",
               stderr);
    return 64;
  }
  const std::string what = argv[3], arg = argv[4];
  RocksPeer peer;
  std::string error;
  if (!peer.Open(argv[2], &error)) {
    std::fprintf(stderr, "docket-bench-raw: %s\n", error.c_str());
    return 1;
  }
  Lines lines;
  if (what == "point") {
    lines = peer.Point(arg, std::stoi(argv[5]), std::stoi(argv[6]));
  } else if (what == "growth") {
    for (int c = 0; c < kCharges; ++c) {
      if (arg != "*" && arg != ChargeName(c)) continue;
      for (auto& l : peer.Growth(ChargeName(c), std::stoi(argv[5]), std::stoi(argv[6]))) lines.push_back(std::move(l));
    }
  } else {
    return 64;
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
