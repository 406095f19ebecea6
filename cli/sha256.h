// SHA-256 (FIPS 180-4) of a byte stream, for the backup's trailer (spec §5
// "Export and restore"). libmd's implementation: the binary already links
// libmd statically (libedit needs it), so this adds no dependency.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace docket::cli {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // The digest of everything given so far, as 64 lower-case hex digits.
  // The hash goes on: later Updates extend the same stream.
  std::string HexDigest() const;

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace docket::cli
