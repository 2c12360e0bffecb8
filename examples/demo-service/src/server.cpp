// The protocol: one command per line.
//   GET <key>          -> the value, or "(nil)"
//   PUT <key> <value>  -> "OK"
//   DIGEST             -> a checksum of the whole store
//   QUIT
#include "server.h"

#include "config.h"

#include <chrono>
#include <sstream>
#include <thread>

namespace kv {

namespace {

using namespace std::chrono_literals;

std::string execute(Store& store, const std::string& line) {
  std::istringstream words(line);
  std::string verb, key, value;
  words >> verb >> key;
  if (verb == "GET") {
    auto found = store.get(key);
    return found ? *found : "(nil)";
  }
  if (verb == "DIGEST") {
    // Defect: hashes the whole store on the event loop; a large store stalls every session.
    return std::to_string(store.digest());
  }
  if (verb == "PUT" && std::getline(words >> std::ws, value)) {
    store.put(key, value);
    return "OK";
  }
  return "ERR unknown command";
}

asio::awaitable<void> session(asio::ip::tcp::socket socket, ServerContext& ctx) {
  // Defect: reads a file on the event loop, through a helper in another file.
  std::string greeting = load_greeting(ctx.greeting_path) + "\n";
  co_await asio::async_write(socket, asio::buffer(greeting), asio::use_awaitable);

  std::string buffer;
  std::uint64_t sequence = 0;
  auto last = std::chrono::steady_clock::now();
  for (;;) {
    std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), '\n',
                                                    asio::use_awaitable);
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (line == "QUIT")
      break;

    auto now = std::chrono::steady_clock::now();
    if (now - last < 10ms) {
      // Defect: throttling a fast client by sleeping blocks every session.
      std::this_thread::sleep_for(10ms);
    }
    last = now;

    std::string reply = execute(ctx.store, line) + "\n";
    co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);

    // Correct: the audit trail is written on the background pool.
    asio::post(ctx.background, [&audit = ctx.audit, line] { audit.append("cmd " + line); });
    if (line.rfind("PUT ", 0) == 0) {
      Change change{++sequence, line.substr(4), ""};
      asio::post(ctx.background, [&log = ctx.replication, change] { log.ship(change); });
    }
  }
}

} // namespace

asio::awaitable<void> listen(asio::ip::tcp::acceptor acceptor, ServerContext& ctx) {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    std::error_code ec;
    auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      // Correct: waiting without blocking the loop.
      backoff.expires_after(100ms);
      co_await backoff.async_wait(asio::use_awaitable);
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), ctx), asio::detached);
  }
}

} // namespace kv
