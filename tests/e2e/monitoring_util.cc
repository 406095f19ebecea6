#include "tests/e2e/monitoring_util.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

namespace docket::e2e {

Background::Background(const std::string& program, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env, const std::string& scratch_dir,
                       const std::string& stdin_path) {
  static int counter = 0;
  const std::string stem = scratch_dir + "/bg-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  out_path_ = stem + ".out";
  err_path_ = stem + ".err";

  const SpawnArgs spawn(program, args, env);  // the same clean environment as RunProgram

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, spawn.argv(), spawn.envp());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::string(std::strerror(rc)));
}

Background::~Background() {
  if (!reaped_) Kill();
  std::remove(out_path_.c_str());
  std::remove(err_path_.c_str());
}

bool Background::Running() {
  if (reaped_) return false;
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

Outcome Background::Collect() {
  Outcome o;
  o.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  o.out = ReadFile(out_path_);
  o.err = ReadFile(err_path_);
  return o;
}

Outcome Background::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return Outcome{};
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Collect();
}

Outcome Background::Kill() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  return Collect();
}

std::map<std::string, std::string> EnvOf(Docket& d) { return d.env(); }

HeldImport::HeldImport(Docket& d, const std::string& fifo_name,
                       const std::vector<std::string>& extra_args)
    : fifo_(d.dir().File(fifo_name)) {
  if (::mkfifo(fifo_.c_str(), 0600) != 0)
    throw std::runtime_error("mkfifo failed: " + std::string(std::strerror(errno)));
  std::vector<std::string> args = {"import", "--db", d.db()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.push_back(fifo_);
  process_ = std::make_unique<Background>(DocketBinary(), args, EnvOf(d), d.dir().path());
}

HeldImport::~HeldImport() {
  if (fd_ >= 0) ::close(fd_);
  process_.reset();
}

int OpenFifoForWriting(const std::string& fifo, Background& reader) {
  // A non-blocking open for writing fails with ENXIO until a reader has
  // the FIFO open: poll, so a reader that exits early cannot hang us.
  // Close-on-exec: a process started later must not hold the FIFO open.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      ::fcntl(fd, F_SETFL, 0);  // blocking writes from now on
      return fd;
    }
    if (!reader.Running()) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

bool HeldImport::Open() {
  fd_ = OpenFifoForWriting(fifo_, *process_);
  return fd_ >= 0;
}

void HeldImport::Write(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n <= 0) throw std::runtime_error("write to FIFO failed: " + std::string(std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

Outcome HeldImport::Finish() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return process_->Wait(std::chrono::seconds(60));
}

const std::string& GeneratedCsv(size_t rows, const std::string& charge, const std::string& source,
                                const std::string& tag) {
  static TempDir dir;  // removed, with the files, when the test binary exits
  static std::map<std::string, std::string> made;
  const std::string key = std::to_string(rows) + "-" + charge + "-" + source + "-" + tag;
  auto it = made.find(key);
  if (it != made.end()) return it->second;
  const std::string path = dir.File("generated-" + key + ".csv");
  std::string text = "charge,period,value,source,reported,batch\n";
  text.reserve(rows * 48);
  char line[160];
  for (size_t i = 0; i < rows; ++i) {
    const size_t month = i % 1000;
    const int n = std::snprintf(line, sizeof line, "%s,%04zu-%02zu,%zu,%s,2025-01,%s%zu\n", charge.c_str(),
                                1900 + month / 12, month % 12 + 1, i % 997, source.c_str(), tag.c_str(),
                                i / 1000);
    text.append(line, static_cast<size_t>(n));
  }
  std::ofstream(path, std::ios::binary) << text;
  return made.emplace(key, path).first->second;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace docket::e2e
