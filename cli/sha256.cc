#include "cli/sha256.h"

#include <sha2.h>

#include <cstdint>

#include <fmt/format.h>

namespace docket::cli {

struct Sha256::Context {
  SHA2_CTX ctx;
};

Sha256::Sha256() : context_(std::make_unique<Context>()) { SHA256Init(&context_->ctx); }
Sha256::~Sha256() = default;

void Sha256::Update(std::string_view bytes) {
  SHA256Update(&context_->ctx, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string Sha256::HexDigest() const {
  SHA2_CTX copy = context_->ctx;  // SHA256Final ends the stream it is given
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256Final(digest, &copy);
  std::string hex;
  for (uint8_t b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace docket::cli
