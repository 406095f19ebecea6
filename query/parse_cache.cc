#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "query/query.h"

namespace docket {

// Most recently used first; `by_key` finds an entry by its list position.
struct ParseCache::Entries {
  std::list<std::pair<std::string, ast::Script>> recent;
  std::unordered_map<std::string_view, decltype(recent)::iterator> by_key;
};

ParseCache::ParseCache() : entries_(std::make_unique<Entries>()) {}
ParseCache::~ParseCache() = default;

Status ParseCache::Parse(std::string origin, std::string text, const ParseOptions& options,
                         ast::Script* script) {
  if (!script->pieces.empty() || text.size() > kMaxTextBytes)
    return ParsePiece(std::move(origin), std::move(text), options, script);
  // NUL separates the parts: a script's text holds none that parses.
  std::string key = fmt::format("{}{}{}{}{}", options.today, '\0', origin, '\0', text);
  auto& [recent, by_key] = *entries_;
  if (auto hit = by_key.find(key); hit != by_key.end()) {
    recent.splice(recent.begin(), recent, hit->second);
    *script = hit->second->second;
    return {};
  }
  DOCKET_RETURN_IF_ERROR(ParsePiece(std::move(origin), std::move(text), options, script));
  if (recent.size() == kCapacity) {
    by_key.erase(recent.back().first);
    recent.pop_back();
  }
  recent.emplace_front(std::move(key), *script);
  by_key.emplace(recent.front().first, recent.begin());
  return {};
}

}  // namespace docket
