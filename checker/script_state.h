#pragma once

#include <cstdint>

namespace vigil::checker {

// keepalived's rise/fall: a script is declared down after `fall` consecutive
// failures and up after `rise` consecutive successes.
class ScriptState {
 public:
  ScriptState(uint32_t rise, uint32_t fall, bool initially_up)
      : rise_(rise), fall_(fall), up_(initially_up) {}

  // Records one result; returns true when the declared state flips.
  bool Record(bool success) {
    if (success == up_) {
      streak_ = 0;
      return false;
    }
    if (++streak_ < (success ? rise_ : fall_)) return false;
    up_ = success;
    streak_ = 0;
    return true;
  }

  bool up() const { return up_; }

 private:
  uint32_t rise_;
  uint32_t fall_;
  bool up_;
  uint32_t streak_ = 0;  // consecutive results against the declared state
};

}  // namespace vigil::checker
