#include "cli/shell/catalog.h"

#include "cli/options.h"
#include "storage/archive.h"

namespace docket::cli {

Catalog CatalogOf(Archive& archive) {
  Catalog catalog;
  for (const auto& [name, charge] : archive.charges()) {
    catalog.charges.insert(name);
    auto series = archive.SeriesOf(name);
    if (!series.ok()) continue;
    auto& keys = catalog.labels[name];
    for (const auto& info : *series)
      for (const auto& [key, value] : info.key.labels) keys[key].insert(value);
  }
  for (const auto& [name, source] : archive.sources()) catalog.sources.insert(name);
  return catalog;
}

Catalog LoadCatalog(const std::string& db) {
  auto opened = Archive::Open(db, ReadOpen());
  if (!opened.ok()) return Catalog();
  return CatalogOf(**opened);
}

}  // namespace docket::cli
