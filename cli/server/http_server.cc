#include "cli/server/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace docket::cli::server {

namespace {

// Threads that run posted tasks in order; the destructor runs what was
// posted before it, then joins.
class Workers {
 public:
  explicit Workers(size_t n) {
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~Workers() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    posted_.notify_all();
    for (auto& t : threads_) t.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void Post(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    posted_.notify_one();
  }

 private:
  void Work() {
    std::unique_lock lock(mu_);
    for (;;) {
      posted_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class Pump;

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  Finished finished;
  std::unique_ptr<Workers> waiting;  // runs the handlers of requests that `options.waits`
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  std::atomic<bool> stopping = false;
  // Requests whose request line arrived and that are not done.
  std::mutex mu;
  std::condition_variable idle;
  size_t in_flight = 0;
  // Streamed bodies whose writer runs or whose connection holds them; Stop
  // cancels them, and any started after, then waits until they are gone.
  std::mutex pumps_mu;
  std::condition_variable pumps_gone;
  std::set<Pump*> pumps;
  bool pumps_cancelled = false;
};

namespace {

// One request from its request line to its completion.
struct Exchange {
  Request request;
  bool headers_read = false;
  bool handed_over = false;           // to Impl::waiting; the connection is suspended till it answers
  std::optional<Response> response;   // the handler's, not yet queued
  bool answered = false;
  int status = 0;
  std::shared_ptr<std::atomic<size_t>> sent = std::make_shared<std::atomic<size_t>>(0);
};

// A streamed body: the route's writer runs on a thread of its own and
// hands pieces over a bounded buffer to libmicrohttpd, which pulls them.
// While the buffer is empty the connection is suspended, so its event loop
// serves its other connections; the next piece (or the end) resumes it.
//
// Neither side waits for the other to finish: the pump deletes itself when
// both the writer has returned and libmicrohttpd has released it (Release),
// whichever comes last. So a connection that closes while its writer is
// busy costs its event loop nothing, and Stop, not the loop, waits for the
// cancelled writers to return.
class Pump {
 public:
  Pump(HttpServer::Impl& server, MHD_Connection* connection, std::function<bool(const BodyWriter&)> stream,
       std::shared_ptr<std::atomic<size_t>> sent)
      : server_(server), connection_(connection), sent_(std::move(sent)) {
    {
      std::lock_guard lock(server_.pumps_mu);
      server_.pumps.insert(this);
      cancelled_ = server_.pumps_cancelled;
    }
    std::thread([this, stream = std::move(stream)]() mutable {
      bool ok;
      {
        // The route's writer, and all it holds, ends before the pump hears so.
        auto writer = std::move(stream);
        ok = writer([this](std::string_view piece) { return Put(piece); });
      }
      Finish(ok);
    }).detach();
  }
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  // libmicrohttpd's pull, on the connection's event loop: up to `max`
  // bytes; none (0) when the connection was suspended to wait for them.
  ssize_t Take(char* out, size_t max) {
    std::unique_lock lock(mu_);
    if (cancelled_) return MHD_CONTENT_READER_END_WITH_ERROR;
    if (buffer_.empty() && !done_) {
      // Under the lock, so that Put sees `suspended_` only once it is.
      suspended_ = true;
      MHD_suspend_connection(connection_);
      return 0;
    }
    if (buffer_.empty()) return failed_ ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
    const size_t n = std::min(max, buffer_.size());
    std::memcpy(out, buffer_.data(), n);
    buffer_.erase(0, n);
    *sent_ += n;
    room_.notify_all();
    return static_cast<ssize_t>(n);
  }

  // Ends the stream: the writer's next piece fails, and a suspended
  // connection resumes to end its answer (the daemon cannot stop while
  // one is suspended).
  void Cancel() {
    std::unique_lock lock(mu_);
    cancelled_ = true;
    room_.notify_all();
    Wake(lock);
  }

  // libmicrohttpd is done with the answer (its connection closed or the
  // daemon stopped): the writer's next piece fails, and the pump is gone
  // once the writer has returned. Never waits.
  void Release() {
    std::unique_lock lock(mu_);
    released_ = cancelled_ = true;
    room_.notify_all();
    const bool last = done_;
    lock.unlock();
    if (last) delete this;
  }

 private:
  static constexpr size_t kBufferBytes = 1 << 20;

  ~Pump() {
    // Under the lock, so that Stop cannot go on (and destroy the server)
    // before the notification is made.
    std::lock_guard lock(server_.pumps_mu);
    server_.pumps.erase(this);
    server_.pumps_gone.notify_all();
  }

  bool Put(std::string_view piece) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return buffer_.size() < kBufferBytes || cancelled_; });
    if (cancelled_) return false;
    buffer_.append(piece);
    Wake(lock);
    return true;
  }

  // The writer returned: its answer ends, and the pump is gone if
  // libmicrohttpd released it already.
  void Finish(bool ok) {
    std::unique_lock lock(mu_);
    done_ = true;
    failed_ = !ok;
    const bool last = released_;
    Wake(lock);
    if (last) delete this;
  }

  // Resumes the connection if Take suspended it; releases `lock`.
  void Wake(std::unique_lock<std::mutex>& lock) {
    const bool resume = std::exchange(suspended_, false) && !released_;
    MHD_Connection* const connection = connection_;
    lock.unlock();
    if (resume) MHD_resume_connection(connection);
  }

  HttpServer::Impl& server_;
  MHD_Connection* const connection_;
  std::shared_ptr<std::atomic<size_t>> sent_;
  std::mutex mu_;
  std::condition_variable room_;  // for Put, when Take made room or the stream was cancelled
  std::string buffer_;
  bool done_ = false, failed_ = false, cancelled_ = false, suspended_ = false, released_ = false;
};

std::string ClientOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return "-";
  char host[INET6_ADDRSTRLEN] = "";
  const sockaddr* a = info->client_addr;
  if (a->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    return fmt::format("[{}]:{}", host, ntohs(v6->sin6_port));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(a);
  ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
  return fmt::format("{}:{}", host, ntohs(v4->sin_port));
}

// The request line arrived: the exchange begins (with the raw target,
// which libmicrohttpd's own parsing of the query would lose).
void* BeginRequest(void* cls, const char* uri, MHD_Connection* connection) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = new Exchange;
  exchange->request.target = uri ? uri : "";
  SplitTarget(exchange->request.target, exchange->request.path, exchange->request.params);
  exchange->request.client = ClientOf(connection);
  std::lock_guard lock(impl->mu);
  ++impl->in_flight;
  return exchange;
}

void EndRequest(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = static_cast<Exchange*>(*state);
  if (!exchange) return;
  *state = nullptr;
  if (exchange->answered) {
    impl->finished(exchange->request, exchange->status, *exchange->sent);
  } else if (exchange->response) {
    // Handed over and answered, but the client left before it was sent: a
    // write may have committed, so it is logged all the same.
    impl->finished(exchange->request, exchange->response->status, 0);
  }
  delete exchange;
  std::lock_guard lock(impl->mu);
  --impl->in_flight;
  impl->idle.notify_all();
}

MHD_Result AddHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<Fields*>(cls)->emplace_back(key ? key : "", value ? value : "");
  return MHD_YES;
}

ssize_t ReadPump(void* cls, uint64_t, char* out, size_t max) { return static_cast<Pump*>(cls)->Take(out, max); }
void FreePump(void* cls) { static_cast<Pump*>(cls)->Release(); }

MHD_Result Serve(void* cls, MHD_Connection* connection, const char*, const char* method, const char*,
                 const char* upload, size_t* upload_size, void** state) {
  auto* impl = static_cast<HttpServer::Impl*>(cls);
  auto* exchange = static_cast<Exchange*>(*state);
  if (!exchange) return MHD_NO;
  Request& request = exchange->request;
  if (!exchange->headers_read) {
    exchange->headers_read = true;
    request.method = method;
    request.start = Clock::now();
    MHD_get_connection_values(connection, MHD_HEADER_KIND, AddHeader, &request.headers);
    return MHD_YES;  // the body, if any, comes in the next calls
  }
  if (*upload_size != 0) {
    if (request.body.size() + *upload_size > impl->options.max_body_bytes) {
      request.body_too_large = true;
      request.body.clear();
      request.body.shrink_to_fit();
    }
    if (!request.body_too_large) request.body.append(upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (exchange->answered) return MHD_YES;
  if (!exchange->response) {
    if (!impl->waiting || !impl->options.waits(request)) {
      exchange->response = impl->handler(request);
    } else if (!exchange->handed_over) {
      // Answered on a thread of its own; resuming brings the connection
      // back here with the response set.
      exchange->handed_over = true;
      MHD_suspend_connection(connection);
      impl->waiting->Post([impl, exchange, connection] {
        exchange->response = impl->handler(exchange->request);
        MHD_resume_connection(connection);
      });
      return MHD_YES;
    } else {
      return MHD_YES;  // not resumed yet
    }
  }
  Response& response = *exchange->response;
  MHD_Response* answer;
  if (response.stream) {
    auto* pump = new Pump(*impl, connection, std::move(response.stream), exchange->sent);
    answer = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 << 10, ReadPump, pump, FreePump);
    if (!answer) pump->Release();
  } else {
    *exchange->sent = response.body.size();
    answer = MHD_create_response_from_buffer(response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
  }
  if (!answer) return MHD_NO;
  for (const auto& [name, value] : response.headers) MHD_add_response_header(answer, name.c_str(), value.c_str());
  if (impl->stopping) MHD_add_response_header(answer, MHD_HTTP_HEADER_CONNECTION, "close");
  const MHD_Result queued = MHD_queue_response(connection, static_cast<unsigned>(response.status), answer);
  MHD_destroy_response(answer);
  exchange->answered = queued == MHD_YES;
  exchange->status = response.status;
  exchange->response.reset();
  return queued;
}

}  // namespace

size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(limit.rlim_cur);
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, Handler handler,
                                                      Finished finished) {
  const auto cannot = [&](std::string_view why) {
    return Status::Io(fmt::format("cannot listen on {}:{}: {}", options.host, options.port, why));
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(options.port);
  if (const int rc = ::getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found); rc != 0)
    return cannot(::gai_strerror(rc));
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, std::min<size_t>(found->ai_addrlen, sizeof address));
  ::freeaddrinfo(found);

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  impl->finished = std::move(finished);
  const size_t files = RaiseOpenFileLimit();
  const size_t connections =
      std::max<size_t>(16, std::min(options.max_connections, files > kReservedFiles ? files - kReservedFiles : 0));
  if (options.waits) impl->waiting = std::make_unique<Workers>(std::max<size_t>(1, options.threads));
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
  if (address.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  impl->daemon = MHD_start_daemon(
      flags, static_cast<uint16_t>(options.port), nullptr, nullptr, Serve, impl.get(),  //
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),                      //
      MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(std::max<size_t>(1, options.threads)),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(connections),                  //
      MHD_OPTION_CONNECTION_TIMEOUT, options.idle_timeout_seconds,                      //
      MHD_OPTION_LISTEN_BACKLOG_SIZE, static_cast<unsigned>(SOMAXCONN),                 //
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(64 << 10),                //
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,                                             //
      MHD_OPTION_URI_LOG_CALLBACK, BeginRequest, impl.get(),                            //
      MHD_OPTION_NOTIFY_COMPLETED, EndRequest, impl.get(),                              //
      MHD_OPTION_END);
  if (!impl->daemon) return cannot(std::strerror(errno));
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
  impl->port = info ? info->port : options.port;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(0); }

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop(double grace_seconds) {
  if (!impl_->daemon) return;
  impl_->stopping = true;
  const MHD_socket listening = MHD_quiesce_daemon(impl_->daemon);
  {
    std::unique_lock lock(impl_->mu);
    impl_->idle.wait_for(lock, std::chrono::duration<double>(grace_seconds), [&] { return impl_->in_flight == 0; });
  }
  // Every handed-over request answers (each within its --timeout), and
  // every stream ends, so no connection is left suspended when the daemon
  // stops.
  impl_->waiting.reset();
  {
    std::lock_guard lock(impl_->pumps_mu);
    impl_->pumps_cancelled = true;
    for (Pump* pump : impl_->pumps) pump->Cancel();
  }
  MHD_stop_daemon(impl_->daemon);
  impl_->daemon = nullptr;
  {
    // Every answer is released now; the cancelled writers return at their
    // next piece.
    std::unique_lock lock(impl_->pumps_mu);
    impl_->pumps_gone.wait(lock, [&] { return impl_->pumps.empty(); });
  }
  if (listening != MHD_INVALID_SOCKET) ::close(listening);
}

}  // namespace docket::cli::server
