#include "cli/server/serve_options.h"

#include <thread>

#include <fmt/format.h>

#include "cli/options.h"

namespace docket::cli::server {
namespace {

Status Usage(std::string message) { return Status::Error(ErrorKind::kUsage, std::move(message)); }

// A number in [low, high], or nullopt.
std::optional<double> Number(const std::string& text, double low, double high) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= low) || v > high) return std::nullopt;
  return v;
}

}  // namespace

std::string ServeHelpText() {
  return R"(docket serve: the archive over HTTP (spec §8)

Usage:
  docket serve [--db PATH] [--listen ADDR:PORT] [--token-file FILE] [--threads N]
               [--max-rows N] [--timeout SECONDS] [--wait SECONDS] [--follow]

Options:
  --db PATH           the archive (default: $DOCKET_DB, else
                      $XDG_DATA_HOME/docket/archive, else ~/.local/share/docket/archive)
  --listen ADDR:PORT  where to answer (default 127.0.0.1:8470; port 0 picks a free one)
  --token-file FILE   accept writes with `Authorization: Bearer TOKEN`, TOKEN being
                      the file's first line (without it, writes are refused)
  --threads N         requests answered at once (default: the number of cores)
  --max-rows N        rows of one result before 413 (default 100000)
  --timeout SECONDS   time until a response starts before 503 (default 10)
  --wait SECONDS      how long a write waits for another writer's lock (default 5)
  --follow            serve a read replica of an archive another process writes
                      (catches up at least once a second and before each request)

Endpoints: GET /api/v1/query?q=STATEMENTS[&format=F], POST /api/v1/query,
POST /api/v1/script, POST /api/v1/import[?dry_run=1], GET /api/v1/export?format=F,
GET /metrics, GET /healthz. The first line on stdout is
`docket serve: listening on http://ADDR:PORT`; SIGTERM or SIGINT stops it.
)";
}

Result<ServeOptions> ParseServeOptions(const std::vector<std::string>& args) {
  ServeOptions o;
  std::optional<std::string> db;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    static constexpr std::string_view kTakeValues[] = {"--db", "--listen", "--token-file", "--threads",
                                                        "--max-rows", "--timeout", "--wait"};
    for (std::string_view name : kTakeValues)
      if (arg == name && i + 1 >= args.size()) return Usage(fmt::format("{} needs a value", name));
    std::string value;
    Status error;
    // True if `arg` is the option `name`, as `name VALUE` or `name=VALUE`.
    auto take = [&](const std::string& name) {
      if (arg == name) {
        value = args[++i];
        return true;
      }
      if (arg.rfind(name + "=", 0) != 0) return false;
      value = arg.substr(name.size() + 1);
      return true;
    };
    auto count = [&](const char* name, size_t* out) {
      const auto n = Number(value, 1, 1e9);
      if (!n || *n != static_cast<double>(static_cast<size_t>(*n)))
        return Usage(fmt::format("{} takes a whole number from 1, not `{}`", name, value));
      *out = static_cast<size_t>(*n);
      return Status();
    };
    auto seconds = [&](const char* name, double* out) {
      auto n = OptionSeconds(name, value);
      if (!n.ok()) return n.status();
      *out = *n;
      return Status();
    };
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      return o;
    } else if (take("--db")) {
      db = value;
    } else if (take("--listen")) {
      const size_t colon = value.rfind(':');
      const auto port = colon == std::string::npos ? std::nullopt : Number(value.substr(colon + 1), 0, 65535);
      if (!port || colon == 0 || *port != static_cast<double>(static_cast<int>(*port)))
        error = Usage(fmt::format("--listen takes ADDR:PORT (such as 127.0.0.1:8470), not `{}`", value));
      else {
        o.host = value.substr(0, colon);
        if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
        o.port = static_cast<int>(*port);
      }
    } else if (take("--token-file")) {
      o.token_file = value;
      if (value.empty()) error = Usage("--token-file needs a file name");
    } else if (take("--threads")) {
      error = count("--threads", &o.threads);
    } else if (take("--max-rows")) {
      error = count("--max-rows", &o.max_rows);
    } else if (take("--timeout")) {
      error = seconds("--timeout", &o.timeout_seconds);
    } else if (take("--wait")) {
      error = seconds("--wait", &o.wait_seconds);
    } else if (arg == "--follow") {
      o.follow = true;
    } else {
      error = UnknownArgument(arg);
    }
    if (!error.ok()) return error;
  }
  auto path = ArchivePath(db);
  if (!path.ok()) return path.status();
  o.db = std::move(*path);
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  auto now = FixedNow();
  if (!now.ok()) return now.status();
  o.now = *now;
  return o;
}

}  // namespace docket::cli::server
