#include "store.h"

#include <asio.hpp>

namespace ledger {
// One client: every line is "key amount"; the reply is the new balance.
asio::awaitable<void> session(asio::ip::tcp::socket socket, Store& store) {
  std::string buffer;
  for (;;) {
    auto n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), '\n',
                                             asio::use_awaitable);
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    auto space = line.find(' ');
    store.put(line.substr(0, space), std::stol(line.substr(space + 1)));
    std::string reply = std::to_string(store.balance(line.substr(0, space))) + "\n";
    co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
  }
}
} // namespace ledger
