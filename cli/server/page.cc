#include "cli/server/page.h"

#include <nlohmann/json.hpp>

#include "cli/shell/catalog.h"
#include "query/lexicon.h"

namespace docket::cli::server {

// The generated table (cmake/embed_files.cmake).
extern const PageAsset kPageAssets[];
extern const size_t kPageAssetCount;

const PageAsset* FindPageAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (size_t i = 0; i < kPageAssetCount; ++i)
    if (kPageAssets[i].path == path) return &kPageAssets[i];
  return nullptr;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  // RFC 9110 §13.1.2: If-None-Match uses the weak comparison.
  auto opaque = [](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  const std::string_view wanted = opaque(etag);
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*" || (!tag.empty() && opaque(tag) == wanted)) return true;
  }
  return false;
}

std::string CompletionNamesJson(Archive& archive) {
  const Catalog catalog = CatalogOf(archive);
  nlohmann::ordered_json names;
  names["charges"] = catalog.charges;
  names["sources"] = catalog.sources;
  names["labels"] = nlohmann::ordered_json::object();
  for (const auto& [charge, keys] : catalog.labels) {
    if (keys.empty()) continue;
    auto& entry = names["labels"][charge];
    for (const auto& [key, values] : keys) entry[key] = values;
  }
  auto& functions = names["functions"] = nlohmann::ordered_json::array();
  for (const Function& f : Functions()) functions.push_back(f.name);
  auto& keywords = names["keywords"] = nlohmann::ordered_json::array();
  for (std::string_view k : Keywords()) keywords.push_back(k);
  return names.dump() + "\n";
}

}  // namespace docket::cli::server
