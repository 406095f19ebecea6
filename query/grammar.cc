// The query language's grammar (spec §2) and its conversion to the AST.
// PEGTL lives in this translation unit only. Parsing builds a PEGTL parse
// tree (so abandoned branches leave nothing behind); Convert then walks
// it into ast:: structs, validating values with their positions.
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>

#include <fmt/format.h>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "query/grammar.h"
#include "query/lexicon.h"
#include "query/query.h"

namespace docket {
namespace grammar {
namespace {

namespace pegtl = tao::pegtl;
using pegtl::alnum;
using pegtl::alpha;
using pegtl::at;
using pegtl::digit;
using pegtl::eof;
using pegtl::eolf;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::range;
using pegtl::rep;
using pegtl::seq;
using pegtl::sor;
using pegtl::space;
using pegtl::star;
using pegtl::string;
using pegtl::two;
using pegtl::until;

// ---------------------------------------------------------------- lexical

struct comment : seq<two<'-'>, until<eolf>> {};
struct ws : star<sor<space, comment>> {};
// Every token eats the whitespace after it, so errors point at the next token.
template <class R>
struct tok : seq<R, ws> {};

struct ident_char : sor<alnum, one<'_'>> {};

#define DOCKET_KEYWORD(name) \
  struct kw_##name : TAO_PEGTL_KEYWORD(#name) {}; \
  struct k_##name : tok<kw_##name> {};
DOCKET_KEYWORD(article)
DOCKET_KEYWORD(as)
DOCKET_KEYWORD(assert)
DOCKET_KEYWORD(by)
DOCKET_KEYWORD(changes)
DOCKET_KEYWORD(charge)
DOCKET_KEYWORD(charges)
DOCKET_KEYWORD(check)
DOCKET_KEYWORD(consensus)
DOCKET_KEYWORD(crit)
DOCKET_KEYWORD(define)
DOCKET_KEYWORD(describe)
DOCKET_KEYWORD(else)
DOCKET_KEYWORD(from)
DOCKET_KEYWORD(latest)
DOCKET_KEYWORD(note)
DOCKET_KEYWORD(of)
DOCKET_KEYWORD(on)
DOCKET_KEYWORD(plot)
DOCKET_KEYWORD(priority)
DOCKET_KEYWORD(record)
DOCKET_KEYWORD(recorded)
DOCKET_KEYWORD(resolve)
DOCKET_KEYWORD(retract)
DOCKET_KEYWORD(series)
DOCKET_KEYWORD(show)
DOCKET_KEYWORD(since)
DOCKET_KEYWORD(source)
DOCKET_KEYWORD(sources)
DOCKET_KEYWORD(title)
DOCKET_KEYWORD(url)
DOCKET_KEYWORD(warn)
#undef DOCKET_KEYWORD

struct lower_word : seq<range<'a', 'z'>, star<sor<range<'a', 'z'>, digit, one<'_'>>>> {};
// Names and function names are words the lexicon decides on (lexicon.h):
// their actions below refuse a reserved word, or a word that names no function.
struct charge_name : seq<lower_word, not_at<ident_char>> {};
struct source_name : seq<alpha, star<ident_char>> {};
struct label_key : seq<lower_word, not_at<ident_char>> {};

struct number : seq<plus<digit>, opt<one<'.'>, plus<digit>>, not_at<ident_char>> {};
struct minus_sign : tok<one<'-'>> {};
struct signed_number : seq<opt<minus_sign>, tok<number>> {};

struct escaped_char : one<'"', '\\'> {};
struct escape : seq<one<'\\'>, must<escaped_char>> {};
struct string_char : sor<escape, not_one<'"', '\\'>> {};
struct string_rest : until<one<'"'>, string_char> {};
struct string_lit : seq<one<'"'>, must<string_rest>> {};

// Periods and dates are read only where one is expected.
struct period_suffix : seq<sor<seq<one<'H', 'Q'>, digit>, rep<2, digit>>, not_at<ident_char>> {};
struct period_lit : seq<rep<4, digit>, sor<seq<one<'-'>, must<period_suffix>>, not_at<ident_char>>> {};
struct two_digits : seq<rep<2, digit>, not_at<digit>> {};
struct date_lit
    : seq<rep<4, digit>, opt<one<'-'>, must<two_digits>, opt<one<'-'>, must<two_digits>>>,
          not_at<ident_char>> {};
struct zone : sor<one<'Z'>, seq<one<'+', '-'>, rep<2, digit>, one<':'>, rep<2, digit>>> {};
struct time_rest
    : seq<rep<2, digit>, one<':'>, rep<2, digit>,
          opt<one<':'>, rep<2, digit>, opt<one<'.'>, plus<digit>>>, zone, not_at<ident_char>> {};
struct timestamp_lit
    : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, one<'T'>, must<time_rest>> {};
struct instant : sor<timestamp_lit, date_lit> {};

struct semi : tok<one<';'>> {};
struct comma : tok<one<','>> {};
struct lbrace : tok<one<'{'>> {};
struct rbrace : tok<one<'}'>> {};
struct lbracket : tok<one<'['>> {};
struct rbracket : tok<one<']'>> {};
struct lparen : tok<one<'('>> {};
struct rparen : tok<one<')'>> {};
struct equals : tok<one<'='>> {};
struct wildcard : one<'*'> {};
struct range_sep : tok<two<'.'>> {};

// `expect_x` rules are the commit points: each has its message below, and
// failing one is a parse error at that spot.
#define DOCKET_EXPECT(name, rule) \
  struct expect_##name : rule {};
DOCKET_EXPECT(charge, seq<tok<charge_name>>)
DOCKET_EXPECT(source, seq<tok<source_name>>)
DOCKET_EXPECT(string, seq<tok<string_lit>>)
DOCKET_EXPECT(period, seq<tok<period_lit>>)
DOCKET_EXPECT(date, seq<tok<date_lit>>)
DOCKET_EXPECT(instant, seq<tok<instant>>)
DOCKET_EXPECT(rbrace, seq<rbrace>)
DOCKET_EXPECT(rbracket, seq<rbracket>)
DOCKET_EXPECT(lparen, seq<lparen>)
DOCKET_EXPECT(rparen, seq<rparen>)
DOCKET_EXPECT(comma, seq<comma>)
DOCKET_EXPECT(equals, seq<equals>)
DOCKET_EXPECT(of, seq<k_of>)
DOCKET_EXPECT(as, seq<k_as>)
DOCKET_EXPECT(from, seq<k_from>)
DOCKET_EXPECT(on, seq<k_on>)
DOCKET_EXPECT(since, seq<k_since>)
DOCKET_EXPECT(source_keyword, seq<k_source>)
DOCKET_EXPECT(integer, seq<signed_number>)

// ---------------------------------------------------------------- selectors

struct label_value : sor<tok<string_lit>, tok<wildcard>> {};
DOCKET_EXPECT(label_value, seq<label_value>)
struct label : seq<tok<label_key>, must<expect_equals>, must<expect_label_value>> {};
DOCKET_EXPECT(label, seq<label>)
struct labels : seq<lbrace, opt<label, star<comma, must<expect_label>>>, must<expect_rbrace>> {};
struct brackets
    : seq<lbracket, must<expect_period>, opt<range_sep, must<expect_period>>, must<expect_rbracket>> {};
struct selector : seq<tok<charge_name>, opt<labels>, opt<brackets>> {};
DOCKET_EXPECT(selector, seq<selector>)

// ---------------------------------------------------------------- expressions

struct func_name : seq<lower_word, not_at<ident_char>> {};
// A function's argument is a series, never a call: `sum(first(treason))`
// is an error at the inner name.
struct not_a_call : not_at<lower_word, not_at<ident_char>, ws, one<'('>> {};
// After the selector: two periods (growth), a range of vintages (periods
// or full dates), or two cutoffs (diff); the function decides which fits.
struct day_lit
    : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<ident_char>> {};
struct point_lit : sor<day_lit, period_lit> {};
DOCKET_EXPECT(point, seq<tok<point_lit>>)
struct points
    : seq<tok<point_lit>, sor<seq<range_sep, must<expect_point>>,
                              seq<must<expect_comma>, must<expect_period>>>> {};
DOCKET_EXPECT(points, seq<points>)
struct cutoff_as_of : seq<k_as, must<expect_of>, must<expect_date>> {};
struct cutoff_recorded : seq<k_recorded, must<expect_as>, must<expect_of>, must<expect_instant>> {};
struct cutoff : sor<seq<cutoff_as_of, opt<cutoff_recorded>>, cutoff_recorded> {};
DOCKET_EXPECT(cutoff, seq<cutoff>)
DOCKET_EXPECT(cutoff_comma, seq<comma>)
struct cutoffs : seq<cutoff, must<expect_cutoff_comma>, must<expect_cutoff>> {};
struct call
    : seq<tok<func_name>, must<expect_lparen>, must<not_a_call>, must<expect_selector>,
          opt<comma, sor<cutoffs, must<expect_points>>>, must<expect_rparen>> {};
// A word that names no function (nor is reserved) before `(`: its action
// fails the parse there, naming the closest function.
struct unknown_call : seq<lower_word, not_at<ident_char>, ws, at<one<'('>>> {};
struct expr;
DOCKET_EXPECT(expr, seq<expr>)
struct paren : seq<lparen, must<expect_expr>, must<expect_rparen>> {};
struct primary : sor<call, paren, tok<number>, unknown_call, selector> {};
struct unary;
DOCKET_EXPECT(operand, seq<unary>)
struct negate : seq<minus_sign, must<expect_operand>> {};
struct unary : sor<negate, primary> {};
struct mul_op : tok<one<'*', '/'>> {};
struct add_op : tok<one<'+', '-'>> {};
struct term : seq<unary, star<mul_op, must<expect_operand>>> {};
struct expect_operand_term : seq<term> {};
struct expr : seq<term, star<add_op, must<expect_operand_term>>> {};

// ---------------------------------------------------------------- modifiers

struct mod_as_of : seq<k_as, must<expect_of>, must<expect_date>> {};
struct mod_recorded : seq<k_recorded, must<expect_as>, must<expect_of>, must<expect_instant>> {};
struct mod_from : seq<k_from, must<expect_source>, star<comma, must<expect_source>>> {};
struct mod_by_source : seq<k_by, must<expect_source_keyword>> {};
struct rule_name : sor<kw_latest, kw_priority, kw_consensus> {};
DOCKET_EXPECT(rule, tok<rule_name>)
struct mod_resolve : seq<k_resolve, must<expect_rule>> {};
struct modifiers : star<sor<mod_as_of, mod_recorded, mod_from, mod_by_source, mod_resolve>> {};

struct cmp_op : sor<string<'!', '='>, string<'<', '='>, string<'>', '='>, one<'<', '>', '='>> {};
struct threshold : signed_number {};
DOCKET_EXPECT(threshold, seq<threshold>)
struct comparison : seq<tok<cmp_op>, must<expect_threshold>> {};
DOCKET_EXPECT(comparison, seq<comparison>)

// ---------------------------------------------------------------- statements

struct attr_title : seq<k_title, must<expect_string>> {};
struct attr_article : seq<k_article, must<expect_string>> {};
struct attr_url : seq<k_url, must<expect_string>> {};
struct attr_note : seq<k_note, must<expect_string>> {};
struct attr_priority : seq<k_priority, must<expect_integer>> {};

struct define_charge : seq<k_charge, must<expect_charge>, star<sor<attr_title, attr_article>>> {};
struct define_source
    : seq<k_source, must<expect_source>, star<sor<attr_title, attr_url, attr_priority>>> {};
struct define_what : sor<define_charge, define_source> {};
DOCKET_EXPECT(define_what, seq<define_what>)
struct st_define : seq<k_define, must<expect_define_what>> {};

struct bound_op : sor<string<'>', '='>, string<'<', '='>, one<'='>, one<'~'>> {};
struct count : signed_number {};
DOCKET_EXPECT(count, seq<count>)
struct figure : seq<tok<bound_op>, must<expect_count>> {};
DOCKET_EXPECT(figure, seq<figure>)
struct report_tail
    : seq<must<expect_from>, must<expect_source>, must<expect_on>, must<expect_date>,
          star<sor<attr_note, attr_url>>> {};
struct st_record : seq<k_record, must<expect_selector>, must<expect_figure>, report_tail> {};
struct st_retract : seq<k_retract, must<expect_selector>, report_tail> {};

struct else_clause : seq<k_else, must<expect_string>> {};
struct st_assert
    : seq<k_assert, must<expect_expr>, modifiers, must<expect_comparison>, opt<else_clause>> {};

struct warn_level : seq<k_warn, must<expect_comparison>> {};
struct crit_level : seq<k_crit, must<expect_comparison>> {};
struct level : sor<warn_level, crit_level> {};
DOCKET_EXPECT(level, seq<level>)
struct st_check : seq<k_check, must<expect_expr>, modifiers, must<expect_level>, opt<level>> {};

struct show_charges : k_charges {};
struct show_sources : k_sources {};
struct show_series : seq<k_series, must<expect_charge>> {};
struct show_what : sor<show_charges, show_sources, show_series> {};
DOCKET_EXPECT(show_what, seq<show_what>)
struct st_show : seq<k_show, must<expect_show_what>> {};
struct st_describe : seq<k_describe, must<expect_charge>> {};
struct st_plot : seq<k_plot, must<expect_expr>, modifiers> {};
struct st_changes : seq<k_changes, must<expect_since>, must<expect_instant>, modifiers> {};
struct st_query : seq<expr, modifiers> {};

struct statement
    : sor<st_define, st_record, st_retract, st_assert, st_check, st_show, st_describe, st_plot,
          st_changes, st_query> {};
DOCKET_EXPECT(statement, seq<statement>)
struct statement_end : sor<semi, at<eof>> {};
DOCKET_EXPECT(statement_end, seq<statement_end>)
// One step of a script: an empty statement or a statement and its end.
// ParsePiece parses a piece one step at a time, so only one statement's
// parse tree exists at once.
struct step : sor<semi, seq<must<expect_statement>, must<expect_statement_end>>> {};
struct script : seq<ws, until<eof, step>> {};
#undef DOCKET_EXPECT

// ---------------------------------------------------------------- messages

template <class Rule>
inline constexpr const char* error_message = nullptr;
#define DOCKET_MESSAGE(rule, text) \
  template <>                      \
  inline constexpr const char* error_message<rule> = text;
DOCKET_MESSAGE(expect_charge, "expected a charge name (lower case, e.g. `treason`)")
DOCKET_MESSAGE(expect_source, "expected a source name (e.g. `IStories`)")
DOCKET_MESSAGE(expect_string, "expected a string in double quotes")
DOCKET_MESSAGE(expect_period, "expected a period: 2024, 2024-H1, 2024-Q3 or 2024-07")
DOCKET_MESSAGE(period_suffix, "expected a period: 2024, 2024-H1, 2024-Q3 or 2024-07")
DOCKET_MESSAGE(expect_date, "expected a date: 2024-12-31, 2024-12 or 2024")
DOCKET_MESSAGE(two_digits, "expected a date: 2024-12-31, 2024-12 or 2024")
DOCKET_MESSAGE(expect_instant,
               "expected a date (2024-12-31) or a timestamp (2025-03-01T12:00Z)")
DOCKET_MESSAGE(time_rest, "expected a time after `T`: hh:mm[:ss[.ffffff]] then Z or ±hh:mm")
DOCKET_MESSAGE(expect_rbrace, "expected `,` or `}` after a label")
DOCKET_MESSAGE(expect_rbracket, "expected `]` or `..`")
DOCKET_MESSAGE(expect_lparen, "expected `(`")
DOCKET_MESSAGE(expect_rparen, "expected `)`")
DOCKET_MESSAGE(expect_comma, "expected `,` between the two periods")
DOCKET_MESSAGE(expect_point, "expected a period (2024, 2024-H1, 2024-Q3, 2024-07) or a date (2024-12-31)")
DOCKET_MESSAGE(expect_points,
               "expected two periods (2023, 2024), a range (2016..2025) or two cutoffs "
               "(as of 2024-12-31, as of 2025-06-30)")
DOCKET_MESSAGE(expect_cutoff,
               "expected a cutoff: as of DATE, recorded as of TIMESTAMP, or both")
DOCKET_MESSAGE(expect_cutoff_comma, "expected `,` between the two cutoffs")
DOCKET_MESSAGE(expect_equals, "expected `=` after the label key")
DOCKET_MESSAGE(expect_label_value, "expected a label value in double quotes, or `*`")
DOCKET_MESSAGE(expect_label, "expected a label such as citizenship=\"UA\"")
DOCKET_MESSAGE(expect_of, "expected `of`")
DOCKET_MESSAGE(expect_as, "expected `as of`")
DOCKET_MESSAGE(expect_from, "expected `from` and a source")
DOCKET_MESSAGE(expect_on, "expected `on` and the date the source published the figure")
DOCKET_MESSAGE(expect_since, "expected `since`")
DOCKET_MESSAGE(expect_source_keyword, "expected `source` after `by`")
DOCKET_MESSAGE(expect_rule, "expected a rule after `resolve`: latest, priority or consensus")
DOCKET_MESSAGE(not_a_call,
               "expected a series: a function takes a series, not another function's result")
DOCKET_MESSAGE(expect_integer, "expected a whole number")
DOCKET_MESSAGE(expect_selector, "expected a series such as treason or espionage{citizenship=\"UA\"}[2024]")
DOCKET_MESSAGE(expect_expr, "expected an expression")
DOCKET_MESSAGE(expect_operand, "expected a number, a series, a function or `(`")
DOCKET_MESSAGE(expect_operand_term, "expected a number, a series, a function or `(`")
DOCKET_MESSAGE(expect_threshold, "expected a number")
DOCKET_MESSAGE(expect_comparison, "expected a comparison: =, !=, <, <=, > or >= and a number")
DOCKET_MESSAGE(expect_define_what, "expected `charge` or `source` after `define`")
DOCKET_MESSAGE(expect_count, "expected a count")
DOCKET_MESSAGE(expect_figure, "expected a value: = 145, >= 28, <= 10 or ~ 36")
DOCKET_MESSAGE(expect_level, "expected `warn` or `crit` and a comparison")
DOCKET_MESSAGE(expect_show_what, "expected `charges`, `sources` or `series`")
DOCKET_MESSAGE(expect_statement, "expected a statement or a query")
DOCKET_MESSAGE(expect_statement_end, "expected `;` or the end of the script")
DOCKET_MESSAGE(escaped_char, "invalid escape: a backslash must be followed by `\"` or `\\`")
DOCKET_MESSAGE(string_rest, "unterminated string")
#undef DOCKET_MESSAGE

struct error {
  template <class Rule>
  static constexpr const char* message = error_message<Rule>;
};
template <class Rule>
using control = pegtl::must_if<error>::control<Rule>;

// Evaluation recurses once per operator: a statement's binary operators
// are bounded well below the stack, and counted as they are parsed, so a
// long expression fails before its parse tree grows.
constexpr size_t kMaxOperators = 1000;
struct OperatorCount {
  size_t operators = 0;  // in the statement being parsed
};

// Deep nesting of parentheses or minus signs is cut off before the stack is.
template <class Rule>
struct action : pegtl::nothing<Rule> {};
template <>
struct action<unary> : pegtl::limit_depth<200> {};
template <>
struct action<add_op> {
  template <class ActionInput, class... States>
  static void apply(const ActionInput& in, OperatorCount& count, States&&...) {
    if (++count.operators > kMaxOperators)
      throw pegtl::parse_error(fmt::format("expression too long: more than {} operators", kMaxOperators), in);
  }
};
template <>
struct action<mul_op> : action<add_op> {};
// An action that returns false makes its rule fail there, as if it had not matched.
template <>
struct action<charge_name> {
  template <class ActionInput, class... States>
  static bool apply(const ActionInput& in, States&&...) { return !IsKeyword(in.string_view()); }
};
template <>
struct action<source_name> : action<charge_name> {};
template <>
struct action<func_name> {
  template <class ActionInput, class... States>
  static bool apply(const ActionInput& in, States&&...) {
    return FindFunction(in.string_view()) != nullptr;
  }
};
template <>
struct action<unknown_call> {
  template <class ActionInput, class... States>
  static bool apply(const ActionInput& in, States&&...) {
    const std::string_view text = in.string_view();  // the word and the space after it
    const std::string_view word =
        text.substr(0, text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"));
    if (IsKeyword(word)) return false;
    std::set<std::string, std::less<>> names;
    for (const Function& f : Functions()) names.emplace(f.name);
    throw pegtl::parse_error(UnknownName("function", word, names), in);
  }
};

// The parse tree keeps these nodes; everything else is folded into them.
template <class Rule>
using keep = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        charge_name, source_name, label_key, string_lit, wildcard, number, minus_sign,
        period_lit, day_lit, range_sep, date_lit, instant, cutoff_as_of, cutoff_recorded, cutoff, label, labels, selector, func_name, call, paren,
        negate, mul_op, add_op, term, expr, mod_as_of, mod_recorded, mod_from, mod_by_source,
        mod_resolve, rule_name, cmp_op, threshold, comparison, attr_title, attr_article, attr_url, attr_note,
        attr_priority, st_define, define_charge, define_source, bound_op, count, figure, st_record,
        st_retract, else_clause, st_assert, warn_level, crit_level, st_check, show_charges,
        show_sources, show_series, st_describe, st_plot, st_changes, st_query>>;

using Node = pegtl::parse_tree::node;

}  // namespace

size_t AnalyzeProblems() { return pegtl::analyze<script>(-1); }

// ---------------------------------------------------------------- conversion

namespace {

// A problem found while converting, at a byte offset of the piece.
struct ConvertError {
  size_t offset;
  std::string message;
};

[[noreturn]] void Fail(const Node& n, std::string message) {
  throw ConvertError{n.m_begin.byte, std::move(message)};
}

class Converter {
 public:
  Converter(size_t piece, std::string_view text, const ParseOptions& options)
      : piece_(piece), text_(text), options_(options) {}

  ast::Statement Statement(const Node& n) {
    ast::Statement st;
    st.span = SpanOf(n);
    if (n.is_type<st_define>()) {
      const Node& what = *n.children[0];
      if (what.is_type<define_charge>()) {
        st.node = DefineChargeOf(what);
      } else {
        st.node = DefineSourceOf(what);
      }
    } else if (n.is_type<st_record>() || n.is_type<st_retract>()) {
      st.node = RecordOf(n);
    } else if (n.is_type<st_query>()) {
      ast::Query q;
      q.expr = Expression(*n.children[0]);
      q.mods = ModifiersOf(n, 1);
      st.node = std::move(q);
    } else if (n.is_type<st_assert>()) {
      st.node = AssertOf(n);
    } else if (n.is_type<st_check>()) {
      st.node = CheckOf(n);
    } else if (n.is_type<show_charges>()) {
      st.node = ast::Show{ast::Show::What::kCharges, {}, {}};
    } else if (n.is_type<show_sources>()) {
      st.node = ast::Show{ast::Show::What::kSources, {}, {}};
    } else if (n.is_type<show_series>()) {
      st.node = ast::Show{ast::Show::What::kSeries, n.children[0]->string(), SpanOf(*n.children[0])};
    } else if (n.is_type<st_describe>()) {
      st.node = ast::Describe{n.children[0]->string(), SpanOf(*n.children[0])};
    } else if (n.is_type<st_plot>()) {
      ast::Plot p;
      p.expr = Expression(*n.children[0]);
      p.mods = ModifiersOf(n, 1);
      st.node = std::move(p);
    } else if (n.is_type<st_changes>()) {
      ast::Changes c;
      c.since = SinceOf(*n.children[0]);
      c.mods = ModifiersOf(n, 1);
      st.node = std::move(c);
    } else {
      Fail(n, "internal error: unexpected statement");
    }
    return st;
  }

 private:
  ast::Span SpanOf(const Node& n) const { return SpanOf(n.m_begin.byte, n.m_end.byte); }
  // Offsets fit in 32 bits: ParsePiece refuses scripts over kMaxScriptBytes first.
  ast::Span SpanOf(size_t begin, size_t end) const {
    return {static_cast<uint32_t>(piece_), static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }

  // ---- values

  static std::string Unquote(const Node& n) {
    const std::string_view raw = n.string_view();
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\') ++i;
      out += raw[i];
    }
    return out;
  }

  Period PeriodOf(const Node& n) const {
    const std::string text = n.string();
    auto p = Period::Parse(text);
    if (!p) Fail(n, fmt::format("invalid period `{}`: use 2024, 2024-H1, 2024-Q3 or 2024-07", text));
    return *p;
  }

  Date DateOf(const Node& n) const {
    const std::string text = n.string();
    auto d = Date::Parse(text);
    if (!d) Fail(n, fmt::format("invalid date `{}`: no such day", text));
    return *d;
  }

  // A reported date: exists and does not start after today.
  Date ReportedOf(const Node& n) const {
    Date d = DateOf(n);
    if (d.first_day() > options_.today)
      Fail(n, fmt::format("reported date {} is in the future (today is {})", d,
                          Date(options_.today, DatePrecision::kDay)));
    return d;
  }

  // `recorded as of`: a timestamp, or a date meaning its last microsecond.
  Micros InstantUpTo(const Node& n) const {
    const std::string text = n.string();
    if (text.find('T') != std::string::npos) return TimestampOf(n);
    return (int64_t{DateOf(n).last_day()} + 1) * kMicrosPerDay - 1;
  }

  // `changes since`: versions recorded at or after the returned instant.
  Micros SinceOf(const Node& n) const {
    const std::string text = n.string();
    if (text.find('T') != std::string::npos) return TimestampOf(n) + 1;
    return int64_t{DateOf(n).first_day()} * kMicrosPerDay;
  }

  Micros TimestampOf(const Node& n) const {
    const std::string text = n.string();
    auto t = ParseTimestamp(text);
    if (!t) Fail(n, fmt::format("invalid timestamp `{}`", text));
    return *t;
  }

  // A signed number (threshold, count, priority): the children minus_sign? number.
  struct Signed {
    bool negative = false;
    std::string digits;
    const Node* first = nullptr;  // where the number starts, its sign included
    std::string text() const { return (negative ? "-" : "") + digits; }
  };
  static Signed SignedOf(const Node& n) {
    Signed s;
    for (const auto& c : n.children) {
      if (!s.first && (c->is_type<minus_sign>() || c->is_type<number>())) s.first = c.get();
      if (c->is_type<minus_sign>()) s.negative = true;
      if (c->is_type<number>()) s.digits = c->string();
    }
    return s;
  }

  // A number literal (text `-?[0-9]+(\.[0-9]+)?`, already matched by the
  // grammar) as the exact decimal it reads: any number of digits.
  static Real ExactOf(const std::string& text) { return *Real::Decimal(text); }

  uint64_t CountOf(const Node& n) const {
    const Signed s = SignedOf(n);
    const std::optional<uint64_t> count = s.negative ? std::nullopt : ParseCount(s.digits);
    if (!count)
      Fail(*s.first, fmt::format("invalid count `{}`: a count is a whole number from 0 to {}",
                                 s.text(), kMaxCount));
    return *count;
  }

  int64_t IntegerOf(const Node& n) const {
    const Signed s = SignedOf(n);
    if (s.digits.find('.') != std::string::npos || s.digits.size() > 18)
      Fail(*s.first, fmt::format("invalid number `{}`: expected a whole number", s.text()));
    const auto v = static_cast<int64_t>(std::stoll(s.digits));
    return s.negative ? -v : v;
  }

  ast::Comparison ComparisonOf(const Node& n) const {
    ast::Comparison c;
    const std::string op = n.children[0]->string();
    c.op = op == "=" ? Cmp::kEq : op == "!=" ? Cmp::kNe : op == "<" ? Cmp::kLt
         : op == "<=" ? Cmp::kLe : op == ">" ? Cmp::kGt : Cmp::kGe;
    const Signed s = SignedOf(*n.children[1]);
    c.threshold_text = s.text();
    c.threshold = ExactOf(c.threshold_text);
    return c;
  }

  // ---- selectors and expressions

  ast::Selector SelectorOf(const Node& n) const {
    ast::Selector sel;
    sel.span = SpanOf(n);
    std::vector<const Node*> periods;
    for (const auto& c : n.children) {
      if (c->is_type<charge_name>()) {
        sel.charge = c->string();
        sel.charge_span = SpanOf(*c);
      } else if (c->is_type<labels>()) {
        sel.braces = true;
        for (const auto& l : c->children) sel.labels.push_back(LabelOf(*l, sel.labels));
      } else if (c->is_type<period_lit>()) {
        periods.push_back(c.get());
      } else if (c->is_type<range_sep>()) {
        sel.range = true;
      }
    }
    if (!periods.empty()) {
      sel.first = PeriodOf(*periods.front());
      sel.last = PeriodOf(*periods.back());
      if (sel.first->grain() != sel.last->grain())
        Fail(*periods.back(), fmt::format("a range's ends must have one granularity: {}..{}",
                                          *sel.first, *sel.last));
      if (*sel.last < *sel.first)
        Fail(*periods.back(), fmt::format("a range must not end before it starts: {}..{}",
                                          *sel.first, *sel.last));
    }
    return sel;
  }

  ast::LabelMatch LabelOf(const Node& n, const std::vector<ast::LabelMatch>& before) const {
    ast::LabelMatch m;
    m.span = SpanOf(n);
    const Node& key = *n.children[0];
    m.key = key.string();
    if (IsReservedLabelKey(m.key))
      Fail(key, fmt::format("`{}` is reserved and cannot be a label key", m.key));
    for (const auto& b : before)
      if (b.key == m.key) Fail(key, fmt::format("label `{}` appears twice", m.key));
    const Node& value = *n.children[1];
    if (value.is_type<string_lit>()) {
      m.value = Unquote(value);
      if (m.value->empty()) Fail(value, "a label value cannot be empty");
    }
    return m;
  }

  ast::Expr Expression(const Node& n) {
    ast::Expr e;
    e.span = SpanOf(n);
    if (n.is_type<expr>() || n.is_type<term>()) {
      // operand (op operand)*, left-associative
      e = Expression(*n.children[0]);
      for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
        ast::Expr combined;
        combined.span = SpanOf(e.span.begin, n.children[i + 1]->m_end.byte);
        ast::Binary b;
        b.op = n.children[i]->string_view()[0];
        b.left = std::make_unique<ast::Expr>(std::move(e));
        b.right = std::make_unique<ast::Expr>(Expression(*n.children[i + 1]));
        combined.node = std::move(b);
        e = std::move(combined);
      }
      return e;
    }
    if (n.is_type<paren>()) {
      e = Expression(*n.children[0]);
      e.parenthesized = true;
      e.span = SpanOf(n);
      return e;
    }
    if (n.is_type<negate>()) {
      ast::Negate neg;
      neg.operand = std::make_unique<ast::Expr>(Expression(*n.children[1]));
      e.node = std::move(neg);
      return e;
    }
    if (n.is_type<number>()) {
      ast::Number num;
      num.text = n.string();
      num.decimal = num.text.find('.') != std::string::npos;
      num.value = ExactOf(num.text);
      e.node = std::move(num);
      return e;
    }
    if (n.is_type<selector>()) {
      e.node = SelectorOf(n);
      return e;
    }
    if (n.is_type<call>()) {
      e.node = CallOf(n);
      return e;
    }
    Fail(n, "internal error: unexpected expression");
  }

  ast::Call CallOf(const Node& n) const {
    ast::Call c;
    const std::string name = n.children[0]->string();
    const Function& function = *FindFunction(name);
    c.func = function.func;
    c.arg = SelectorOf(*n.children[1]);
    // What follows the selector: points (period_lit, day_lit, range_sep) or cutoffs.
    std::vector<const Node*> points, cutoffs;
    bool range = false;
    for (size_t i = 2; i < n.children.size(); ++i) {
      const Node& a = *n.children[i];
      if (a.is_type<cutoff>()) cutoffs.push_back(&a);
      else if (a.is_type<range_sep>()) range = true;
      else points.push_back(&a);
    }
    const Node* first_arg = n.children.size() > 2 ? n.children[2].get() : nullptr;
    switch (function.args) {
      case ArgShape::kSelectorPeriodsOrRange:
        if (points.size() == 2 && !range) {
          if (c.arg.first)
            Fail(*n.children[1], fmt::format("{} with two periods takes a series without a period, "
                                             "e.g. {}(treason, 2023, 2024)", name, name));
          c.from = PeriodOf(*points[0]);
          c.to = PeriodOf(*points[1]);
          if (c.from->grain() != c.to->grain())
            Fail(*points[1], fmt::format("{}'s two periods must have one granularity: {} and {}",
                                         name, *c.from, *c.to));
        } else if (first_arg || !c.arg.range) {
          Fail(first_arg ? *first_arg : *n.children[1],
               fmt::format("{} takes a series and two periods, or a range: "
                           "{}(treason, 2023, 2024) or {}(treason[2015..2024])",
                           name, name, name));
        }
        break;
      case ArgShape::kSelector:
        if (first_arg)
          Fail(*first_arg, fmt::format("{} takes one series, e.g. {}(espionage{{citizenship=*}}[2024])",
                                       name, name));
        break;
      case ArgShape::kSelectorVintages:
        if (points.size() != 2 || !range)
          Fail(first_arg ? *first_arg : *n.children[1],
               fmt::format("{} takes a series and a range of vintages, e.g. {}(treason, 2016..2025) "
                           "or {}(treason, 2024-12-01..2024-12-31)", name, name, name));
        c.vintages = VintagesOf(*points[0], *points[1]);
        break;
      case ArgShape::kSelectorCutoffs:
        if (cutoffs.size() != 2)
          Fail(first_arg ? *first_arg : *n.children[1],
               fmt::format("{} takes a series and two cutoffs, e.g. {}(treason, as of 2024-12-31, "
                           "as of 2025-06-30)", name, name));
        for (const Node* side : cutoffs) c.cutoffs.push_back(CutoffOf(*side));
        break;
    }
    return c;
  }

  // START..END of `vintages`: two periods of one grain or two full dates,
  // START <= END, at most ast::kMaxVintages steps.
  ast::VintageRange VintagesOf(const Node& start, const Node& end) const {
    ast::VintageRange r;
    r.span = SpanOf(start.m_begin.byte, end.m_end.byte);
    const std::string text = fmt::format("{}..{}", start.string(), end.string());
    if (start.is_type<day_lit>() != end.is_type<day_lit>())
      Fail(end, fmt::format("a range's ends must have one granularity: {}", text));
    int64_t steps = 0;
    if (start.is_type<day_lit>()) {
      r.days = true;
      r.first_day = DateOf(start).last_day();
      r.last_day = DateOf(end).last_day();
      steps = int64_t{r.last_day} - r.first_day + 1;
    } else {
      r.first = PeriodOf(start);
      r.last = PeriodOf(end);
      if (r.first.grain() != r.last.grain())
        Fail(end, fmt::format("a range's ends must have one granularity: {}", text));
      steps = r.last.ordinal() - r.first.ordinal() + 1;
    }
    if (steps < 1) Fail(end, fmt::format("a range must not end before it starts: {}", text));
    if (static_cast<uint64_t>(steps) > ast::kMaxVintages)
      Fail(start, fmt::format("too many vintages: {} gives {}, at most {}", text, steps,
                              ast::kMaxVintages));
    return r;
  }

  // One side of diff: `as of DATE`, `recorded as of INSTANT`, or both.
  ast::DiffCutoff CutoffOf(const Node& n) const {
    ast::DiffCutoff c;
    c.span = SpanOf(n);
    for (const auto& part : n.children) {
      if (part->is_type<cutoff_as_of>()) c.as_of = DateOf(*part->children[0]);
      else c.recorded_as_of = InstantUpTo(*part->children[0]);
    }
    return c;
  }

  ast::Modifiers ModifiersOf(const Node& parent, size_t first) const {
    ast::Modifiers m;
    for (size_t i = first; i < parent.children.size(); ++i) {
      const Node& n = *parent.children[i];
      auto twice = [&](bool given, const char* what) {
        if (given) Fail(n, fmt::format("`{}` is given twice", what));
      };
      if (n.is_type<mod_as_of>()) {
        twice(m.as_of.has_value(), "as of");
        m.as_of = DateOf(*n.children[0]);
        m.as_of_span = SpanOf(n);
      } else if (n.is_type<mod_recorded>()) {
        twice(m.recorded_as_of.has_value(), "recorded as of");
        m.recorded_as_of = InstantUpTo(*n.children[0]);
        m.recorded_as_of_span = SpanOf(n);
      } else if (n.is_type<mod_from>()) {
        twice(m.from.has_value(), "from");
        m.from.emplace();
        for (const auto& s : n.children) m.from->emplace_back(s->string(), SpanOf(*s));
      } else if (n.is_type<mod_by_source>()) {
        twice(m.by_source, "by source");
        m.by_source = true;
        m.by_source_span = SpanOf(n);
      } else if (n.is_type<mod_resolve>()) {
        twice(m.resolve.has_value(), "resolve");
        const std::string rule = n.children[0]->string();
        m.resolve = rule == "latest"     ? ResolveRule::kLatest
                    : rule == "priority" ? ResolveRule::kPriority
                                         : ResolveRule::kConsensus;
        m.resolve_span = SpanOf(n);
      }
    }
    return m;
  }

  // ---- statements

  ast::DefineCharge DefineChargeOf(const Node& n) const {
    ast::DefineCharge d;
    d.name = n.children[0]->string();
    d.name_span = SpanOf(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& a = *n.children[i];
      auto& field = a.is_type<attr_title>() ? d.title : d.article;
      if (field) Fail(a, "an attribute is given twice");
      field = Unquote(*a.children[0]);
    }
    return d;
  }

  ast::DefineSource DefineSourceOf(const Node& n) const {
    ast::DefineSource d;
    d.name = n.children[0]->string();
    d.name_span = SpanOf(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& a = *n.children[i];
      if (a.is_type<attr_priority>()) {
        if (d.priority) Fail(a, "`priority` is given twice");
        d.priority = IntegerOf(a);  // children: minus_sign? number
      } else {
        auto& field = a.is_type<attr_title>() ? d.title : d.url;
        if (field) Fail(a, "an attribute is given twice");
        field = Unquote(*a.children[0]);
      }
    }
    return d;
  }

  ast::Record RecordOf(const Node& n) const {
    ast::Record r;
    size_t i = 0;
    r.target = SelectorOf(*n.children[i++]);
    if (r.target.wildcard())
      Fail(*n.children[0], "record and retract need one concrete series: no `*` in labels");
    if (!r.target.first || r.target.range)
      Fail(*n.children[0], "record and retract need one period, e.g. treason[2024]");
    if (n.is_type<st_record>()) {
      const Node& fig = *n.children[i++];
      Figure f;
      f.bound = *ParseBound(fig.children[0]->string());
      f.count = CountOf(*fig.children[1]);
      r.figure = f;
    }
    r.source = n.children[i]->string();
    r.source_span = SpanOf(*n.children[i++]);
    r.reported = ReportedOf(*n.children[i++]);
    bool note = false, url = false;
    for (; i < n.children.size(); ++i) {
      const Node& a = *n.children[i];
      bool& given = a.is_type<attr_note>() ? note : url;
      if (given) Fail(a, "an attribute is given twice");
      given = true;
      (a.is_type<attr_note>() ? r.note : r.url) = Unquote(*a.children[0]);
    }
    return r;
  }

  ast::Assert AssertOf(const Node& n) {
    ast::Assert a;
    a.expr = Expression(*n.children[0]);
    size_t i = 1;
    while (i < n.children.size() && !n.children[i]->is_type<comparison>()) ++i;
    a.mods = ModifiersOf(n, 1);
    const Node& cmp = *n.children[i];
    a.cmp = ComparisonOf(cmp);
    if (i + 1 < n.children.size()) a.message = Unquote(*n.children[i + 1]->children[0]);
    // The assertion as written: from the expression to the threshold.
    const std::string_view raw =
        text_.substr(n.children[0]->m_begin.byte, cmp.m_end.byte - n.children[0]->m_begin.byte);
    a.text = CollapseSpaces(raw);
    return a;
  }

  ast::Check CheckOf(const Node& n) {
    ast::Check c;
    c.expr = Expression(*n.children[0]);
    c.mods = ModifiersOf(n, 1);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& lv = *n.children[i];
      if (!lv.is_type<warn_level>() && !lv.is_type<crit_level>()) continue;
      auto& field = lv.is_type<warn_level>() ? c.warn : c.crit;
      if (field) Fail(lv, fmt::format("`{}` is given twice", lv.is_type<warn_level>() ? "warn" : "crit"));
      field = ComparisonOf(*lv.children[0]);
    }
    return c;
  }

  static std::string CollapseSpaces(std::string_view raw) {
    std::string out;
    bool space = false;
    for (char ch : raw) {
      if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += ch;
    }
    return out;
  }

  size_t piece_;
  std::string_view text_;
  const ParseOptions& options_;
};

}  // namespace
}  // namespace grammar

Status ParsePiece(std::string origin, std::string text, const ParseOptions& options,
                  ast::Script* script) {
  namespace pegtl = tao::pegtl;
  const size_t piece = script->pieces.size();
  auto fail = [&](size_t offset, std::string message) {
    return Status::Input(std::move(message), Place{true, piece, offset});
  };
  // The piece joins the script first, and stays on failure, so the error's
  // line can be shown.
  script->pieces.push_back({std::move(origin), std::move(text)});
  const std::string& body = script->pieces.back().text;
  return [&]() -> Status {
    size_t total = 0;
    for (const auto& p : script->pieces) total += p.text.size();
    if (total > kMaxScriptBytes)
      return fail(0, fmt::format("script too large: more than {} MiB in all", kMaxScriptBytes >> 20));
    if (const size_t bad = FindInvalidUtf8(body); bad != std::string_view::npos)
      return fail(bad, body[bad] == '\0' ? "NUL character in the script" : "invalid UTF-8");
    // Before parsing, so the error points at the quote, not at the end of the script.
    if (const auto open = StateAtEnd(body).open_string) return fail(*open, "unterminated string");
    // Statements join the script as they are converted (no second copy of
    // them) and leave again on an error.
    auto& statements = script->statements;
    const size_t before = statements.size();
    try {
      pegtl::memory_input<> in(body, script->pieces.back().origin);
      pegtl::parse<grammar::ws>(in);
      grammar::Converter convert(piece, body, options);
      while (!in.empty()) {
        grammar::OperatorCount count;
        auto root = pegtl::parse_tree::parse<grammar::step, grammar::keep, grammar::action,
                                             grammar::control>(in, count);
        for (const auto& n : root->children) statements.push_back(convert.Statement(*n));
      }
    } catch (const pegtl::parse_error& e) {
      statements.resize(before);
      return fail(e.positions().empty() ? 0 : e.positions().front().byte, std::string(e.message()));
    } catch (const grammar::ConvertError& e) {
      statements.resize(before);
      return fail(e.offset, e.message);
    }
    return {};
  }();
}

}  // namespace docket
