#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace docket::cli {
namespace {

Status CannotWrite(int error) { return Status::Io(fmt::format("cannot write: {}", std::strerror(error))); }

// The descriptor a name such as /dev/stdout, /dev/fd/1 or /proc/self/fd/1
// stands for: following its symlink would reach a pipe's pseudo-name or,
// for a file opened with `>>`, would replace that file.
std::optional<int> NamedDescriptor(std::string_view path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!path.starts_with(prefix)) continue;
    path.remove_prefix(prefix.size());
    int fd = -1;
    const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), fd);
    if (ec == std::errc() && end == path.data() + path.size() && fd >= 0) return fd;
  }
  return std::nullopt;
}

// Where `path` leads: a descriptor (NamedDescriptor), or the path that is
// not a symlink at the end of its chain (it may not exist).
struct Destination {
  std::optional<int> fd;
  std::string path;
};

Result<Destination> Follow(std::string path) {
  for (int hops = 0; hops <= 40; ++hops) {  // the kernel's limit
    if (auto fd = NamedDescriptor(path)) return Destination{fd, path};
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return Destination{std::nullopt, path};
      return CannotWrite(errno);
    }
    if (!S_ISLNK(st.st_mode)) return Destination{std::nullopt, path};
    std::string link(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    const ssize_t n = ::readlink(path.c_str(), link.data(), link.size());
    if (n < 0) return CannotWrite(errno);
    link.resize(static_cast<size_t>(n));
    const size_t slash = path.rfind('/');
    path = link.starts_with('/') || slash == std::string::npos ? link : path.substr(0, slash + 1) + link;
  }
  return CannotWrite(ELOOP);
}

}  // namespace

Status FlushStdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return Status::Io("cannot write to standard output");
  return {};
}

Result<OutputFile> OutputFile::Open(const std::string& path) {
  OutputFile f;
  if (path.empty()) {
    f.out_ = stdout;
    return f;
  }
  auto dest = Follow(path);
  if (!dest.ok()) return dest.status();
  f.target_ = dest->path;
  f.owned_ = true;
  int fd = -1;
  struct stat st {};
  const bool exists = !dest->fd && ::stat(f.target_.c_str(), &st) == 0;
  if (dest->fd) {
    fd = ::fcntl(*dest->fd, F_DUPFD_CLOEXEC, 0);
  } else if (exists && S_ISDIR(st.st_mode)) {
    return Status::Io("is a directory");
  } else if (exists && !S_ISREG(st.st_mode)) {
    fd = ::open(f.target_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  } else {
    f.temp_ = fmt::format("{}.tmp-{}", f.target_, ::getpid());
    fd = ::open(f.temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) f.temp_.clear();
  }
  if (fd < 0 || !(f.out_ = ::fdopen(fd, "wb"))) {
    const int e = errno;
    if (fd >= 0) ::close(fd);
    return CannotWrite(e);
  }
  return f;
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  std::swap(out_, other.out_);
  std::swap(owned_, other.owned_);
  std::swap(error_, other.error_);
  std::swap(target_, other.target_);
  std::swap(temp_, other.temp_);
  return *this;
}

OutputFile::~OutputFile() {
  if (!owned_ || !out_) return;
  std::fclose(out_);
  if (!temp_.empty()) std::remove(temp_.c_str());
}

void OutputFile::Put(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() && error_ == 0) error_ = errno;
}

Status OutputFile::Finish() {
  if (!owned_) return error_ != 0 ? Status::Io("cannot write to standard output") : FlushStdout();
  int error = error_;
  if (std::fflush(out_) != 0 && error == 0) error = errno;
  if (!temp_.empty() && error == 0 && ::fsync(::fileno(out_)) != 0) error = errno;
  if (std::fclose(out_) != 0 && error == 0) error = errno;
  out_ = nullptr;
  if (!temp_.empty()) {
    if (error == 0 && std::rename(temp_.c_str(), target_.c_str()) != 0) error = errno;
    if (error != 0) std::remove(temp_.c_str());
    temp_.clear();
  }
  return error == 0 ? Status() : CannotWrite(error);
}

}  // namespace docket::cli
