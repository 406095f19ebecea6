// The runnable examples of docs/monitoring.md (examples/monitoring/) do what
// the document says: the cron watermark script, the node_exporter textfile
// script, and the Nagios and Icinga 2 definitions.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/harness.h"
#include "tests/e2e/monitoring_util.h"

namespace docket::e2e {
namespace {

std::string Example(const std::string& name) {
  return std::string(DOCKET_SOURCE_DIR) + "/examples/monitoring/" + name;
}

constexpr const char* kDemo = R"(
define charge treason; define source IStories priority 10; define source PervyiOtdel; define source TASS;
record treason[2023] = 39 from PervyiOtdel on 2024;
record treason[2024] = 145 from IStories on 2025-04;
record treason[2024-H1] = 52 from TASS on 2024-10;
)";

// The `recorded` values of jsonl rows, in order.
std::vector<std::string> RecordedTimes(const std::string& jsonl) {
  std::vector<std::string> out;
  const std::regex recorded(R"re("recorded"\s*:\s*"([^"]*)")re");
  for (const auto& line : Lines(jsonl)) {
    std::smatch m;
    if (std::regex_search(line, m, recorded)) out.push_back(m[1]);
    else out.push_back("<no recorded field>");
  }
  return out;
}

TEST(MonitoringExamplesTest, CronWatermarkScriptReportsEachVersionExactlyOnce) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string state = d.dir().File("changes.state");
  auto env = EnvOf(d);
  env["DOCKET"] = DocketBinary();
  const auto run = [&] { return RunProgram("/bin/sh", {Example("docket-changes.sh"), state, "--db", d.db()}, env); };

  // First run: no state yet, everything is new.
  Outcome o = run();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(RecordedTimes(o.out), (std::vector<std::string>{"2025-11-01T00:00:00.000000Z",
                                                            "2025-11-01T00:00:00.000001Z",
                                                            "2025-11-01T00:00:00.000002Z"}));
  EXPECT_EQ(ReadFile(state), "2025-11-01T00:00:00.000002Z\n");

  // Nothing new: silent (cron mails nothing), the state stays.
  o = run();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(ReadFile(state), "2025-11-01T00:00:00.000002Z\n");

  // New versions (an unchanged re-record writes none).
  ASSERT_EQ(d.Query("record treason[2024-H1] = 52 from TASS on 2024-10;"
                    "record treason[2024-H1] = 53 from TASS on 2024-10;"
                    "record treason[2025-H1] = 105 from TASS on 2025-10-21")
                .exit_code,
            0);
  o = run();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(RecordedTimes(o.out),
            (std::vector<std::string>{"2025-11-01T00:00:00.000003Z", "2025-11-01T00:00:00.000004Z"}));
  EXPECT_NE(Lines(o.out).at(0).find("\"53\""), std::string::npos) << o.out;
  EXPECT_EQ(ReadFile(state), "2025-11-01T00:00:00.000004Z\n");

  // An error: docket's exit status, nothing printed, the state untouched.
  o = RunProgram("/bin/sh", {Example("docket-changes.sh"), state, "--db", d.dir().File("missing")}, env);
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(ReadFile(state), "2025-11-01T00:00:00.000004Z\n");
}

TEST(MonitoringExamplesTest, TextfileScriptWritesAFilePromtoolAccepts) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string dir = d.dir().File("node-exporter");
  std::filesystem::create_directories(dir);
  auto env = EnvOf(d);
  env["DOCKET"] = DocketBinary();
  env["DOCKET_DB"] = d.db();
  const Outcome o = RunProgram("/bin/sh", {Example("docket-textfile.sh"), dir}, env);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out + o.err, "");
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.insert(e.path().filename().string());
  EXPECT_EQ(files, std::set<std::string>{"docket.prom"});
  const std::string prom = ReadFile(dir + "/docket.prom");
  EXPECT_NE(prom.find(R"(docket_value{)"), std::string::npos) << prom;
  const Outcome check = RunProgram("/usr/bin/promtool", {"check", "metrics"}, {}, prom);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

// The example service of several checks, on kDemo: 2024 is WARNING (> 100),
// 2023 OK, and 145 != 145 is false, OK.
constexpr const char* kTreasonFigures =
    "DOCKET WARNING - 3 checks: 1 warning, 2 ok | 'treason 2023'=39;~:100;~:200 'treason 2024'=145;~:100;~:200"
    " 'treason 2024 #2'=145;145:145;\n"
    "WARNING - treason[2023..2024] 2024 = 145\n"
    "OK - treason[2023..2024] 2023 = 39\n"
    "OK - treason[2024] = 145\n";

// A directive's value as Nagios reads an object file: cut at the first `;`
// not escaped by `\` (a comment), `\;` read as `;`.
std::string NagiosValue(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == ';') {
      out += ';';
      ++i;
    } else if (raw[i] == ';') {
      break;
    } else {
      out += raw[i];
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

// Expands a Nagios check_command (`name!arg1!arg2`, `\!` a literal `!`)
// with the command's command_line as Nagios does ($ARGn$, `$$` a literal
// `$`), and runs it through /bin/sh.
Outcome RunNagiosCheck(const std::string& cfg, const std::string& check_command, const std::string& db) {
  std::smatch m;
  const std::regex command_line(R"(command_name\s+check_docket\s*\n\s*command_line\s+([^\n]*))");
  if (!std::regex_search(cfg, m, command_line)) return Outcome{-1, "", "no check_docket command_line"};
  const std::string line = NagiosValue(m[1]);
  std::vector<std::string> args(1);
  for (size_t i = 0; i < check_command.size(); ++i) {
    if (check_command[i] == '\\' && i + 1 < check_command.size() && check_command[i + 1] == '!') {
      args.back() += '!';
      ++i;
    } else if (check_command[i] == '!') {
      args.emplace_back();
    } else {
      args.back() += check_command[i];
    }
  }
  args[1] = db;  // $ARG1$: the archive under test
  std::string expanded;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '$') {
      expanded += line[i];
      continue;
    }
    const size_t end = line.find('$', i + 1);
    if (end == std::string::npos) return Outcome{-1, "", "unterminated macro in " + line};
    const std::string macro = line.substr(i + 1, end - i - 1);
    if (macro.empty()) {
      expanded += '$';
    } else if (macro.rfind("ARG", 0) == 0 && std::stoul(macro.substr(3)) < args.size()) {
      expanded += args[std::stoul(macro.substr(3))];
    } else {
      return Outcome{-1, "", "unknown macro " + macro};
    }
    i = end;
  }
  const std::string installed = "/usr/local/bin/docket";
  if (expanded.rfind(installed, 0) != 0) return Outcome{-1, "", "command_line does not start with " + installed};
  expanded.replace(0, installed.size(), DocketBinary());
  return RunProgram("/bin/sh", {"-c", expanded}, {{"DOCKET_NOW", "2025-11-01T00:00:00Z"}});
}

TEST(MonitoringExamplesTest, NagiosCommandDefinitionRunsEachServiceCheck) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string cfg = ReadFile(Example("nagios-docket.cfg"));
  std::vector<std::string> services;
  const std::regex check_command(R"(check_command\s+([^\n]*[^\s]))");
  for (auto it = std::sregex_iterator(cfg.begin(), cfg.end(), check_command); it != std::sregex_iterator(); ++it)
    services.push_back(NagiosValue((*it)[1]));
  ASSERT_EQ(services.size(), 3u) << cfg;

  // treason: 145 / 39 = 3.717948717948718; the half year: 52 / 145 =
  // 0.3586206896551724.
  Outcome o = RunNagiosCheck(cfg, services[0], d.db());
  EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n");
  EXPECT_EQ(o.exit_code, 1);
  o = RunNagiosCheck(cfg, services[1], d.db());
  EXPECT_EQ(o.out, "DOCKET OK - treason[2024-H1] / treason[2024] = 0.36 | 'treason'=0.3586206896551724;~:0.9;~:1\n");
  EXPECT_EQ(o.exit_code, 0);
  // Two checks (`\;`), one with `\!=`.
  o = RunNagiosCheck(cfg, services[2], d.db());
  EXPECT_EQ(o.out, kTreasonFigures);
  EXPECT_EQ(o.exit_code, 1);

  // A wrong archive path: docket's status line says why, and the exit code
  // becomes 3 (UNKNOWN) instead of Nagios' out-of-bounds CRITICAL.
  o = RunNagiosCheck(cfg, services[0], d.dir().File("missing"));
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.out, "DOCKET UNKNOWN - archive not found: " + d.dir().File("missing") + "\n");
}

TEST(MonitoringExamplesTest, IcingaCheckCommandArgumentsRunTheServiceChecks) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string conf = ReadFile(Example("icinga2-docket.conf"));
  std::vector<std::string> checks;
  const std::regex var(R"re(vars\.docket_check\s*=\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(conf.begin(), conf.end(), var); it != std::sregex_iterator(); ++it)
    checks.push_back((*it)[1]);
  ASSERT_EQ(checks.size(), 2u) << conf;
  ASSERT_NE(conf.find(R"(command = [ "/usr/local/bin/docket", "--read-only" ])"), std::string::npos);
  // command, then the arguments in their order: --db, -e.
  auto run = [&](const std::string& check) {
    return RunProgram(DocketBinary(), {"--read-only", "--db", d.db(), "-e", check},
                      {{"DOCKET_NOW", "2025-11-01T00:00:00Z"}});
  };
  Outcome o = run(checks[0]);
  EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.717948717948718;~:3;~:5\n");
  EXPECT_EQ(o.exit_code, 1);
  o = run(checks[1]);
  EXPECT_EQ(o.out, kTreasonFigures);
  EXPECT_EQ(o.exit_code, 1);
}

// The alert rules docs/monitoring.md shows are the file that ctest
// promtool_rules tests.
TEST(MonitoringExamplesTest, TheDocumentedAlertRulesAreTheTestedFile) {
  const std::string rules = ReadFile(Example("docket-alerts.yml"));
  ASSERT_NE(rules, "");
  const std::string doc = ReadFile(std::string(DOCKET_SOURCE_DIR) + "/docs/monitoring.md");
  EXPECT_NE(doc.find("```yaml\n" + rules + "```\n"), std::string::npos);
}

}  // namespace
}  // namespace docket::e2e
