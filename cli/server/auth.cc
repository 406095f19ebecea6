#include "cli/server/auth.h"

#include <strings.h>

#include <fmt/format.h>

#include "cli/input_file.h"

namespace docket::cli::server {

Result<Auth> Auth::FromFile(const std::string& path) {
  // The token is its first line: a few KiB are more than any token.
  constexpr size_t kMaxTokenFile = 64 * 1024;
  auto text = ReadInput(path, kMaxTokenFile);
  if (!text.ok())
    return Status::Error(text.status().kind(), fmt::format("--token-file {}: {}", path, text.status().message()));
  std::string token = text->substr(0, text->find('\n'));
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty())
    return Status::Error(ErrorKind::kUsage, fmt::format("--token-file {}: the first line holds no token", path));
  Auth auth;
  auth.token_ = std::move(token);
  return auth;
}

WriteAccess Auth::ForWrite(std::string_view authorization) const {
  if (token_.empty()) return WriteAccess::kForbidden;
  static constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() < kScheme.size() ||
      ::strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0)
    return WriteAccess::kUnauthorized;
  authorization.remove_prefix(kScheme.size());
  return ConstantTimeEquals(authorization, token_) ? WriteAccess::kAllowed : WriteAccess::kUnauthorized;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of the longer one is compared, so the time tells nothing
  // about where they differ.
  const size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0;
}

}  // namespace docket::cli::server
