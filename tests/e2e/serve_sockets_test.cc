// `docket serve` against clients that misbehave or crowd it, on raw
// sockets: idle connections by the thousand, a slow client, a half-closed
// connection, bodies longer or shorter than announced. The server must
// answer the others, never crash, and never write a request it did not
// receive whole.
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/serve_harness.h"

namespace docket::e2e {
namespace {

constexpr char kSeed[] = R"(
define charge treason;
define source RTVI;
record treason[2024] = 145 from RTVI on 2025-04;
)";

// A connected TCP socket to the server, closed with the object.
class Socket {
 public:
  explicit Socket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = -1;
    }
  }
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }

  bool ok() const { return fd_ >= 0; }
  bool Send(const std::string& text) const {
    for (size_t done = 0; done < text.size();) {
      const ssize_t n = ::send(fd_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  void CloseWrite() const { ::shutdown(fd_, SHUT_WR); }
  // One answer with a Content-Length: its status line, headers and body
  // (a minute without a byte, or the connection closing early, ends it
  // short, which fails the caller's checks instead of hanging the test).
  std::string ReadAnswer() const {
    std::string out;
    size_t want = std::string::npos;
    char buffer[4096];
    while (out.size() < want) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 60'000) <= 0) return out + "<no answer within a minute>";
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
      const size_t end = out.find("\r\n\r\n");
      if (want == std::string::npos && end != std::string::npos) {
        std::string head = out.substr(0, end);
        for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const size_t length = head.find("content-length: ");
        want = end + 4 + (length == std::string::npos ? 0 : std::stoul(head.substr(length + 16)));
      }
    }
    return out;
  }

 private:
  int fd_;
};

std::string HealthRequest() { return "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"; }

// The status line and body of an answer.
void ExpectOk(const std::string& answer) {
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 3), "ok\n") << answer;
}

std::string TokenFile(const Docket& d) { return d.WriteFile("token", "s3cret-token\n"); }

class ServeSocketsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(FailureOf(d.Query(kSeed)), ""); }
  Docket d;
};

TEST_F(ServeSocketsTest, TenThousandIdleConnectionsDoNotStarveANewClient) {
  constexpr size_t kIdle = 10'000;
  // Descriptors for the idle sockets here, and for the server (which
  // inherits the limits and raises its soft limit to the hard one); as
  // root the hard limit may rise too.
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max < 2 * kIdle) {
    rlimit raised{2 * kIdle, 2 * kIdle};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  limit.rlim_cur = limit.rlim_max;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GE(limit.rlim_cur, kIdle + 1024) << "this test needs more than 10,000 descriptors";

  Server s(d);
  std::vector<Socket> idle;
  idle.reserve(kIdle);
  for (size_t i = 0; i < kIdle; ++i) {
    idle.emplace_back(s.port());
    ASSERT_TRUE(idle.back().ok()) << "connection " << i;
  }
  // A fresh client is answered while all of them stay open…
  Socket fresh(s.port());
  ASSERT_TRUE(fresh.Send(HealthRequest()));
  ExpectOk(fresh.ReadAnswer());
  // … and so are the first and the last idle one, which were not dropped.
  for (const Socket* c : {&idle.front(), &idle.back()}) {
    ASSERT_TRUE(c->Send(HealthRequest()));
    ExpectOk(c->ReadAnswer());
  }
}

TEST_F(ServeSocketsTest, ASlowClientIsAnsweredWhileOthersAreServed) {
  Server s(d, {"--threads", "1"});
  Socket slow(s.port());
  const std::string request = HealthRequest();
  auto others = s.Client();
  // A few bytes at a time; between two pieces another client is answered.
  for (size_t at = 0; at < request.size(); at += 5) {
    ASSERT_TRUE(slow.Send(request.substr(at, 5)));
    auto r = others.Get("/healthz");
    ASSERT_TRUE(r) << "answered while a request is half sent";
    EXPECT_EQ(r->status, 200);
  }
  ExpectOk(slow.ReadAnswer());
}

TEST_F(ServeSocketsTest, AHalfClosedConnectionIsStillAnswered) {
  Server s(d);
  Socket c(s.port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"));
  c.CloseWrite();
  ExpectOk(c.ReadAnswer());
}

TEST_F(ServeSocketsTest, ABodyLongerThanItsContentLengthWritesNothingAndTheServerGoesOn) {
  Server s(d, {"--token-file", TokenFile(d)});
  const std::string before = d.Fingerprint();
  // Content-Length covers `treason[2024]` (a read); the rest, a write, is
  // not part of the request: at most the start of a malformed next one.
  const std::string body = "treason[2024]; define charge bribery";
  Socket c(s.port());
  ASSERT_TRUE(c.Send("POST /api/v1/script HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer s3cret-token\r\n"
                     "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n" +
                     body));
  c.CloseWrite();
  const std::string answer = c.ReadAnswer();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"value\":\"145\""), std::string::npos) << answer;
  auto after = s.Client().Get("/healthz");
  ASSERT_TRUE(after) << "the server goes on";
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(d.Fingerprint(), before);
}

TEST_F(ServeSocketsTest, ABodyShorterThanItsContentLengthThenCloseWritesNothingAndTheServerGoesOn) {
  // libmicrohttpd notices the abandoned request only at its idle timeout;
  // until then a graceful stop waits for it, at most --timeout.
  Server s(d, {"--token-file", TokenFile(d), "--timeout", "1"});
  const std::string before = d.Fingerprint();
  {
    Socket c(s.port());
    ASSERT_TRUE(c.Send("POST /api/v1/script HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer s3cret-token\r\n"
                       "Content-Type: text/plain\r\nContent-Length: 100\r\n\r\ndefine charge bribery"));
  }  // closed: the rest of the body never comes
  auto after = s.Client().Get("/api/v1/export");
  ASSERT_TRUE(after) << "the server goes on";
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->body.find("bribery"), std::string::npos);
  EXPECT_EQ(d.Fingerprint(), before);
}

}  // namespace
}  // namespace docket::e2e
