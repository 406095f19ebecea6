// The query language's grammar (spec §2) through query.h's ParsePiece: the
// grammar analysis, every statement form with the AST it yields, values
// validated at parse time, and errors with their message, line and
// column. Columns count characters, while Status::place() holds a byte
// offset (PEGTL counts bytes): LineColumn below converts.
//
// Expected positions are worked out by hand, 1-based: for an invalid value
// (period, date, count, number, label), the first character of that value;
// for "expected …" errors, the first character where the input departs
// from what the grammar allows (PEGTL's convention: `treason[202]` fails
// at `]`, where a fourth digit was due).

#include "query/grammar.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "query/ast.h"
#include "query/query.h"
#include "storage/types.h"

namespace docket {
namespace {

// 2025-03-01: 2025-01-01 is day 20089 (55 years, 14 leap days), + 31 + 28.
constexpr int32_t kToday = 20148;
constexpr Micros kDay = 86'400'000'000;
constexpr Micros kHour = 3'600'000'000;

struct Parsed {
  Status status;
  ast::Script script;
};

Parsed Parse(std::string text, int32_t today = kToday) {
  Parsed p;
  p.status = ParsePiece("-e", std::move(text), ParseOptions{today}, &p.script);
  return p;
}

// For AST checks that hold references into the result: parsed scripts
// stay alive until the test program ends.
const Parsed& Kept(std::string text) {
  static std::deque<Parsed> kept;
  kept.push_back(Parse(std::move(text)));
  return kept.back();
}

struct LineColumn {
  size_t line = 0, column = 0;
};

// 1-based line and character column of byte `offset` in `text`: UTF-8
// continuation bytes (10xxxxxx) do not start a character.
LineColumn At(std::string_view text, size_t offset) {
  LineColumn lc{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++lc.column;
    }
  }
  return lc;
}

TEST(LineColumnHelperTest, CountsCharactersNotBytes) {
  // The helper itself: "ab\nТомск x" — `x` is on line 2 after 6 characters (11 bytes).
  const std::string text = "ab\nТомск x";
  EXPECT_EQ(At(text, 0).column, 1u);
  EXPECT_EQ(At(text, 3).line, 2u);
  EXPECT_EQ(At(text, 3).column, 1u);
  EXPECT_EQ(At(text, 14).line, 2u);
  EXPECT_EQ(At(text, 14).column, 7u);
}

// ------------------------------------------------------------ the grammar itself

TEST(GrammarTest, AnalysisFindsNoProblems) { EXPECT_EQ(grammar::AnalyzeProblems(), 0u); }

// ------------------------------------------------------------ helpers for the AST

const ast::Statement& Only(const Parsed& p) {
  EXPECT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.script.statements.size(), 1u);
  static const ast::Statement kEmpty;
  return p.script.statements.empty() ? kEmpty : p.script.statements.front();
}

template <class T>
const T& As(const ast::Statement& st) {
  static const T kDefault{};
  const T* node = st.get_if<T>();
  EXPECT_NE(node, nullptr) << "statement of another kind (index " << st.node.index() << ")";
  return node ? *node : kDefault;
}

template <class T>
const T& As(const ast::Expr& e) {
  static const T kDefault{};
  const T* node = nullptr;
  if constexpr (std::is_same_v<T, ast::Call>) {
    node = e.call();
  } else {
    node = std::get_if<T>(&e.node);
  }
  EXPECT_NE(node, nullptr) << "expression of another kind (index " << e.node.index() << ")";
  return node ? *node : kDefault;
}

const ast::Expr& QueryExpr(const Parsed& p) { return As<ast::Query>(Only(p)).expr; }

std::string PeriodText(const std::optional<Period>& p) { return p ? p->ToString() : "(none)"; }

// ------------------------------------------------------------ definitions

TEST(GrammarTest, DefineChargeWithAttributes) {
  auto p = Parse(R"(define charge treason title "High treason" article "275")");
  const auto& d = As<ast::DefineCharge>(Only(p));
  EXPECT_EQ(d.name, "treason");
  EXPECT_EQ(d.title, std::optional<std::string>("High treason"));
  EXPECT_EQ(d.article, std::optional<std::string>("275"));
  EXPECT_EQ(d.name_span.begin, 14u);
}

TEST(GrammarTest, DefineChargeWithoutAttributesLeavesThemUnset) {
  auto p = Parse("define charge espionage");
  const auto& d = As<ast::DefineCharge>(Only(p));
  EXPECT_EQ(d.name, "espionage");
  EXPECT_FALSE(d.title.has_value());
  EXPECT_FALSE(d.article.has_value());
}

TEST(GrammarTest, DefineSourceWithAttributesInAnyOrder) {
  auto p = Parse(R"(define source IStories priority 10 url "https://istories.media" title "Important Stories")");
  const auto& d = As<ast::DefineSource>(Only(p));
  EXPECT_EQ(d.name, "IStories");
  EXPECT_EQ(d.title, std::optional<std::string>("Important Stories"));
  EXPECT_EQ(d.url, std::optional<std::string>("https://istories.media"));
  EXPECT_EQ(d.priority, std::optional<int64_t>(10));
}

TEST(GrammarTest, SourcePriorityMayBeNegative) {
  auto p = Parse("define source RTVI priority -5");
  EXPECT_EQ(As<ast::DefineSource>(Only(p)).priority, std::optional<int64_t>(-5));
}

TEST(GrammarTest, CapitalisedKeywordIsASourceName) {
  auto p = Parse("define source From");
  EXPECT_EQ(As<ast::DefineSource>(Only(p)).name, "From");
}

// ------------------------------------------------------------ record and retract

struct RecordCase {
  const char* input;
  const char* charge;
  Labels labels;
  const char* period;
  std::optional<Figure> figure;
  const char* source;
  const char* reported;
  const char* note;
  const char* url;
};

TEST(GrammarTest, RecordAndRetractStatements) {
  const RecordCase cases[] = {
      {R"(record treason[2024] = 145 from IStories on 2025-01 note "court data analysis")", "treason",
       {}, "2024", Figure{Bound::kExact, 145}, "IStories", "2025-01", "court data analysis", ""},
      {"record espionage[2024] >= 28 from RTVI on 2024-12", "espionage", {}, "2024",
       Figure{Bound::kAtLeast, 28}, "RTVI", "2024-12", "", ""},
      {"record espionage[2024] >=28 from RTVI on 2024-12", "espionage", {}, "2024",
       Figure{Bound::kAtLeast, 28}, "RTVI", "2024-12", "", ""},
      {"record espionage[2024-H1] <= 10 from RTVI on 2024", "espionage", {}, "2024-H1",
       Figure{Bound::kAtMost, 10}, "RTVI", "2024", "", ""},
      {"record espionage[2024-Q3] ~36 from RTVI on 2024-12-20", "espionage", {}, "2024-Q3",
       Figure{Bound::kApprox, 36}, "RTVI", "2024-12-20", "", ""},
      {R"(record espionage{citizenship="UA"}[2024-07] >= 18 from RTVI on 2024-12 url "u" note "n")",
       "espionage", {{"citizenship", "UA"}}, "2024-07", Figure{Bound::kAtLeast, 18}, "RTVI", "2024-12",
       "n", "u"},
      {"record treason[2024] = 0 from From on 2025", "treason", {}, "2024", Figure{Bound::kExact, 0},
       "From", "2025", "", ""},
      {"record treason[2024] = 9007199254740991 from X on 2025-03-01", "treason", {}, "2024",
       Figure{Bound::kExact, kMaxCount}, "X", "2025-03-01", "", ""},
      {R"(retract espionage[2024] from RTVI on 2025-03-01 note "superseded by court data")",
       "espionage", {}, "2024", std::nullopt, "RTVI", "2025-03-01", "superseded by court data", ""},
      {"retract espionage[2024] from RTVI on 2025-03", "espionage", {}, "2024", std::nullopt, "RTVI",
       "2025-03", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto p = Parse(c.input);
    const auto& r = As<ast::Record>(Only(p));
    EXPECT_EQ(r.target.charge, c.charge);
    ASSERT_EQ(r.target.labels.size(), c.labels.size());
    for (size_t i = 0; i < c.labels.size(); ++i) {
      EXPECT_EQ(r.target.labels[i].key, c.labels[i].first);
      EXPECT_EQ(r.target.labels[i].value, std::optional<std::string>(c.labels[i].second));
    }
    EXPECT_EQ(PeriodText(r.target.first), c.period);
    EXPECT_EQ(PeriodText(r.target.last), c.period);
    EXPECT_FALSE(r.target.range);
    EXPECT_EQ(r.figure, c.figure);
    EXPECT_EQ(r.source, c.source);
    EXPECT_EQ(r.reported.ToString(), c.reported);
    EXPECT_EQ(r.note, c.note);
    EXPECT_EQ(r.url, c.url);
  }
}

TEST(GrammarTest, ReportedDateMayStartOnToday) {
  // Spec §1: a reported date whose first day is after today is rejected, so
  // `on 2025` and `on 2025-03` are accepted on 2025-03-01.
  for (const char* date : {"2025", "2025-03", "2025-03-01", "2025-02-28", "1999"}) {
    auto p = Parse(std::string("record treason[2024] = 1 from X on ") + date);
    EXPECT_TRUE(p.status.ok()) << date << ": " << p.status.message();
  }
}

// ------------------------------------------------------------ queries and selectors

TEST(GrammarTest, SelectorForms) {
  {
    const auto& s = As<ast::Selector>(QueryExpr(Kept("treason")));
    EXPECT_EQ(s.charge, "treason");
    EXPECT_FALSE(s.braces);
    EXPECT_TRUE(s.labels.empty());
    EXPECT_FALSE(s.first.has_value());
    EXPECT_FALSE(s.range);
  }
  {
    const auto& s = As<ast::Selector>(QueryExpr(Kept("treason[2024]")));
    EXPECT_EQ(PeriodText(s.first), "2024");
    EXPECT_EQ(PeriodText(s.last), "2024");
    EXPECT_FALSE(s.range);
  }
  {
    const auto& s = As<ast::Selector>(QueryExpr(Kept("treason[2019..2024]")));
    EXPECT_EQ(PeriodText(s.first), "2019");
    EXPECT_EQ(PeriodText(s.last), "2024");
    EXPECT_TRUE(s.range);
  }
  {
    const auto& s = As<ast::Selector>(QueryExpr(Kept("treason[2024-01 .. 2024-01]")));
    EXPECT_TRUE(s.range);  // a range of one period is fine
    EXPECT_EQ(PeriodText(s.first), "2024-01");
  }
  {
    const auto& s = As<ast::Selector>(QueryExpr(Kept("espionage{}")));
    EXPECT_TRUE(s.braces);
    EXPECT_TRUE(s.labels.empty());
  }
  {
    const auto& s =
        As<ast::Selector>(QueryExpr(Kept(R"(espionage{region="Томская область", citizenship=*}[2024-Q3])")));
    ASSERT_EQ(s.labels.size(), 2u);
    EXPECT_EQ(s.labels[0].key, "region");  // as written
    EXPECT_EQ(s.labels[0].value, std::optional<std::string>("Томская область"));
    EXPECT_EQ(s.labels[1].key, "citizenship");
    EXPECT_FALSE(s.labels[1].value.has_value());
    EXPECT_TRUE(s.wildcard());
    EXPECT_EQ(PeriodText(s.first), "2024-Q3");
  }
  {
    // Keywords are barred from charge and source names only: `from` may be a label key.
    const auto& s = As<ast::Selector>(QueryExpr(Kept(R"(espionage{from="x"})")));
    ASSERT_EQ(s.labels.size(), 1u);
    EXPECT_EQ(s.labels[0].key, "from");
  }
  {
    // A keyword prefix does not make a keyword.
    const auto& s = As<ast::Selector>(QueryExpr(Kept("fromage[2024]")));
    EXPECT_EQ(s.charge, "fromage");
  }
}

TEST(GrammarTest, StringEscapesAndUtf8) {
  auto p = Parse(R"(define charge x title "a \"quoted\" \\ back" article "Ст. 275 ✓")");
  const auto& d = As<ast::DefineCharge>(Only(p));
  EXPECT_EQ(d.title, std::optional<std::string>("a \"quoted\" \\ back"));
  EXPECT_EQ(d.article, std::optional<std::string>("Ст. 275 ✓"));
  auto multi = Parse("define charge x title \"two\nlines -- not a comment\"");
  EXPECT_EQ(As<ast::DefineCharge>(Only(multi)).title,
            std::optional<std::string>("two\nlines -- not a comment"));
}

// ------------------------------------------------------------ expressions

TEST(GrammarTest, MultiplicationBindsTighterAndOperatorsAssociateLeft) {
  // 1 + 2 * 3 - 4 = ((1 + (2 * 3)) - 4)
  const auto& top = As<ast::Binary>(QueryExpr(Kept("1 + 2 * 3 - 4")));
  EXPECT_EQ(top.op, '-');
  EXPECT_EQ(As<ast::Number>(*top.right).value, 4);
  const auto& plus = As<ast::Binary>(*top.left);
  EXPECT_EQ(plus.op, '+');
  EXPECT_EQ(As<ast::Number>(*plus.left).value, 1);
  const auto& times = As<ast::Binary>(*plus.right);
  EXPECT_EQ(times.op, '*');
  EXPECT_EQ(As<ast::Number>(*times.left).value, 2);
  EXPECT_EQ(As<ast::Number>(*times.right).value, 3);

  // 8 / 4 / 2 = ((8 / 4) / 2)
  const auto& div = As<ast::Binary>(QueryExpr(Kept("8 / 4 / 2")));
  EXPECT_EQ(div.op, '/');
  EXPECT_EQ(As<ast::Number>(*div.right).value, 2);
  EXPECT_EQ(As<ast::Binary>(*div.left).op, '/');
}

TEST(GrammarTest, ParenthesesAndNegation) {
  const auto& top = As<ast::Binary>(QueryExpr(Kept("-(treason[2024] - treason[2023]) * 2")));
  EXPECT_EQ(top.op, '*');
  const auto& neg = As<ast::Negate>(*top.left);
  ASSERT_TRUE(neg.operand);
  EXPECT_TRUE(neg.operand->parenthesized);
  const auto& diff = As<ast::Binary>(*neg.operand);
  EXPECT_EQ(diff.op, '-');
  EXPECT_EQ(PeriodText(As<ast::Selector>(*diff.left).first), "2024");
  EXPECT_EQ(PeriodText(As<ast::Selector>(*diff.right).first), "2023");
}

TEST(GrammarTest, DivisionOfTwoSelectors) {
  const auto& b = As<ast::Binary>(QueryExpr(Kept("treason[2024-H1] / treason[2024]")));
  EXPECT_EQ(b.op, '/');
  EXPECT_EQ(PeriodText(As<ast::Selector>(*b.left).first), "2024-H1");
  EXPECT_EQ(PeriodText(As<ast::Selector>(*b.right).first), "2024");
}

TEST(GrammarTest, DoubleMinusStartsAComment) {
  // Spec §2: `5--3` is `5`; write `5 - -3`.
  const auto& five = As<ast::Number>(QueryExpr(Kept("5--3")));
  EXPECT_EQ(five.value, 5);
  EXPECT_EQ(five.text, "5");

  const auto& b = As<ast::Binary>(QueryExpr(Kept("5 - -3")));
  EXPECT_EQ(b.op, '-');
  EXPECT_EQ(As<ast::Number>(*b.left).value, 5);
  EXPECT_EQ(As<ast::Number>(*As<ast::Negate>(*b.right).operand).value, 3);
}

TEST(GrammarTest, PeriodLookingNumberOutsideBracketsIsSubtraction) {
  // Spec §2: elsewhere `2024-07` is 2024 − 7.
  const auto& b = As<ast::Binary>(QueryExpr(Kept("2024-07")));
  EXPECT_EQ(b.op, '-');
  EXPECT_EQ(As<ast::Number>(*b.left).value, 2024);
  EXPECT_EQ(As<ast::Number>(*b.right).value, 7);
}

TEST(GrammarTest, DecimalNumbersAreMarked) {
  const auto& n = As<ast::Number>(QueryExpr(Kept("1.25")));
  EXPECT_TRUE(n.decimal);
  EXPECT_EQ(n.value, 1.25);
  EXPECT_EQ(n.text, "1.25");
  EXPECT_FALSE(As<ast::Number>(QueryExpr(Kept("125"))).decimal);
}

struct CallCase {
  const char* input;
  ast::Func func;
  const char* charge;
  const char* arg_first;  // the selector's own period ("(none)")
  bool range;
  const char* from;
  const char* to;
};

TEST(GrammarTest, FunctionCalls) {
  const CallCase cases[] = {
      {"growth(treason, 2023, 2024)", ast::Func::kGrowth, "treason", "(none)", false, "2023", "2024"},
      {"change(treason, 2023-H1, 2024-H1)", ast::Func::kChange, "treason", "(none)", false, "2023-H1", "2024-H1"},
      {"pct(treason, 2023, 2024)", ast::Func::kPct, "treason", "(none)", false, "2023", "2024"},
      {"growth(treason[2015..2024])", ast::Func::kGrowth, "treason", "2015", true, "(none)", "(none)"},
      {"sum(espionage{citizenship=*}[2024])", ast::Func::kSum, "espionage", "2024", false, "(none)", "(none)"},
      {"min(espionage{citizenship=*})", ast::Func::kMin, "espionage", "(none)", false, "(none)", "(none)"},
      {"max(espionage{citizenship=*}[2023..2024])", ast::Func::kMax, "espionage", "2023", true, "(none)", "(none)"},
      {"count(espionage{citizenship=*}[2024])", ast::Func::kCount, "espionage", "2024", false, "(none)", "(none)"},
      {"revisions(espionage[2024])", ast::Func::kRevisions, "espionage", "2024", false, "(none)", "(none)"},
      {"conflicts(espionage{citizenship=*})", ast::Func::kConflicts, "espionage", "(none)", false, "(none)", "(none)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    const auto& call = As<ast::Call>(QueryExpr(Kept(c.input)));
    EXPECT_EQ(call.func, c.func);
    EXPECT_EQ(call.arg.charge, c.charge);
    EXPECT_EQ(PeriodText(call.arg.first), c.arg_first);
    EXPECT_EQ(call.arg.range, c.range);
    EXPECT_EQ(PeriodText(call.from), c.from);
    EXPECT_EQ(PeriodText(call.to), c.to);
  }
}

TEST(GrammarTest, ArithmeticOnFunctions) {
  const auto& b = As<ast::Binary>(QueryExpr(Kept("growth(treason, 2023, 2024) * 100")));
  EXPECT_EQ(As<ast::Call>(*b.left).func, ast::Func::kGrowth);
  EXPECT_EQ(As<ast::Number>(*b.right).value, 100);
}

// ------------------------------------------------------------ modifiers

TEST(GrammarTest, ModifiersInAnyOrder) {
  auto p = Parse("espionage[2024] by source from RTVI, IStories recorded as of 2025-03-01T12:00Z as of 2024-12-31");
  const auto& q = As<ast::Query>(Only(p));
  EXPECT_TRUE(q.mods.by_source);
  ASSERT_TRUE(q.mods.from.has_value());
  ASSERT_EQ(q.mods.from->size(), 2u);
  EXPECT_EQ((*q.mods.from)[0].first, "RTVI");
  EXPECT_EQ((*q.mods.from)[1].first, "IStories");
  ASSERT_TRUE(q.mods.as_of.has_value());
  EXPECT_EQ(q.mods.as_of->ToString(), "2024-12-31");
  // 2025-03-01 = day 20148; 12:00 later.
  EXPECT_EQ(q.mods.recorded_as_of, std::optional<Micros>(20148 * kDay + 12 * kHour));
}

TEST(GrammarTest, KnowledgeCutoffMayLieInTheFuture) {
  // Only reported dates are checked against today.
  const auto& q = As<ast::Query>(Only(Kept("treason as of 2030-01-01")));
  ASSERT_TRUE(q.mods.as_of.has_value());
  EXPECT_EQ(q.mods.as_of->ToString(), "2030-01-01");
}

TEST(GrammarTest, AsOfTakesPartialDates) {
  const auto& q = As<ast::Query>(Only(Kept("treason as of 2024-12")));
  ASSERT_TRUE(q.mods.as_of.has_value());
  EXPECT_EQ(q.mods.as_of->ToString(), "2024-12");
  EXPECT_EQ(q.mods.as_of->last_day(), 20088);  // 2024-12-31
}

TEST(GrammarTest, RecordedAsOfADateMeansItsLastMicrosecond) {
  struct Case {
    const char* instant;
    Micros expected;
  } cases[] = {
      {"2025-03-01", 20149 * kDay - 1},
      {"2025-03", (20148 + 31) * kDay - 1},          // the end of 2025-03-31
      {"2024", 20089 * kDay - 1},                    // the end of 2024-12-31
      {"2025-03-01T12:00+03:00", 20148 * kDay + 9 * kHour},
      {"2025-03-01T12:00:30.5Z", 20148 * kDay + 12 * kHour + 30'500'000},
  };
  for (const auto& c : cases) {
    const auto& q = As<ast::Query>(Only(Kept(std::string("treason recorded as of ") + c.instant)));
    EXPECT_EQ(q.mods.recorded_as_of, std::optional<Micros>(c.expected)) << c.instant;
  }
}

// ------------------------------------------------------------ assert, check and the rest

TEST(GrammarTest, AssertWithModifiersComparisonAndElse) {
  auto p = Parse(R"(assert   growth(treason, 2023, 2024)   as of 2025   <   5 else "treason more than quintupled")");
  const auto& a = As<ast::Assert>(Only(p));
  EXPECT_EQ(As<ast::Call>(a.expr).func, ast::Func::kGrowth);
  ASSERT_TRUE(a.mods.as_of.has_value());
  EXPECT_EQ(a.cmp.op, Cmp::kLt);
  EXPECT_EQ(a.cmp.threshold, 5);
  EXPECT_EQ(a.message, std::optional<std::string>("treason more than quintupled"));
}

TEST(GrammarTest, AssertTextIsTheAssertionAsWritten) {
  const auto& a = As<ast::Assert>(Only(Kept("assert treason[2024] >= 100")));
  EXPECT_EQ(a.text, "treason[2024] >= 100");
  EXPECT_FALSE(a.message.has_value());
}

TEST(GrammarTest, EveryComparisonOperatorAndSignedThresholds) {
  struct Case {
    const char* cmp;
    Cmp op;
    double threshold;
  } cases[] = {{"= 1", Cmp::kEq, 1},     {"!= 2", Cmp::kNe, 2},      {"< -3", Cmp::kLt, -3},
               {"<= 0.5", Cmp::kLe, 0.5}, {"> -1.25", Cmp::kGt, -1.25}, {">=10", Cmp::kGe, 10}};
  for (const auto& c : cases) {
    const auto& a = As<ast::Assert>(Only(Kept(std::string("assert treason[2024] ") + c.cmp)));
    EXPECT_EQ(a.cmp.op, c.op) << c.cmp;
    EXPECT_EQ(a.cmp.threshold, c.threshold) << c.cmp;
  }
}

TEST(GrammarTest, CheckWithWarnAndOrCrit) {
  {
    const auto& c = As<ast::Check>(Only(Kept("check growth(treason, 2023, 2024) warn > 3 crit > 5")));
    ASSERT_TRUE(c.warn.has_value());
    ASSERT_TRUE(c.crit.has_value());
    EXPECT_EQ(c.warn->op, Cmp::kGt);
    EXPECT_EQ(c.warn->threshold, 3);
    EXPECT_EQ(c.crit->threshold, 5);
  }
  {
    const auto& c = As<ast::Check>(Only(Kept("check treason[2024] from RTVI crit < -1")));
    EXPECT_FALSE(c.warn.has_value());
    ASSERT_TRUE(c.crit.has_value());
    EXPECT_EQ(c.crit->threshold, -1);
    ASSERT_TRUE(c.mods.from.has_value());
  }
  {
    const auto& c = As<ast::Check>(Only(Kept("check treason[2024] crit >= 9 warn >= 7")));
    ASSERT_TRUE(c.warn.has_value());
    EXPECT_EQ(c.warn->threshold, 7);
    EXPECT_EQ(c.crit->threshold, 9);
  }
}

TEST(GrammarTest, ShowDescribePlotChanges) {
  EXPECT_EQ(As<ast::Show>(Only(Kept("show charges"))).what, ast::Show::What::kCharges);
  EXPECT_EQ(As<ast::Show>(Only(Kept("show sources"))).what, ast::Show::What::kSources);
  const auto& series = As<ast::Show>(Only(Kept("show series espionage")));
  EXPECT_EQ(series.what, ast::Show::What::kSeries);
  EXPECT_EQ(series.charge, "espionage");
  EXPECT_EQ(As<ast::Describe>(Only(Kept("describe treason"))).charge, "treason");
  const auto& plot = As<ast::Plot>(Only(Kept("plot treason[2015..2024]")));
  EXPECT_TRUE(As<ast::Selector>(plot.expr).range);
  // A date: from its first microsecond (2025-01-01 = day 20089).
  EXPECT_EQ(As<ast::Changes>(Only(Kept("changes since 2025-01-01"))).since, 20089 * kDay);
  // A partial date: from the first microsecond of its first day.
  EXPECT_EQ(As<ast::Changes>(Only(Kept("changes since 2025"))).since, 20089 * kDay);
  EXPECT_EQ(As<ast::Changes>(Only(Kept("changes since 2025-03"))).since, 20148 * kDay);
  // A timestamp: strictly after it.
  EXPECT_EQ(As<ast::Changes>(Only(Kept("changes since 2025-01-01T00:00Z"))).since, 20089 * kDay + 1);
}

TEST(GrammarTest, ScriptsOfSeveralStatementsWithComments) {
  auto p = Parse(
      "-- a demo\n"
      "define charge treason;   -- the charge\n"
      "define source IStories\n"
      "  priority 10;\n"
      "treason[2024]; show charges");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.script.statements.size(), 4u);
  EXPECT_TRUE(p.script.statements[0].is<ast::DefineCharge>());
  EXPECT_TRUE(p.script.statements[1].is<ast::DefineSource>());
  EXPECT_TRUE(p.script.statements[2].is<ast::Query>());
  EXPECT_TRUE(p.script.statements[3].is<ast::Show>());
  EXPECT_TRUE(p.script.writes());
  EXPECT_EQ(p.script.pieces.size(), 1u);
  EXPECT_EQ(p.script.pieces[0].origin, "-e");
}

TEST(GrammarTest, TheLastSemicolonIsOptional) {
  EXPECT_EQ(Parse("treason; espionage;").script.statements.size(), 2u);
  EXPECT_EQ(Parse("treason; espionage").script.statements.size(), 2u);
}

TEST(GrammarTest, EmptyScriptsHaveNoStatements) {
  for (const char* text : {"", "   \n\t", "-- only a comment", "-- comment\n-- another"}) {
    auto p = Parse(text);
    EXPECT_TRUE(p.status.ok()) << text;
    EXPECT_TRUE(p.script.statements.empty()) << text;
  }
}

TEST(GrammarTest, PiecesAccumulateAndErrorsNameTheirPiece) {
  ast::Script script;
  ASSERT_TRUE(ParsePiece("-e", "define charge treason", ParseOptions{kToday}, &script).ok());
  Status s = ParsePiece("-e#2", "treason[2024-13]", ParseOptions{kToday}, &script);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), ErrorKind::kInput);
  EXPECT_TRUE(s.place().set);
  EXPECT_EQ(s.place().piece, 1u);
  EXPECT_EQ(s.place().offset, 8u);
  // The failing piece is kept (to show its line) but adds no statement.
  ASSERT_EQ(script.pieces.size(), 2u);
  EXPECT_EQ(script.pieces[1].origin, "-e#2");
  EXPECT_EQ(script.statements.size(), 1u);
}

TEST(GrammarTest, DeepNestingIsAnErrorNotACrash) {
  const std::string ok = std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_TRUE(Parse(ok).status.ok()) << Parse(ok).status.message();
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  auto p = Parse(deep);
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.kind(), ErrorKind::kInput);
  const std::string minus = std::string(100000, '-') + "1";  // every other pair is a comment…
  (void)Parse(minus);                                       // …whatever it yields, no crash
  std::string negations;
  for (int i = 0; i < 100000; ++i) negations += "- ";
  negations += "1";
  EXPECT_FALSE(Parse(negations).status.ok());
}

// ------------------------------------------------------------ errors

struct ErrorCase {
  std::string input;
  const char* message;  // a substring of the message
  size_t line, column;
};

void ExpectError(const ErrorCase& c) {
  SCOPED_TRACE(c.input);
  auto p = Parse(c.input);
  ASSERT_FALSE(p.status.ok()) << "parsed without error";
  EXPECT_EQ(p.status.kind(), ErrorKind::kInput);
  EXPECT_NE(p.status.message().find(c.message), std::string::npos)
      << "message: " << p.status.message() << "\nexpected to contain: " << c.message;
  ASSERT_TRUE(p.status.place().set);
  const LineColumn lc = At(c.input, p.status.place().offset);
  EXPECT_EQ(lc.line, c.line) << p.status.message();
  EXPECT_EQ(lc.column, c.column) << p.status.message();
  EXPECT_TRUE(p.script.statements.empty()) << "nothing of a failing piece is kept";
}

TEST(GrammarErrorTest, BadPeriods) {
  const ErrorCase cases[] = {
      {"treason[2024-13]", "invalid period `2024-13`", 1, 9},
      {"treason[2024-00]", "invalid period `2024-00`", 1, 9},
      {"treason[2024-H3]", "invalid period `2024-H3`", 1, 9},
      {"treason[2024-Q5]", "invalid period `2024-Q5`", 1, 9},
      {"treason[2024-Q0]", "invalid period `2024-Q0`", 1, 9},
      {"treason[x]", "expected a period", 1, 9},
      {"treason[202]", "expected a period", 1, 12},
      {"treason[2024-1]", "expected a period", 1, 15},
      {"treason[2024", "expected `]` or `..`", 1, 13},
      {"treason[2024 2025]", "expected `]` or `..`", 1, 14},
      {"treason[2024..]", "expected a period", 1, 15},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, RangesOfMixedGranularityOrReversed) {
  const ErrorCase cases[] = {
      {"treason[2023..2024-H1]", "one granularity", 1, 15},
      {"treason[2024-Q1..2024-03]", "one granularity", 1, 18},
      {"treason[2024..2023]", "must not end before it starts", 1, 15},
      {"treason[2024-07..2024-06]", "must not end before it starts", 1, 18},
      {"growth(treason, 2023, 2024-H1)", "one granularity", 1, 23},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, DatesThatDoNotExistOrAreInTheFuture) {
  // "record treason[2024] = 1 from X on " is 35 characters: the date starts at 36.
  const std::string head = "record treason[2024] = 1 from X on ";
  const ErrorCase cases[] = {
      {head + "2023-02-29", "invalid date `2023-02-29`", 1, 36},
      {head + "2024-02-30", "invalid date `2024-02-30`", 1, 36},
      {head + "2024-13", "invalid date `2024-13`", 1, 36},
      {head + "2025-03-02", "in the future", 1, 36},
      {head + "2025-04", "in the future", 1, 36},
      {head + "2026", "in the future", 1, 36},
      {head + "soon", "expected a date", 1, 36},
      {"treason as of 2024-02-30", "invalid date `2024-02-30`", 1, 15},
      {"treason as of soon", "expected a date", 1, 15},
      {"changes since 2025-13-01", "invalid date", 1, 15},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, BadTimestamps) {
  // "treason recorded as of " is 23 characters.
  const ErrorCase cases[] = {
      {"treason recorded as of 2025-03-01T25:00Z", "invalid timestamp", 1, 24},
      {"treason recorded as of 2025-02-29T12:00Z", "invalid timestamp", 1, 24},
      {"treason recorded as of 2025-03-01T12:00:07.1234567Z", "invalid timestamp", 1, 24},
      {"treason recorded as of 2025-03-01Tnoon", "expected a time after `T`", 1, 35},
      {"treason recorded 2025-03-01", "expected `as of`", 1, 18},
      {"changes 2025-01-01", "expected `since`", 1, 9},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, BadCounts) {
  // "record treason[2024] = " is 23 characters.
  const ErrorCase cases[] = {
      {"record treason[2024] = -1 from X on 2024", "invalid count", 1, 24},
      {"record treason[2024] = 1.5 from X on 2024", "invalid count", 1, 24},
      {"record treason[2024] = 9007199254740992 from X on 2024", "invalid count", 1, 24},
      {"record treason[2024] >= 99999999999999999999 from X on 2024", "invalid count", 1, 25},
      {"record treason[2024] = x from X on 2024", "expected a count", 1, 24},
      {"record treason[2024] 145 from X on 2024", "expected a value", 1, 22},
      {"define source S priority x", "expected a whole number", 1, 26},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, NonIntegerPriorityIsReportedAtTheNumber) {
  // Like a bad count (`invalid count `1.5``), the message quotes the number
  // and the place is the number's, not the `priority` keyword's.
  auto p = Parse("define source S priority 1.5");
  ASSERT_FALSE(p.status.ok());
  EXPECT_NE(p.status.message().find("`1.5`"), std::string::npos) << p.status.message();
  EXPECT_EQ(p.status.message().find("priority"), std::string::npos) << p.status.message();
  EXPECT_EQ(At("define source S priority 1.5", p.status.place().offset).column, 26u);
  // A negative one too: the number starts at its minus sign.
  auto n = Parse("define source S priority -2.5");
  ASSERT_FALSE(n.status.ok());
  EXPECT_NE(n.status.message().find("`-2.5`"), std::string::npos) << n.status.message();
  EXPECT_EQ(At("define source S priority -2.5", n.status.place().offset).column, 26u);
}

TEST(GrammarErrorTest, BadStrings) {
  // "define charge treason title " is 28 characters: the string starts at 29.
  const ErrorCase cases[] = {
      {R"(define charge treason title "a\q")", "invalid escape", 1, 32},
      {"define charge treason article 5", "expected a string", 1, 31},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, UnterminatedStringPointsAtItsOpeningQuote) {
  // The spec's error shows "the line as it is, then a caret under the
  // spot". A string left open runs to the end of the script, possibly many
  // lines on; the spot that helps is where it starts.
  const ErrorCase cases[] = {
      {R"(define charge treason title "abc)", "unterminated string", 1, 29},
      {"define charge treason title \"abc\n\ntreason", "unterminated string", 1, 29},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, DuplicateModifiersAndAttributes) {
  const ErrorCase cases[] = {
      {"treason[2024] as of 2024 as of 2025", "`as of` is given twice", 1, 26},
      {"treason from RTVI from IStories", "`from` is given twice", 1, 19},
      {"treason by source by source", "`by source` is given twice", 1, 19},
      {"treason resolve latest resolve latest", "`resolve` is given twice", 1, 24},
      {"treason recorded as of 2025-01-01 recorded as of 2025-02-01", "`recorded as of` is given twice", 1, 35},
      {"check treason[2024] warn > 1 warn > 2", "`warn` is given twice", 1, 30},
      {R"(define charge treason title "a" title "b")", "given twice", 1, 33},
      {"define source S priority 1 priority 2", "`priority` is given twice", 1, 28},
      {R"(record treason[2024] = 1 from X on 2024 note "a" note "b")", "given twice", 1, 50},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarTest, ResolveTakesOneOfThreeRulesAmongTheOtherModifiers) {
  const struct {
    const char* text;
    ResolveRule rule;
  } cases[] = {{"treason resolve latest", ResolveRule::kLatest},
               {"treason as of 2024 resolve priority by source", ResolveRule::kPriority},
               {"treason resolve consensus from RTVI", ResolveRule::kConsensus}};
  for (const auto& c : cases) {
    const auto& q = As<ast::Query>(Only(Kept(c.text)));
    EXPECT_EQ(q.mods.resolve, std::optional<ResolveRule>(c.rule)) << c.text;
    EXPECT_EQ(q.mods.resolve_span.begin, std::string_view(c.text).find("resolve")) << c.text;
  }
  EXPECT_FALSE(As<ast::Query>(Only(Kept("treason"))).mods.resolve.has_value());
  ExpectError({"treason resolve", "expected a rule after `resolve`: latest, priority or consensus", 1, 16});
  ExpectError({"treason resolve Latest", "expected a rule after `resolve`: latest, priority or consensus", 1, 17});
}

TEST(GrammarTest, FirstAndLagTakeASelectorNeverAnotherCall) {
  EXPECT_EQ(As<ast::Call>(QueryExpr(Kept("first(treason[2024])"))).func, ast::Func::kFirst);
  EXPECT_EQ(As<ast::Call>(QueryExpr(Kept("lag(espionage{citizenship=*})"))).func, ast::Func::kLag);
  const char* message = "expected a series: a function takes a series, not another function's result";
  ExpectError({"sum(first(treason))", message, 1, 5});
  ExpectError({"lag( first (treason))", message, 1, 6});
  ExpectError({"max(sum(treason))", message, 1, 5});
}

TEST(GrammarErrorTest, ReservedAndDuplicateLabelKeys) {
  // Spec §1: these keys name fields and CSV columns.
  for (const char* key : {"charge", "series", "period", "value", "bound", "lo", "hi", "approx", "source",
                          "reported", "recorded", "status", "note", "url"}) {
    ExpectError({std::string("espionage{") + key + "=\"x\"}[2024]", "reserved", 1, 11});
  }
  const ErrorCase cases[] = {
      {R"(espionage{a="x", a="y"})", "appears twice", 1, 18},
      {R"(espionage{a=*, b="1", a=*})", "appears twice", 1, 23},
      {R"(espionage{a=""})", "cannot be empty", 1, 13},
      {R"(espionage{citizenship="UA")", "expected `,` or `}`", 1, 27},
      {"espionage{citizenship}", "expected `=`", 1, 22},
      {"espionage{citizenship=UA}", "expected a label value", 1, 23},
      {R"(espionage{citizenship="UA",})", "expected a label", 1, 28},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, RecordNeedsOneConcreteSeriesAndOnePeriod) {
  const ErrorCase cases[] = {
      {"record treason = 1 from X on 2024", "one period", 1, 8},
      {"record treason[2023..2024] = 1 from X on 2024", "one period", 1, 8},
      {"retract espionage{c=*}[2024] from X on 2024", "concrete series", 1, 9},
      {"record [2024] = 1 from X on 2024", "expected a series", 1, 8},
      {"record treason[2024] = 1 on 2024", "expected `from`", 1, 26},
      {"record treason[2024] = 1 from X", "expected `on`", 1, 32},
      {"record treason[2024] = 1 from x1 on 2024 as of 2024", "expected `;` or the end", 1, 42},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, FunctionArguments) {
  const ErrorCase cases[] = {
      {"growth(treason[2024], 2023, 2024)", "without a period", 1, 8},
      {"growth(treason)", "two periods, or a range", 1, 8},
      {"sum(treason, 2023, 2024)", "takes one series", 1, 14},
      {"growth treason", "expected `(`", 1, 8},
      {"growth(treason, 2023 2024)", "expected `,` between the two periods", 1, 22},
      {"growth(treason, 2023, 2024", "expected `)`", 1, 27},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, AnUnknownFunctionSuggestsTheClosestFunction) {
  const ErrorCase cases[] = {
      {"growht(treason)", "unknown function `growht`; did you mean `growth`?", 1, 1},
      {"1 + revsions (treason[2024])", "unknown function `revsions`; did you mean `revisions`?", 1, 5},
      {"plot sums(treason)", "unknown function `sums`; did you mean `sum`?", 1, 6},
      {"total(treason)", "unknown function `total`", 1, 1},
  };
  for (const auto& c : cases) ExpectError(c);
  // Nothing within two edits: no suggestion.
  EXPECT_EQ(Parse("total(treason)").status.message().find("did you mean"), std::string::npos);
}

TEST(GrammarErrorTest, VintagesAndDiffArguments) {
  // "vintages(treason, " is 18 characters: START is at 19; "diff(treason, " 14.
  const ErrorCase cases[] = {
      {"vintages(treason, 2024..2024-H1)", "one granularity", 1, 25},
      {"vintages(treason, 2024-12-01..2024-12)", "one granularity", 1, 31},
      {"vintages(treason, 2024-12..2024-12-31)", "one granularity", 1, 28},
      {"vintages(treason, 2025..2024)", "must not end before it starts", 1, 25},
      {"vintages(treason, 2024-12-02..2024-12-01)", "must not end before it starts", 1, 31},
      {"vintages(treason, 2000-01-01..2027-05-19)", "too many vintages: 2000-01-01..2027-05-19 gives 10001, at most 10000", 1, 19},
      {"vintages(treason, 1000-01..1900-01)", "too many vintages", 1, 19},
      {"vintages(treason, 2024-02-30..2024-03-01)", "invalid date `2024-02-30`", 1, 19},
      {"vintages(treason, 2024..)", "expected a period (2024, 2024-H1, 2024-Q3, 2024-07) or a date", 1, 25},
      {"vintages(treason)", "takes a series and a range of vintages", 1, 10},
      {"vintages(treason, 2023, 2024)", "takes a series and a range of vintages", 1, 19},
      {"diff(treason, 2023, 2024)", "takes a series and two cutoffs", 1, 15},
      {"diff(treason)", "takes a series and two cutoffs", 1, 6},
      {"diff(treason, as of 2024)", "expected `,` between the two cutoffs", 1, 25},
      {"diff(treason, as of 2024, 2025)", "expected a cutoff", 1, 27},
      {"diff(treason, as 2024, as of 2025)", "expected `of`", 1, 18},
      {"diff(treason, recorded as of 2024-13, as of 2025)", "invalid date `2024-13`", 1, 30},
      {"growth(treason, as of 2024, as of 2025)", "two periods, or a range", 1, 17},
      {"growth(treason, 2016..2025)", "two periods, or a range", 1, 17},
      {"history(treason, 2024, 2025)", "takes one series", 1, 18},
      {"growth(treason, x)", "expected two periods (2023, 2024), a range (2016..2025) or two cutoffs", 1, 17},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarTest, VintagesRangeOfPeriodsOrDaysUpToTenThousand) {
  const auto& years = Kept("vintages(treason, 2016..2025)");
  ASSERT_TRUE(years.status.ok()) << years.status.message();
  const auto& call = *years.script.statements[0].get_if<ast::Query>()->expr.call();
  EXPECT_EQ(call.func, ast::Func::kVintages);
  ASSERT_TRUE(call.vintages.has_value());
  EXPECT_FALSE(call.vintages->days);
  EXPECT_EQ(call.vintages->first.ToString(), "2016");
  EXPECT_EQ(call.vintages->last.ToString(), "2025");
  const auto& days = Kept("vintages(espionage[2024], 2024-12-01..2024-12-31)");
  ASSERT_TRUE(days.status.ok()) << days.status.message();
  const auto& dcall = *days.script.statements[0].get_if<ast::Query>()->expr.call();
  ASSERT_TRUE(dcall.vintages && dcall.vintages->days);
  EXPECT_EQ(dcall.vintages->last_day - dcall.vintages->first_day, 30);
  // Exactly 10,000 steps are allowed: 0000..9999, and 2000-01-01 + 9999 days.
  EXPECT_TRUE(Parse("vintages(treason, 0000..9999)").status.ok());
  EXPECT_TRUE(Parse("vintages(treason, 2000-01-01..2027-05-18)").status.ok());
}

TEST(GrammarTest, DiffCutoffsOnEitherAxisOrBoth) {
  const auto& p = Kept("diff(treason, as of 2024-12, recorded as of 2025 ) ;"
                       "diff(treason, recorded as of 2025-06-01T00:00Z, as of 2025-06-30 recorded as of 2025-07-01T00:00Z)");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  const auto& a = *p.script.statements[0].get_if<ast::Query>()->expr.call();
  ASSERT_EQ(a.cutoffs.size(), 2u);
  EXPECT_EQ(a.cutoffs[0].as_of->ToString(), "2024-12");
  EXPECT_FALSE(a.cutoffs[0].recorded_as_of.has_value());
  EXPECT_FALSE(a.cutoffs[1].as_of.has_value());
  // A partial date is its last microsecond UTC: 2025 → 2025-12-31T23:59:59.999999Z,
  // 2026-01-01 (day 20454) less one microsecond.
  EXPECT_EQ(a.cutoffs[1].recorded_as_of, Micros{20454} * kDay - 1);
  const auto& b = *p.script.statements[1].get_if<ast::Query>()->expr.call();
  ASSERT_EQ(b.cutoffs.size(), 2u);
  EXPECT_FALSE(b.cutoffs[0].as_of.has_value());
  // 2025-06-01 is day 20240 (2025-01-01 is 20089, + 151).
  EXPECT_EQ(b.cutoffs[0].recorded_as_of, Micros{20240} * kDay);
  EXPECT_EQ(b.cutoffs[1].as_of->ToString(), "2025-06-30");
  EXPECT_EQ(b.cutoffs[1].recorded_as_of, Micros{20270} * kDay);
}

TEST(GrammarErrorTest, StatementsAndExpressions) {
  const ErrorCase cases[] = {
      {"(treason[2024]", "expected `)`", 1, 15},
      {"treason[2024] +", "expected a number, a series, a function or `(`", 1, 16},
      {"treason[2024] * ;", "expected a number, a series, a function or `(`", 1, 17},
      {"treason[2024] treason[2023]", "expected `;` or the end of the script", 1, 15},
      {")", "expected a statement or a query", 1, 1},
      {"from", "expected a statement or a query", 1, 1},
      {"treason as 2024", "expected `of`", 1, 12},
      {"treason by sources", "expected `source` after `by`", 1, 18},
      {"assert treason[2024]", "expected a comparison", 1, 21},
      {"assert treason[2024] >= x", "expected a number", 1, 25},
      {"check treason[2024]", "expected `warn` or `crit`", 1, 20},
      {"show tables", "expected `charges`, `sources` or `series`", 1, 6},
      {"show series Treason", "expected a charge name", 1, 13},
      {"describe from", "expected a charge name", 1, 10},
      {"define thing x", "expected `charge` or `source` after `define`", 1, 8},
      {"define charge Treason", "expected a charge name", 1, 15},
      {"define charge from", "expected a charge name", 1, 15},
      {"define source from", "expected a source name", 1, 15},
      {"define source 1X", "expected a source name", 1, 15},
  };
  for (const auto& c : cases) ExpectError(c);
}

TEST(GrammarErrorTest, LinesAndCharacterColumnsAfterCyrillicText) {
  // "define charge treason title " (28) + "\"Томская область\"" (17 characters,
  // 31 bytes: 14 letters of two bytes) + " article " (9): `5` is character 55,
  // byte 68.
  const std::string same_line = "define charge treason title \"Томская область\" article 5";
  ExpectError({same_line, "expected a string", 1, 55});
  EXPECT_EQ(Parse(same_line).status.place().offset, 68u) << "places are byte offsets";

  const ErrorCase cases[] = {
      {"define charge treason title \"Томская область\";\ntreason[2024-13]", "invalid period", 2, 9},
      {"-- комментарий\nespionage{регион=\"x\"}", "expected `,` or `}`", 2, 11},
      // `espionage{region="Томская"}[`: 28 characters, 35 bytes.
      {"espionage{region=\"Томская\"}[2024-13]", "invalid period", 1, 29},
      {"treason;\n\tespionage{a=\"ё\", a=\"ж\"}", "appears twice", 2, 19},
      {"record treason[2024] = 1 from X on 2024 note \"Ω\"\n  note \"x\"", "given twice", 2, 3},
  };
  for (const auto& c : cases) ExpectError(c);
  EXPECT_EQ(Parse("espionage{region=\"Томская\"}[2024-13]").status.place().offset, 35u);
}

TEST(GrammarErrorTest, InvalidUtf8AndNulArePlaced) {
  // Checked before parsing: the byte offset of the first bad byte.
  const ErrorCase cases[] = {
      {"treason; \"a\xff\"", "invalid UTF-8", 1, 12},
      {"-- ок\nx \xC0\xAF", "invalid UTF-8", 2, 3},
      {std::string("treason\0", 8), "NUL", 1, 8},
  };
  for (const auto& c : cases) ExpectError(c);
}

// ------------------------------------------------------------ ParseCache

TEST(ParseCacheTest, AnswersATextSeenBeforeWithTheStatementsParsingGives) {
  ParseCache cache;
  const std::string text = "treason{region=\"X\"}[2024]; record espionage[2024] = 3 from RTVI on 2025-02";
  for (int round = 0; round < 2; ++round) {  // the first parses, the second is answered from the cache
    ast::Script script;
    ASSERT_TRUE(cache.Parse("request", text, ParseOptions{kToday}, &script).ok()) << round;
    ASSERT_EQ(script.pieces.size(), 1u);
    EXPECT_EQ(script.pieces[0].origin, "request");
    EXPECT_EQ(script.pieces[0].text, text);
    ASSERT_EQ(script.statements.size(), 2u) << round;
    const auto& s = As<ast::Selector>(script.statements[0].get_if<ast::Query>()->expr);
    EXPECT_EQ(s.charge, "treason");
    ASSERT_EQ(s.labels.size(), 1u);
    EXPECT_EQ(s.labels[0].value, "X");
    const auto* r = script.statements[1].get_if<ast::Record>();
    ASSERT_NE(r, nullptr) << round;
    EXPECT_EQ(r->source, "RTVI");
    EXPECT_EQ(script.statements[1].span.begin, 27u);  // 7 + 12 + 6 + 2 bytes: `treason{region="X"}[2024]; `
  }
}

TEST(ParseCacheTest, TodayIsPartOfWhatItRemembers) {
  // Accepted on 2025-03-01, the same text is in the future a day earlier.
  ParseCache cache;
  const std::string text = "record treason[2024] = 1 from X on 2025-03-01";
  ast::Script today;
  ASSERT_TRUE(cache.Parse("request", text, ParseOptions{kToday}, &today).ok());
  ast::Script yesterday;
  const Status s = cache.Parse("request", text, ParseOptions{kToday - 1}, &yesterday);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("in the future"), std::string::npos) << s.message();
}

TEST(ParseCacheTest, ErrorsAndLaterPiecesAreParsedAfresh) {
  ParseCache cache;
  for (int round = 0; round < 2; ++round) {
    ast::Script script;
    const Status s = cache.Parse("request", "treason[202]", ParseOptions{kToday}, &script);
    EXPECT_FALSE(s.ok()) << round;
    EXPECT_TRUE(script.statements.empty());
    ASSERT_EQ(script.pieces.size(), 1u);  // kept, to show the error's line
  }
  // A second piece's statements point at piece 1, never at a first piece's spans.
  ast::Script first;
  ASSERT_TRUE(cache.Parse("-e", "treason[2024]", ParseOptions{kToday}, &first).ok());
  ast::Script script;
  ASSERT_TRUE(cache.Parse("-e", "espionage[2024]", ParseOptions{kToday}, &script).ok());
  ASSERT_TRUE(cache.Parse("-e#2", "treason[2024]", ParseOptions{kToday}, &script).ok());
  ASSERT_EQ(script.statements.size(), 2u);
  EXPECT_EQ(script.statements[1].span.piece, 1u);
  EXPECT_EQ(As<ast::Selector>(script.statements[0].get_if<ast::Query>()->expr).charge, "espionage");
}

}  // namespace
}  // namespace docket
