#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace vigil::brain {

class AdvertSocket;
class Instance;

// Where a received advert goes: (socket, VRID) to instance. A sorted
// vector, not a std::map: 24 bytes an instance instead of a 64-byte node,
// and a lookup reads one contiguous array.
// Runs in: brain.
class VridIndex {
 public:
  void Set(const AdvertSocket* socket, uint8_t vrid, Instance* instance) {
    Key key{socket, vrid};
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key, Before);
    if (it != entries_.end() && it->first == key) {
      it->second = instance;
    } else {
      entries_.insert(it, {key, instance});
    }
  }
  Instance* Find(const AdvertSocket* socket, uint8_t vrid) const {
    Key key{socket, vrid};
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key, Before);
    return it != entries_.end() && it->first == key ? it->second : nullptr;
  }
  void Erase(const Instance* instance) {
    std::erase_if(entries_,
                  [&](const Entry& entry) { return entry.second == instance; });
  }
  void Clear() { entries_.clear(); }

 private:
  using Key = std::pair<const AdvertSocket*, uint8_t>;
  using Entry = std::pair<Key, Instance*>;
  static bool Before(const Entry& entry, const Key& key) {
    return entry.first < key;
  }

  std::vector<Entry> entries_;
};

}  // namespace vigil::brain
