// HTTP as docket's server sees it, whatever library carries it: a parsed
// request, an answer (a body, or a stream), and the handler between them.
// routes.h answers requests in these terms; http_server.h carries them over
// sockets; the fuzz target calls the handler directly.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docket::cli::server {

using Clock = std::chrono::steady_clock;
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;       // as sent: GET, POST, …
  std::string path;         // the target before `?`, undecoded
  std::string target;       // path and query string as sent (for the log)
  Fields params;            // the query string's parameters, decoded, in order
  Fields headers;           // names as sent (compared without case)
  std::string body;
  bool body_too_large = false;  // the body passed kMaxBodyBytes (it was dropped)
  std::string client;       // ADDR:PORT
  Clock::time_point start = Clock::now();  // when the request arrived

  // The first parameter or header of that name; nullopt or "" when absent.
  std::optional<std::string> Param(std::string_view name) const;
  std::string Header(std::string_view name) const;
};

// Writes a piece of a streamed body; false once the client is gone.
using BodyWriter = std::function<bool(std::string_view)>;

struct Response {
  int status = 200;
  Fields headers;
  std::string body;
  // Set: the body is streamed (chunked) from what this writes instead of
  // `body`; returns false to cut the answer off (an error half-way).
  std::function<bool(const BodyWriter&)> stream;

  void SetHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  void SetBody(std::string text, std::string content_type) {
    body = std::move(text);
    SetHeader("Content-Type", std::move(content_type));
  }
};

// The path and the decoded parameters of a request target (`/p?a=1&b=x%20y`;
// `+` is a space, as HTML forms and Python's requests send it).
void SplitTarget(std::string_view target, std::string& path, Fields& params);

}  // namespace docket::cli::server
