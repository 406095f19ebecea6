// The command line (spec §5): argv and the environment, parsed into one
// struct. No I/O beyond reading the environment.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/render.h"
#include "storage/archive.h"
#include "storage/status.h"
#include "storage/types.h"

namespace docket::cli {

enum class Command { kScript, kImport, kExport, kVerify, kRepair, kCheckpoint, kHelp, kVersion };

enum class ExportFormat { kCsv, kJsonl, kOpenMetrics };

// One -e or -f in command-line order.
struct ScriptArg {
  bool is_file = false;
  std::string value;  // statements, or a path
};

struct Options {
  Command command = Command::kScript;
  std::string db;                       // the archive path, absolute and canonical
  std::optional<Format> format;         // unset: table on a terminal, else csv
  bool read_only = false;
  bool ascii = false;
  double wait_seconds = 5;
  std::vector<ScriptArg> scripts;
  // import
  bool dry_run = false;
  std::vector<std::string> files;
  // export
  ExportFormat export_format = ExportFormat::kCsv;
  std::string output;                   // -o (never empty when given); empty: stdout
  // checkpoint
  std::string checkpoint_dir;
  // time
  Micros now = 0;                       // DOCKET_NOW or the clock
  int32_t today = 0;                    // now's UTC date, days since the epoch
};

// Parses argv (without argv[0]) and the environment. kUsage on a bad
// command line or a bad DOCKET_NOW.
Result<Options> ParseCommandLine(const std::vector<std::string>& args);

// The text of `docket --help`.
std::string HelpText();

// The default archive path: $DOCKET_DB, else $XDG_DATA_HOME/docket/archive,
// else ~/.local/share/docket/archive.
std::string DefaultArchivePath();

// `path` absolute, its symlinks resolved as far as it exists, without `.`,
// `..` or a trailing `/`: one name for the archive whatever the spelling,
// so what goes beside it (an import's ARCHIVE.import-PID) is beside it.
std::string CanonicalPath(const std::string& path);

// The archive's path: `db` (--db) when given, else DefaultArchivePath(),
// made canonical. kUsage when there is none.
Result<std::string> ArchivePath(const std::optional<std::string>& db);

// DOCKET_NOW when it is set (unset: nullopt). kUsage when it is not a
// timestamp.
Result<std::optional<Micros>> FixedNow();

// The parsing rules every subcommand's options share (kUsage on error):
// a number of seconds in [0, 86400] for `option` (--wait, --timeout), and
// the error for an argument no option takes.
Result<double> OptionSeconds(std::string_view option, const std::string& value);
Status UnknownArgument(const std::string& arg);

// How the command line opens an archive to read: one script, export or
// shell statement per open, which reads each block about once, so with a
// block cache of 128 KiB. A larger one only fills: every page a one-shot
// process touches for the first time costs it microseconds, and a cache
// of 1 MiB made a growth over a charge's series 1.15x slower
// (benchmarks/README.md).
// Either way an open that upgrades the archive's format says so once, on
// stderr ("docket: upgraded archive …").
OpenOptions ReadOpen();
// How the command line opens an archive to write, waiting `wait_seconds`
// for another writer.
OpenOptions WriteOpen(double wait_seconds);

}  // namespace docket::cli
