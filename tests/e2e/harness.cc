#include "tests/e2e/harness.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace docket::e2e {

std::string DocketBinary() {
  const char* binary = std::getenv("DOCKET_BINARY");
  return binary && *binary ? binary : DOCKET_BINARY;
}

SpawnArgs::SpawnArgs(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> vars = {
      {"PATH", std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin"},
      {"LANG", "C.UTF-8"}};
  if (const char* home = std::getenv("HOME")) vars["HOME"] = home;
  for (const auto& [k, v] : env) vars[k] = v;
  for (const auto& [k, v] : vars) env_.push_back(k + "=" + v);
  args_.push_back(program);
  args_.insert(args_.end(), args.begin(), args.end());
  for (auto& s : env_) envp_.push_back(s.data());
  envp_.push_back(nullptr);
  for (auto& s : args_) argv_.push_back(s.data());
  argv_.push_back(nullptr);
}

Outcome RunProgram(const std::string& program, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env, const std::string& input) {
  const SpawnArgs spawn(program, args, env);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe(in_pipe) || ::pipe(out_pipe) || ::pipe(err_pipe)) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
    posix_spawn_file_actions_addclose(&actions, fd);
  pid_t pid;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, spawn.argv(), spawn.envp());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::string(std::strerror(rc)));

  // Feed stdin and drain stdout/stderr together so no pipe fills up.
  Outcome outcome;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_fd >= 0) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    ::poll(fds.data(), fds.size(), -1);
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_fd) {
        const ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<size_t>(n);
        if (n < 0 || written == input.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      std::string& target = p.fd == out_pipe[0] ? outcome.out : outcome.err;
      if (n > 0) {
        target.append(buf, static_cast<size_t>(n));
      } else {
        (p.fd == out_pipe[0] ? out_open : err_open) = false;
      }
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

Docket::Docket() : db_(dir_.File("archive")) {
  env_["DOCKET_NOW"] = "2025-11-01T00:00:00Z";
  env_["HOME"] = dir_.path();
}

Outcome Docket::Run(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> full;
  size_t i = 0;
  if (!args.empty() && (args[0] == "import" || args[0] == "export" || args[0] == "verify" ||
                         args[0] == "repair" || args[0] == "checkpoint"))
    full.push_back(args[i++]);
  full.push_back("--db");
  full.push_back(db_);
  full.insert(full.end(), args.begin() + static_cast<long>(i), args.end());
  return RunProgram(DocketBinary(), full, env_, input);
}

Outcome Docket::Query(const std::string& script) const {
  return Run({"--format", "csv", "-e", script});
}

std::string Docket::WriteFile(const std::string& name, const std::string& text) const {
  const std::string path = dir_.File(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string Docket::Fingerprint() const {
  if (!std::filesystem::exists(db_)) return "<missing>";
  const Outcome o = Run({"export", "--format", "jsonl"});
  return std::to_string(o.exit_code) + "\n" + o.out + o.err;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Describe(const Outcome& o) {
  return "exit " + std::to_string(o.exit_code) + "\n--- stdout\n" + o.out + "--- stderr\n" + o.err;
}

std::string FailureOf(const Outcome& o) {
  return o.exit_code == 0 && o.err.empty() ? std::string() : Describe(o);
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

std::vector<std::string> CsvColumn(const std::string& text, const std::string& name) {
  const auto records = ParseCsv(text);
  if (records.empty()) return {"<no column " + name + ">"};
  size_t column = 0;
  while (column < records[0].size() && records[0][column] != name) ++column;
  if (column == records[0].size()) return {"<no column " + name + ">"};
  std::vector<std::string> values;
  for (size_t r = 1; r < records.size(); ++r)
    values.push_back(column < records[r].size() ? records[r][column] : "<short record>");
  return values;
}

}  // namespace docket::e2e
