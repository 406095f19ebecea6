#include "tests/model/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace docket::model {
namespace {

using Rng = std::mt19937_64;

size_t Below(Rng& rng, size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }
bool Chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
template <class T>
const T& Pick(Rng& rng, const std::vector<T>& v) {
  return v[Below(rng, v.size())];
}

// Every scenario's first commit runs on this day or later, so every
// reported date below is not in the future.
const int64_t kFirstNow = DayNumber(2025, 11, 1) * kMicrosPerDay;

struct Ymd {
  int y, m, d;
};
// Effective reported days: month and year ends (partial dates), a leap day,
// days either side of them; 2025-11-30 and 2025-12-31 only as `2025-11`, `2025`.
const std::vector<Ymd> kDays = {{2024, 2, 29}, {2024, 6, 30},  {2024, 12, 31}, {2025, 1, 15}, {2025, 2, 28},
                                {2025, 3, 1},  {2025, 3, 31},  {2025, 4, 30},  {2025, 5, 1},  {2025, 10, 31},
                                {2025, 11, 1}, {2025, 11, 30}, {2025, 12, 31}};

const std::vector<Period> kPeriods = {
    {2023, Period::Kind::kYear, 1},    {2024, Period::Kind::kYear, 1},    {2024, Period::Kind::kHalf, 1},
    {2024, Period::Kind::kHalf, 2},    {2024, Period::Kind::kQuarter, 2}, {2024, Period::Kind::kQuarter, 4},
    {2024, Period::Kind::kMonth, 2},   {2024, Period::Kind::kMonth, 6},   {2024, Period::Kind::kMonth, 12},
    {2025, Period::Kind::kQuarter, 1}, {2025, Period::Kind::kYear, 1}};

const std::vector<std::map<std::string, std::string>> kLabelSets = {
    {}, {}, {{"k", "v"}}, {{"k", "w"}}, {{"k", "é \"q\", x"}}, {{"k", "v"}, {"a", "Томск"}}, {{"k", " a\\b"}},
    {{"a", "v"}}, {{"k", "v"}, {"k_2", "x=}{"}}};
const std::vector<std::string> kNotes = {"", "", "", "court data", "n,\"q\"", " x ", "Томск", "a\\b", "a -- b;\ntwo lines"};
const std::vector<std::string> kUrls = {"", "", "", "https://e.org/a?b=1,2"};

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The ways to write `day` that docket accepts on kFirstNow's date.
std::vector<Reported> WrittenForms(const Ymd& d) {
  const int64_t day = DayNumber(d.y, d.m, d.d), today = kFirstNow / kMicrosPerDay;
  std::vector<Reported> forms;
  if (day <= today) forms.push_back({DayText(day), day});
  if (d.d == DaysInMonth(d.y, d.m) && DayNumber(d.y, d.m, 1) <= today)
    forms.push_back({fmt::format("{:04}-{:02}", d.y, d.m), day});
  if (d.m == 12 && d.d == 31 && DayNumber(d.y, 1, 1) <= today) forms.push_back({fmt::format("{:04}", d.y), day});
  return forms;
}

Reported RandomReported(Rng& rng) { return Pick(rng, WrittenForms(Pick(rng, kDays))); }

Figure RandomFigure(Rng& rng) {
  Figure f{static_cast<Bound>(Below(rng, 4)), Below(rng, 41)};
  if (Chance(rng, 0.05)) f.value = (uint64_t{1} << 53) - 1 - Below(rng, 2);
  return f;
}

constexpr size_t kCutoffForms = 8;

// The cutoff near `t` written in form `form` (of kCutoffForms) of the ways
// docket reads a `recorded as of` instant, and the instant it means (a date:
// its last microsecond).
std::pair<std::string, int64_t> RecordedCutoff(size_t form, int64_t t) {
  const int64_t day = (t >= 0 ? t : t - kMicrosPerDay + 1) / kMicrosPerDay;
  switch (form) {
    case 0:
      return {DayText(day), (day + 1) * kMicrosPerDay - 1};
    case 1: {
      const std::string text = DayText(day).substr(0, 7);
      const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2));
      return {text, (DayNumber(y, m, DaysInMonth(y, m)) + 1) * kMicrosPerDay - 1};
    }
    case 2: {  // whole minutes, no seconds
      const int64_t minute = t - (t % 60'000'000 + 60'000'000) % 60'000'000;
      return {TimestampText(minute).substr(0, 16) + "Z", minute};
    }
    case 3:
    case 4:
    case 5: {  // an offset east or west of UTC
      const std::vector<std::pair<int64_t, std::string>> offsets = {
          {2 * 3600, "+02:00"}, {-5 * 3600, "-05:00"}, {5 * 3600 + 1800, "+05:30"}};
      const auto& [seconds, text] = offsets[form - 3];
      return {TimestampText(t + seconds * 1'000'000).substr(0, 26) + text, t};
    }
    default:
      return {TimestampText(t), t};
  }
}

}  // namespace

void Query::Anchor(const std::vector<int64_t>& stamps) {
  if (!anchor) return;
  const int64_t t = stamps.empty() ? kFirstNow : stamps[std::min(anchor->version, stamps.size() - 1)] + anchor->delta;
  const auto [written, instant] = RecordedCutoff(anchor->form, t);
  text = before_cutoff + written + after_cutoff;
  modifiers.recorded_as_of = instant;
}

std::string Query::Expected(const Model& model) const {
  switch (kind) {
    case Kind::kValues: return model.Values(selector, modifiers);
    case Kind::kRevisions: return model.Revisions(selector, modifiers);
    case Kind::kChanges: return model.ChangesSince(since);
    case Kind::kFirst: return model.Firsts(selector, modifiers, false);
    case Kind::kLag: return model.Firsts(selector, modifiers, true);
  }
  return "";
}

std::string Query::ExpectedErr(const Model& model) const {
  return kind == Kind::kValues ? model.Warnings(selector, modifiers) : "";
}

std::string StatementText(const Statement& s) {
  if (s.define) {
    if (!s.define->source) return "define charge " + s.define->name;
    std::string text = "define source " + s.define->name;
    if (s.define->priority) text += fmt::format(" priority {}", *s.define->priority);
    return text;
  }
  const Record& r = s.record;
  const std::string cell = r.series.Text() + "[" + r.period.Text() + "]";
  std::string text;
  if (r.figure) {
    static constexpr const char* kBounds[] = {"=", ">=", "<=", "~"};
    // `>=28` and `>= 28` are the same figure: write both, by the value's parity.
    text = fmt::format("record {} {}{}{} from {} on {}", cell, kBounds[static_cast<int>(r.figure->bound)],
                       r.figure->value % 2 ? "" : " ", r.figure->value, r.source, r.reported.written);
  } else {
    text = fmt::format("retract {} from {} on {}", cell, r.source, r.reported.written);
  }
  // An omitted note is the empty string: sometimes say `note ""`.
  if (!r.note.empty() || (r.figure && r.figure->value % 3 == 0)) text += " note " + Quoted(r.note);
  if (!r.url.empty()) text += " url " + Quoted(r.url);
  return text;
}

std::vector<int64_t> Schedule(uint64_t seed, size_t commits) {
  Rng rng(seed ^ 0x5c4ed01e);
  // Steps shorter than a commit's versions, none or back (a clock stepped
  // back) make the stamps run ahead of "now".
  const std::vector<int64_t> steps = {1, 2, 1'000'000, 3'600'000'000, kMicrosPerDay, kMicrosPerDay, 0, -60'000'000};
  std::vector<int64_t> nows = {kFirstNow + static_cast<int64_t>(1 + Below(rng, 3)) * 3'600'000'000};
  while (nows.size() < commits) nows.push_back(nows.back() + Pick(rng, steps));
  return nows;
}

Scenario::Scenario(uint64_t seed, const std::string& tag, size_t commits) : seed_(seed), rng_(seed) {
  std::vector<std::string> names = {"x", "x_2", "y"};
  std::shuffle(names.begin(), names.end(), rng_);
  for (size_t i = 0, n = 1 + Below(rng_, 2); i < n; ++i) charges_.push_back("m" + tag + "_" + names[i]);
  names = {"A", "Ab", "B", "Z", "a", "b_1"};
  std::shuffle(names.begin(), names.end(), rng_);
  // A dense scenario puts many versions of up to four sources on one cell.
  const bool dense = Chance(rng_, 0.2);
  for (size_t i = 0, n = 1 + Below(rng_, 4); i < n; ++i) sources_.push_back("S" + tag + "_" + names[i]);
  for (size_t i = 0, n = dense ? 1 : 1 + Below(rng_, 3); i < n; ++i) {
    Series s{Pick(rng_, charges_), Pick(rng_, kLabelSets)};
    if (std::find(series_.begin(), series_.end(), s) == series_.end()) series_.push_back(s);
  }
  for (size_t i = 0, n = dense ? 1 : 1 + Below(rng_, 3); i < n; ++i) periods_.push_back(Pick(rng_, kPeriods));

  Model local;  // this scenario alone: what exists, what a retraction may withdraw
  commits_.resize(commits);
  std::vector<Statement>& first = commits_[0].statements;
  for (const std::string& c : charges_) first.push_back({Define{false, c, {}}, {}});
  for (const std::string& s : sources_) {
    const std::vector<int64_t> priorities = {-1, 0, 0, 1, 2};
    const std::optional<int64_t> priority =
        Chance(rng_, 0.5) ? std::optional<int64_t>() : std::optional<int64_t>(Pick(rng_, priorities));
    first.push_back({Define{true, s, priority}, {}});
  }
  first.push_back(NewRecord());
  if (local.Run(first, 0)) throw std::logic_error("a scenario's first commit is refused");
  for (Commit& commit : commits_) {
    for (size_t i = 0, n = 1 + Below(rng_, dense ? 12 : 6); i < n; ++i) {
      const Statement s = Next(local);
      if (local.Run({s}, 0)) continue;  // refused: try another
      commit.statements.push_back(s);
    }
    if (Chance(rng_, 0.1))
      if (std::optional<Statement> refused = Refused(local)) {
        commit.refused = {NewRecord(), *refused};
        Model tried = local;
        if (const auto failure = tried.Run(commit.refused, 0); !failure || failure->statement != 1)
          commit.refused.clear();
      }
  }
}

Statement Scenario::NewRecord() {
  Record r{Pick(rng_, series_), Pick(rng_, periods_), Pick(rng_, sources_), RandomReported(rng_),
           RandomFigure(rng_), Pick(rng_, kNotes), Pick(rng_, kUrls)};
  return {{}, r};
}

Statement Scenario::Next(const Model& local) {
  const std::vector<Version>& versions = local.versions();
  const double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
  if (roll < 0.35 || versions.empty()) return NewRecord();
  const Version& v = Pick(rng_, versions);
  Record r = v.record;
  if (roll < 0.50) {  // a correction: the same report, another figure or note
    if (Chance(rng_, 0.6) || !r.figure) {
      r.figure = RandomFigure(rng_);
    } else {
      r.note = Pick(rng_, kNotes);
    }
  } else if (roll < 0.62) {  // an unchanged re-record of the report's newest version
    for (const Version& w : versions)
      if (w.record.series == r.series && w.record.period == r.period && w.record.source == r.source &&
          w.record.reported.written == r.reported.written)
        r = w.record;
  } else if (roll < 0.78) {  // a retraction: of that report, or dated later
    r.figure.reset();
    r.note = Pick(rng_, kNotes);
    r.url = Pick(rng_, kUrls);
    if (Chance(rng_, 0.5)) {
      std::vector<Reported> later;
      for (const Ymd& d : kDays)
        for (const Reported& w : WrittenForms(d))
          if (w.day >= r.reported.day) later.push_back(w);
      r.reported = Pick(rng_, later);
    }
  } else if (roll < 0.93) {  // the same effective day, from any source, written any way
    const std::string day = DayText(r.reported.day);
    const Ymd d{std::stoi(day.substr(0, 4)), std::stoi(day.substr(5, 2)), std::stoi(day.substr(8, 2))};
    r = NewRecord().record;
    r.series = v.record.series;
    r.period = v.record.period;
    r.reported = Pick(rng_, WrittenForms(d));
  } else {  // a priority changed later applies to every query
    const std::vector<int64_t> priorities = {-1, 0, 1, 2};
    return Statement{Define{true, Pick(rng_, sources_), Pick(rng_, priorities)}, {}};
  }
  return Statement{{}, r};
}

std::optional<Statement> Scenario::Refused(const Model& local) {
  Record r = NewRecord().record;
  r.figure.reset();
  Model tried = local;
  if (!tried.Run({{{}, r}}, 0)) return std::nullopt;
  return Statement{{}, r};
}

Selector Scenario::RandomSelector(std::string& text) {
  // Mostly a series the scenario has (exactly, or with `key=*`), sometimes
  // any label set of a charge (it may match nothing).
  const Series& base = Chance(rng_, 0.85) ? Pick(rng_, series_) : Series{Pick(rng_, charges_), Pick(rng_, kLabelSets)};
  Selector sel;
  sel.charge = base.charge;
  text = sel.charge;
  if (base.labels.empty()) {
    if (Chance(rng_, 0.2)) text += "{}";
  } else {
    const bool wildcards = Chance(rng_, 0.5);
    std::vector<std::string> parts;
    for (const auto& [key, value] : base.labels) {
      const bool star = wildcards && Chance(rng_, 0.7);
      sel.labels[key] = star ? std::optional<std::string>() : value;
      parts.push_back(key + "=" + (star ? "*" : Quoted(value)));
    }
    std::shuffle(parts.begin(), parts.end(), rng_);
    text += "{" + fmt::format("{}", fmt::join(parts, ", ")) + "}";
  }
  const double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
  if (roll < 0.35) return sel;
  if (roll < 0.7) {
    sel.first = sel.last = Chance(rng_, 0.7) ? Pick(rng_, periods_) : Pick(rng_, kPeriods);
    text += "[" + sel.first->Text() + "]";
    return sel;
  }
  Period a = Pick(rng_, periods_), b = Pick(rng_, kPeriods);
  while (b.kind != a.kind) b = Pick(rng_, kPeriods);
  if (PeriodBefore(b, a)) std::swap(a, b);
  sel.first = a;
  sel.last = b;
  text += "[" + a.Text() + ".." + b.Text() + "]";
  return sel;
}

void Scenario::RandomModifiers(const Model& model, bool by_source_allowed, Query& q) {
  Modifiers& m = q.modifiers;
  std::vector<std::string> parts;
  if (Chance(rng_, 0.5)) {  // near a day the scenario's reports stand for, or any
    std::vector<int64_t> days;
    for (const Version& v : model.versions())
      if (std::find(sources_.begin(), sources_.end(), v.record.source) != sources_.end())
        days.push_back(v.record.reported.day);
    const Ymd d = Pick(rng_, kDays);
    const int64_t day = (days.empty() || Chance(rng_, 0.3) ? DayNumber(d.y, d.m, d.d) : Pick(rng_, days)) +
                        static_cast<int64_t>(Below(rng_, 3)) - 1;
    const std::string written = DayText(day);
    const int y = std::stoi(written.substr(0, 4)), mo = std::stoi(written.substr(5, 2));
    switch (Below(rng_, 4)) {  // a partial date stands for its last day
      case 0:
        parts.push_back("as of " + written.substr(0, 7));
        m.as_of = DayNumber(y, mo, DaysInMonth(y, mo));
        break;
      case 1:
        parts.push_back("as of " + written.substr(0, 4));
        m.as_of = DayNumber(y, 12, 31);
        break;
      default:
        parts.push_back("as of " + written);
        m.as_of = day;
    }
  }
  const std::string recorded = "recorded as of ";  // the cutoff itself is anchored below
  if (Chance(rng_, 0.45)) {
    q.anchor = RecordedAnchor{Below(rng_, std::max<size_t>(Stamps(model).size(), 1)), static_cast<int64_t>(Below(rng_, 3)) - 1,
                              Below(rng_, kCutoffForms)};
    parts.push_back(recorded);
  }
  if (Chance(rng_, 0.3)) {
    std::vector<std::string> from = sources_;
    std::shuffle(from.begin(), from.end(), rng_);
    from.resize(1 + Below(rng_, from.size()));
    parts.push_back("from " + fmt::format("{}", fmt::join(from, ", ")));
    m.from = from;
  }
  if (by_source_allowed && Chance(rng_, 0.25)) {
    parts.push_back("by source");
    m.by_source = true;
  }
  if (q.kind == Query::Kind::kValues && !m.by_source && Chance(rng_, 0.4)) {
    static constexpr const char* kRules[] = {"latest", "priority", "consensus"};
    const size_t rule = Below(rng_, 3);
    parts.push_back(std::string("resolve ") + kRules[rule]);
    m.rule = static_cast<Rule>(rule);
  }
  std::shuffle(parts.begin(), parts.end(), rng_);
  std::string* text = &q.text;
  for (const std::string& p : parts) {
    *text += " " + p;
    if (p != recorded) continue;
    q.before_cutoff = q.text;
    text = &q.after_cutoff;
  }
  q.Anchor(Stamps(model));
}

std::vector<int64_t> Scenario::Stamps(const Model& model) const {
  std::vector<int64_t> stamps;
  for (const Version& v : model.versions())
    if (std::find(sources_.begin(), sources_.end(), v.record.source) != sources_.end())
      stamps.push_back(v.recorded);
  return stamps;
}

std::vector<Query> Scenario::Queries(const Model& model) {
  std::vector<Query> queries;
  for (size_t i = 0, n = 3 + Below(rng_, 4); i < n; ++i) {
    Query q;
    std::string selector;
    const size_t kind = Below(rng_, 100);
    q.kind = kind < 25   ? Query::Kind::kRevisions
             : kind < 35 ? Query::Kind::kFirst
             : kind < 45 ? Query::Kind::kLag
                         : Query::Kind::kValues;
    q.selector = RandomSelector(selector);
    switch (q.kind) {
      case Query::Kind::kRevisions: q.text = "revisions(" + selector + ")"; break;
      case Query::Kind::kFirst: q.text = "first(" + selector + ")"; break;
      case Query::Kind::kLag: q.text = "lag(" + selector + ")"; break;
      default: q.text = selector;
    }
    RandomModifiers(model, q.kind != Query::Kind::kRevisions, q);
    queries.push_back(q);
  }
  return queries;
}

std::vector<Query> ChangesQueries(uint64_t seed, const Model& model) {
  Rng rng(seed ^ 0xc4a29e5);
  // Since the first commit's day: every version the archive holds.
  std::vector<Query> queries = {
      {Query::Kind::kChanges, {}, {}, kFirstNow, "changes since " + DayText(kFirstNow / kMicrosPerDay),
       std::nullopt, {}, {}}};
  if (model.versions().empty()) return queries;
  for (int i = 0; i < 2; ++i) {
    Query q;
    q.kind = Query::Kind::kChanges;
    const int64_t t = Pick(rng, model.versions()).recorded + static_cast<int64_t>(Below(rng, 3)) - 1;
    const int64_t day = (t >= 0 ? t : t - kMicrosPerDay + 1) / kMicrosPerDay;
    switch (Below(rng, 3)) {
      case 0:  // a date: from its first microsecond
        q.text = "changes since " + DayText(day);
        q.since = day * kMicrosPerDay;
        break;
      case 1: {  // a partial date: from the first microsecond of its month (how we read §2.4)
        const std::string month = DayText(day).substr(0, 7);
        q.text = "changes since " + month;
        q.since = DayNumber(std::stoi(month.substr(0, 4)), std::stoi(month.substr(5, 2)), 1) * kMicrosPerDay;
        break;
      }
      default:  // a timestamp: strictly after it
        q.text = "changes since " + TimestampText(t);
        q.since = t + 1;
    }
    queries.push_back(q);
  }
  return queries;
}

std::vector<Statement> StepStatements(const std::vector<Scenario>& scenarios, size_t step) {
  std::vector<Statement> script;
  for (const Scenario& s : scenarios)
    script.insert(script.end(), s.commits()[step].statements.begin(), s.commits()[step].statements.end());
  return script;
}

std::string ScriptText(const std::vector<Statement>& statements) {
  std::string text;
  for (const Statement& s : statements) text += (text.empty() ? "" : ";\n") + StatementText(s);
  return text;
}

}  // namespace docket::model
