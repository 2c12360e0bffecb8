// Real Asio: which handlers run on the event loop and which are offloaded.
#include <asio.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

void write_report(const std::string& text) {
  std::ofstream out("report.txt");
  out << text;
}

void wire(asio::io_context& io, asio::thread_pool& pool, asio::ip::tcp::socket& socket,
          asio::steady_timer& timer, std::string& buffer) {
  // On the loop: posted to the io_context, its executor, a strand.
  asio::post(io, [] { write_report("posted"); });
  asio::post(io.get_executor(), [] { std::this_thread::sleep_for(std::chrono::seconds(1)); });
  auto strand = asio::make_strand(io);
  asio::dispatch(strand, [] { write_report("strand"); });
  // On the loop: completion handlers of asynchronous operations.
  timer.async_wait([](std::error_code) { write_report("timer"); });
  asio::async_read(socket, asio::buffer(buffer), [](std::error_code, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });

  // Offloaded: the thread pool is where blocking work belongs.
  asio::post(pool, [] { write_report("pool"); });
  asio::post(pool.get_executor(), [] { std::this_thread::sleep_for(std::chrono::seconds(1)); });
  // Non-blocking forms on the loop are fine.
  asio::post(io, [] { std::this_thread::sleep_for(std::chrono::seconds(0)); });
}

asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
  char data[512];
  // Correct: asynchronous read.
  std::size_t n = co_await socket.async_read_some(asio::buffer(data), asio::use_awaitable);
  // Defect: a synchronous write on the loop.
  asio::write(socket, asio::buffer(data, n));
  // Offloaded with co_spawn onto a pool's executor? The body is still a coroutine.
  co_return;
}
