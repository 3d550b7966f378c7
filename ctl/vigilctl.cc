// vigilctl: status, counters, metrics, reload, demotion and a transition
// stream from a running vigild, over its control socket.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ctl/control_client.h"
#include "ctl/status_table.h"
#include "vigil_build_config.h"

namespace vigil::ctl {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kAnswerTimeout{5000};
constexpr milliseconds kReloadTimeout{30000};

// Exit codes, as in the man page.
constexpr int kOk = 0;
constexpr int kFailed = 1;    // the daemon refused or reported errors
constexpr int kUsage = 2;     // bad command line
constexpr int kNoDaemon = 3;  // cannot reach vigild

const char kUsageText[] =
    "usage: vigilctl [-s SOCKET] COMMAND [ARGS]\n"
    "  status [--json]        instances: state, priorities, trackers, VIPs\n"
    "  stats [--json]         counters per instance and receive drops\n"
    "  metrics                Prometheus text exposition\n"
    "  reload                 re-read the configuration (as SIGHUP), with "
    "the outcome\n"
    "  check-config FILE      check a configuration file (vigild -t)\n"
    "  demote INSTANCE        hand over and advertise priority 1\n"
    "  undemote INSTANCE      back to the configured priority\n"
    "  watch [--json]         print transitions as they happen\n"
    "  -s, --socket=PATH      control socket (default "
    "/run/vigil/control.sock)\n";

int Fail(const std::string& message, int code) {
  std::fprintf(stderr, "vigilctl: %s\n", message.c_str());
  return code;
}

// vigild next to us in a build tree, else the installed one.
std::string FindVigild() {
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  std::filesystem::path built =
      self.parent_path().parent_path() / "netagent" / "vigild";
  if (!error && std::filesystem::exists(built, error)) return built.string();
  return std::string(VIGIL_SBINDIR) + "/vigild";
}

int CheckConfig(const std::string& file) {
  std::string vigild = FindVigild();
  execl(vigild.c_str(), vigild.c_str(), "-t", "-f", file.c_str(), nullptr);
  return Fail(absl::StrCat("cannot run ", vigild, ": ", strerror(errno)),
              kFailed);
}

int Watch(ControlClient& client, bool json) {
  control::Request request;
  request.mutable_watch();
  if (absl::Status s = client.Send(request); !s.ok())
    return Fail(std::string(s.message()), kNoDaemon);
  for (;;) {
    absl::StatusOr<control::Response> next = client.Next(milliseconds(-1));
    if (!next.ok())
      return Fail(std::string(next.status().message()), kNoDaemon);
    if (next->has_denied()) return Fail(next->denied(), kNoDaemon);
    if (!next->has_transition()) continue;
    std::string line = json ? ToJson(next->transition())
                            : FormatTransition(next->transition());
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
  }
}

int Run(int argc, char** argv) {
  std::string socket = "/run/vigil/control.sock";
  std::vector<std::string> args;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "-s" || arg == "--socket") && i + 1 < argc) {
      socket = argv[++i];
    } else if (arg.rfind("--socket=", 0) == 0) {
      socket = arg.substr(9);
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "-h" || arg == "--help") {
      std::fputs(kUsageText, stdout);
      return kOk;
    } else if (!arg.empty() && arg[0] == '-') {
      return Fail(absl::StrCat("unknown option '", arg, "'\n", kUsageText),
                  kUsage);
    } else {
      args.push_back(arg);
    }
  }
  if (args.empty()) return Fail(kUsageText, kUsage);
  const std::string& command = args[0];
  bool with_name =
      command == "demote" || command == "undemote" || command == "check-config";
  if (args.size() != (with_name ? 2u : 1u)) {
    return Fail(
        absl::StrCat(command, ": wrong number of arguments\n", kUsageText),
        kUsage);
  }
  if (command == "check-config") return CheckConfig(args[1]);

  control::Request request;
  if (command == "status") {
    request.mutable_status();
  } else if (command == "stats") {
    request.mutable_stats();
  } else if (command == "metrics") {
    request.mutable_metrics();
  } else if (command == "reload") {
    request.mutable_reload();
  } else if (command == "demote" || command == "undemote") {
    request.mutable_demote()->set_instance(args[1]);
    request.mutable_demote()->set_demote(command == "demote");
  } else if (command != "watch") {
    return Fail(absl::StrCat("unknown command '", command, "'\n", kUsageText),
                kUsage);
  }
  absl::StatusOr<ControlClient> client = ControlClient::Connect(socket);
  if (!client.ok())
    return Fail(std::string(client.status().message()), kNoDaemon);
  if (command == "watch") return Watch(*client, json);

  absl::StatusOr<control::Response> response = client->Call(
      request, command == "reload" ? kReloadTimeout : kAnswerTimeout);
  if (!response.ok()) {
    bool refused =
        response.status().code() == absl::StatusCode::kFailedPrecondition;
    return Fail(std::string(response.status().message()),
                refused ? kFailed : kNoDaemon);
  }
  std::string out;
  switch (response->msg_case()) {
    case control::Response::kStatus:
      out =
          json ? ToJson(response->status()) : FormatStatus(response->status());
      break;
    case control::Response::kStats:
      out = json ? ToJson(response->stats()) : FormatStats(response->stats());
      break;
    case control::Response::kMetrics:
      out = response->metrics();
      break;
    case control::Response::kDone:
      out = response->done() + "\n";
      break;
    case control::Response::kReloaded:
      if (!response->reloaded().ok()) {
        return Fail(absl::StrCat("reload refused; still running the previous "
                                 "configuration:\n",
                                 response->reloaded().errors()),
                    kFailed);
      }
      out = "reloaded\n";
      break;
    default:
      return Fail("unexpected answer from vigild", kFailed);
  }
  std::fputs(out.c_str(), stdout);
  return kOk;
}

}  // namespace
}  // namespace vigil::ctl

int main(int argc, char** argv) { return vigil::ctl::Run(argc, argv); }
