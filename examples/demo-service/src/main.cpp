#include "server.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  unsigned short port = argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 7379;
  asio::io_context io;
  asio::thread_pool background(2);
  kv::Store store;
  kv::AuditLog audit("kv-demo-audit.log");
  kv::ReplicationLog replication(argc > 2 ? argv[2] : nullptr);
  kv::ServerContext ctx{store, audit, replication, background, "greeting.txt"};
  asio::post(background, [&replication] { replication.ship(kv::Heartbeat{0, 0}); });

  // Defect: this handler runs on the event loop, and AuditLog::append writes a file.
  asio::post(io, [&audit] { audit.append("server started"); });

  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
  asio::co_spawn(io, kv::listen(std::move(acceptor), ctx), asio::detached);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](std::error_code, int) {
    io.stop();
    // Correct: the shutdown record goes to the background pool.
    asio::post(background, [&audit] { audit.append("server stopped"); });
  });

  std::printf("kv-demo listening on 127.0.0.1:%u\n", port);
  io.run();
  background.join();
}
