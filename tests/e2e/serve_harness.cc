#include "tests/e2e/serve_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace docket::e2e {

Server::Server(const Docket& d, const std::vector<std::string>& args, const std::string& db) {
  std::vector<std::string> full = {"serve", "--db", db.empty() ? d.db() : db, "--listen", "127.0.0.1:0"};
  full.insert(full.end(), args.begin(), args.end());
  static int count = 0;
  log_path_ = d.dir().File("serve-" + std::to_string(++count) + ".log");
  const SpawnArgs spawn(DocketBinary(), full, const_cast<Docket&>(d).env());
  int out[2];
  if (::pipe(out)) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  const int rc = ::posix_spawn(&pid_, DocketBinary().c_str(), &actions, nullptr, spawn.argv(), spawn.envp());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  // The first line on stdout; the pipe stays open for the server's life
  // (it prints nothing more), closed here.
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line_ += c;
  ::close(out[0]);
  const std::string prefix = "docket serve: listening on http://127.0.0.1:";
  if (line_.rfind(prefix, 0) != 0) {
    Stop();
    throw std::runtime_error("no listening line: `" + line_ + "`\n" + Log());
  }
  port_ = std::stoi(line_.substr(prefix.size()));
}

Server::~Server() { Stop(); }

httplib::Client Server::Client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_keep_alive(true);
  client.set_read_timeout(60, 0);
  client.set_write_timeout(60, 0);
  return client;
}

int Server::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
  }
  return exit_code_;
}

std::string Server::Log() const { return ReadFile(log_path_); }

Outcome CliQuery(const Docket& d, const std::string& format, const std::string& script) {
  return d.Run({"--format", format, "-e", script});
}

}  // namespace docket::e2e
