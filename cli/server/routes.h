// The endpoints of spec §8 on the library-neutral face of http.h: each
// parses its request, runs the statement pipeline, an import or an export
// with the server's own sink, and renders; no query or storage logic lives
// here, and no HTTP library either.
#pragma once

#include "cli/server/auth.h"
#include "cli/server/http.h"
#include "cli/server/metrics.h"
#include "cli/server/serve_options.h"
#include "cli/server/views.h"

namespace docket::cli::server {

// What every request shares; lives as long as the server.
struct ServerContext {
  ServeOptions options;
  Auth auth;
  Views* views = nullptr;
  ServerMetrics metrics;
};

// Answers one request: an endpoint's answer, or the error object (404 for
// no such endpoint, 413 for a body past kMaxBodyBytes, 500 for anything
// thrown). Thread-safe; a streamed answer reads its own snapshot.
Response Handle(ServerContext& context, const Request& request);

// Whether answering `request` may wait for the archive's writer lock: a
// script or an import (they may write). serve.cc answers these off their
// connection's event loop (http_server.h: waits).
bool MayWaitForTheLock(const Request& request);

// After a request was answered: its log line and the server's metrics.
void RecordFinished(ServerContext& context, const Request& request, int status, size_t bytes);

}  // namespace docket::cli::server
