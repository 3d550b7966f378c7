#pragma once

#include <vector>

#include "conf/lexer.h"

namespace vigil::conf {

// One statement: a keyword, the words after it on the same line, and an
// optional { block }, whose '{' may stand on the same or a later line.
struct Node {
  Token keyword;
  std::vector<Token> args;
  bool has_block = false;
  std::vector<Node> children;
};

std::vector<Node> ParseTree(const std::vector<Token>& tokens,
                            Diagnostics& diagnostics);

}  // namespace vigil::conf
