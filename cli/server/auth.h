// Who may write (spec §8): reads are open; writes need the server's token
// as `Authorization: Bearer TOKEN`, compared in constant time. The token
// is never logged.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.h"

namespace docket::cli::server {

enum class WriteAccess {
  kAllowed,
  kForbidden,     // 403: no --token-file, or a --follow server
  kUnauthorized,  // 401: a missing or wrong token
};

class Auth {
 public:
  // Writes refused whatever the request.
  Auth() = default;
  // The first line of `path` (without its line end) is the token. kNotFound
  // or kIo when it cannot be read, kUsage when the line is empty.
  static Result<Auth> FromFile(const std::string& path);

  // What a write with this `Authorization` header value may do.
  WriteAccess ForWrite(std::string_view authorization) const;

 private:
  std::string token_;  // empty: writes refused
};

// a == b, in a time that depends on their lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace docket::cli::server
