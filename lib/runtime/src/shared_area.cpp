#include "shared_area.hpp"

#include <algorithm>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace taskfit::detail {

SharedArea::~SharedArea() {
  if (data_ != nullptr)
    ::munmap(data_, mapped_);
  if (fd_ >= 0)
    ::close(fd_);
}

bool SharedArea::map(std::size_t size) {
  if (data_ != nullptr)
    ::munmap(data_, mapped_);
  void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (mapped == MAP_FAILED) {
    data_ = nullptr;
    mapped_ = 0;
    return false;
  }
  data_ = static_cast<char*>(mapped);
  mapped_ = size;
  return true;
}

char* SharedArea::reserve(std::size_t size) {
  if (fd_ < 0)
    fd_ = ::memfd_create("taskfit-payload", MFD_CLOEXEC);
  if (fd_ < 0)
    return nullptr;
  if (size > mapped_) {
    // Doubling: a payload that grows a little each time does not remap each time.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::size_t grown = std::max(size, 2 * mapped_);
    grown = (grown + page - 1) / page * page;
    if (::ftruncate(fd_, static_cast<off_t>(grown)) != 0 || !map(grown))
      return nullptr;
  }
  return data_;
}

void SharedArea::adopt(int fd) {
  if (data_ != nullptr)
    ::munmap(data_, mapped_);
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = fd;
  data_ = nullptr;
  mapped_ = 0;
}

const char* SharedArea::view(std::size_t size) {
  if (fd_ < 0)
    return nullptr;
  if (size > mapped_) {
    struct stat status{};
    if (::fstat(fd_, &status) != 0 || static_cast<std::size_t>(status.st_size) < size ||
        !map(static_cast<std::size_t>(status.st_size)))
      return nullptr;
  }
  return data_;
}

} // namespace taskfit::detail
