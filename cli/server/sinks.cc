#include "cli/server/sinks.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/plugin_output.h"

namespace docket::cli::server {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// `docket: WHERE: message`, as stderr would show it, without the newline.
std::string MessageLine(std::string_view where, std::string_view message) {
  Diagnostic d;
  d.where = where;
  d.message = message;
  std::string text = FormatDiagnostic(d);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

bool Limits::AddRows(size_t n) {
  rows_ += n;
  return !too_many_rows();
}

Status Limits::Check() const {
  if (too_many_rows()) return Status::Io("too many rows");
  if (timed_out()) return Status::Io("timed out");
  return {};
}

MemoryFile::MemoryFile() : file_(::open_memstream(&buffer_, &size_)) {}

MemoryFile::~MemoryFile() {
  if (file_) std::fclose(file_);
  std::free(buffer_);
}

std::string_view MemoryFile::text() {
  std::fflush(file_);
  return {buffer_, size_};
}

void MemoryFile::Clear() {
  std::fflush(file_);
  std::rewind(file_);
  size_ = 0;
}

// The options TerminalOptions gives a file that is no terminal, without
// asking the system about a memory file on every request.
TextSink::TextSink(Format format, Limits* limits)
    : ConsoleOutput(memory.get(), RenderOptions{.format = format}, "standard output", PluginTiming::kAtScriptEnd),
      limits_(limits) {}

Status TextSink::Row(const std::vector<Cell>& cells) {
  if (!limits_->AddRows(1)) return limits_->Check();
  return ConsoleOutput::Row(cells);
}

void TextSink::Plot(const Table& rows) {
  if (limits_->AddRows(rows.rows.size())) ConsoleOutput::Plot(rows);
}

void TextSink::Message(std::string_view, std::string_view) {}

Status TextSink::Flush() {
  DOCKET_RETURN_IF_ERROR(ConsoleOutput::Flush());
  return limits_->Check();
}

std::string TextSink::body() { return std::string(memory.text()); }

JsonSink::JsonSink(const ast::Script& script, Limits* limits) : script_(script), limits_(limits) {}

std::string JsonSink::NextStatement() {
  while (next_ < script_.statements.size() && script_.statements[next_].writes()) ++next_;
  if (next_ >= script_.statements.size()) return "";
  const ast::Statement& st = script_.statements[next_++];
  const std::string& text = script_.pieces[st.span.piece].text;
  return text.substr(st.span.begin, st.span.end - st.span.begin);
}

void JsonSink::AddResult(const std::string& statement, const std::vector<std::string>& columns) {
  std::string_view rows = rows_.text();
  while (!rows.empty() && rows.back() == '\n') rows.remove_suffix(1);
  results_.push_back(fmt::format(R"({{"statement":{},"fields":{},"rows":{}}})", Dump(statement),
                                 Dump(Json(columns)), rows));
}

void JsonSink::Begin(const std::vector<std::string>& columns) {
  statement_ = NextStatement();
  columns_ = columns;
  rows_.Clear();
  writer_ = std::make_unique<ResultWriter>(rows_.get(), RenderOptions{Format::kJson});
  writer_->Begin(columns);
}

Status JsonSink::Row(const std::vector<Cell>& cells) {
  if (!limits_->AddRows(1)) return limits_->Check();
  return writer_->Row(cells);
}

void JsonSink::End() {
  writer_->End();
  writer_.reset();
  AddResult(statement_, columns_);
}

void JsonSink::Plot(const Table& rows) {
  const std::string statement = NextStatement();
  if (!limits_->AddRows(rows.rows.size())) return;
  rows_.Clear();
  ResultWriter(rows_.get(), RenderOptions{Format::kJson}).Write(rows);
  AddResult(statement, rows.columns);
}

void JsonSink::Check(std::string_view where, const CheckResult& result) {
  const std::string statement = NextStatement();
  report_.Add(result);
  if (result.kind == CheckResult::Kind::kCheck) {
    PluginReport own;
    own.Add(result);
    std::string text;
    for (const auto& line : own.RowLines()) text += (text.empty() ? "" : "\n") + line;
    results_.push_back(Dump(Json{{"statement", statement}, {"check", text}}));
  } else if (auto message = AssertMessage(result)) {
    results_.push_back(Dump(Json{{"statement", statement},
                                 {"assert", result.state == CheckState::kUnknown ? "unknown" : "failed"},
                                 {"message", MessageLine(where, *message)}}));
  }
}

void JsonSink::Message(std::string_view where, std::string_view message) {
  warnings_.push_back(MessageLine(where, message));
}

std::string JsonSink::Body(CheckState state, int exit_code) const {
  std::string out = R"({"results":[)";
  for (size_t i = 0; i < results_.size(); ++i) out += (i ? "," : "") + results_[i];
  out += "]";
  if (report_.has_check()) {
    std::string plugin;
    for (const auto& line : report_.Lines()) plugin += line + "\n";
    out += R"(,"check":)" + Dump(plugin);
  }
  out += fmt::format(R"(,"outcome":{},"exit_code":{},"warnings":{}}})", Dump(CheckStateName(state)), exit_code,
                     Dump(Json(warnings_)));
  return out + "\n";
}

}  // namespace docket::cli::server
