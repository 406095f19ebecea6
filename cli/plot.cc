#include "cli/plot.h"

namespace docket::cli {

std::string RenderPlot(const Table& rows, const PlotOptions&) {
  std::string out;
  for (const auto& r : rows.rows) out += r[0].text + " " + r[1].text + " " + r[2].text + "\n";
  return out;
}

}  // namespace docket::cli
