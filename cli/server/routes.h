// The endpoints of spec §8 on an httplib::Server: each parses its request,
// runs the statement pipeline, an import or an export with the server's
// own sink, and renders; no query or storage logic lives here.
#pragma once

#include <httplib.h>

#include "cli/server/auth.h"
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

// Registers the endpoints, the error objects of httplib's own refusals
// (413, 404), the request log and the metrics.
void AddRoutes(httplib::Server& server, ServerContext& context);

}  // namespace docket::cli::server
