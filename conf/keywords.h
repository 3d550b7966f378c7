#pragma once

#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"

namespace vigil::conf {

// keepalived's own keywords (2.2.7 and 2.4), per block, so that vigil can
// tell "keepalived has it, vigil does not yet" (a warning) from "nobody has
// it" (an error, with a suggestion when one is close).
enum class Block {
  kTop,
  kGlobalDefs,
  kVrrpInstance,
  kVrrpScript,
  kSyncGroup,
  kTrackFile
};

const std::set<std::string, std::less<>>& KeepalivedKeywords(Block block);

// The closest keyword of `block` to a misspelled `word`, when one is close
// enough to be what the user meant.
std::optional<std::string> SuggestKeyword(absl::string_view word, Block block);

}  // namespace vigil::conf
