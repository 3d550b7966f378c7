#include "common/receive_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace vigil {

ReceiveBuffer::~ReceiveBuffer() {
  if (data_ != nullptr) munmap(data_, size_);
}

ReceiveBuffer::ReceiveBuffer(ReceiveBuffer&& other) noexcept
    : size_(other.size_), data_(std::exchange(other.data_, nullptr)) {}

ReceiveBuffer& ReceiveBuffer::operator=(ReceiveBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) munmap(data_, size_);
    size_ = other.size_;
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}

char* ReceiveBuffer::data() {
  if (data_ == nullptr) {
    // Anonymous pages: the kernel backs only those a message writes.
    void* mapped = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped != MAP_FAILED) data_ = static_cast<char*>(mapped);
  }
  return data_;
}

void ReceiveBuffer::Release(size_t used) {
  if (data_ == nullptr || used <= kKeptBytes) return;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t end = std::min(size_, (used + page - 1) / page * page);
  // kKeptBytes is a multiple of the page size, so the range starts on one.
  (void)madvise(data_ + kKeptBytes, end - kKeptBytes, MADV_DONTNEED);
}

}  // namespace vigil
