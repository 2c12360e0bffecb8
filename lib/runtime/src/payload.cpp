#include "taskfit/runtime/detail/payload.hpp"

#include "shared_area.hpp"

#include <cstring>
#include <utility>

namespace taskfit::detail {

Payload::Payload() noexcept = default;
Payload::~Payload() = default;

Payload::Payload(Payload&& other) noexcept
    : bytes_(std::move(other.bytes_)), area_(std::move(other.area_)),
      area_size_(std::exchange(other.area_size_, 0)),
      in_area_(std::exchange(other.in_area_, false)) {
  other.bytes_.clear();
}

Payload& Payload::operator=(Payload&& other) noexcept {
  bytes_ = std::move(other.bytes_);
  other.bytes_.clear();
  area_ = std::move(other.area_);
  area_size_ = std::exchange(other.area_size_, 0);
  in_area_ = std::exchange(other.in_area_, false);
  return *this;
}

std::string_view Payload::bytes() const noexcept {
  if (in_area_)
    return {area_->data(), area_size_};
  return bytes_;
}

void Payload::clear() noexcept {
  bytes_.clear();
  area_size_ = 0;
  in_area_ = false;
}

std::unique_ptr<SharedArea> Payload::take_area() noexcept {
  if (in_area_)
    clear();
  return std::move(area_);
}

void Payload::give_area(std::unique_ptr<SharedArea> area) noexcept {
  if (!in_area_)
    area_ = std::move(area);
}

bool PayloadWriter::spill(std::size_t more) {
  if (!payload_.area_)
    payload_.area_ = std::make_unique<SharedArea>();
  const std::size_t size = payload_.bytes_.size();
  char* area = payload_.area_->reserve(size + more);
  if (area == nullptr) {
    may_spill_ = false; // the kernel refused: the socket carries this one
    return false;
  }
  std::memcpy(area, payload_.bytes_.data(), size);
  payload_.area_size_ = size;
  payload_.in_area_ = true;
  payload_.bytes_.clear();
  return true;
}

std::streamsize PayloadWriter::xsputn(const char* data, std::streamsize count) {
  const auto size = static_cast<std::size_t>(count);
  if (!payload_.in_area_) {
    if (!may_spill_ || payload_.bytes_.size() + size < shared_area_threshold || !spill(size)) {
      payload_.bytes_.append(data, size);
      return count;
    }
  }
  char* area = payload_.area_->reserve(payload_.area_size_ + size);
  if (area == nullptr) {
    // The kernel will not grow the area: the bytes go back to memory of their own, and the
    // socket carries them.
    payload_.bytes_.assign(payload_.area_->data(), payload_.area_size_);
    payload_.area_size_ = 0;
    payload_.in_area_ = false;
    may_spill_ = false;
    payload_.bytes_.append(data, size);
    return count;
  }
  std::memcpy(area + payload_.area_size_, data, size);
  payload_.area_size_ += size;
  return count;
}

PayloadWriter::int_type PayloadWriter::overflow(int_type c) {
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    const char byte = traits_type::to_char_type(c);
    xsputn(&byte, 1);
  }
  return traits_type::not_eof(c);
}

} // namespace taskfit::detail
