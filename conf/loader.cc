#include "conf/loader.h"

#include <glob.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conf/config_builder.h"
#include "conf/lexer.h"
#include "conf/parameters.h"
#include "conf/syntax_tree.h"

namespace vigil::conf {
namespace {

constexpr int kMaxIncludeDepth = 32;

// Reads files, expands parameters and splices `include` statements into the
// tree, wherever they stand (top level or inside a block).
class Reader {
 public:
  Reader(Diagnostics& diagnostics, const std::string& config_id,
         bool allow_include = true)
      : diagnostics_(diagnostics),
        parameters_(config_id),
        allow_include_(allow_include) {}

  std::vector<Node> Text(absl::string_view text, const std::string& name,
                         int depth = 0) {
    auto file = std::make_shared<const std::string>(name);
    Parameters::Output expanded =
        parameters_.Preprocess(text, file, diagnostics_);
    std::vector<Node> tree = ParseTree(
        Tokenize(expanded.text, file, diagnostics_, &expanded.source_lines),
        diagnostics_);
    return Splice(std::move(tree), name, depth);
  }

  std::vector<Node> File(const std::string& path, const Location& from,
                         int depth) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diagnostics_.Error(from, std::string("cannot read ") + path + ": " +
                                   std::strerror(errno));
      return {};
    }
    std::stringstream text;
    text << in.rdbuf();
    return Text(text.str(), path, depth);
  }

 private:
  std::vector<Node> Splice(std::vector<Node> nodes, const std::string& file,
                           int depth) {
    std::vector<Node> out;
    for (Node& node : nodes) {
      if (!IsInclude(node.keyword.text)) {
        node.children = Splice(std::move(node.children), file, depth);
        out.push_back(std::move(node));
        continue;
      }
      for (Node& included : Include(node, file, depth))
        out.push_back(std::move(included));
    }
    return out;
  }

  // keepalived's include variants add checks: a file that cannot be read is
  // always an error here (includer's check); includem, includew, includeb and
  // includea also make a pattern that matches nothing an error, where plain
  // include only warns.
  static bool IsInclude(const std::string& keyword) {
    return keyword == "include" || keyword == "includer" ||
           keyword == "includem" || keyword == "includew" ||
           keyword == "includeb" || keyword == "includea";
  }
  static bool MustMatch(const std::string& keyword) {
    return keyword == "includem" || keyword == "includew" ||
           keyword == "includeb" || keyword == "includea";
  }

  // `include GLOB`, relative to the including file's directory.
  std::vector<Node> Include(const Node& node, const std::string& file,
                            int depth) {
    const Location& at = node.keyword.location;
    if (node.args.size() != 1 || node.has_block) {
      diagnostics_.Error(
          at, "'" + node.keyword.text + "' takes one file name or pattern");
      return {};
    }
    if (!allow_include_) {
      diagnostics_.Error(at, "'" + node.keyword.text + "' is not allowed here");
      return {};
    }
    if (depth >= kMaxIncludeDepth) {
      diagnostics_.Error(
          at,
          "includes nest deeper than 32 levels (does a file include itself?)");
      return {};
    }
    std::filesystem::path pattern = node.args[0].text;
    if (pattern.is_relative())
      pattern = std::filesystem::path(file).parent_path() / pattern;
    glob_t matches{};
    int rc = glob(pattern.c_str(), GLOB_BRACE, nullptr, &matches);
    std::vector<Node> out;
    if (rc == GLOB_NOMATCH) {
      std::string message =
          node.keyword.text + " '" + node.args[0].text + "' matches no file";
      if (MustMatch(node.keyword.text)) {
        diagnostics_.Error(at, message);
      } else {
        diagnostics_.Warning(at, message);
      }
    }
    for (size_t i = 0; rc == 0 && i < matches.gl_pathc; ++i) {
      for (Node& n : File(matches.gl_pathv[i], at, depth + 1))
        out.push_back(std::move(n));
    }
    globfree(&matches);
    return out;
  }

  Diagnostics& diagnostics_;
  Parameters parameters_;
  bool allow_include_;
};

LoadResult Build(std::vector<Node> tree, const std::string& file_name,
                 LoadResult result) {
  result.config = BuildConfig(tree, result.diagnostics);
  result.config.set_source(file_name);
  if (result.config.instances().empty() && !result.diagnostics.HasErrors()) {
    result.diagnostics.Error(
        {std::make_shared<const std::string>(file_name), 1, 1},
        "no vrrp_instance is configured");
  }
  return result;
}

}  // namespace

LoadResult ParseConfigText(absl::string_view text, const std::string& file_name,
                           const std::string& config_id, bool allow_include) {
  LoadResult result;
  std::vector<Node> tree = Reader(result.diagnostics, config_id, allow_include)
                               .Text(text, file_name);
  return Build(std::move(tree), file_name, std::move(result));
}

config::Config Repacked(config::Config config) {
  std::string bytes = config.SerializeAsString();
  config = config::Config();  // its memory first, then the copy's
  config::Config packed;
  packed.ParseFromString(bytes);
  return packed;
}

std::string DefaultConfigId() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  std::string host(name);
  return host.substr(0, host.find('.'));
}

LoadResult LoadConfigFile(const std::string& path,
                          const std::string& config_id) {
  LoadResult result;
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    result.diagnostics.Error(
        {std::make_shared<const std::string>(path), 0, 0},
        std::string("cannot read the configuration: ") + std::strerror(errno));
    return result;
  }
  std::vector<Node> tree =
      Reader(result.diagnostics, config_id).File(path, {}, 0);
  return Build(std::move(tree), path, std::move(result));
}

}  // namespace vigil::conf
