// The HTTP/1.1 server under `docket serve`: libmicrohttpd with one epoll
// loop per thread of a pool, keep-alive, chunked streaming. Idle
// connections cost a descriptor and a little memory, never a thread, so
// thousands of them do not starve other clients. RocksDB or our headers
// never meet libmicrohttpd's: it appears in http_server.cc only.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "cli/server/http.h"
#include "storage/status.h"

namespace docket::cli::server {

struct HttpServerOptions {
  std::string host;      // a numeric address or a name
  int port = 0;          // 0 picks a free one
  size_t threads = 1;    // event loops; a handler runs on its connection's loop (but see `waits`)
  size_t max_body_bytes = 0;
  // Connections open at once (the rest wait in the listen queue), at most
  // the descriptors the process may open less kReservedFiles.
  size_t max_connections = 16384;
  // A connection silent this long (idle between requests, or a client that
  // stalls mid-request) is closed.
  unsigned idle_timeout_seconds = 30;
  // Requests that may wait long without using a core (for a writer's
  // lock): their handler runs on one of `threads` threads of their own
  // while the connection's loop serves its other connections. Unset: none.
  std::function<bool(const Request&)> waits;
};

// Descriptors kept free of connections: the archive's files, logs, pipes.
inline constexpr size_t kReservedFiles = 1024;

// Answers one request; runs on a server thread, concurrently with others.
using Handler = std::function<Response(const Request&)>;
// Called once an answered request is done: its status and the body bytes sent.
using Finished = std::function<void(const Request&, int status, size_t bytes)>;

class HttpServer {
 public:
  // Listens and serves until Stop. kIo when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, Handler handler,
                                                   Finished finished);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Stops accepting, lets the requests in flight finish (at most `grace`
  // seconds; later answers say `Connection: close`), then closes every
  // connection.
  void Stop(double grace_seconds);

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Raises this process's soft limit of open descriptors to its hard limit;
// returns the soft limit now in force.
size_t RaiseOpenFileLimit();

}  // namespace docket::cli::server
