// The jsonl restore reader, end to end in process: `docket import` of the
// input as a backup (cli/import.h RunImport), as a dry run into an archive
// that does not exist, so every run starts from the same empty state and
// writes nothing. Any input must end in an exit code, never a crash.
//
// A parse-and-validate-one-line entry point in cli/import.h would make this
// target cheaper (no archive open per run); RunImport is the public face today.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/import.h"
#include "cli/options.h"
#include "storage/types.h"
#include "tests/temp_dir.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static docket::TempDir dir;
  static const std::string backup = dir.File("backup.jsonl");
  std::FILE* f = std::fopen(backup.c_str(), "wb");
  if (!f || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) std::abort();

  docket::cli::Options options;
  options.command = docket::cli::Command::kImport;
  options.db = dir.File("archive");
  options.dry_run = true;
  options.files = {backup};
  options.now = *docket::ParseTimestamp("2025-11-01T00:00Z");
  options.today = docket::DaysFromCivil(2025, 11, 1);
  const int code = docket::cli::RunImport(options);
  if (code != 0 && code != 65) std::abort();  // a bad backup is 65 (spec §5)
  return 0;
}
