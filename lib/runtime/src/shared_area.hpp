// A growable memory area that a process pool and one of its workers share, for payloads too large
// for their socket: the writer serializes the payload into it and sends only its size (and, the
// first time, the area's descriptor); the reader reads it where it is. The socket would cost two
// kernel copies and, the payload being many times its buffer, a wake-up of each side per
// buffer-full. Internal.
#pragma once

#include <cstddef>
#include <cstdint>

namespace taskfit::detail {

class SharedArea {
public:
  SharedArea() = default;
  SharedArea(const SharedArea&) = delete;
  SharedArea& operator=(const SharedArea&) = delete;
  ~SharedArea();

  // Writer: room for `size` bytes at the start of the area, created or grown as needed (grown
  // areas keep their pages and contents: a reused area costs no page faults). Null when the kernel
  // refuses.
  char* reserve(std::size_t size);
  // Reader: takes the area's descriptor, as received from the writer.
  void adopt(int fd);
  // Reader: the first `size` bytes, mapped again if the writer has grown the area; null when the
  // area is missing or smaller.
  const char* view(std::size_t size);

  int fd() const noexcept { return fd_; }
  // What names the area across processes (its inode), 0 if it has none yet. Looked up once.
  std::uint64_t identity() const noexcept;
  // The identity of the area `fd` is a descriptor of, 0 if it cannot be told.
  static std::uint64_t identity_of(int fd) noexcept;
  char* data() const noexcept { return data_; }
  std::size_t capacity() const noexcept { return mapped_; }

private:
  bool grow(std::size_t size);
  bool map(std::size_t size);
  void unmap() noexcept;
  // Maps in the pages of the first `size` bytes at once (madvise `advice`); false when the
  // kernel cannot provide them.
  bool populate(std::size_t size, int advice) noexcept;

  int fd_ = -1;
  char* data_ = nullptr;
  std::size_t mapped_ = 0;
  std::size_t populated_ = 0; // reader: bytes whose pages are mapped in already
  mutable std::uint64_t identity_ = 0;
};

} // namespace taskfit::detail
