// The page of `docket serve` (spec §8 "The page") over HTTP: its files come
// from the binary with ETags and caching headers, a known ETag gives 304,
// and GET /api/v1/names lists what the query box completes. The page in a
// browser: tests/browser.
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/serve_harness.h"

namespace docket::e2e {
namespace {

using Json = nlohmann::json;

class ServePageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FailureOf(d.Query(R"(
define charge treason;
define charge espionage;
define source IStories;
define source RTVI;
record espionage{citizenship="UA"}[2024] >= 18 from RTVI on 2024-12;
record espionage{citizenship="RU"}[2024] >= 7 from RTVI on 2024-12;
record treason[2024] = 145 from IStories on 2025-04;
)")),
              "");
  }
  Docket d;
};

TEST_F(ServePageTest, RootServesThePageWithAnEtagAndNoCache) {
  Server s(d);
  auto c = s.Client();
  auto r = c.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache");
  EXPECT_TRUE(std::regex_match(r->get_header_value("ETag"), std::regex(R"("[0-9a-f]{16}")")))
      << r->get_header_value("ETag");
  EXPECT_NE(r->body.find("<textarea id=\"query\""), std::string::npos);
  EXPECT_NE(r->body.find("<script type=\"module\" src=\"/page.js\">"), std::string::npos);
  // /index.html is the same file.
  auto same = c.Get("/index.html");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->body, r->body);
  EXPECT_EQ(same->get_header_value("ETag"), r->get_header_value("ETag"));
}

TEST_F(ServePageTest, IfNoneMatchWithTheEtagGives304WithoutABody) {
  Server s(d);
  auto c = s.Client();
  const std::string etag = c.Get("/")->get_header_value("ETag");
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    auto r = c.Get("/", httplib::Headers{{"If-None-Match", header}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 304) << header;
    EXPECT_EQ(r->body, "") << header;
    EXPECT_EQ(r->get_header_value("ETag"), etag) << header;
  }
  auto changed = c.Get("/", httplib::Headers{{"If-None-Match", "\"0000000000000000\""}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_FALSE(changed->body.empty());
}

TEST_F(ServePageTest, ScriptsAndStylesHaveTheirTypesAndTheirOwnEtags) {
  Server s(d);
  auto c = s.Client();
  auto page = c.Get("/page.js");
  auto css = c.Get("/page.css");
  ASSERT_TRUE(page && css);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(page->get_header_value("ETag"), css->get_header_value("ETag"));
  auto again = c.Get("/page.js", httplib::Headers{{"If-None-Match", page->get_header_value("ETag")}});
  EXPECT_EQ(again->status, 304);
}

TEST_F(ServePageTest, TheWholePageIsUnder200KiBAndAsksNothingOfOtherHosts) {
  Server s(d);
  auto c = s.Client();
  size_t total = 0;
  for (const char* path : {"/", "/page.css", "/page.js", "/query_box.js", "/results.js", "/chart.js", "/cell_view.js"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << path;
    total += r->body.size();
    // No address of another host: everything comes from this server
    // (the SVG namespace is a name, never fetched).
    std::string body = r->body;
    for (size_t at = body.find("//"); at != std::string::npos; at = body.find("//", at + 2)) {
      const std::string host = body.substr(at, 24);
      if (body.compare(at > 5 ? at - 5 : 0, 5, "http:") != 0 && body.compare(at > 6 ? at - 6 : 0, 6, "https:") != 0)
        continue;
      EXPECT_EQ(host.rfind("//www.w3.org/2000/svg", 0), 0u) << path << ": " << host;
    }
  }
  EXPECT_LT(total, 200u * 1024);
}

TEST_F(ServePageTest, AnUnknownFileIs404WithTheErrorObject) {
  Server s(d);
  auto c = s.Client();
  auto r = c.Get("/nothing.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Json::parse(r->body)["error"]["message"], "no endpoint GET /nothing.js");
}

TEST_F(ServePageTest, NamesListChargesSourcesLabelsFunctionsAndKeywords) {
  Server s(d);
  auto c = s.Client();
  auto r = c.Get("/api/v1/names");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const Json names = Json::parse(r->body);
  EXPECT_EQ(names["charges"], Json::parse(R"(["espionage", "treason"])"));
  EXPECT_EQ(names["sources"], Json::parse(R"(["IStories", "RTVI"])"));
  EXPECT_EQ(names["labels"], Json::parse(R"({"espionage": {"citizenship": ["RU", "UA"]}})"));
  const auto& functions = names["functions"];
  EXPECT_NE(std::find(functions.begin(), functions.end(), "growth"), functions.end());
  EXPECT_NE(std::find(functions.begin(), functions.end(), "vintages"), functions.end());
  const auto& keywords = names["keywords"];
  EXPECT_NE(std::find(keywords.begin(), keywords.end(), "from"), keywords.end());
  EXPECT_NE(std::find(keywords.begin(), keywords.end(), "resolve"), keywords.end());
}

}  // namespace
}  // namespace docket::e2e
