// seeds/003 "Producer-Consumer with asyncio": two producers, two consumers, a bounded queue and
// one end-of-stream marker per producer.
#include "workloads.hpp"

#include <cstdio>
#include <optional>
#include <random>
#include <string>

namespace {

using Item = std::optional<std::string>; // nullopt: the producer is done (Python's None)

taskfit::Task<void> producer(taskfit::Queue<Item>& queue, int producer_id, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> production_ms(1, 5);
  for (int i = 0; i < 5; ++i) {
    co_await taskfit::sleep(std::chrono::milliseconds(production_ms(random)));
    std::string item = "Producer-" + std::to_string(producer_id) + "-Item-" + std::to_string(i);
    co_await queue.put(item); // waits while the queue is full: back-pressure
    std::printf("Produced: %s\n", item.c_str());
  }
  co_await queue.put(std::nullopt);
}

taskfit::Task<int> consumer(taskfit::Queue<Item>& queue, int consumer_id, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> processing_ms(1, 3);
  int processed = 0;
  for (;;) {
    Item item = co_await queue.get();
    if (!item) {
      queue.task_done();
      break;
    }
    co_await taskfit::sleep(std::chrono::milliseconds(processing_ms(random)));
    std::printf("Consumer-%d processed: %s\n", consumer_id, item->c_str());
    ++processed;
    queue.task_done();
  }
  co_return processed;
}

taskfit::Task<int> producer_consumer_demo() {
  taskfit::Queue<Item> queue(10);
  auto [p1, p2, c1, c2] = co_await taskfit::gather(producer(queue, 1, 1), producer(queue, 2, 2),
                                                   consumer(queue, 1, 3), consumer(queue, 2, 4));
  co_return c1 + c2;
}

} // namespace

int main() {
  int processed = taskfit::run(producer_consumer_demo());
  std::printf("processed %d items\n", processed);
  return processed == 10 ? 0 : 1;
}
