#include "cli/shell/help_topics.h"

#include <array>

namespace docket::cli {
namespace {

constexpr std::array kHelpTopics = {
    HelpTopic{
        "selectors", "treason[2024];  espionage{citizenship=*}[2019..2024];",
        "A query is a statement: a selector, a function or arithmetic on them.\n"
        "  treason                         every period of the unlabelled series\n"
        "  treason[2024]                   one cell\n"
        "  treason[2019..2024]             a range; both ends of one granularity\n"
        "  espionage{citizenship=\"UA\"}     a labelled series\n"
        "  espionage{citizenship=*}[2024]  every series whose label keys are exactly {citizenship}\n"
        "Periods: 2024 (year), 2024-H1 (half), 2024-Q3 (quarter), 2024-07 (month).\n"
        "Rows: series, period, value, lo, hi, approx, source, reported.\n"
        "Example: espionage{citizenship=*}[2024];\n"},
    HelpTopic{
        "functions", "growth(treason, 2023, 2024);  sum(espionage{citizenship=*}[2024]);",
        "  growth(treason, 2023, 2024)          ratio to/from; range form: growth(treason[2015..2024])\n"
        "  change(treason, 2023, 2024)          difference\n"
        "  pct(treason, 2023, 2024)             percent change\n"
        "  sum(espionage{citizenship=*}[2024])  also min, max, count: rows of one period combined\n"
        "  revisions(espionage[2024])           every report and correction\n"
        "  conflicts(espionage)                 cells where two sources cannot both be right\n"
        "  first(treason[2024])                 the first release of each cell (earliest reported)\n"
        "  lag(treason[2024])                   days from the period's end to the first release\n"
        "Arithmetic: + - * / and parentheses; a plain number applies to every row.\n"
        "first and lag are values: treason - first(treason) is how far each figure moved.\n"
        "How figures moved (see \\help history): history, vintages, diff.\n"
        "Example: treason[2024-H1] / treason[2024];\n"},
    HelpTopic{
        "history", "history(espionage[2024]);  diff(espionage, as of 2024-12-31, as of 2025-06-30);",
        "  history(espionage[2024])                  the resolved figure through knowledge time:\n"
        "                                            a row from each day it changed (from, until)\n"
        "  vintages(treason, 2016..2025)             the figure as known at each year's end;\n"
        "                                            also halves, quarters, months, or days:\n"
        "                                            vintages(treason, 2024-12-01..2024-12-31)\n"
        "  diff(espionage, as of 2024-12-31, as of 2025-06-30)\n"
        "                                            cells whose figure changed between two\n"
        "                                            cutoffs: added, removed, revised, restated\n"
        "A cutoff is `as of DATE`, `recorded as of TIMESTAMP`, or both. history takes\n"
        "no `by source`; vintages no `as of`; diff neither of the cutoffs as modifiers.\n"
        "plot draws history and vintages rows: one bar per change or vintage.\n"
        "Example: history(espionage[2024]);\n"},
    HelpTopic{"modifiers", "espionage[2024] as of 2024-12-31 by source;",
              "A query may end with modifiers, in any order, each at most once:\n"
              "  ... as of 2024-12-31                  only what was reported by then\n"
              "  ... recorded as of 2025-03-01T12:00Z  only what the archive held then\n"
              "  ... from RTVI, IStories               only these sources\n"
              "  ... by source                         one row per source instead of the winner\n"
              "  ... resolve latest|priority|consensus  which figure wins: the latest reported\n"
              "                                        (default), the highest priority, or what\n"
              "                                        every source allows (their intersection)\n"
              "Example: espionage[2024] as of 2024-12-31 by source;\n"},
    HelpTopic{"values", "state_secrets[2024] / state_secrets[2023];",
              "Values are intervals: 145 (exact), >=28 (at least), <=10 (at most),\n"
              "~36 (approximately), 28..40 (in between), ? (unknown). Arithmetic keeps\n"
              "the bounds: >=209 over ~157 is ~>=1.33. Counts show as integers, ratios\n"
              "with two decimals.\n"
              "Example: state_secrets[2024] / state_secrets[2023];\n"},
    HelpTopic{"define", "define charge treason title \"High treason\" article \"275\";",
              "define charge NAME [title \"...\"] [article \"...\"];\n"
              "define source NAME [title \"...\"] [url \"...\"] [priority N];\n"
              "Defining an existing name changes only the attributes given.\n"
              "Example: define source IStories title \"Important Stories\" priority 10;\n"},
    HelpTopic{
        "record", "record treason[2024] = 145 from IStories on 2025-04;",
        "record SERIES[PERIOD] (= | >= | <= | ~) COUNT from SOURCE on DATE [note \"...\"] [url \"...\"];\n"
        "DATE is when the source published it: 2025-04-17, 2025-04 or 2025.\n"
        "An identical record changes nothing; a different one is a correction,\n"
        "kept beside the old version.\n"
        "Example: record espionage{citizenship=\"UA\"}[2024] >= 18 from RTVI on 2024-12;\n"},
    HelpTopic{"retract", "retract espionage[2024] from RTVI on 2025-03-01;",
              "retract SERIES[PERIOD] from SOURCE on DATE [note \"...\"];\n"
              "Withdraws the source's figure for the cell from that date on.\n"
              "Example: retract espionage[2024] from RTVI on 2025-03-01 note \"superseded\";\n"},
    HelpTopic{"assert", "assert treason[2024] >= 100;",
              "assert EXPR [MODIFIERS] CMP NUMBER [else \"message\"];   CMP: = != < <= > >=\n"
              "Silent when true; otherwise says failed, or unknown (no rows, or an\n"
              "interval on both sides of the threshold).\n"
              "Example: assert growth(treason, 2023, 2024) < 5 else \"more than quintupled\";\n"},
    HelpTopic{"check", "check growth(treason, 2023, 2024) warn > 3 crit > 5;",
              "check EXPR [MODIFIERS] [warn CMP NUMBER] [crit CMP NUMBER];\n"
              "One Nagios-style line per row: DOCKET OK|WARNING|CRITICAL|UNKNOWN - ...\n"
              "Example: check growth(treason, 2023, 2024) warn > 3 crit > 5;\n"},
    HelpTopic{
        "show", "show charges;  show sources;  show series espionage;",
        "show charges;         charge, title, article          (also \\charges)\n"
        "show sources;         source, title, url, priority    (also \\sources)\n"
        "show series CHARGE;   series, periods, first, last, sources, reports (also \\series)\n"
        "Example: show series espionage;\n"},
    HelpTopic{"describe", "describe treason;",
              "describe CHARGE;   one row per series: title, article, periods covered, sources\n"
              "Example: describe treason;\n"},
    HelpTopic{"plot", "plot treason[2015..2024];",
              "plot EXPR [MODIFIERS];   a horizontal bar chart of value rows\n"
              "One bar per row, grouped by series, scaled to the terminal width, with\n"
              "the value and the source after each bar:\n"
              "  █████ exact   ▓▓▓▓▓ approximate (~)   █████▶ at least (>=)\n"
              "  ░░░░░ at most (<=), or the uncertain part of a range (28..40)\n"
              "With `by source`, one bar per source per period. \\ascii draws # ~ . >\n"
              "plot history(...) and plot vintages(...) draw one bar per change or vintage.\n"
              "Example: plot espionage[2024] by source;\n"},
    HelpTopic{"changes", "changes since 2025-01-01;",
              "changes since DATE | TIMESTAMP;   every version recorded after then, oldest first\n"
              "Example: changes since 2025-01-01T00:00Z;\n"},
    HelpTopic{
        "keys", "Tab, Up/Down, Ctrl-R, Ctrl-C, Ctrl-D",
        "  Enter           run the input once it ends with `;` (else a new line: ...>)\n"
        "  Tab             complete keywords, functions, charges, sources, label keys and values\n"
        "  Up, Down        previous and next entries of the history\n"
        "  Ctrl-R          search the history backwards as you type\n"
        "  Ctrl-A, Ctrl-E  start, end of the line; Ctrl-W deletes a word, Ctrl-U the line\n"
        "  Ctrl-C          cancel the input being typed (the shell stays)\n"
        "  Ctrl-D          on an empty line: leave the shell\n"},
};

}  // namespace

std::span<const HelpTopic> HelpTopics() { return kHelpTopics; }

const HelpTopic* FindTopic(std::string_view name) {
  for (const auto& t : kHelpTopics)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace docket::cli
