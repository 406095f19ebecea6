// The HTTP server (cli/server/http_server.h) on a real socket with handlers
// of the test's own: a streamed answer whose writer is waiting must not
// hold up the other connections of its event loop, and the server must
// stop while such a stream waits.

#include "cli/server/http_server.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>

namespace docket::cli::server {
namespace {

// A gate the test opens once; writers wait at it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = false;
};

// One event loop. GET /slow streams "first," then waits at `gate`, then
// "second"; GET /big streams 64 MiB in one piece, then waits at `gate`;
// any other path answers "fast".
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.host = "127.0.0.1";
    options.threads = 1;
    options.max_body_bytes = 1 << 20;
    auto server = HttpServer::Start(
        options,
        [this](const Request& req) {
          Response res;
          if (req.path != "/slow" && req.path != "/big") {
            res.SetBody("fast", "text/plain");
            return res;
          }
          res.SetHeader("Content-Type", "text/plain");
          if (req.path == "/slow") {
            res.stream = [this](const BodyWriter& out) {
              if (!out("first,")) return false;
              gate_.Wait();
              return out("second");
            };
          } else {
            res.stream = [this](const BodyWriter& out) {
              if (!out(std::string(64 << 20, 'x'))) return false;
              gate_.Wait();
              return out("end");
            };
          }
          return res;
        },
        [](const Request&, int, size_t) {});
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }

  // GET /slow on a thread of its own; `first` is set once "first," arrived.
  std::future<std::string> GetSlow(std::promise<void>& first) {
    return std::async(std::launch::async, [this, &first] {
      httplib::Client client("127.0.0.1", server_->port());
      client.set_read_timeout(60, 0);
      std::string body;
      bool told = false;
      client.Get("/slow", [&](const char* data, size_t n) {
        body.append(data, n);
        if (!told) first.set_value();
        told = true;
        return true;
      });
      if (!told) first.set_value();
      return body;
    });
  }

  // GET /fast on a connection of its own: "" when the loop answered it,
  // else what came instead. The read timeout only turns a blocked loop
  // into a failure, not a hang.
  std::string FastAnswerProblem() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(20, 0);
    auto fast = client.Get("/fast");
    if (fast && fast->status == 200 && fast->body == "fast") return "";
    return fast ? fast->body : httplib::to_string(fast.error());
  }

  Gate gate_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AStreamWaitingForItsWriterDoesNotHoldUpItsLoop) {
  std::promise<void> first;
  auto slow = GetSlow(first);
  first.get_future().wait();
  // The one loop answers another connection while the stream waits.
  const std::string problem = FastAnswerProblem();
  gate_.Open();
  EXPECT_EQ(problem, "");
  EXPECT_EQ(slow.get(), "first,second");
}

TEST_F(HttpServerTest, AClientLeavingWhileItsWriterIsBusyDoesNotHoldUpTheLoop) {
  // The client reads the start of /big and goes away while the server
  // still has most of it to send, so the loop sees the connection fail
  // and lets the answer go while its writer waits at the gate.
  {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(20, 0);
    size_t received = 0;
    auto big = client.Get("/big", [&](const char*, size_t n) {
      received += n;
      return false;
    });
    ASSERT_GT(received, 0u) << httplib::to_string(big.error());
  }
  // The one loop answers the next connection: letting the answer go does
  // not wait for the writer.
  const std::string problem = FastAnswerProblem();
  gate_.Open();
  EXPECT_EQ(problem, "");
}

TEST_F(HttpServerTest, TheServerStopsWhileAStreamWaitsForItsWriter) {
  std::promise<void> first;
  auto slow = GetSlow(first);
  first.get_future().wait();
  // Stopping ends the waiting stream: the client sees its answer cut off,
  // and only then does the writer go on (its next piece fails).
  std::thread stopper([&] { server_->Stop(0); });
  const std::string body = slow.get();
  gate_.Open();
  stopper.join();
  EXPECT_EQ(body, "first,");
}

}  // namespace
}  // namespace docket::cli::server
