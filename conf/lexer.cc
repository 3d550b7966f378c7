#include "conf/lexer.h"

#include <cctype>

namespace vigil::conf {
namespace {

class Lexer {
 public:
  Lexer(absl::string_view text, std::shared_ptr<const std::string> file,
        Diagnostics& diagnostics, const std::vector<int>* source_lines)
      : text_(text),
        file_(std::move(file)),
        diagnostics_(diagnostics),
        source_lines_(source_lines) {}

  std::vector<Token> Run() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n' || std::isspace(static_cast<unsigned char>(c))) {
        Advance();
      } else if (c == '#' || c == '!') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
      } else if (c == '{' || c == '}') {
        tokens_.push_back(
            {c == '{' ? Token::Kind::kOpenBrace : Token::Kind::kCloseBrace,
             std::string(1, c), false, Here(), line_});
        Advance();
      } else if (c == '"' || c == '\'') {
        QuotedWord(c);
      } else {
        PlainWord();
      }
    }
    return std::move(tokens_);
  }

 private:
  Location Here() const {
    int line = line_;
    if (source_lines_ != nullptr && line_ >= 1 &&
        static_cast<size_t>(line_) <= source_lines_->size()) {
      line = (*source_lines_)[static_cast<size_t>(line_) - 1];
    }
    return {file_, line, column_};
  }

  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void PlainWord() {
    Token token{Token::Kind::kWord, "", false, Here(), line_};
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c)) || c == '{' || c == '}' ||
          c == '#' || c == '!' || c == '"' || c == '\'') {
        break;
      }
      token.text.push_back(c);
      Advance();
    }
    tokens_.push_back(std::move(token));
  }

  void QuotedWord(char quote) {
    Token token{Token::Kind::kWord, "", true, Here(), line_};
    Advance();
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') break;
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        Advance();
        token.text.push_back(Unescape());
        continue;
      }
      token.text.push_back(text_[pos_]);
      Advance();
    }
    if (pos_ >= text_.size() || text_[pos_] != quote) {
      diagnostics_.Error(token.location, "unterminated quoted string");
    } else {
      Advance();
    }
    tokens_.push_back(std::move(token));
  }

  // At the character after a backslash; consumes the escape.
  char Unescape() {
    char c = text_[pos_];
    Advance();
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x': {
        int value = 0;
        for (int i = 0; i < 2 && pos_ < text_.size() &&
                        std::isxdigit(static_cast<unsigned char>(text_[pos_]));
             ++i) {
          char h = static_cast<char>(
              std::tolower(static_cast<unsigned char>(text_[pos_])));
          value = value * 16 + (h <= '9' ? h - '0' : h - 'a' + 10);
          Advance();
        }
        return static_cast<char>(value);
      }
      default:
        return c;  // \\ \" \' and anything else stand for themselves
    }
  }

  absl::string_view text_;
  std::shared_ptr<const std::string> file_;
  Diagnostics& diagnostics_;
  const std::vector<int>* source_lines_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<Token> Tokenize(absl::string_view text,
                            std::shared_ptr<const std::string> file,
                            Diagnostics& diagnostics,
                            const std::vector<int>* source_lines) {
  return Lexer(text, std::move(file), diagnostics, source_lines).Run();
}

}  // namespace vigil::conf
