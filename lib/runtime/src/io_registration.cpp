#include "taskfit/runtime/detail/io_registration.hpp"

#include "event_loop_impl.hpp"

namespace taskfit::detail {

IoRegistration::IoRegistration(EventLoop& loop, int fd)
    : loop_(loop), fd_(fd), id_(loop.impl().next_registration_id++) {
  loop.impl().poller->add(*this);
}

IoRegistration::~IoRegistration() {
  loop_.impl().poller->remove(*this);
  readable_ = writable_ = true;
  wake_all(readers_);
  wake_all(writers_);
}

void IoRegistration::on_ready(bool readable, bool writable, bool hung_up) noexcept {
  hung_up_ = hung_up_ || hung_up;
  if (readable) {
    readable_ = true;
    wake_all(readers_);
  }
  if (writable) {
    writable_ = true;
    wake_all(writers_);
  }
}

} // namespace taskfit::detail
