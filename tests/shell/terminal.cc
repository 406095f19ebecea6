#include "tests/shell/terminal.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "tests/e2e/harness.h"

namespace docket::shell_test {
namespace {

constexpr auto kTimeout = std::chrono::seconds(30);
constexpr auto kPoll = std::chrono::milliseconds(50);
constexpr const char* kSession = "docket";

bool IsPrompt(const std::string& line) {
  return line.starts_with("docket>") || line.starts_with("   ...>") || line.starts_with("  \"...>");
}

std::vector<size_t> PromptLines(const std::vector<std::string>& lines) {
  std::vector<size_t> prompts;
  for (size_t i = 0; i < lines.size(); ++i)
    if (IsPrompt(lines[i])) prompts.push_back(i);
  return prompts;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

Terminal::Terminal(const std::string& socket, const std::string& command, int columns, int rows)
    : socket_(socket) {
  const std::string wrapped = command + "; echo \"[exited $?]\"; exec sleep 600";
  Tmux({"new-session", "-d", "-x", std::to_string(columns), "-y", std::to_string(rows), "-s",
        kSession, wrapped});
}

Terminal::~Terminal() { e2e::RunProgram(DOCKET_TMUX, {"-S", socket_, "kill-server"}); }

void Terminal::Tmux(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {"-u", "-S", socket_, "-f", "/dev/null"};
  full.insert(full.end(), args.begin(), args.end());
  const e2e::Outcome o = e2e::RunProgram(DOCKET_TMUX, full);
  EXPECT_EQ(o.exit_code, 0) << "tmux " << args.front() << ": " << o.err;
}

void Terminal::Type(const std::string& text) {
  // tmux reads a `;` ending an argument as a command separator unless escaped.
  std::string keys = text;
  if (keys.ends_with(';')) {
    keys.pop_back();
    keys += "\\;";
  }
  Tmux({"send-keys", "-t", kSession, "-l", keys});
}

void Terminal::TypeAndWaitForEcho(const std::string& text) {
  Type(text);
  WaitUntil([&](const std::vector<std::string>& lines) { return !lines.empty() && lines.back().ends_with(text); },
            "the echo of `" + text + "`");
}

void Terminal::Press(const std::string& key) { Tmux({"send-keys", "-t", kSession, key}); }

std::vector<std::string> Terminal::Lines(bool escapes) const {
  std::vector<std::string> args = {"-u", "-S", socket_, "capture-pane", "-p",
                                   "-J", "-S", "-",     "-t",           kSession};
  if (escapes) args.push_back("-e");
  const e2e::Outcome o = e2e::RunProgram(DOCKET_TMUX, args);
  std::vector<std::string> lines;
  std::istringstream in(o.out);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::string> Terminal::WaitUntil(
    const std::function<bool(const std::vector<std::string>&)>& done, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  std::vector<std::string> lines = Lines();
  while (!done(lines)) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "timed out waiting for " << what << "\n--- screen\n" << Joined(lines);
      return lines;
    }
    std::this_thread::sleep_for(kPoll);
    lines = Lines();
  }
  return lines;
}

std::vector<std::string> Terminal::WaitFor(const std::string& text) {
  return WaitUntil(
      [&](const std::vector<std::string>& lines) {
        for (const auto& line : lines)
          if (line.find(text) != std::string::npos) return true;
        return false;
      },
      "`" + text + "`");
}

void Terminal::WaitForPrompt() {
  WaitUntil([](const std::vector<std::string>& lines) { return !PromptLines(lines).empty(); },
            "the first prompt");
}

Reply Terminal::Submit(const std::string& key) {
  const size_t before = PromptLines(Lines()).size();
  Press(key);
  const std::vector<std::string> lines = WaitUntil(
      [&](const std::vector<std::string>& now) {
        const std::vector<size_t> prompts = PromptLines(now);
        return prompts.size() > before && prompts.back() + 1 == now.size();
      },
      "a new prompt after " + key);
  const std::vector<size_t> prompts = PromptLines(lines);
  Reply reply;
  if (before == 0 || prompts.size() <= before) return reply;
  for (size_t i = prompts[before - 1] + 1; i < prompts[before]; ++i)
    reply.output += lines[i] + "\n";
  reply.prompt = lines[prompts[before]];
  return reply;
}

Reply Terminal::Enter(const std::string& line) {
  Type(line);
  return Submit("Enter");
}

}  // namespace docket::shell_test
