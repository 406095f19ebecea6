// docket-bench: the workload generator and the peers as whole processes.
//
//   docket-bench generate --reports N --out FILE.csv [--seed S] [--defs FILE]
//   docket-bench sqlite-import --csv FILE --defs FILE --db FILE [--no-recorded-index]
//   docket-bench raw-import --csv FILE --defs FILE --db DIR
//
// The raw RocksDB one-shot queries are a separate static binary,
// docket-bench-raw (raw_query_main.cc), linked like `docket`.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/input.h"
#include "benchmarks/rocks_peer.h"
#include "benchmarks/sqlite_peer.h"
#include "benchmarks/workload.h"

using namespace docket::bench;

namespace {

int Usage() {
  std::fputs(
      "usage: docket-bench generate --reports N --out FILE.csv [--seed S] [--defs FILE]\n"
      "       docket-bench sqlite-import --csv FILE --defs FILE --db FILE [--no-recorded-index]\n"
      "       docket-bench raw-import --csv FILE --defs FILE --db DIR\n",
      stderr);
  return 64;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "docket-bench: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string command = argv[1];
  std::map<std::string, std::string> flags;
  std::vector<std::string> rest;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--no-recorded-index") {
      flags.insert_or_assign(a, std::string(1, '1'));
    } else if (a.rfind("--", 0) == 0 && i + 1 < argc) {
      flags[a] = argv[++i];
    } else {
      rest.push_back(a);
    }
  }
  std::string error;
  if (command == "generate") {
    uint64_t reports = 0, seed = 1;
    if (!flags.count("--out") || !ParseCount(flags["--reports"], &reports)) return Usage();
    if (flags.count("--seed") && !ParseCount(flags["--seed"], &seed)) return Usage();
    const Shape shape = ShapeFor(reports, seed);
    const std::string out = flags["--out"];
    std::string defs = flags.count("--defs") ? flags["--defs"] : out.substr(0, out.rfind('.')) + ".docket";
    if (defs == out) defs = out + ".docket";
    {
      std::ofstream d(defs, std::ios::binary);
      d << DefinitionsScript(shape);
      if (!d) return Fail("cannot write " + defs);
    }
    if (!WriteCsv(shape, out, &error)) return Fail(error);
    std::printf("%s: %llu reports (%llu series x %u years x %u sources x %u revisions), seed %llu\n%s: definitions\n",
                out.c_str(), static_cast<unsigned long long>(shape.reports()),
                static_cast<unsigned long long>(shape.series), shape.years, shape.sources, shape.revisions,
                static_cast<unsigned long long>(seed), defs.c_str());
    return 0;
  }
  if (command == "sqlite-import" || command == "raw-import") {
    if (!flags.count("--csv") || !flags.count("--defs") || !flags.count("--db")) return Usage();
    ImportStats stats;
    const bool ok = command == "sqlite-import"
                        ? SqliteImport(flags["--csv"], flags["--defs"], flags["--db"], kNowMicros,
                                       !flags.count("--no-recorded-index"), &stats, &error)
                        : RocksImport(flags["--csv"], flags["--defs"], flags["--db"], kNowMicros, &stats, &error);
    if (!ok) return Fail(error);
    std::printf("%llu rows\n", static_cast<unsigned long long>(stats.rows));
    return 0;
  }
  return Usage();
}
