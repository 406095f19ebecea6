// `plot` (spec §2.4): a horizontal bar chart of value rows, as text.
#pragma once

#include <string>

#include "query/table.h"

namespace docket::cli {

struct PlotOptions {
  size_t width = 80;   // terminal columns available
  bool ascii = false;  // no block or box characters
  bool color = false;  // ANSI colour (terminal only, never with NO_COLOR)
};

// Renders value rows (the value-row fields of spec §4: series, period,
// value, lo, hi, approx, source, reported) as one bar per row, grouped by
// series, scaled to `width`, with the value and source after each bar.
std::string RenderPlot(const Table& rows, const PlotOptions& options);

}  // namespace docket::cli
