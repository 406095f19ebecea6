// The names in an archive that the shell offers: charges, sources and each
// charge's label keys and values (completion, \series).
#pragma once

#include <map>
#include <set>
#include <string>

namespace docket {
class Archive;
}

namespace docket::cli {

// The names completion offers, from the archive's catalog.
struct Catalog {
  std::set<std::string> charges, sources;
  // charge -> label key -> values, from the charge's series.
  std::map<std::string, std::map<std::string, std::set<std::string>>> labels;
};

// The catalog of an open archive (a name whose series cannot be read gets
// no labels).
Catalog CatalogOf(Archive& archive);

// The catalog of the archive at `db`; empty when it cannot be opened.
Catalog LoadCatalog(const std::string& db);

}  // namespace docket::cli
