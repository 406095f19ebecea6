// `docket serve` (spec §8) end to end: the real binary on a free port over
// a real archive, spoken to over HTTP, its answers checked against the
// command line's for the same statements.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/monitoring_util.h"
#include "tests/e2e/serve_harness.h"

namespace docket::e2e {
namespace {

using Json = nlohmann::json;

constexpr char kSeed[] = R"(
define charge treason title "High treason" article "275";
define charge espionage;
define source IStories priority 10;
define source RTVI;
record treason[2023] = 39 from IStories on 2024;
record treason[2024] = 145 from IStories on 2025-04;
record espionage[2024] >= 28 from RTVI on 2024-12;
)";

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d.Query(kSeed)), ""); }

  // GET /api/v1/query?q=SCRIPT[&format=F].
  static httplib::Result Get(httplib::Client& c, const std::string& script, const std::string& format = "") {
    httplib::Params params{{"q", script}};
    if (!format.empty()) params.emplace("format", format);
    return c.Get("/api/v1/query", params, httplib::Headers{});
  }

  static Json Body(const httplib::Result& r) { return Json::parse(r->body); }

  // Records treason[2022] = 16 with the command line; the server's next
  // answer holds it.
  void ExpectACommandLineRecordInTheNextAnswer(httplib::Client& c) {
    const Outcome recorded = d.Query("record treason[2022] = 16 from RTVI on 2024");
    ASSERT_EQ(recorded.exit_code, 0) << Describe(recorded);
    auto after = Get(c, "treason[2022]", "csv");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->body,
              "series,period,value,lo,hi,approx,source,reported\ntreason,2022,16,16,16,false,RTVI,2024\n");
  }

  Docket d;
};

std::string TokenFile(const Docket& d) { return d.WriteFile("token", "s3cret-token\n"); }

// `,TEXT,`: a whole field inside a csv row.
std::string CsvField(const std::string& text) { return std::string(",").append(text).append(","); }

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

TEST_F(ServeTest, PrintsTheListeningLineAndAnswersHealthz) {
  Server s(d);
  EXPECT_EQ(s.listening_line(), "docket serve: listening on http://127.0.0.1:" + std::to_string(s.port()));
  auto c = s.Client();
  auto r = c.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
  EXPECT_EQ(s.Stop(), 0);
  // One line per request: time, client, method, path, status, bytes, milliseconds.
  EXPECT_TRUE(std::regex_search(
      s.Log(), std::regex(R"(\d{4}-\d\d-\d\dT[0-9:.]+Z 127\.0\.0\.1:\d+ GET /healthz 200 3 [0-9.]+ms\n)")))
      << s.Log();
}

TEST(ServeCommandLineTest, MissingArchiveExits66) {
  Docket d;
  const Outcome o = RunProgram(DocketBinary(), {"serve", "--db", d.db(), "--listen", "127.0.0.1:0"}, d.env());
  EXPECT_EQ(o.exit_code, 66) << Describe(o);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("archive not found: " + d.db()), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("define"), std::string::npos) << o.err;
}

TEST(ServeCommandLineTest, HelpAndBadFlags) {
  Docket d;
  const Outcome help = RunProgram(DocketBinary(), {"serve", "--help"}, d.env());
  EXPECT_EQ(help.exit_code, 0) << Describe(help);
  EXPECT_NE(help.out.find("--token-file FILE"), std::string::npos);
  const Outcome bad = RunProgram(DocketBinary(), {"serve", "--threads", "0"}, d.env());
  EXPECT_EQ(bad.exit_code, 64) << Describe(bad);
  EXPECT_NE(bad.err.find("--threads takes a whole number from 1, not `0`"), std::string::npos) << bad.err;
  const Outcome listen = RunProgram(DocketBinary(), {"serve", "--listen", "8470"}, d.env());
  EXPECT_EQ(listen.exit_code, 64) << Describe(listen);
}

TEST_F(ServeTest, QueryAnswersTheResultsObject) {
  Server s(d);
  auto c = s.Client();
  auto r = Get(c, "treason[2024]; espionage[2024]");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const Json j = Body(r);
  ASSERT_EQ(j["results"].size(), 2u) << r->body;
  EXPECT_EQ(j["results"][0]["statement"], "treason[2024]");
  EXPECT_EQ(j["results"][0]["fields"],
            Json::parse(R"(["series","period","value","lo","hi","approx","source","reported"])"));
  EXPECT_EQ(j["results"][0]["rows"], Json::parse(R"([{"series":"treason","period":"2024","value":"145","lo":145,
      "hi":145,"approx":false,"source":"IStories","reported":"2025-04"}])"));
  EXPECT_EQ(j["results"][1]["rows"][0]["value"], ">=28");
  EXPECT_TRUE(j["results"][1]["rows"][0]["hi"].is_null());
  EXPECT_EQ(j["outcome"], "OK");
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_EQ(j["warnings"], Json::array());
  EXPECT_FALSE(j.contains("check"));
  // POST with the statements as the body answers the same.
  auto posted = c.Post("/api/v1/query", "treason[2024]; espionage[2024]", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->body, r->body);
}

TEST_F(ServeTest, EveryFormatGivesTheCommandLinesBytes) {
  Server s(d);
  auto c = s.Client();
  const std::string script = "treason[2023..2024]; show charges; espionage[2024] by source";
  for (const std::string format : {"table", "csv", "tsv", "jsonl", "markdown"}) {
    auto r = Get(c, script, format);
    ASSERT_TRUE(r);
    const Outcome cli = CliQuery(d, format, script);
    EXPECT_EQ(r->status, 200) << format;
    EXPECT_EQ(r->body, cli.out) << format;
    EXPECT_EQ(r->get_header_value("Docket-Exit-Code"), "0") << format;
    EXPECT_EQ(r->get_header_value("Docket-Outcome"), "OK") << format;
  }
}

TEST_F(ServeTest, ChecksAndAssertsAreNotHttpErrors) {
  Server s(d);
  auto c = s.Client();
  const std::string script = "check treason[2024] warn > 100 crit > 200; assert treason[2024] < 100; treason[2023]";
  auto r = Get(c, script);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const Json j = Body(r);
  ASSERT_EQ(j["results"].size(), 3u) << r->body;
  EXPECT_EQ(j["results"][0]["statement"], "check treason[2024] warn > 100 crit > 200");
  EXPECT_NE(j["results"][0]["check"].get<std::string>().find("WARNING"), std::string::npos) << r->body;
  EXPECT_EQ(j["results"][1]["assert"], "failed");
  EXPECT_EQ(j["results"][1]["message"], "docket: request: assertion failed: treason[2024] < 100 (got 145)");
  EXPECT_EQ(j["results"][2]["statement"], "treason[2023]");
  EXPECT_TRUE(j.contains("check"));
  // An assert failed: CRITICAL, exit 2, as the command line exits.
  EXPECT_EQ(j["outcome"], "CRITICAL");
  EXPECT_EQ(j["exit_code"], 2);
  auto csv = Get(c, script, "csv");
  ASSERT_TRUE(csv);
  const Outcome cli = CliQuery(d, "csv", script);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body, cli.out);
  EXPECT_EQ(csv->get_header_value("Docket-Exit-Code"), std::to_string(cli.exit_code));
  EXPECT_EQ(csv->get_header_value("Docket-Outcome"), "CRITICAL");
}

TEST_F(ServeTest, ErrorsAreOneObjectWithTheirStatus) {
  Server s(d);
  auto c = s.Client();
  auto parse = Get(c, "treason[2024");
  ASSERT_TRUE(parse);
  EXPECT_EQ(parse->status, 400);
  const Json p = Body(parse)["error"];
  EXPECT_EQ(p["kind"], "parse");
  EXPECT_EQ(p["exit_code"], 65);
  EXPECT_EQ(p["line"], 1);
  EXPECT_EQ(p["column"], 13);  // just after the 12 characters
  EXPECT_EQ(p["context"], "treason[2024");
  EXPECT_EQ(Body(parse).size(), 1u);

  auto name = Get(c, "tresaon[2024]");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->status, 400);
  EXPECT_EQ(Body(name)["error"]["kind"], "name");
  EXPECT_EQ(Body(name)["error"]["suggestion"], "treason");
  EXPECT_EQ(Body(name)["error"]["message"], "unknown charge `tresaon`; did you mean `treason`?");

  auto value = Get(c, "treason[2024] as of 2024-02-30");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->status, 400);
  EXPECT_EQ(Body(value)["error"]["kind"], "value");
  EXPECT_EQ(Body(value)["error"]["message"], "invalid date `2024-02-30`: no such day");

  auto format = Get(c, "treason[2024]", "xml");
  ASSERT_TRUE(format);
  EXPECT_EQ(format->status, 400);
  EXPECT_EQ(Body(format)["error"]["kind"], "value");
  EXPECT_EQ(Body(format)["error"]["exit_code"], 64);

  auto missing = c.Get("/api/v1/query");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(Body(missing)["error"]["exit_code"], 64);

  auto nowhere = c.Get("/api/v2/nothing");
  ASSERT_TRUE(nowhere);
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_EQ(Body(nowhere)["error"]["exit_code"], 64);
}

TEST_F(ServeTest, QueryEndpointsRefuseWritesWhateverTheToken) {
  Server s(d, {"--token-file", TokenFile(d)});
  auto c = s.Client();
  const std::string before = d.Fingerprint();
  auto get = Get(c, "define charge bribery");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 403);
  EXPECT_EQ(Body(get)["error"]["kind"], "forbidden");
  EXPECT_EQ(Body(get)["error"]["exit_code"], 65);
  auto post = c.Post("/api/v1/query", Bearer("s3cret-token"), "define charge bribery", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST_F(ServeTest, ScriptsWriteOnlyWithTheToken) {
  const std::string before = d.Fingerprint();
  {
    Server open(d);  // no --token-file: writes refused
    auto c = open.Client();
    auto r = c.Post("/api/v1/script", Bearer("s3cret-token"), "define charge bribery", "text/plain");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(Body(r)["error"]["kind"], "forbidden");
  }
  Server s(d, {"--token-file", TokenFile(d)});
  auto c = s.Client();
  auto none = c.Post("/api/v1/script", "define charge bribery", "text/plain");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Body(none)["error"]["kind"], "unauthorized");
  auto wrong = c.Post("/api/v1/script", Bearer("s3cret-tokem"), "define charge bribery", "text/plain");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  // A parse error is 400 before the write rule, even without a token.
  auto parse = c.Post("/api/v1/script", "define charge", "text/plain");
  ASSERT_TRUE(parse);
  EXPECT_EQ(parse->status, 400);
  EXPECT_EQ(Body(parse)["error"]["kind"], "parse");
  // A script that only reads needs none.
  auto read = c.Post("/api/v1/script", "treason[2024]", "text/plain");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(d.Fingerprint(), before);

  auto ok = c.Post("/api/v1/script", Bearer("s3cret-token"),
                   "define charge bribery; record bribery[2024] = 7 from RTVI on 2025-01; bribery[2024]",
                   "text/plain");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Body(ok)["results"][0]["rows"][0]["value"], "7");
  EXPECT_EQ(d.Query("bribery[2024]").out,
            "series,period,value,lo,hi,approx,source,reported\nbribery,2024,7,7,7,false,RTVI,2025-01\n");
  // The next request sees the write.
  auto next = Get(c, "bribery[2024]", "csv");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, d.Query("bribery[2024]").out);
  EXPECT_EQ(s.Stop(), 0);
  EXPECT_EQ(s.Log().find("s3cret"), std::string::npos) << "the token was logged";
}

TEST_F(ServeTest, ImportTakesCsvAndJsonlBodies) {
  Server s(d, {"--token-file", TokenFile(d)});
  auto c = s.Client();
  const std::string csv =
      "charge,period,value,source,reported\n"
      "treason,2022,16,RTVI,2024\n"
      "treason,2024,145,IStories,2025-04\n";
  const std::string before = d.Fingerprint();
  auto dry = c.Post("/api/v1/import?dry_run=1", Bearer("s3cret-token"), csv, "text/csv");
  ASSERT_TRUE(dry);
  EXPECT_EQ(dry->status, 200) << dry->body;
  EXPECT_EQ(dry->body, "{\"new\":1,\"corrections\":0,\"unchanged\":1,\"dry_run\":true}\n");
  EXPECT_EQ(d.Fingerprint(), before);

  auto unauthorized = c.Post("/api/v1/import", csv, "text/csv");
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);

  auto bad = c.Post("/api/v1/import", Bearer("s3cret-token"),
                    "charge,period,value,source,reported\ntreason,2022,16,RTVJ,2024\n", "text/csv");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  const Json e = Body(bad)["error"];
  EXPECT_EQ(e["kind"], "value");
  EXPECT_EQ(e["exit_code"], 65);
  EXPECT_EQ(e["errors"], Json::parse(R"([{"line":2,"column":17,"message":"unknown source `RTVJ`; did you mean `RTVI`?"}])"));
  EXPECT_EQ(e["message"], "import:2:17: unknown source `RTVJ`; did you mean `RTVI`?");
  EXPECT_EQ(d.Fingerprint(), before);

  auto type = c.Post("/api/v1/import", Bearer("s3cret-token"), csv, "text/plain");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->status, 400);
  EXPECT_EQ(Body(type)["error"]["exit_code"], 64);

  auto done = c.Post("/api/v1/import", Bearer("s3cret-token"), csv, "text/csv");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  EXPECT_EQ(done->body, "{\"new\":1,\"corrections\":0,\"unchanged\":1,\"dry_run\":false}\n");
  EXPECT_EQ(d.Query("treason[2022]").out,
            "series,period,value,lo,hi,approx,source,reported\ntreason,2022,16,16,16,false,RTVI,2024\n");

  // A backup restores only into an empty archive.
  const std::string backup = d.Run({"export", "--format", "jsonl"}).out;
  auto refused = c.Post("/api/v1/import", Bearer("s3cret-token"), backup, "application/x-ndjson");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(Body(refused)["error"]["message"].get<std::string>().find("refusing to restore into a non-empty archive"),
            std::string::npos);
}

TEST_F(ServeTest, ExportStreamsTheCommandLinesBytes) {
  Server s(d);
  auto c = s.Client();
  for (const std::string format : {"csv", "jsonl", "openmetrics"}) {
    auto r = c.Get("/api/v1/export?format=" + format);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, d.Run({"export", "--format", format}).out) << format;
  }
  auto bad = c.Get("/api/v1/export?format=xml");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ServeTest, MetricsAreOpenMetricsThatPromtoolAccepts) {
  Server s(d);
  auto c = s.Client();
  ASSERT_TRUE(c.Get("/healthz"));
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/openmetrics-text; version=1.0.0; charset=utf-8");
  const std::string& m = r->body;
  EXPECT_NE(m.find("docket_value{charge=\"treason\",period=\"2024\",source=\"IStories\",bound=\"=\"} 145\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("# TYPE docket_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(m.find("docket_http_requests_total{code=\"200\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("# TYPE docket_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(m.find("docket_http_request_duration_seconds_count 1\n"), std::string::npos);
  EXPECT_NE(m.find("docket_archive_reports 3\n"), std::string::npos);
  EXPECT_EQ(m.find("# EOF"), m.size() - 6) << "one # EOF, at the end";
  const Outcome promtool = RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, m);
  EXPECT_EQ(promtool.exit_code, 0) << Describe(promtool);
}

TEST_F(ServeTest, LimitsOfRowsTimeAndBodies) {
  {
    Server s(d, {"--max-rows", "1"});
    auto c = s.Client();
    auto one = Get(c, "treason[2024]");
    ASSERT_TRUE(one);
    EXPECT_EQ(one->status, 200);
    auto two = Get(c, "treason[2023..2024]", "csv");
    ASSERT_TRUE(two);
    EXPECT_EQ(two->status, 413);
    EXPECT_EQ(Body(two)["error"]["kind"], "too_large");
    EXPECT_EQ(Body(two)["error"]["message"], "too many rows: 2 so far, more than --max-rows 1");
    // Export is not bounded by --max-rows.
    auto exported = c.Get("/api/v1/export");
    ASSERT_TRUE(exported);
    EXPECT_EQ(exported->status, 200);
    auto big = c.Post("/api/v1/query", std::string((64 << 20) + 1, ' '), "text/plain");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    EXPECT_EQ(Body(big)["error"]["kind"], "too_large");
  }
  Server s(d, {"--timeout", "0", "--token-file", TokenFile(d)});
  auto c = s.Client();
  auto slow = Get(c, "treason[2024]");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 503);
  EXPECT_EQ(slow->get_header_value("Retry-After"), "1");
  EXPECT_EQ(Body(slow)["error"]["kind"], "timeout");
  EXPECT_EQ(Body(slow)["error"]["exit_code"], 75);
  const std::string before = d.Fingerprint();
  auto write = c.Post("/api/v1/script", Bearer("s3cret-token"), "define charge bribery", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 503);
  EXPECT_EQ(d.Fingerprint(), before);
}

// --timeout stops a statement while it evaluates, not only when it emits
// rows: vintages over 10,000 days works for seconds before its first row.
TEST_F(ServeTest, TimeoutInterruptsAStatementBeforeItsFirstRow) {
  std::string records;
  for (int year = 2000; year < 2020; ++year)
    records += "record treason[" + std::to_string(year) + "] = 10 from RTVI on " + std::to_string(year + 1) + ";\n";
  ASSERT_EQ(FailureOf(d.Query(records)), "");
  // 20 cells x 10,000 vintages: 200,000 rows.
  const std::string slow = "vintages(treason[2000..2019], 1998-01-02..2025-05-19)";
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  double whole = 0;  // the query's time without a tight bound
  {
    Server s(d, {"--timeout", "600", "--max-rows", "1000000"});
    auto c = s.Client();
    const auto start = Clock::now();
    auto all = Get(c, slow, "csv");
    whole = seconds_since(start);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->status, 200) << all->body;
    ASSERT_EQ(ParseCsv(all->body).size(), 200'001u);
  }
  const std::string before = d.Fingerprint();
  Server s(d, {"--timeout", "0.2", "--token-file", TokenFile(d)});
  auto c = s.Client();
  auto start = Clock::now();
  auto cut = Get(c, slow, "csv");
  const double read_took = seconds_since(start);
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->status, 503) << cut->body;
  EXPECT_EQ(cut->get_header_value("Retry-After"), "1");
  EXPECT_EQ(Body(cut)["error"]["kind"], "timeout");
  EXPECT_EQ(Body(cut)["error"]["exit_code"], 75);
  // Stopped while evaluating: well before the whole query would have ended.
  EXPECT_LT(read_took, whole / 2) << "whole query: " << whole << " s";
  // A write whose script runs past the deadline before its commit commits nothing.
  start = Clock::now();
  auto write = c.Post("/api/v1/script", Bearer("s3cret-token"), "define charge bribery;\n" + slow, "text/plain");
  const double write_took = seconds_since(start);
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 503) << write->body;
  EXPECT_EQ(Body(write)["error"]["kind"], "timeout");
  EXPECT_LT(write_took, whole / 2) << "whole query: " << whole << " s";
  EXPECT_EQ(d.Fingerprint(), before);
  // The server goes on answering.
  auto next = Get(c, "treason[2004]", "csv");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
  EXPECT_EQ(next->body, "series,period,value,lo,hi,approx,source,reported\ntreason,2004,10,10,10,false,RTVI,2005\n");
}

TEST_F(ServeTest, CommandLineImportWhileServingIsSeenByTheNextRequest) {
  Server s(d);
  auto c = s.Client();
  auto before = Get(c, "treason[2022]", "csv");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->body, "series,period,value,lo,hi,approx,source,reported\n");
  const std::string file = d.WriteFile("more.csv", "charge,period,value,source,reported\ntreason,2022,16,RTVI,2024\n");
  const Outcome imported = d.Run({"import", file});
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  auto after = Get(c, "treason[2022]", "csv");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body,
            "series,period,value,lo,hi,approx,source,reported\ntreason,2022,16,16,16,false,RTVI,2024\n");
}

TEST_F(ServeTest, CommandLineRecordIntoASettledArchiveIsSeenByTheNextRequest) {
  // The archive's files and directory last changed an hour ago, so that
  // a change check by modification times alone could miss the record.
  namespace fs = std::filesystem;
  const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(d.db())) fs::last_write_time(entry.path(), hour_ago);
  fs::last_write_time(d.db(), hour_ago);
  Server s(d);
  auto c = s.Client();
  for (int i = 0; i < 2; ++i) {  // the first opens the view, the second reads it as it is
    auto before = Get(c, "treason[2022]", "csv");
    ASSERT_TRUE(before);
    EXPECT_EQ(before->body, "series,period,value,lo,hi,approx,source,reported\n");
  }
  ExpectACommandLineRecordInTheNextAnswer(c);
}

TEST_F(ServeTest, AnArchiveReplacedWhileServingIsTheOneTheNextRequestsRead) {
  // The directory the server watches moves away and a copy takes its path:
  // the server watches the new directory, so a record into it is seen.
  namespace fs = std::filesystem;
  Server s(d);
  auto c = s.Client();
  auto before = Get(c, "treason[2022]", "csv");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->body, "series,period,value,lo,hi,approx,source,reported\n");
  const std::string moved = d.db() + ".moved";
  fs::rename(d.db(), moved);
  fs::copy(moved, d.db(), fs::copy_options::recursive);
  auto copied = Get(c, "treason[2024]", "csv");  // the seed's record
  ASSERT_TRUE(copied);
  EXPECT_EQ(copied->body,
            "series,period,value,lo,hi,approx,source,reported\ntreason,2024,145,145,145,false,IStories,2025-04\n");
  ExpectACommandLineRecordInTheNextAnswer(c);
}

TEST_F(ServeTest, ConcurrentReadersAndWritersGetWholeAnswers) {
  // Eight writers queue on the archive's lock; on a loaded machine the last
  // waits for seven synced commits, which may take longer than the default
  // --timeout of 10 s (answered 503, as it should be): this test is about
  // whole answers, so the bounds are wide.
  Server s(d, {"--token-file", TokenFile(d), "--threads", "8", "--wait", "120", "--timeout", "120"});
  constexpr int kClients = 32, kRounds = 4;
  std::atomic<int> failures = 0;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = s.Client();
      for (int round = 0; round < kRounds; ++round) {
        if (i % 4 == 0) {
          // A writer: one month of its own per round, then reads it back.
          const std::string period = std::to_string(2001 + i / 4) + "-0" + std::to_string(round + 1);
          auto w = c.Post("/api/v1/script", Bearer("s3cret-token"),
                          "record treason[" + period + "] = " + std::to_string(i * 10 + round) +
                              " from RTVI on 2025-01; treason[" + period + "]",
                          "text/plain");
          if (!w || w->status != 200 ||
              Json::parse(w->body)["results"][0]["rows"][0]["value"] != std::to_string(i * 10 + round)) {
            ++failures;
            ADD_FAILURE() << "write " << period << ": " << (w ? w->status : -1) << " "
                          << (w ? w->body : "no answer: " + httplib::to_string(w.error()));
          }
        } else {
          auto r = Get(c, "treason[2024]; espionage[2024]", "csv");
          if (!r || r->status != 200 ||
              r->body != "series,period,value,lo,hi,approx,source,reported\n"
                         "treason,2024,145,145,145,false,IStories,2025-04\n\n"
                         "series,period,value,lo,hi,approx,source,reported\n"
                         "espionage,2024,>=28,28,,false,RTVI,2024-12\n") {
            ++failures;
            ADD_FAILURE() << "read: " << (r ? r->status : -1) << " "
                          << (r ? r->body : "no answer: " + httplib::to_string(r.error()));
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures, 0) << s.Log();
  // Every write is in the archive.
  const Outcome months = d.Query("treason[2001-01..2010-12]");
  EXPECT_EQ(ParseCsv(months.out).size(), 1u + kClients / 4 * kRounds) << months.out;
}

TEST_F(ServeTest, AWriteThatFindsTheLockTakenIs503Locked) {
  Server s(d, {"--token-file", TokenFile(d), "--wait", "0"});
  auto c = s.Client();
  // `docket import` takes the writer's lock, then opens its file: a FIFO
  // whose other end, once open here, proves the lock is held.
  const std::string fifo = d.dir().File("held.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Outcome imported;
  std::thread importer([&] { imported = d.Run({"import", fifo}); });
  const int fd = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  auto locked = c.Post("/api/v1/script", Bearer("s3cret-token"), "define source Kommersant", "text/plain");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 503);
  EXPECT_EQ(locked->get_header_value("Retry-After"), "1");
  EXPECT_EQ(Body(locked)["error"]["kind"], "locked");
  EXPECT_EQ(Body(locked)["error"]["exit_code"], 75);
  EXPECT_NE(Body(locked)["error"]["message"].get<std::string>().find("archive is locked by another writer"),
            std::string::npos);
  // Reads go on meanwhile.
  auto read = Get(c, "treason[2024]");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  const std::string csv = "charge,period,value,source,reported\ntreason,2022,16,RTVI,2024\n";
  ASSERT_EQ(::write(fd, csv.data(), csv.size()), static_cast<ssize_t>(csv.size()));
  ::close(fd);
  importer.join();
  EXPECT_EQ(imported.exit_code, 0) << Describe(imported);
  auto after = c.Post("/api/v1/script", Bearer("s3cret-token"), "define source Kommersant; show sources", "text/plain");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200) << after->body;
  EXPECT_EQ(Body(after)["results"][0]["rows"].size(), 3u);
}

TEST_F(ServeTest, ThePandasExampleReadsAResultIntoADataFrame) {
  Server s(d);
  const Outcome o = RunProgram("/usr/bin/python3",
                               {DOCKET_SOURCE_DIR "/examples/server/query_to_pandas.py",
                                "http://127.0.0.1:" + std::to_string(s.port()), "treason[2023..2024]"});
  EXPECT_EQ(o.exit_code, 0) << Describe(o);
  EXPECT_EQ(o.out, "series,period,value,source\ntreason,2023,39,IStories\ntreason,2024,145,IStories\n");
}

TEST_F(ServeTest, AWriteWaitingForTheLockDoesNotHoldUpReads) {
  // One event loop, and a CLI import holding the archive's lock: the write
  // waits on a thread of its own while the loop answers reads.
  HeldImport import(d, "held.csv");
  ASSERT_TRUE(import.Open());
  Server s(d, {"--token-file", TokenFile(d), "--threads", "1", "--wait", "60", "--timeout", "120"});
  std::atomic<bool> write_done = false;
  int write_status = 0;
  std::thread writer([&] {
    auto c = s.Client();
    c.set_read_timeout(120);
    auto w = c.Post("/api/v1/script", Bearer("s3cret-token"), "record treason[2022] = 16 from RTVI on 2024",
                    "text/plain");
    write_status = w ? w->status : -1;
    write_done = true;
  });
  auto c = s.Client();
  c.set_read_timeout(120);
  // Until the write is being answered (the gauge counts handlers; /metrics
  // streams its body, so it does not count itself).
  for (;;) {
    auto m = c.Get("/metrics");
    ASSERT_TRUE(m);
    ASSERT_FALSE(write_done) << "the write ended (" << write_status << ") before /metrics saw it waiting";
    if (m->body.find("\ndocket_http_requests_in_progress 1\n") != std::string::npos) break;
  }
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto read = Get(c, "treason[2023]", "csv");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->body, "series,period,value,lo,hi,approx,source,reported\ntreason,2023,39,39,39,false,IStories,2024\n");
  EXPECT_FALSE(write_done) << "the import still holds the lock";
  import.Write("charge,period,value,source,reported\n");
  EXPECT_EQ(import.Finish().exit_code, 0);
  writer.join();
  EXPECT_EQ(write_status, 200);
  auto after = Get(c, "treason[2022]", "csv");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body,
            "series,period,value,lo,hi,approx,source,reported\ntreason,2022,16,16,16,false,RTVI,2024\n");
}

TEST_F(ServeTest, SigtermDuringAWriteLeavesItWholeOrAbsent) {
  // A script of many records: one atomic commit.
  std::string script;
  int records = 0;
  for (int year = 1900; year < 2000; ++year)
    for (int month = 1; month <= 12; ++month, ++records)
      script += "record treason[" + std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month) +
                "] = " + std::to_string(records) + " from RTVI on 2025-01;\n";
  Server s(d, {"--token-file", TokenFile(d)});
  std::thread writer([&] {
    auto c = s.Client();
    (void)c.Post("/api/v1/script", Bearer("s3cret-token"), script, "text/plain");
  });
  // Stops while the write is on its way or running: either way the server
  // stops cleanly and the archive holds all of it or none.
  EXPECT_EQ(s.Stop(), 0) << s.Log();
  writer.join();
  const Outcome rows = d.Query("treason[1900-01..1999-12]");
  ASSERT_EQ(rows.exit_code, 0) << Describe(rows);
  const size_t n = ParseCsv(rows.out).size() - 1;
  EXPECT_TRUE(n == 0 || n == static_cast<size_t>(records)) << n << " of " << records;
}

TEST_F(ServeTest, FollowerSeesThePrimarysWritesWithinTwoSeconds) {
  Server follower(d, {"--follow", "--token-file", TokenFile(d)});
  auto c = follower.Client();
  auto first = Get(c, "treason[2024]", "csv");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, d.Query("treason[2024]").out);
  // A follower never writes, whatever the token.
  auto write = c.Post("/api/v1/script", Bearer("s3cret-token"), "define charge bribery", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 403);

  for (int i = 1; i <= 3; ++i) {
    const std::string value = std::to_string(145 + i);
    ASSERT_EQ(FailureOf(d.Query("record treason[2024] = " + value + " from IStories on 2025-04")), "");
    const std::string expected = d.Query("treason[2024]").out;
    ASSERT_NE(expected.find(CsvField(value)), std::string::npos);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = Get(c, "treason[2024]", "csv");
      ASSERT_TRUE(r);
      seen = r->body;
      if (seen == expected) break;
      // Whatever it answers meanwhile is a whole earlier state.
      ASSERT_NE(seen.find(CsvField(std::to_string(145 + i - 1))), std::string::npos) << seen;
    }
    EXPECT_EQ(seen, expected);
  }
}

}  // namespace
}  // namespace docket::e2e
