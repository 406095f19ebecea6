#include "cli/server/serve.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "cli/diagnostics.h"
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

  httplib::Server server;
  const size_t threads = options->threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  AddRoutes(server, ctx);
  // httplib 0.11 listens with a backlog of 5, compiled into its library. A
  // burst of clients connecting at once overflows it: the kernel answers
  // with SYN cookies and drops handshakes' last ACK while the accept queue
  // is full, so a client believes it is connected and sends its request;
  // when a POST's body (sent apart from its headers) reaches the listener
  // first, its cookie check fails and the kernel resets the connection: the
  // request is lost unanswered. listen() again on the socket widens the
  // queues to the system's maximum.
  int listening = -1;
  server.set_socket_options([&listening](int sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  const int port = options->port == 0 ? server.bind_to_any_port(options->host)
                                      : (server.bind_to_port(options->host, options->port) ? options->port : -1);
  if (port < 0 || ::listen(listening, SOMAXCONN) != 0)
    return Fail(Status::Io(fmt::format("cannot listen on {}:{}", options->host, options->port)), "serve");
  std::printf("docket serve: listening on http://%s:%d\n", UrlHost(options->host).c_str(), port);
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
  std::atomic<bool> signalled = false, listening_ended = false;
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    signalled = true;
    // httplib's stop() does nothing until the server runs: a signal that
    // came at once waits for it.
    while (!server.is_running() && !listening_ended) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Stops accepting; listen_after_bind returns once the requests in
    // flight are answered.
    server.stop();
  });
  server.listen_after_bind();
  listening_ended = true;
  const bool failed = !signalled;
  if (failed) ::kill(::getpid(), SIGTERM);  // listening broke off: the waiter is still waiting
  waiter.join();
  {
    std::lock_guard lock(mu);
    stopped = true;
  }
  stopping.notify_all();
  if (ticker.joinable()) ticker.join();
  if (failed) return Fail(Status::Io("listening failed"), "serve");
  return 0;
}

}  // namespace docket::cli::server
