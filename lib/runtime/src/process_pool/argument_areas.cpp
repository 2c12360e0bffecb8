#include "process_pool/argument_areas.hpp"

#include "wire.hpp"

#include <utility>

namespace taskfit::detail {

void ArgumentAreas::lend_spare(Payload& payload) {
  if (spares_.empty())
    return;
  spares_size_ -= spares_.back()->capacity();
  payload.give_area(std::move(spares_.back()));
  spares_.pop_back();
}

void ArgumentAreas::count_in(const Payload& arguments) noexcept {
  if (arguments.in_shared_area())
    in_use_.fetch_add(1, std::memory_order_relaxed);
}

void ArgumentAreas::count_out(Payload& arguments,
                              std::vector<std::unique_ptr<SharedArea>>& reusable) {
  if (arguments.in_shared_area())
    in_use_.fetch_sub(1, std::memory_order_relaxed);
  if (auto area = arguments.take_area())
    reusable.push_back(std::move(area));
}

// A new area costs a memfd, a mapping and a fault for every page written, and the workers'
// mappings of a reused one are already there (a map of 20 chunks of 200 KB made 20 new areas each
// time).
void ArgumentAreas::keep(std::vector<std::unique_ptr<SharedArea>>& areas) {
  for (auto& area : areas)
    if (spares_size_ + area->capacity() <= max_reused_area_size) {
      spares_size_ += area->capacity();
      spares_.push_back(std::move(area));
    }
}

} // namespace taskfit::detail
