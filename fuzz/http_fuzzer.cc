// The server's request path that we own (cli/server/routes.h Handle), in
// process: the input is a request written as text, split into a request
// line (method, target with its query string), up to eight header lines
// and a body,
//
//   POST /api/v1/query?format=csv
//   Content-Type: text/plain
//
//   treason[2024]
//
// and answered against a small archive made once (a server without a
// token: writes stop at the write rule, so every run sees the same
// archive). Any input must be answered with a status of spec §8's table,
// an error as its one object, a stream run to its end: never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli/options.h"
#include "cli/script.h"
#include "cli/server/http.h"
#include "cli/server/routes.h"
#include "cli/server/serve_options.h"
#include "storage/types.h"
#include "tests/temp_dir.h"

namespace {

using docket::cli::server::Request;
using docket::cli::server::Response;
using docket::cli::server::ServerContext;

ServerContext& Context() {
  static docket::TempDir dir;
  static ServerContext* context = [] {
    docket::cli::Options options;
    options.db = dir.File("archive");
    options.scripts = {{false,
                        "define charge treason title \"High treason\"; define charge espionage;"
                        "define source IStories priority 10; define source RTVI;"
                        "record treason[2023] = 39 from IStories on 2024;"
                        "record treason[2024] = 145 from IStories on 2025-04;"
                        "record espionage[2024] >= 28 from RTVI on 2024-12;"}};
    options.now = *docket::ParseTimestamp("2025-11-01T00:00Z");
    options.today = docket::DaysFromCivil(2025, 11, 1);
    if (docket::cli::RunScript(options) != 0) std::abort();
    auto* ctx = new ServerContext;
    ctx->options.db = options.db;
    ctx->options.wait_seconds = 0.1;
    ctx->options.now = options.now;
    static auto views = docket::cli::server::Views::Open(options.db, false);
    if (!views.ok()) std::abort();
    ctx->views = views->get();
    return ctx;
  }();
  return *context;
}

// The next line of `text` (without its \n), consumed.
std::string_view TakeLine(std::string_view& text) {
  const size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

bool Known(int status) {
  for (int s : {200, 400, 401, 403, 404, 413, 500, 503})
    if (status == s) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Request request;
  const std::string_view line = TakeLine(text);
  const size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  request.target = space == std::string_view::npos ? "/" : std::string(line.substr(space + 1));
  docket::cli::server::SplitTarget(request.target, request.path, request.params);
  for (int i = 0; i < 8 && !text.empty(); ++i) {
    const std::string_view header = TakeLine(text);
    if (header.empty()) break;
    const size_t colon = header.find(':');
    const std::string_view value = colon == std::string_view::npos ? "" : header.substr(colon + 1);
    request.headers.emplace_back(std::string(header.substr(0, colon)),
                                 std::string(value.substr(value.find_first_not_of(' ') == std::string_view::npos
                                                              ? value.size()
                                                              : value.find_first_not_of(' '))));
  }
  request.body = std::string(text);
  request.client = "fuzz:0";

  const Response response = docket::cli::server::Handle(Context(), request);
  if (!Known(response.status)) std::abort();
  if (response.status != 200 && response.body.rfind("{\"error\":{", 0) != 0) std::abort();
  if (response.stream) {
    size_t bytes = 0;
    if (!response.stream([&](std::string_view piece) {
          bytes += piece.size();
          return true;
        }))
      std::abort();  // the archive answers: a stream runs to its end
  }
  return 0;
}
