// A growable memory area that a process pool and one of its workers share, for payloads too large
// for their socket: the writer copies the payload in and sends only its size; the reader reads it
// where it is. The socket would cost two kernel copies and, the payload being many times its
// buffer, a wake-up of each side per buffer-full. Internal.
#pragma once

#include <cstddef>

namespace taskfit::detail {

// Payloads from this size on go through the area (smaller ones are cheaper on the socket).
inline constexpr std::size_t shared_area_threshold = 64 * 1024;

class SharedArea {
public:
  SharedArea() = default;
  SharedArea(const SharedArea&) = delete;
  SharedArea& operator=(const SharedArea&) = delete;
  ~SharedArea();

  // Writer: room for `size` bytes at the start of the area, created or grown as needed (grown
  // areas keep their pages: a reused area costs no page faults). Null when the kernel refuses.
  char* reserve(std::size_t size);
  // Reader: takes the area's descriptor, as received from the writer.
  void adopt(int fd);
  // Reader: the first `size` bytes, remapped if the writer has grown the area; null when the
  // area is missing or smaller.
  const char* view(std::size_t size);

  int fd() const noexcept { return fd_; }

private:
  bool map(std::size_t size);

  int fd_ = -1;
  char* data_ = nullptr;
  std::size_t mapped_ = 0;
};

} // namespace taskfit::detail
