// Errors as values: every fallible call in storage and query returns a
// Status or a Result<T>. Only cli turns them into messages and exit codes.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace docket {

// What went wrong, in the terms of the command line's exit codes (spec §5).
enum class ErrorKind {
  kUsage,     // bad command line (64)
  kInput,     // bad input: parse error, unknown name, bad CSV, invalid value (65)
  kNotFound,  // archive or input file not found (66)
  kIo,        // I/O or storage error (74)
  kLocked,    // archive locked by another writer (75)
};

// Where in a script an error points: a byte offset into one piece of
// script text (query/ast.h: Piece). cli turns it into line and column.
struct Place {
  bool set = false;
  size_t piece = 0;
  size_t offset = 0;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Error(ErrorKind kind, std::string message, Place place = {}) {
    Status s;
    s.ok_ = false;
    s.kind_ = kind;
    s.message_ = std::move(message);
    s.place_ = place;
    return s;
  }
  static Status Input(std::string message, Place place = {}) {
    return Error(ErrorKind::kInput, std::move(message), place);
  }
  static Status Io(std::string message) { return Error(ErrorKind::kIo, std::move(message)); }

  bool ok() const { return ok_; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const Place& place() const { return place_; }

 private:
  bool ok_ = true;
  ErrorKind kind_ = ErrorKind::kIo;
  std::string message_;
  Place place_;
};

// A value or the Status that explains its absence.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return v_.index() == 0; }
  const Status& status() const { return std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

// A reference or the Status that explains its absence. What it refers to
// lives as long as the function that returned it says.
template <class T>
class [[nodiscard]] Result<T&> {
 public:
  Result(T& value) : v_(&value) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return v_.index() == 0; }
  const Status& status() const { return std::get<Status>(v_); }
  T& value() const { return *std::get<T*>(v_); }
  T* operator->() const { return &value(); }
  T& operator*() const { return value(); }

 private:
  std::variant<T*, Status> v_;
};

}  // namespace docket

// Returns from the enclosing function if `expr` yields a failed Status.
#define DOCKET_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::docket::Status docket_s_ = (expr);    \
    if (!docket_s_.ok()) return docket_s_;  \
  } while (false)
