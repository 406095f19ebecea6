#include "cli/server/serve.h"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "cli/diagnostics.h"
#include "cli/server/http_server.h"
#include "cli/server/routes.h"

namespace docket::cli::server {
namespace {

int Fail(const Status& s, std::string_view where) {
  PrintError(nullptr, s, where);
  return ExitCode(s.kind());
}

// The host as a URL writes it: an IPv6 address in brackets.
std::string UrlHost(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  auto options = ParseServeOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "docket serve: %s\nTry `docket serve --help`.\n", options.status().message().c_str());
    return ExitCode(options.status().kind());
  }
  if (options->help) {
    std::fputs(ServeHelpText().c_str(), stdout);
    return std::fflush(stdout) == 0 && !std::ferror(stdout) ? 0 : 74;
  }
  ServerContext ctx;
  ctx.options = *options;
  if (!options->token_file.empty()) {
    auto auth = Auth::FromFile(options->token_file);
    if (!auth.ok()) return Fail(auth.status(), "serve");
    ctx.auth = std::move(*auth);
  }
  // SIGTERM and SIGINT go to the thread that waits for them, not to the
  // pool's threads: blocked before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto views = Views::Open(options->db, options->follow);
  if (!views.ok()) {
    if (views.status().kind() == ErrorKind::kNotFound) {
      PrintMessage(options->db, fmt::format("{}; create it with a `define` first", views.status().message()));
      return ExitCode(ErrorKind::kNotFound);
    }
    return Fail(views.status(), options->db);
  }
  ctx.views = views->get();

  HttpServerOptions http;
  http.host = options->host;
  http.port = options->port;
  http.threads = options->threads;
  http.max_body_bytes = kMaxBodyBytes;
  http.waits = MayWaitForTheLock;  // a write waiting for a CLI import does not hold up reads
  auto server = HttpServer::Start(
      http, [&ctx](const Request& request) { return Handle(ctx, request); },
      [&ctx](const Request& request, int status, size_t bytes) { RecordFinished(ctx, request, status, bytes); });
  if (!server.ok()) return Fail(server.status(), "serve");
  std::printf("docket serve: listening on http://%s:%d\n", UrlHost(options->host).c_str(), (*server)->port());
  std::fflush(stdout);

  // A follower catches up at least once a second, requests or not.
  std::mutex mu;
  std::condition_variable stopping;
  bool stopped = false;
  std::thread ticker;
  if (options->follow)
    ticker = std::thread([&] {
      std::unique_lock lock(mu);
      while (!stopping.wait_for(lock, std::chrono::seconds(1), [&] { return stopped; })) {
        lock.unlock();
        ctx.views->CatchUpIdle();
        lock.lock();
      }
    });
  int signal = 0;
  sigwait(&stop_signals, &signal);
  // Stops accepting, finishes the requests in flight (at most --timeout).
  (*server)->Stop(options->timeout_seconds);
  {
    std::lock_guard lock(mu);
    stopped = true;
  }
  stopping.notify_all();
  if (ticker.joinable()) ticker.join();
  return 0;
}

}  // namespace docket::cli::server
