// `\help TOPIC`: a text for each statement and subject of the language.
#pragma once

#include <span>
#include <string_view>

namespace docket::cli {

// The overview shows `example`; `\help NAME` the text.
struct HelpTopic {
  std::string_view name, example, text;
};

// In the order of the overview.
std::span<const HelpTopic> HelpTopics();

// The topic called `name`, or null.
const HelpTopic* FindTopic(std::string_view name);

}  // namespace docket::cli
