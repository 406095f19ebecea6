#include "cli/input_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace docket::cli {

Result<File> OpenInput(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    const int e = errno;
    return Status::Error(e == ENOENT || e == ENOTDIR ? ErrorKind::kNotFound : ErrorKind::kIo,
                         fmt::format("cannot open: {}", std::strerror(e)));
  }
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Io("is a directory");
  return f;
}

Result<std::string> ReadInput(const std::string& path, size_t at_most) {
  File opened;
  std::FILE* in = stdin;
  if (path != "-") {
    auto f = OpenInput(path);
    if (!f.ok()) return f.status();
    opened = std::move(*f);
    in = opened.get();
  }
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while (text.size() < at_most &&
         (n = std::fread(buffer, 1, std::min(sizeof buffer, at_most - text.size()), in)) > 0)
    text.append(buffer, n);
  if (std::ferror(in)) return Status::Io(fmt::format("cannot read: {}", std::strerror(errno)));
  return text;
}

}  // namespace docket::cli
