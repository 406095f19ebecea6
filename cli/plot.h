// `plot` (spec §2.4): a horizontal bar chart of value rows, as text.
#pragma once

#include <string>

#include "query/table.h"

namespace docket::cli {

struct PlotOptions {
  size_t width = 80;   // terminal columns available
  bool ascii = false;  // only ASCII characters: `#` `~` `.` `>`
  bool color = false;  // ANSI colour (terminal only, never with NO_COLOR)
};

// Renders value rows (the value-row fields of spec §4, found by column
// name: series, period, value, lo, hi, approx, source; lo/hi are numbers,
// or null when unbounded) as one bar per row, in row order:
//
//   LABEL  BAR VALUE  SOURCE
//
// - Layout: with several series of which one has several periods, a header
//   line per series and bars labelled by period (indented); otherwise one
//   flat list labelled by series (when there are several) and period. When
//   several rows share a series and period (`by source`), the source joins
//   the label and is not repeated after the bar. Label parts are aligned
//   by terminal display width.
// - Every bar starts at zero and uses one scale, chosen so the longest line
//   fits in `width` (bars get at least 10 columns whatever the width):
//   a solid part up to `lo` (`█`, `▓` when approximate), a hollow part from
//   `lo` up to a finite `hi` (`░`: an upper bound `<=v` is all hollow), and
//   `▶` when `hi` is unbounded (a lower bound `>=v`). A positive part never
//   rounds away to nothing. Parts below zero are not drawn (the value text
//   tells); a value unbounded both ways (`?`) or missing draws no bar.
// - ascii: `#` solid, `~` approximate, `.` hollow, `>` open end.
// - color: bold series headers, cyan bars (yellow when approximate), dim
//   hollow parts and sources; escapes take no columns.
// - history rows (a `from` column) and vintages rows (a `vintage` column)
//   draw one bar per change or vintage, labelled by its day or vintage,
//   each cell (`espionage[2024]`) taking the place of a series: read down,
//   the bars are the figure as a step over knowledge time.
// - Periods missing between two rows of the same series and grain get a
//   line of their own, `2018..2021` (or one period) with no bar and the
//   value `no figure`, so that a gap is never skipped silently.
// - No rows: `(no rows)`. The result ends with a newline.
std::string RenderPlot(const Table& rows, const PlotOptions& options);

}  // namespace docket::cli
