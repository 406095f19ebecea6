// The shell's meta-commands (`\format csv`, `\read FILE`…): one table
// drives their dispatch, \help, completion and the "did you mean" of a
// mistyped one.
#pragma once

#include <span>
#include <string_view>

namespace docket::cli {

class ShellControl;

// What a meta-command's argument is, for completion.
enum class MetaArg { kNone, kFormat, kOnOff, kExpanded, kTopic, kCharge, kFile };  // kExpanded: on, off, auto

struct MetaCommand {
  std::string_view name;     // `\format`
  std::string_view alias;    // another name, or empty
  std::string_view usage;    // `\format [F]`
  std::string_view summary;  // one line for \help
  MetaArg arg;               // kNone: it takes none
  bool argument_required;
  void (*run)(ShellControl& shell, std::string_view argument);
};

// In the order of \help.
std::span<const MetaCommand> MetaCommands();

// The meta-command called `name` (`\q`, with its backslash) by its name or
// alias, or null.
const MetaCommand* FindMeta(std::string_view name);

// Runs `line`, which starts with `\`: the command and its argument, or an
// error message when the command is unknown or its argument missing or
// unexpected. A trailing `;` is forgiven: `\quit;` quits.
void RunMeta(ShellControl& shell, std::string_view line);

}  // namespace docket::cli
