// The page for people that `docket serve` serves at `/` (spec §8 "The
// page"): its files, built into the binary (cli/server/page/, embedded by
// cmake/embed_files.cmake), and the names its query box completes. No
// HTTP library's types: the routes adapt these to their own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace docket {
class Archive;
}

namespace docket::cli::server {

// One embedded file.
struct PageAsset {
  std::string_view path;          // `/index.html`, `/page.js`…
  std::string_view content_type;  // with its charset where it is text
  std::string_view etag;          // a strong ETag, quoted: a hash of the bytes
  std::string_view body;
};

// The header every page answer carries: a browser keeps the files but asks
// again each time (If-None-Match), so a new binary's page is seen at once
// and an unchanged one costs a 304.
inline constexpr std::string_view kPageCacheControl = "no-cache";

// The asset served at `path` (`/` is `/index.html`), or null when there is
// none.
const PageAsset* FindPageAsset(std::string_view path);

// True when an If-None-Match header's value names `etag` (a list of quoted
// tags, weak ones compared weakly, or `*`): the answer is then 304.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// What the query box completes, as one json object:
//   {"charges": [...], "sources": [...],
//    "labels": {"CHARGE": {"KEY": ["VALUE", ...]}},
//    "functions": [...], "keywords": [...]}
// names in byte order; charges, sources and labels from `archive`,
// functions and keywords from the language's lexicon (query/lexicon.h).
std::string CompletionNamesJson(Archive& archive);

}  // namespace docket::cli::server
