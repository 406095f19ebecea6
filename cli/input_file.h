// The files a user names as input (scripts, CSV files, backups), opened
// and read with errors that say why. The path is not in the messages: the
// caller prints it as WHERE (`docket: PATH: is a directory`).
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "storage/status.h"

namespace docket::cli {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` for reading. kNotFound "cannot open: <OS error>" when it
// does not exist; kIo "is a directory", or "cannot open: <OS error>".
Result<File> OpenInput(const std::string& path);

// The first `at_most` bytes of `path` (all of a shorter one), `-` being
// stdin: a caller that refuses longer input reads one byte more than it
// allows and so never holds more. Errors as OpenInput's, and kIo "cannot
// read: <OS error>" (a file such as /proc/self/mem).
Result<std::string> ReadInput(const std::string& path, size_t at_most);

}  // namespace docket::cli
