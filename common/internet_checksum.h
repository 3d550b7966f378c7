#pragma once

#include <cstdint>
#include <span>

namespace vigil {

// RFC 1071: the one's complement sum of 16-bit words (an odd last byte is
// padded with zero), unfolded so that pseudo-headers can be summed first.
inline uint32_t SumWords(std::span<const uint8_t> data, uint32_t sum = 0) {
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2)
    sum += (uint32_t{data[i]} << 8) | data[i + 1];
  if (i < data.size()) sum += uint32_t{data[i]} << 8;
  return sum;
}

// Folded and complemented: what goes in a checksum field (0 when verifying).
inline uint16_t InternetChecksum(std::span<const uint8_t> data,
                                 uint32_t initial_sum = 0) {
  uint32_t sum = SumWords(data, initial_sum);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace vigil
