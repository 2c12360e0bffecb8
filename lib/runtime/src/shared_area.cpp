#include "shared_area.hpp"

#include <algorithm>
#include <cerrno>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace taskfit::detail {

SharedArea::~SharedArea() {
  unmap();
  if (fd_ >= 0)
    ::close(fd_);
}

void SharedArea::unmap() noexcept {
  if (data_ != nullptr)
    ::munmap(data_, mapped_);
  data_ = nullptr;
  mapped_ = populated_ = 0;
}

bool SharedArea::map(std::size_t size) {
  unmap();
  void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (mapped == MAP_FAILED)
    return false;
  data_ = static_cast<char*>(mapped);
  mapped_ = size;
  return true;
}

bool SharedArea::populate(std::size_t size, int advice) noexcept {
  if (size <= populated_)
    return true;
  // One call maps in every page of the payload, where touching them one by one would fault on
  // each (a 1 MiB payload: 256 faults). Where the kernel lacks it (EINVAL), the faults happen
  // instead.
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t end = std::min((size + page - 1) / page * page, mapped_);
  if (::madvise(data_ + populated_, end - populated_, advice) != 0 && errno != EINVAL)
    return false;
  populated_ = end;
  return true;
}

char* SharedArea::reserve(std::size_t size) {
  // A memory area the kernel cannot fill (out of memory, a full tmpfs) is refused here, where the
  // payload can still take the socket, rather than killing the writer with SIGBUS as it writes.
  if (!grow(size) || !populate(size, MADV_POPULATE_WRITE))
    return nullptr;
  return data_;
}

bool SharedArea::grow(std::size_t size) {
  if (fd_ < 0)
    fd_ = ::memfd_create("taskfit-payload", MFD_CLOEXEC);
  if (fd_ < 0)
    return false;
  if (size <= mapped_)
    return true;
  // Doubling: a payload written piece by piece, or growing a little each time, is not remapped
  // for every piece.
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t grown = std::max(size, 2 * mapped_);
  grown = (grown + page - 1) / page * page;
  if (::ftruncate(fd_, static_cast<off_t>(grown)) != 0)
    return false;
  if (data_ == nullptr)
    return map(grown);
  // mremap moves the page tables along: what was written is not faulted in again.
  void* moved = ::mremap(data_, mapped_, grown, MREMAP_MAYMOVE);
  if (moved == MAP_FAILED)
    return false;
  data_ = static_cast<char*>(moved);
  mapped_ = grown;
  return true;
}

std::uint64_t SharedArea::identity() const noexcept {
  if (identity_ == 0)
    identity_ = identity_of(fd_);
  return identity_;
}

std::uint64_t SharedArea::identity_of(int fd) noexcept {
  struct stat status{};
  if (fd < 0 || ::fstat(fd, &status) != 0)
    return 0;
  return static_cast<std::uint64_t>(status.st_ino);
}

void SharedArea::adopt(int fd) {
  unmap();
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = fd;
  identity_ = 0;
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
  populate(size, MADV_POPULATE_READ);
  return data_;
}

} // namespace taskfit::detail
