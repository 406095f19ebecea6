// The real `docket serve` on a free port, for end-to-end tests of spec §8:
// started on 127.0.0.1:0, its port read from the listening line, stopped
// with SIGTERM.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <httplib.h>

#include "tests/e2e/harness.h"

namespace docket::e2e {

class Server {
 public:
  // `docket serve --db DB --listen 127.0.0.1:0 args...` in d's environment;
  // returns once the listening line is read (throws if the server exits
  // first). `db` empty: d's archive.
  Server(const Docket& d, const std::vector<std::string>& args = {}, const std::string& db = "");
  ~Server();  // SIGTERM, then waits
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  const std::string& listening_line() const { return line_; }
  // A client of this server (keep-alive, generous timeouts).
  httplib::Client Client() const;
  // Sends SIGTERM and waits: the exit code.
  int Stop();
  // What the server wrote on stderr so far.
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  std::string line_, log_path_;
};

// `{"results": …}`-style bodies are compared as text; this gives the
// exit code and stdout of `docket --format F -e script` for the same statements.
Outcome CliQuery(const Docket& d, const std::string& format, const std::string& script);

}  // namespace docket::e2e
