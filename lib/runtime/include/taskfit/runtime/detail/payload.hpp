// The serialized arguments or result of a process-pool task. Small payloads are bytes of their
// own; from shared_area_threshold bytes on, serialization goes on straight into shared memory that
// the other process maps, so that a large payload is copied once in and once out (through the
// socket it would be copied twice more, and wake each side once per socket buffer-full).
#pragma once

#include <cstddef>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>

namespace taskfit::detail {

class SharedArea; // src/shared_area.hpp

// Payloads from this size on go through shared memory (smaller ones are cheaper on the socket).
inline constexpr std::size_t shared_area_threshold = 64 * 1024;

class Payload {
public:
  Payload() noexcept;
  Payload(Payload&&) noexcept;
  Payload& operator=(Payload&&) noexcept;
  ~Payload();

  // The bytes, wherever they are.
  std::string_view bytes() const noexcept;
  std::size_t size() const noexcept { return bytes().size(); }
  // True when the bytes are in area(), false when they are in memory of their own.
  bool in_shared_area() const noexcept { return in_area_; }
  // The shared area it writes large bytes into, if it has one yet.
  SharedArea* area() const noexcept { return area_.get(); }
  // Empty again; keeps its memory and its area for the next payload.
  void clear() noexcept;
  // Hands its area on to another payload (null if it has none) / takes one to write into.
  std::unique_ptr<SharedArea> take_area() noexcept;
  void give_area(std::unique_ptr<SharedArea> area) noexcept;

private:
  friend class PayloadWriter;
  std::string bytes_;
  std::unique_ptr<SharedArea> area_;
  std::size_t area_size_ = 0;
  bool in_area_ = false;
};

// A stream buffer that appends to a Payload: to its own bytes, then, once they reach
// shared_area_threshold and if `may_spill`, to its shared area (made when it has none). Where the
// kernel refuses shared memory, the bytes stay where they are and the socket carries them.
class PayloadWriter final : public std::streambuf {
public:
  PayloadWriter(Payload& payload, bool may_spill) noexcept
      : payload_(payload), may_spill_(may_spill) {}

protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int_type overflow(int_type c) override;

private:
  // Moves the bytes written so far into the shared area; false when it cannot.
  bool spill(std::size_t more);

  Payload& payload_;
  bool may_spill_;
};

} // namespace taskfit::detail
