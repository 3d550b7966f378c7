#pragma once

#include <cstddef>

namespace vigil {

// Room for the largest message a channel accepts, mapped on first use. Only
// the pages a message wrote are resident, and after an exceptional message
// (the setup of a thousand instances) those beyond the first kKeptBytes go
// back to the kernel: otherwise one large message would cost its size for
// the rest of the process's life, in every process that received it.
class ReceiveBuffer {
 public:
  // Above every routine message (a state summary of 1,000 instances is
  // ~20 kB, and goes to the agent only); 64 kB cost the brain and the
  // checker 60 kB each after a setup of 1,000 instances.
  static constexpr size_t kKeptBytes = 16 << 10;

  explicit ReceiveBuffer(size_t size) : size_(size) {}
  ~ReceiveBuffer();
  ReceiveBuffer(ReceiveBuffer&& other) noexcept;
  ReceiveBuffer& operator=(ReceiveBuffer&& other) noexcept;

  // nullptr if the buffer cannot be mapped (errno says why).
  char* data();
  size_t size() const { return size_; }

  // The message of `used` bytes in the buffer has been read.
  void Release(size_t used);

 private:
  size_t size_;
  char* data_ = nullptr;
};

}  // namespace vigil
