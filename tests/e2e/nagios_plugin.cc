#include "tests/e2e/nagios_plugin.h"

#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>

namespace docket::e2e {
namespace {

// A decimal as the guidelines' perfdata class `[-0-9.]` allows it, in the
// one shape every reader takes: no exponent, no `+`, digits on both sides
// of a point.
const std::regex kNumber("-?[0-9]+(\\.[0-9]+)?");

std::optional<double> Number(std::string_view text) {
  const std::string s(text);
  if (!std::regex_match(s, kNumber)) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

// One datum from `text` at `*pos`, which is left after it.
bool ParseDatum(const std::string& text, size_t* pos, PerfDatum* d, std::string* error) {
  size_t i = *pos;
  if (text[i] == '\'') {
    for (++i;; ++i) {
      if (i >= text.size()) return Fail(error, "unterminated quoted label");
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          d->label += '\'';
          ++i;
          continue;
        }
        ++i;
        break;
      }
      d->label += text[i];
    }
  } else {
    while (i < text.size() && text[i] != '=' && text[i] != ' ' && text[i] != '\'') d->label += text[i++];
  }
  if (d->label.empty()) return Fail(error, "empty label");
  if (d->label.find('=') != std::string::npos) return Fail(error, "`=` in label " + d->label);
  if (i >= text.size() || text[i] != '=') return Fail(error, "no `=` after label " + d->label);
  ++i;
  const size_t end = text.find(' ', i);
  const std::string rest = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
  *pos = end == std::string::npos ? text.size() : end;
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t semi; (semi = rest.find(';', start)) != std::string::npos; start = semi + 1)
    fields.push_back(rest.substr(start, semi - start));
  fields.push_back(rest.substr(start));
  if (fields.size() > 5) return Fail(error, "more than five fields: " + rest);
  fields.resize(5);
  std::string value = fields[0];
  if (value == "U") {
    d->value = std::nullopt;
  } else {
    size_t digits = 0;
    while (digits < value.size() && (std::isdigit(static_cast<unsigned char>(value[digits])) ||
                                     value[digits] == '-' || value[digits] == '.'))
      ++digits;
    d->uom = value.substr(digits);
    d->value = Number(value.substr(0, digits));
    if (!d->value) return Fail(error, "bad value `" + value + "`");
    static const std::set<std::string> kUom{"", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"};
    if (!kUom.count(d->uom)) return Fail(error, "bad unit `" + d->uom + "`");
  }
  d->warn = fields[1];
  d->crit = fields[2];
  d->min = fields[3];
  d->max = fields[4];
  for (const std::string* range : {&d->warn, &d->crit})
    if (!range->empty() && !ParseRange(*range)) return Fail(error, "bad range `" + *range + "`");
  for (const std::string* n : {&d->min, &d->max})
    if (!n->empty() && !Number(*n)) return Fail(error, "bad min/max `" + *n + "`");
  return true;
}

}  // namespace

std::optional<PluginOutput> ParsePluginOutput(const std::string& out, std::string* error) {
  if (out.empty()) return Fail(error, "no output"), std::nullopt;
  if (out.back() != '\n') return Fail(error, "no final newline"), std::nullopt;
  for (char ch : out)
    if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\n') || ch == 0x7f)
      return Fail(error, "control character"), std::nullopt;
  std::vector<std::string> lines;
  for (size_t start = 0; start < out.size();) {
    const size_t nl = out.find('\n', start);
    lines.push_back(out.substr(start, nl - start));
    start = nl + 1;
  }
  PluginOutput p;
  const std::string& first = lines[0];
  const size_t bar = first.find('|');
  if (bar != std::string::npos && first.find('|', bar + 1) != std::string::npos)
    return Fail(error, "a second `|` on the first line"), std::nullopt;
  p.text = first.substr(0, bar);
  if (bar != std::string::npos) {
    if (bar == 0 || first[bar - 1] != ' ' || bar + 1 >= first.size() || first[bar + 1] != ' ')
      return Fail(error, "`|` not set off by spaces"), std::nullopt;
    p.text.pop_back();
  }
  if (p.text.empty()) return Fail(error, "empty status text"), std::nullopt;
  if (bar != std::string::npos) {
    const std::string perf = first.substr(bar + 2);
    std::set<std::string> labels;
    for (size_t pos = 0; pos < perf.size();) {
      PerfDatum d;
      if (!ParseDatum(perf, &pos, &d, error)) return std::nullopt;
      if (!labels.insert(d.label).second) return Fail(error, "repeated label " + d.label), std::nullopt;
      p.perf.push_back(std::move(d));
      if (pos < perf.size()) {
        if (perf[pos] != ' ' || pos + 1 >= perf.size() || perf[pos + 1] == ' ')
          return Fail(error, "data not separated by one space"), std::nullopt;
        ++pos;
      }
    }
    if (p.perf.empty()) return Fail(error, "`|` without data"), std::nullopt;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].find('|') != std::string::npos)
      return Fail(error, "`|` in the long text: " + lines[i]), std::nullopt;
    p.long_text.push_back(lines[i]);
  }
  return p;
}

bool NagiosRange::Alerts(double value) const {
  const bool in = (!start || value >= *start) && (!end || value <= *end);
  return inside ? in : !in;
}

std::optional<NagiosRange> ParseRange(std::string_view text) {
  NagiosRange r;
  if (!text.empty() && text[0] == '@') {
    r.inside = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    r.start = 0;
    r.end = Number(text);
    if (!r.end) return std::nullopt;
  } else {
    const std::string_view start = text.substr(0, colon), end = text.substr(colon + 1);
    if (start == "~") {
      r.start = std::nullopt;
    } else {
      r.start = Number(start);
      if (!r.start) return std::nullopt;
    }
    if (!end.empty()) {
      r.end = Number(end);
      if (!r.end) return std::nullopt;
    }
  }
  if (r.start && r.end && *r.start > *r.end) return std::nullopt;
  return r;
}

int StateOf(const PerfDatum& d) {
  if (!d.value) return 3;
  for (const auto& [text, state] : {std::pair{d.crit, 2}, std::pair{d.warn, 1}}) {
    if (text.empty()) continue;
    const auto range = ParseRange(text);
    if (!range) return 3;
    if (range->Alerts(*d.value)) return state;
  }
  return 0;
}

int WorstState(int a, int b) {
  auto rank = [](int s) { return s == 2 ? 3 : s == 1 ? 2 : s == 3 ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

int StateCode(std::string_view word) {
  if (word == "OK") return 0;
  if (word == "WARNING") return 1;
  if (word == "CRITICAL") return 2;
  if (word == "UNKNOWN") return 3;
  return -1;
}

}  // namespace docket::e2e
