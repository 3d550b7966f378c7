#include "conf/syntax_tree.h"

#include "absl/strings/str_cat.h"

namespace vigil::conf {
namespace {

class TreeParser {
 public:
  TreeParser(const std::vector<Token>& tokens, Diagnostics& diagnostics)
      : tokens_(tokens), diagnostics_(diagnostics) {}

  std::vector<Node> Top() {
    std::vector<Node> nodes;
    while (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_];
      if (t.kind == Token::Kind::kWord) {
        nodes.push_back(Statement());
      } else {
        diagnostics_.Error(t.location,
                           absl::StrCat("unexpected '", t.text, "'"));
        ++pos_;
      }
    }
    return nodes;
  }

 private:
  Node Statement() {
    Node node;
    node.keyword = tokens_[pos_++];
    while (pos_ < tokens_.size() && tokens_[pos_].kind == Token::Kind::kWord &&
           tokens_[pos_].logical_line == node.keyword.logical_line &&
           tokens_[pos_].location.file == node.keyword.location.file) {
      node.args.push_back(tokens_[pos_++]);
    }
    if (pos_ < tokens_.size() &&
        tokens_[pos_].kind == Token::Kind::kOpenBrace) {
      ++pos_;
      node.has_block = true;
      Block(node);
    }
    return node;
  }

  void Block(Node& parent) {
    while (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_];
      if (t.kind == Token::Kind::kCloseBrace) {
        ++pos_;
        return;
      }
      if (t.kind == Token::Kind::kOpenBrace) {
        diagnostics_.Error(t.location, "'{' without a keyword before it");
        ++pos_;
        continue;
      }
      parent.children.push_back(Statement());
    }
    diagnostics_.Error(
        parent.keyword.location,
        absl::StrCat("block '", parent.keyword.text,
                     "' opened here is not closed before the end of the file"));
  }

  const std::vector<Token>& tokens_;
  Diagnostics& diagnostics_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Node> ParseTree(const std::vector<Token>& tokens,
                            Diagnostics& diagnostics) {
  return TreeParser(tokens, diagnostics).Top();
}

}  // namespace vigil::conf
