// Where `export` writes (spec §5 "Export and restore", `-o FILE`), and the
// check that what went to stdout got there.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "storage/status.h"

namespace docket::cli {

// Flushes stdout. kIo "cannot write to standard output" if anything
// written to it was lost (a full disk, /dev/full).
Status FlushStdout();

// An output: stdout; or the file `-o` names, followed through symlinks
// (never replacing one): a regular file (or none yet) is written to a
// temporary file beside it and renamed over it when complete, so a reader
// never sees half a file; a FIFO, a device or an open descriptor such as
// /dev/stdout or /dev/fd/N is written through.
class OutputFile {
 public:
  // `path` empty: stdout. Errors (kIo): "is a directory", "cannot write:
  // <OS error>" (a symlink loop, a missing directory, no permission).
  static Result<OutputFile> Open(const std::string& path);
  OutputFile() = default;
  OutputFile(OutputFile&& other) noexcept { *this = std::move(other); }
  OutputFile& operator=(OutputFile&& other) noexcept;
  ~OutputFile();  // an unfinished temporary file is removed

  void Put(std::string_view text);
  // Flushes; a temporary file is also synced and renamed into place.
  // Errors (kIo): FlushStdout's; "cannot write: <OS error>".
  Status Finish();

 private:
  std::FILE* out_ = nullptr;
  bool owned_ = false;  // out_ is ours to close (not stdout)
  int error_ = 0;       // errno of the first failed Put
  std::string target_, temp_;  // temp_ empty: written through
};

}  // namespace docket::cli
