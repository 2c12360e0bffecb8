#include "store.h"

#include <asio.hpp>

namespace ledger {
asio::awaitable<void> session(asio::ip::tcp::socket socket, Store& store);
}

int main() {
  asio::io_context io;
  ledger::Store store;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::ip::tcp::acceptor acceptor(io, {asio::ip::tcp::v4(), 7070});
        for (;;)
          asio::co_spawn(
              io, ledger::session(co_await acceptor.async_accept(asio::use_awaitable), store),
              asio::detached);
      },
      asio::detached);
  io.run();
}
