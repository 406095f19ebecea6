#include "cli/shell/meta_commands.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "cli/diagnostics.h"
#include "cli/input_file.h"
#include "cli/shell/catalog.h"
#include "cli/shell/help_topics.h"
#include "cli/shell/pager.h"
#include "cli/shell/shell_control.h"
#include "cli/shell/text.h"
#include "query/query.h"

namespace docket::cli {
namespace {

std::set<std::string, std::less<>> MetaNames();

// ---- handlers, in the order of the table

std::string HelpOverview() {
  std::string text =
      "Statements end with `;` and may span lines; `--` starts a comment.\n"
      "\\help TOPIC tells more about one of these:\n\n";
  for (const auto& t : HelpTopics()) text += fmt::format("  {:<10} {}\n", t.name, t.example);
  text += "\nMeta-commands, each on a line of its own (no `;`):\n";
  for (const auto& m : MetaCommands()) {
    text += fmt::format("  {:<17} {}", m.usage, m.summary);
    if (!m.alias.empty()) text += fmt::format(" (also {})", m.alias);
    text += '\n';
  }
  return text;
}

// A topic of the language, or a meta-command with or without its `\`.
void Help(ShellControl& shell, std::string_view topic) {
  std::string text;
  const MetaCommand* meta = FindMeta(topic);
  if (!meta && !topic.empty()) meta = FindMeta("\\" + std::string(topic));
  if (topic.empty()) {
    text = HelpOverview();
  } else if (const HelpTopic* found = FindTopic(topic)) {
    text = found->text;
  } else if (meta) {
    text = fmt::format("{}  {}\n", meta->usage, meta->summary);
  } else {
    auto names = MetaNames();
    for (const auto& t : HelpTopics()) names.emplace(t.name);
    PrintMessage("\\help", UnknownName("help topic", topic, names));
    return;
  }
  shell.Say(text);
}

void SetFormat(ShellControl& shell, std::string_view name) {
  Format& format = shell.settings().format;
  if (!name.empty()) {
    const auto parsed = ParseFormat(name);
    if (!parsed) {
      std::set<std::string, std::less<>> names;
      for (auto f = static_cast<int>(Format::kTable); f <= static_cast<int>(Format::kMarkdown); ++f)
        names.emplace(FormatName(static_cast<Format>(f)));
      PrintMessage("\\format", UnknownName("format", name, names) +
                                   " (table, csv, tsv, json, jsonl or markdown)");
      return;
    }
    format = *parsed;
  }
  shell.Say(fmt::format("format is {}\n", FormatName(format)));
}

// Sets `flag` from "on"/"off", or flips it for an empty argument. False
// (and says why) for another argument.
bool SetFlag(std::string_view on_off, bool* flag, std::string_view command) {
  if (on_off.empty()) {
    *flag = !*flag;
  } else if (on_off == "on" || on_off == "off") {
    *flag = on_off == "on";
  } else {
    PrintMessage(command, fmt::format("expected on or off, not `{}`", on_off));
    return false;
  }
  return true;
}

// SetFlag, then says the flag's new state.
void Toggle(ShellControl& shell, std::string_view on_off, bool* flag, std::string_view command) {
  if (SetFlag(on_off, flag, command))
    shell.Say(fmt::format("{} is {}\n", command.substr(1), *flag ? "on" : "off"));
}

void SetTiming(ShellControl& shell, std::string_view on_off) {
  Toggle(shell, on_off, &shell.settings().timing, "\\timing");
}

void SetAscii(ShellControl& shell, std::string_view on_off) {
  Toggle(shell, on_off, &shell.settings().ascii, "\\ascii");
}

std::string_view ExpandedName(Expanded expanded) {
  switch (expanded) {
    case Expanded::kOff: return "off";
    case Expanded::kOn: return "on";
    case Expanded::kAuto: return "auto";
  }
  return "off";
}

// `\x` flips on and off (auto becomes off, as in psql); `\x on|off|auto` sets.
void SetExpanded(ShellControl& shell, std::string_view mode) {
  Expanded& expanded = shell.settings().expanded;
  if (mode.empty()) {
    expanded = expanded == Expanded::kOff ? Expanded::kOn : Expanded::kOff;
  } else if (mode == "on" || mode == "off" || mode == "auto") {
    expanded = mode == "on" ? Expanded::kOn : mode == "off" ? Expanded::kOff : Expanded::kAuto;
  } else {
    PrintMessage("\\x", fmt::format("expected on, off or auto, not `{}`", mode));
    return;
  }
  shell.Say(fmt::format("expanded display is {}\n", ExpandedName(expanded)));
}

// Says which pager runs, or why none does.
void SetPager(ShellControl& shell, std::string_view on_off) {
  bool& pager = shell.settings().pager;
  if (!SetFlag(on_off, &pager, "\\pager")) return;
  const std::string command = PagerCommand();
  if (!pager)
    shell.Say("pager is off\n");
  else if (command.empty())
    shell.Say("pager is on, but PAGER is empty: results are not paged\n");
  else
    shell.Say(fmt::format("pager is on: {}\n", command));
}

void ShowCharges(ShellControl& shell, std::string_view) {
  ShellOutput output = shell.MakeOutput();
  shell.RunText("\\charges", "show charges;", Batch::kEachStatement, output);
}

void ShowSources(ShellControl& shell, std::string_view) {
  ShellOutput output = shell.MakeOutput();
  shell.RunText("\\sources", "show sources;", Batch::kEachStatement, output);
}

// Passes everything on, except results, which it gathers into one table
// (the columns of the first), ordered by the first field.
class MergingOutput : public Sink {
 public:
  explicit MergingOutput(Sink& next) : next_(next) {}
  void Begin(const std::vector<std::string>& columns) override {
    if (merged_.columns.empty()) merged_.columns = columns;
  }
  Status Row(const std::vector<Cell>& cells) override {
    merged_.rows.push_back(cells);
    return {};
  }
  void End() override {}
  void Plot(const Table& rows) override { next_.Plot(rows); }
  void Check(std::string_view where, const CheckResult& result) override {
    next_.Check(where, result);
  }
  void Message(std::string_view where, std::string_view message) override {
    next_.Message(where, message);
  }
  Status Flush() override { return next_.Flush(); }
  Table Merged() {
    std::stable_sort(merged_.rows.begin(), merged_.rows.end(),
                     [](const auto& a, const auto& b) { return a.front().text < b.front().text; });
    return merged_;
  }

 private:
  Sink& next_;
  Table merged_;
};

// With a charge: `show series CHARGE`. Without: that of every charge, as one table.
void ShowSeries(ShellControl& shell, std::string_view charge) {
  ShellOutput output = shell.MakeOutput();
  if (!charge.empty()) {
    shell.RunText("\\series", fmt::format("show series {};", charge), Batch::kEachStatement, output);
    return;
  }
  std::string script;
  for (const auto& name : LoadCatalog(shell.options().db).charges)
    script += fmt::format("show series {};\n", name);
  if (script.empty()) {
    shell.Say("no charges are defined yet\n");
    return;
  }
  MergingOutput merging(output);
  shell.RunText("\\series", std::move(script), Batch::kWhole, merging);
  const Table merged = merging.Merged();
  Status s = merged.columns.empty() ? Status() : EmitTable(output, merged);
  if (Status flushed = output.Flush(); s.ok()) s = flushed;
  if (!s.ok()) PrintMessage("\\series", s.message());
}

void ReadScript(ShellControl& shell, std::string_view path) {
  const std::string file(path);
  auto text = ReadInput(file, kMaxScriptBytes + 1);
  if (!text.ok()) {
    PrintMessage(file, text.status().message());
    return;
  }
  ShellOutput output = shell.MakeOutput();
  shell.RunText(file, std::move(*text), Batch::kWhole, output);
}

void SetOutput(ShellControl& shell, std::string_view path) {
  const std::string file(path);
  if (Status s = shell.SendResultsTo(file); !s.ok()) {
    PrintMessage("\\output", s.message());
    return;
  }
  shell.Say(file.empty() ? "results go to the terminal\n" : fmt::format("results go to {}\n", file));
}

void DescribeArchive(ShellControl& shell, std::string_view) {
  const Options& options = shell.options();
  const ShellSettings& settings = shell.settings();
  const std::string& history = shell.history_path();
  shell.Say(fmt::format(
      "archive  {}: {}\n"
      "access   {}\n"
      "format   {}, ascii {}, timing {}, expanded {}, pager {}\n"
      "output   {}\n"
      "history  {}\n",
      options.db, shell.ArchiveSummary(),
      options.read_only ? "read-only (--read-only)"
                        : "read-write; the write lock is held only while a statement writes",
      FormatName(settings.format), settings.ascii ? "on" : "off", settings.timing ? "on" : "off",
      ExpandedName(settings.expanded), settings.pager ? "on" : "off",
      shell.results_path().empty() ? "the terminal" : shell.results_path(),
      history.empty() ? "off" : history));
}

void Quit(ShellControl& shell, std::string_view) { shell.Quit(); }

constexpr std::array kMetaCommands = {
    MetaCommand{"\\help", "\\?", "\\help [TOPIC]",
                "this help, or help on a statement, topic or meta-command", MetaArg::kTopic, false,
                &Help},
    MetaCommand{"\\format", "", "\\format [F]",
                "results as table, csv, tsv, json, jsonl or markdown", MetaArg::kFormat, false,
                &SetFormat},
    MetaCommand{"\\timing", "", "\\timing [on|off]", "print how long each statement took",
                MetaArg::kOnOff, false, &SetTiming},
    MetaCommand{"\\ascii", "", "\\ascii [on|off]",
                "tables and charts without box or block characters", MetaArg::kOnOff, false,
                &SetAscii},
    MetaCommand{"\\x", "", "\\x [on|off|auto]",
                "one field per line; auto: when wider than the terminal",
                MetaArg::kExpanded, false, &SetExpanded},
    MetaCommand{"\\pager", "", "\\pager [on|off]",
                "tall results through $PAGER (less -SRXF if unset)",
                MetaArg::kOnOff, false, &SetPager},
    MetaCommand{"\\charges", "", "\\charges", "the defined charges (show charges)", MetaArg::kNone,
                false, &ShowCharges},
    MetaCommand{"\\sources", "", "\\sources", "the defined sources (show sources)", MetaArg::kNone,
                false, &ShowSources},
    MetaCommand{"\\series", "", "\\series [CHARGE]", "the series of CHARGE, or of every charge",
                MetaArg::kCharge, false, &ShowSeries},
    MetaCommand{"\\read", "", "\\read FILE",
                "run a script file: checked whole, written as one batch", MetaArg::kFile, true,
                &ReadScript},
    MetaCommand{"\\output", "", "\\output [FILE]",
                "send results to FILE; without FILE, back to the terminal", MetaArg::kFile, false,
                &SetOutput},
    MetaCommand{"\\db", "", "\\db", "the archive in use, its size and the shell's settings",
                MetaArg::kNone, false, &DescribeArchive},
    MetaCommand{"\\quit", "\\q", "\\quit", "leave the shell; so does Ctrl-D on an empty line",
                MetaArg::kNone, false, &Quit},
};

std::set<std::string, std::less<>> MetaNames() {
  std::set<std::string, std::less<>> names;
  for (const auto& m : kMetaCommands) names.emplace(m.name);
  return names;
}

}  // namespace

std::span<const MetaCommand> MetaCommands() { return kMetaCommands; }

const MetaCommand* FindMeta(std::string_view name) {
  for (const auto& m : kMetaCommands)
    if (m.name == name || (!m.alias.empty() && m.alias == name)) return &m;
  return nullptr;
}

void RunMeta(ShellControl& shell, std::string_view line) {
  if (line.ends_with(';')) line = TrimRight(line.substr(0, line.size() - 1));
  const size_t space = line.find_first_of(" \t");
  const std::string_view name = line.substr(0, space);
  const std::string_view argument = space == std::string_view::npos ? "" : Trim(line.substr(space));
  const MetaCommand* meta = FindMeta(name);
  if (!meta) {
    PrintMessage("<stdin>", UnknownName("meta-command", name, MetaNames()) + " (\\help lists them)");
  } else if (meta->arg == MetaArg::kNone && !argument.empty()) {
    PrintMessage(meta->name, fmt::format("takes no argument: {}", meta->usage));
  } else if (meta->argument_required && argument.empty()) {
    PrintMessage(meta->name, fmt::format("usage: {}", meta->usage));
  } else {
    meta->run(shell, argument);
  }
}

}  // namespace docket::cli
