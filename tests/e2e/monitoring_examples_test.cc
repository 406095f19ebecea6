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

// Expands a Nagios check_command (`name!arg1!arg2`) with the command's
// command_line, as Nagios does, and runs it through /bin/sh.
Outcome RunNagiosCheck(const std::string& cfg, const std::string& check_command, const std::string& db) {
  std::smatch m;
  const std::regex command_line(R"(command_name\s+check_docket\s*\n\s*command_line\s+([^\n]*))");
  if (!std::regex_search(cfg, m, command_line)) return Outcome{-1, "", "no check_docket command_line"};
  std::string line = m[1];
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t bang; (bang = check_command.find('!', start)) != std::string::npos; start = bang + 1)
    args.push_back(check_command.substr(start, bang - start));
  args.push_back(check_command.substr(start));
  args[1] = db;  // $ARG1$: the archive under test
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string macro = "$ARG" + std::to_string(i) + "$";
    for (size_t at; (at = line.find(macro)) != std::string::npos;) line.replace(at, macro.size(), args[i]);
  }
  const std::string installed = "/usr/local/bin/docket";
  if (line.rfind(installed, 0) != 0) return Outcome{-1, "", "command_line does not start with " + installed};
  line.replace(0, installed.size(), DocketBinary());
  return RunProgram("/bin/sh", {"-c", line}, {{"DOCKET_NOW", "2025-11-01T00:00:00Z"}});
}

TEST(MonitoringExamplesTest, NagiosCommandDefinitionRunsEachServiceCheck) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string cfg = ReadFile(Example("nagios-docket.cfg"));
  std::vector<std::string> services;
  const std::regex check_command(R"(check_command\s+([^\n]*[^\s]))");
  for (auto it = std::sregex_iterator(cfg.begin(), cfg.end(), check_command); it != std::sregex_iterator(); ++it)
    services.push_back((*it)[1]);
  ASSERT_EQ(services.size(), 2u) << cfg;

  // treason: 145 / 39 = 3.72; the half year: 52 / 145 = 0.36.
  Outcome o = RunNagiosCheck(cfg, services[0], d.db());
  EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n");
  EXPECT_EQ(o.exit_code, 1);
  o = RunNagiosCheck(cfg, services[1], d.db());
  EXPECT_EQ(o.out, "DOCKET OK - treason[2024-H1] / treason[2024] = 0.36 | 'treason'=0.36;0.9;1\n");
  EXPECT_EQ(o.exit_code, 0);

  // A wrong archive path: docket's message is the service output (2>&1).
  o = RunNagiosCheck(cfg, services[0], d.dir().File("missing"));
  EXPECT_EQ(o.exit_code, 66);
  EXPECT_EQ(o.out.rfind("docket: -e: ", 0), 0u) << o.out;
  EXPECT_NE(o.out.find(d.dir().File("missing")), std::string::npos) << o.out;
}

TEST(MonitoringExamplesTest, IcingaCheckCommandArgumentsRunTheServiceCheck) {
  Docket d;
  ASSERT_EQ(d.Query(kDemo).exit_code, 0);
  const std::string conf = ReadFile(Example("icinga2-docket.conf"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(conf, m, std::regex(R"re(vars\.docket_check\s*=\s*"([^"]*)")re"))) << conf;
  const std::string check = m[1];
  ASSERT_NE(conf.find(R"(command = [ "/usr/local/bin/docket", "--read-only" ])"), std::string::npos);
  // command, then the arguments in their order: --db, -e.
  const Outcome o = RunProgram(DocketBinary(), {"--read-only", "--db", d.db(), "-e", check},
                               {{"DOCKET_NOW", "2025-11-01T00:00:00Z"}});
  EXPECT_EQ(o.out, "DOCKET WARNING - growth(treason, 2023, 2024) = 3.72 | 'treason'=3.72;3;5\n");
  EXPECT_EQ(o.exit_code, 1);
}

}  // namespace
}  // namespace docket::e2e
