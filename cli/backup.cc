#include "cli/backup.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/input_file.h"
#include "cli/json_line.h"
#include "query/lexicon.h"
#include "query/query.h"

namespace docket::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kHeaderType[] = "docket-backup";
constexpr char kTrailerType[] = "docket-backup-end";
constexpr int kFormat = 1;
constexpr char kHeaderLine[] = R"({"type":"docket-backup","format":1})";

}  // namespace

// ---------------------------------------------------------------- writing

BackupWriter::BackupWriter(std::function<void(std::string_view)> put) : put_(std::move(put)) {
  Line(Json{{"type", kHeaderType}, {"format", kFormat}}.dump());
}

void BackupWriter::Line(const std::string& text) {
  const std::string line = text + "\n";
  hash_.Update(line);
  put_(line);
}

void BackupWriter::Add(const Charge& c) {
  ++definitions_;
  Line(Json{{"type", "charge"}, {"name", c.name}, {"title", c.title}, {"article", c.article}}.dump());
}

void BackupWriter::Add(const Source& s) {
  ++definitions_;
  Line(Json{{"type", "source"}, {"name", s.name}, {"title", s.title}, {"url", s.url},
            {"priority", s.priority}}
           .dump());
}

void BackupWriter::Add(const Version& v, const SeriesKey& series, std::string_view source) {
  ++versions_;
  Json labels = Json::object();
  for (const auto& [key, value] : series.labels) labels[key] = value;
  const Json j{{"type", "version"},
               {"charge", series.charge},
               {"labels", labels},
               {"period", v.report.period.ToString()},
               {"source", source},
               {"reported", v.report.reported.ToString()},
               {"recorded", FormatTimestamp(v.recorded)},
               {"value", v.figure ? Json(v.figure->count) : Json(nullptr)},
               {"bound", v.figure ? Json(std::string(BoundSymbol(v.figure->bound))) : Json(nullptr)},
               {"note", v.note},
               {"url", v.url}};
  // Stored strings are valid UTF-8; `replace` only keeps a damaged archive exportable.
  Line(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void BackupWriter::Finish() {
  const std::string line = Json{{"type", kTrailerType},
                                {"definitions", definitions_},
                                {"versions", versions_},
                                {"sha256", hash_.HexDigest()}}
                               .dump() +
                           "\n";
  put_(line);
}

// ---------------------------------------------------------------- restoring

namespace {

// A bad field: thrown by the field readers below, caught once per line.
struct BadField {
  size_t column;
  std::string message;
};

// The members of a line's object, read with the rules `record` applies.
class Fields {
 public:
  // Throws BadField for a member not in `names` or a name of `names` missing.
  Fields(const JsonValue& object, std::initializer_list<std::string_view> names) : object_(object) {
    for (const auto& m : object.members)
      if (std::find(names.begin(), names.end(), m.name) == names.end())
        throw BadField{m.column, fmt::format("unknown field `{}`", m.name)};
    for (std::string_view name : names)
      if (!object.Find(name)) throw BadField{1, fmt::format("missing field `{}`", name)};
  }

  const JsonValue& Get(std::string_view name) const { return object_.Find(name)->value; }

  // A string: valid UTF-8 without NUL.
  std::string Text(std::string_view name) const { return Text(Get(name), fmt::format("`{}`", name)); }
  static std::string Text(const JsonValue& v, std::string_view what) {
    if (v.kind != JsonValue::Kind::kString) throw BadField{v.column, fmt::format("{} must be a string", what)};
    if (FindInvalidUtf8(v.text) != std::string::npos) throw BadField{v.column, "invalid UTF-8 or a NUL byte"};
    return v.text;
  }

  // A whole number as written: digits only (no sign, fraction or exponent).
  static std::optional<uint64_t> Whole(const JsonValue& v) {
    if (v.kind != JsonValue::Kind::kNumber) return std::nullopt;
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
    if (ec != std::errc() || end != v.text.data() + v.text.size()) return std::nullopt;
    return n;
  }

  // A count of spec §1: a whole number from 0 to 2^53-1.
  uint64_t Count(std::string_view name) const {
    const JsonValue& v = Get(name);
    const auto n = Whole(v);
    if (!n || *n > kMaxCount)
      throw BadField{v.column, fmt::format("invalid count `{}`: a count is a whole number from 0 to {}",
                                           v.raw, kMaxCount)};
    return *n;
  }

  // A 64-bit integer, as `define source … priority` takes.
  int64_t Integer(std::string_view name) const {
    const JsonValue& v = Get(name);
    int64_t n = 0;
    const char* end = v.text.data() + v.text.size();
    const auto parsed = std::from_chars(v.text.data(), end, n);
    if (v.kind != JsonValue::Kind::kNumber || parsed.ec != std::errc() || parsed.ptr != end)
      throw BadField{v.column, fmt::format("invalid {} `{}`: a whole number from {} to {}", name, v.raw,
                                           std::numeric_limits<int64_t>::min(),
                                           std::numeric_limits<int64_t>::max())};
    return n;
  }

 private:
  const JsonValue& object_;
};

class Restorer {
 public:
  Restorer(const std::string& file, const std::string& name, uint32_t index, int32_t today, Archive& archive,
           BulkLoader* loader, ErrorList* errors)
      : file_(file), name_(name), index_(index), today_(today), archive_(archive), loader_(loader), errors_(errors) {}

  Status Run() {
    auto opened = OpenInput(file_);
    if (!opened.ok()) return opened.status();
    char* buffer = nullptr;
    size_t capacity = 0;
    ssize_t n;
    Status s;
    while (s.ok() && !abandoned_ && (n = ::getline(&buffer, &capacity, opened->get())) > 0) {
      std::string_view line(buffer, static_cast<size_t>(n));
      const bool complete = line.back() == '\n';
      if (complete) line.remove_suffix(1);
      s = Line(line, complete);
    }
    std::free(buffer);
    if (!s.ok()) return s;
    if (std::ferror(opened->get())) return Status::Io(fmt::format("cannot read: {}", std::strerror(errno)));
    if (abandoned_) return {};
    if (number_ == 0) {
      Bad(1, 1, fmt::format("empty file: a backup starts with {}", kHeaderLine));
    } else if (!trailer_seen_) {
      Bad(number_ + 1, 1,
          "no trailer line: the backup is incomplete (truncated, or not written by "
          "`docket export --format jsonl`)");
    }
    return {};
  }

 private:
  void Bad(size_t line, size_t column, const std::string& message) { errors_->Add(name_, line, column, message); }

  Status Line(std::string_view text, bool complete) {
    ++number_;
    if (trailer_seen_) {
      Bad(number_, 1, "text after the trailer line");
      abandoned_ = true;
      return {};
    }
    JsonValue j;
    JsonError e;
    bool trailer = false;
    Status s;
    if (!ParseJsonObjectLine(text, &j, &e)) {
      Bad(number_, e.column, e.message);
    } else {
      try {
        s = Dispatch(j, &trailer);
      } catch (const BadField& bad) {
        Bad(number_, bad.column, bad.message);
      }
    }
    if (number_ == 1 && !errors_->empty()) abandoned_ = true;  // not a backup: say so once
    if (!trailer) {
      hash_.Update(text);
      if (complete) hash_.Update("\n");
    }
    return s;
  }

  Status Dispatch(const JsonValue& j, bool* trailer) {
    const JsonMember* type_member = j.Find("type");
    if (!type_member) throw BadField{1, "missing field `type`"};
    const std::string type = Fields::Text(type_member->value, "`type`");
    if (number_ == 1) {
      if (type != kHeaderType) throw BadField{1, fmt::format("not a docket backup: the first line must be {}", kHeaderLine)};
      const Fields f(j, {"type", "format"});
      if (const JsonValue& v = f.Get("format"); Fields::Whole(v) != uint64_t{kFormat})
        throw BadField{v.column, fmt::format("unsupported backup format `{}` (this docket reads format {})", v.raw, kFormat)};
      return {};
    }
    if (type == "charge") return ChargeLine(j);
    if (type == "source") return SourceLine(j);
    if (type == "version") return VersionLine(j);
    if (type == kTrailerType) {
      *trailer = trailer_seen_ = true;
      TrailerLine(j);
      return {};
    }
    throw BadField{type_member->value.column, fmt::format("unknown line type `{}`", type)};
  }

  // The name of a definition, defined once.
  std::string Defined(const Fields& f, bool (*valid)(std::string_view), std::string_view kind,
                      std::string_view shape, std::set<std::string, std::less<>>* names) {
    ++definitions_;
    const std::string name = f.Text("name");
    const size_t column = f.Get("name").column;
    if (!valid(name)) throw BadField{column, fmt::format("invalid {} name `{}`: {}, not a reserved word", kind, name, shape)};
    if (!names->insert(name).second) throw BadField{column, fmt::format("{} `{}` is defined twice", kind, name)};
    return name;
  }

  Status ChargeLine(const JsonValue& j) {
    const Fields f(j, {"type", "name", "title", "article"});
    const std::string name = Defined(f, CanNameCharge, "charge", "[a-z][a-z0-9_]*", &charges_);
    return archive_.DefineCharge({name, f.Text("title"), f.Text("article")});
  }

  Status SourceLine(const JsonValue& j) {
    const Fields f(j, {"type", "name", "title", "url", "priority"});
    const std::string name = Defined(f, CanNameSource, "source", "[A-Za-z][A-Za-z0-9_]*", &sources_);
    return archive_.DefineSource({name, f.Text("title"), f.Text("url"), f.Integer("priority")});
  }

  Status VersionLine(const JsonValue& j) {
    ++versions_;
    const Fields f(j, {"type", "charge", "labels", "period", "source", "reported", "recorded", "value",
                       "bound", "note", "url"});
    series_.charge = f.Text("charge");
    if (!charges_.count(series_.charge))
      throw BadField{f.Get("charge").column, UnknownName("charge", series_.charge, charges_)};
    Labels(f.Get("labels"));

    const JsonValue& period_value = f.Get("period");
    const auto period = Period::Parse(f.Text("period"));
    if (!period)
      throw BadField{period_value.column, fmt::format("invalid period `{}`: use 2024, 2024-H1, 2024-Q3 or 2024-07",
                                                      period_value.text)};
    const std::string source = f.Text("source");
    if (!sources_.count(source)) throw BadField{f.Get("source").column, UnknownName("source", source, sources_)};

    const JsonValue& reported_value = f.Get("reported");
    const auto reported = Date::Parse(f.Text("reported"));
    if (!reported)
      throw BadField{reported_value.column, fmt::format("invalid date `{}`: use 2024-12-31, 2024-12 or 2024",
                                                        reported_value.text)};
    if (reported->first_day() > today_)
      throw BadField{reported_value.column,
                     fmt::format("reported date {} is in the future (today is {})", *reported,
                                 Date(today_, DatePrecision::kDay))};

    const Micros recorded = Recorded(f.Get("recorded"));
    if (reported->first_day() > recorded / kMicrosPerDay)
      throw BadField{reported_value.column,
                     fmt::format("reported date {} is after the version was recorded ({})",
                                 *reported, FormatTimestamp(recorded))};

    std::optional<Figure> figure;
    const JsonValue& bound_value = f.Get("bound");
    if (f.Get("value").kind == JsonValue::Kind::kNull) {
      if (bound_value.kind != JsonValue::Kind::kNull) throw BadField{bound_value.column, "a retraction takes no bound"};
    } else {
      const uint64_t count = f.Count("value");
      const auto bound = bound_value.kind == JsonValue::Kind::kString ? ParseBound(bound_value.text) : std::nullopt;
      if (!bound)
        throw BadField{bound_value.column,
                       fmt::format("invalid bound `{}`: use =, >=, <= or ~",
                                   bound_value.kind == JsonValue::Kind::kString ? bound_value.text : bound_value.raw)};
      figure = Figure{*bound, count};
    }
    const std::string note = f.Text("note"), url = f.Text("url");
    if (!errors_->empty()) return {};  // nothing will be committed: only check the rest
    BulkRow row;
    row.series = &series_;
    row.period = *period;
    row.source = source;
    row.reported = *reported;
    row.figure = figure;
    row.note = note;
    row.url = url;
    row.recorded = recorded;
    row.file = index_;
    row.line = number_;
    row.column = 1;
    return loader_->Add(row);
  }

  // The series' labels: keys of spec §1, values non-empty strings; sorted by key.
  void Labels(const JsonValue& labels) {
    if (labels.kind != JsonValue::Kind::kObject) throw BadField{labels.column, "`labels` must be an object"};
    series_.labels.clear();
    for (const auto& m : labels.members) {
      if (IsReservedLabelKey(m.name))
        throw BadField{m.column, fmt::format("`{}` is reserved and cannot be a label key", m.name)};
      if (!IsLabelKey(m.name)) throw BadField{m.column, fmt::format("invalid label key `{}`: [a-z][a-z0-9_]*", m.name)};
      std::string value = Fields::Text(m.value, fmt::format("label `{}`", m.name));
      if (value.empty()) throw BadField{m.value.column, fmt::format("label `{}` has an empty value", m.name)};
      series_.labels.emplace_back(m.name, std::move(value));
    }
    std::sort(series_.labels.begin(), series_.labels.end());
  }

  // A recorded time: a timestamp (ParseTimestamp: within the years 0000 to
  // 9999 UTC), after the previous version's.
  Micros Recorded(const JsonValue& v) {
    const std::string text = Fields::Text(v, "`recorded`");
    const auto t = ParseTimestamp(text);
    if (!t)
      throw BadField{v.column, fmt::format("invalid timestamp `{}`: a time from 0000-01-01 to "
                                           "9999-12-31 UTC, as YYYY-MM-DDThh:mm[:ss[.ffffff]]Z", text)};
    const std::optional<Micros> previous = std::exchange(last_recorded_, *t);
    if (previous && *t <= *previous)
      throw BadField{v.column, fmt::format("recorded time {} is not after the previous version's ({})",
                                           FormatTimestamp(*t), FormatTimestamp(*previous))};
    return *t;
  }

  void TrailerLine(const JsonValue& j) {
    const Fields f(j, {"type", "definitions", "versions", "sha256"});
    for (const auto& [name, actual] : {std::pair{"definitions", definitions_}, std::pair{"versions", versions_}}) {
      const JsonValue& v = f.Get(name);
      const auto claimed = Fields::Whole(v);
      if (!claimed) throw BadField{v.column, fmt::format("`{}` must be a whole number", name)};
      if (*claimed != actual)
        throw BadField{v.column, fmt::format("the trailer counts {} {}, the backup holds {}", *claimed, name, actual)};
    }
    const JsonValue& sha = f.Get("sha256");
    const bool hex = sha.kind == JsonValue::Kind::kString && sha.text.size() == 64 &&
                     std::all_of(sha.text.begin(), sha.text.end(),
                                 [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!hex) throw BadField{sha.column, "`sha256` must be 64 lower-case hex digits"};
    if (const std::string actual = hash_.HexDigest(); sha.text != actual)
      throw BadField{sha.column, fmt::format("wrong checksum: the lines before the trailer have sha256 {}", actual)};
  }

  const std::string& file_;
  const std::string& name_;
  const uint32_t index_;
  const int32_t today_;
  Archive& archive_;
  BulkLoader* loader_;
  ErrorList* errors_;

  size_t number_ = 0;  // lines read
  bool trailer_seen_ = false, abandoned_ = false;
  Sha256 hash_;
  uint64_t definitions_ = 0, versions_ = 0;
  std::set<std::string, std::less<>> charges_, sources_;
  std::optional<Micros> last_recorded_;
  SeriesKey series_;
};

}  // namespace

Status RestoreBackup(const std::string& file, const std::string& name, uint32_t index, int32_t today, Archive& archive,
                     BulkLoader* loader, ErrorList* errors) {
  return Restorer(file, name, index, today, archive, loader, errors).Run();
}

}  // namespace docket::cli
