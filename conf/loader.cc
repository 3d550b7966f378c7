#include "conf/loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "conf/config_builder.h"
#include "conf/lexer.h"
#include "conf/syntax_tree.h"

namespace vigil::conf {

LoadResult ParseConfigText(absl::string_view text,
                           const std::string& file_name) {
  LoadResult result;
  auto file = std::make_shared<const std::string>(file_name);
  std::vector<Token> tokens = Tokenize(text, file, result.diagnostics);
  std::vector<Node> tree = ParseTree(tokens, result.diagnostics);
  result.config = BuildConfig(tree, result.diagnostics);
  result.config.set_source(file_name);
  if (result.config.instances().empty() && !result.diagnostics.HasErrors()) {
    result.diagnostics.Error({file, 1, 1}, "no vrrp_instance is configured");
  }
  return result;
}

LoadResult LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.diagnostics.Error(
        {std::make_shared<const std::string>(path), 0, 0},
        std::string("cannot read the configuration: ") + std::strerror(errno));
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfigText(text.str(), path);
}

}  // namespace vigil::conf
