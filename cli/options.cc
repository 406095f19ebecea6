#include "cli/options.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Status Usage(std::string message) { return Status::Error(ErrorKind::kUsage, std::move(message)); }

}  // namespace

Result<double> OptionSeconds(std::string_view option, const std::string& value) {
  char* end = nullptr;
  const double seconds = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(seconds >= 0) || seconds > 86400)
    return Usage(fmt::format("{} takes a number of seconds, not `{}`", option, value));
  return seconds;
}

Status UnknownArgument(const std::string& arg) {
  return Usage(!arg.empty() && arg[0] == '-' ? fmt::format("unknown option `{}`", arg)
                                             : fmt::format("unexpected argument `{}`", arg));
}

std::string CanonicalPath(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  fs::path canonical = fs::weakly_canonical(p, ec);
  p = ec ? p.lexically_normal() : canonical;
  while (p.has_relative_path() && !p.has_filename()) p = p.parent_path();
  return p.string();
}

Result<std::string> ArchivePath(const std::optional<std::string>& db) {
  const std::string path = db ? *db : DefaultArchivePath();
  if (path.empty()) return Usage("no archive: give --db PATH or set DOCKET_DB");
  return CanonicalPath(path);
}

Result<std::optional<Micros>> FixedNow() {
  const char* now = std::getenv("DOCKET_NOW");
  if (!now) return std::optional<Micros>();
  auto t = ParseTimestamp(now);
  if (!t) return Usage(fmt::format("DOCKET_NOW must be a timestamp such as 2025-11-01T00:00:00Z, not `{}`", now));
  return std::optional<Micros>(*t);
}

namespace {
void TellUpgrade(const std::string& what) { std::fputs(fmt::format("docket: {}\n", what).c_str(), stderr); }
}  // namespace

OpenOptions ReadOpen() {
  OpenOptions o;
  o.mode = OpenOptions::Mode::kRead;
  o.block_cache_bytes = 128 << 10;
  o.on_upgrade = TellUpgrade;
  return o;
}

OpenOptions WriteOpen(double wait_seconds) {
  OpenOptions o{OpenOptions::Mode::kWrite, wait_seconds};
  o.on_upgrade = TellUpgrade;
  return o;
}

std::string DefaultArchivePath() {
  if (std::string db = Env("DOCKET_DB"); !db.empty()) return db;
  if (std::string xdg = Env("XDG_DATA_HOME"); !xdg.empty() && xdg[0] == '/')
    return xdg + "/docket/archive";
  return Env("HOME") + "/.local/share/docket/archive";
}

std::string HelpText() {
  return R"(docket: an archive of versioned statistics, with its own query language

Usage:
  docket [--db PATH] [--format F] [--read-only] [--wait SECONDS] [--ascii]
         [-e STATEMENTS]... [-f SCRIPT]...
  docket import [--db PATH] [--wait SECONDS] [--dry-run] FILE.csv|FILE.jsonl...
  docket export [--db PATH] [--format csv|jsonl|openmetrics] [-o FILE]
  docket verify [--db PATH]
  docket repair [--db PATH]
  docket checkpoint [--db PATH] DIR
  docket --help | --version

--db and --wait may also come before the command, as in git:
  docket --db PATH import FILE.csv      docket --db PATH export -o FILE

With neither -e nor -f, docket opens an interactive shell when stdin is a
terminal, and otherwise reads statements from stdin.

Options:
  --db PATH        the archive (default: $DOCKET_DB, else
                   $XDG_DATA_HOME/docket/archive, else
                   ~/.local/share/docket/archive)
  --format F       table, csv, tsv, json, jsonl or markdown (default: table on
                   a terminal, csv otherwise)
  --read-only      refuse define, record and retract
  --wait SECONDS   how long a writer waits for another writer's lock (default 5)
  --ascii          tables and charts without box-drawing characters
  -e STATEMENTS    statements to run (repeatable)
  -f SCRIPT        a script file to run (repeatable; `-` is stdin)
  --dry-run        import: check and count, write nothing
  -o FILE          export: write FILE instead of stdout, replaced atomically
                   (a symlink's target; a FIFO or device is written through)

verify reads the whole archive and checks it; repair copies a damaged
archive aside (ARCHIVE.damaged-TIMESTAMP), saves what RocksDB's repair can
save of it, then verifies it. checkpoint writes a consistent copy of the
archive to DIR, which must not exist (table files hard-linked).

Environment:
  DOCKET_DB        the archive, when --db is not given
  DOCKET_NOW       a fixed "now" (e.g. 2025-11-01T00:00:00Z) for reproducible runs
  DOCKET_HISTORY   the shell's history file
  NO_COLOR         no colour in the shell

Exit codes: 0 ok; 1 a check reached WARNING; 2 an assert failed or a check
reached CRITICAL; 3 an assert or check was unknown; 64 bad command line;
65 bad input; 66 archive not found; 74 I/O or storage error; 75 archive
locked by another writer.

The language: docs/language.md; in the shell: \help.
)";
}

Result<Options> ParseCommandLine(const std::vector<std::string>& args) {
  Options o;
  static constexpr std::pair<std::string_view, Command> kSubcommands[] = {
      {"import", Command::kImport}, {"export", Command::kExport},
      {"verify", Command::kVerify}, {"repair", Command::kRepair},
      {"checkpoint", Command::kCheckpoint}};
  // The subcommand comes first, or after global options (git-style):
  // `docket --db X export` is `docket export --db X`.
  std::vector<std::string> rest = args;
  size_t at = 0;  // the first argument that is not a global option
  for (;;) {
    if (at + 1 < rest.size() && (rest[at] == "--db" || rest[at] == "--wait")) {
      at += 2;
    } else if (at < rest.size() && (rest[at].starts_with("--db=") || rest[at].starts_with("--wait="))) {
      ++at;
    } else {
      break;
    }
  }
  for (const auto& [name, command] : kSubcommands) {
    if (at < rest.size() && rest[at] == name) {
      o.command = command;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(at));
      break;
    }
  }
  size_t i = 0;
  std::optional<std::string> db;
  std::optional<std::string> format;
  Status error;
  for (; i < rest.size() && error.ok(); ++i) {
    const std::string& arg = rest[i];
    std::string value;
    // True if `arg` is the option `name`, as `name VALUE` or `name=VALUE`.
    auto take = [&](const std::string& name) {
      if (arg == name) {
        if (i + 1 < rest.size()) {
          value = rest[++i];
          return true;
        }
        error = Usage(fmt::format("{} needs a value", name));
        return false;
      }
      if (arg.rfind(name + "=", 0) != 0) return false;
      value = arg.substr(name.size() + 1);
      return true;
    };
    const bool script = o.command == Command::kScript;
    const bool import = o.command == Command::kImport;
    const bool export_ = o.command == Command::kExport;
    const bool checkpoint = o.command == Command::kCheckpoint;
    if (arg == "--help" || arg == "-h") {
      o.command = Command::kHelp;
      return o;
    } else if (arg == "--version") {
      o.command = Command::kVersion;
      return o;
    } else if (take("--db")) {
      db = value;
    } else if (take("--wait")) {
      auto seconds = OptionSeconds("--wait", value);
      if (seconds.ok()) o.wait_seconds = *seconds;
      else error = seconds.status();
    } else if ((script || export_) && take("--format")) {
      format = value;
    } else if (script && take("-e")) {
      o.scripts.push_back({false, value});
    } else if (script && take("-f")) {
      o.scripts.push_back({true, value});
    } else if (script && arg == "--read-only") {
      o.read_only = true;
    } else if (script && arg == "--ascii") {
      o.ascii = true;
    } else if (import && arg == "--dry-run") {
      o.dry_run = true;
    } else if (export_ && take("-o")) {
      o.output = value;
      if (value.empty()) error = Usage("-o needs a file name");
    } else if (import && (arg.empty() || arg[0] != '-')) {
      o.files.push_back(arg);
    } else if (checkpoint && o.checkpoint_dir.empty() && !arg.empty() && arg[0] != '-') {
      o.checkpoint_dir = arg;
    } else if (error.ok()) {
      error = UnknownArgument(arg);
    }
  }
  if (!error.ok()) return error;

  auto path = ArchivePath(db);
  if (!path.ok()) return path.status();
  o.db = std::move(*path);
  if (o.command == Command::kImport && o.files.empty()) return Usage("import needs at least one file");
  if (o.command == Command::kCheckpoint && o.checkpoint_dir.empty())
    return Usage("checkpoint needs the directory to write");
  if (format) {
    if (o.command == Command::kExport) {
      if (*format == "csv") o.export_format = ExportFormat::kCsv;
      else if (*format == "jsonl") o.export_format = ExportFormat::kJsonl;
      else if (*format == "openmetrics") o.export_format = ExportFormat::kOpenMetrics;
      else return Usage(fmt::format("export --format takes csv, jsonl or openmetrics, not `{}`", *format));
    } else {
      o.format = ParseFormat(*format);
      if (!o.format)
        return Usage(fmt::format("--format takes table, csv, tsv, json, jsonl or markdown, not `{}`", *format));
    }
  }

  auto fixed = FixedNow();
  if (!fixed.ok()) return fixed.status();
  if (*fixed) {
    o.now = **fixed;
  } else {
    o.now = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  }
  o.today = static_cast<int32_t>(o.now >= 0 ? o.now / kMicrosPerDay : (o.now + 1) / kMicrosPerDay - 1);
  return o;
}

}  // namespace docket::cli
