// vigild, the network agent: the only privileged vigil process and the parent
// of the other two. See docs/architecture.md.

#include <fcntl.h>
#include <net/if.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include "common/log.h"
#include "common/resource_limits.h"
#include "conf/config_json.h"
#include "conf/loader.h"
#include "netagent/agent.h"
#include "netagent/launcher.h"
#include "netagent/options.h"
#include "netagent/script_security.h"
#include "vigil_build_config.h"

namespace vigil::agent {
namespace {

// Exit codes, documented in vigild(8).
constexpr int kExitOk = 0;
constexpr int kExitConfig = 1;
constexpr int kExitUsage = 2;
constexpr int kExitStartup = 3;

void ReportDiagnostics(const conf::Diagnostics& diagnostics, bool to_stderr) {
  if (!to_stderr) return agent::LogDiagnostics(diagnostics);
  for (const conf::Diagnostic& d : diagnostics.items())
    std::fprintf(stderr, "%s\n", d.ToString().c_str());
}

// What depends on this machine rather than on the file is a warning, so a
// config can be checked on a build host before it is deployed.
void WarnAboutThisMachine(const config::Config& config) {
  std::set<std::string> seen;
  for (const config::VrrpInstance& instance : config.instances()) {
    std::vector<std::string> names = {instance.interface()};
    for (const config::TrackInterface& t : instance.track_interfaces())
      names.push_back(t.name());
    for (const std::string& name : names) {
      if (!seen.insert(name).second || if_nametoindex(name.c_str()) != 0)
        continue;
      std::fprintf(stderr,
                   "%s: warning: interface %s of vrrp_instance %s does not "
                   "exist on this machine\n",
                   instance.location().c_str(), name.c_str(),
                   instance.name().c_str());
    }
  }
  if (absl::StatusOr<CpuSet> cpus = AllowedCpus(); cpus.ok()) {
    CpuPlan plan = PlanCpus(*cpus, agent::CpuRequestFor(config.global()));
    for (const std::string& problem : plan.problems) {
      std::fprintf(stderr, "%s: warning: %s\n", config.source().c_str(),
                   problem.c_str());
    }
  }
  bool root_scripts = config.global().script_user() == "root";
  if (const passwd* user = getpwnam(config.global().script_user().c_str());
      user != nullptr && user->pw_uid == 0) {
    std::fprintf(stderr,
                 "%s: warning: script_user %s has uid 0: check and notify "
                 "scripts will run as root (without capabilities); a "
                 "dedicated user is safer\n",
                 config.source().c_str(),
                 config.global().script_user().c_str());
  }
  for (const agent::ScriptCommand& command : agent::ScriptCommands(config)) {
    // Relative names are looked up in PATH when they run; only paths are
    // checked.
    if (command.path[0] != '/') continue;
    if (access(command.path.c_str(), X_OK) != 0) {
      std::fprintf(stderr,
                   "%s: warning: %s: %s is not an executable file on this "
                   "machine\n",
                   command.location.c_str(), command.what.c_str(),
                   command.path.c_str());
    } else if (root_scripts && config.global().enable_script_security()) {
      if (std::optional<std::string> problem =
              agent::ScriptPathProblem(command.path)) {
        std::fprintf(stderr,
                     "%s: warning: %s: enable_script_security will refuse it "
                     "as root here: %s\n",
                     command.location.c_str(), command.what.c_str(),
                     problem->c_str());
      }
    }
  }
}

bool Daemonize() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid > 0) _exit(0);
  setsid();
  if (chdir("/") != 0) return false;
  int null = open("/dev/null", O_RDWR);
  if (null < 0) return false;
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  if (null > 2) close(null);
  return true;
}

int Run(int argc, char** argv) {
  absl::StatusOr<Options> options = ParseOptions(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "vigild: %s\n",
                 std::string(options.status().message()).c_str());
    return kExitUsage;
  }
  if (options->help) {
    std::fputs(UsageText(), stdout);
    return kExitOk;
  }
  if (options->version) {
    std::printf("vigil %s\n", VIGIL_VERSION);
    return kExitOk;
  }
  std::string config_id =
      options->config_id.empty() ? conf::DefaultConfigId() : options->config_id;
  conf::LoadResult loaded =
      conf::LoadConfigFile(options->config_file, config_id);
  if (options->dump_config) {
    ReportDiagnostics(loaded.diagnostics, /*to_stderr=*/true);
    if (!loaded.ok()) return kExitConfig;
    std::fputs(conf::ConfigToJson(loaded.config).c_str(), stdout);
    return kExitOk;
  }
  if (options->config_test) {
    ReportDiagnostics(loaded.diagnostics, /*to_stderr=*/true);
    if (!loaded.ok()) return kExitConfig;
    WarnAboutThisMachine(loaded.config);
    std::fprintf(stderr, "%s: configuration is valid (%d instances)\n",
                 options->config_file.c_str(), loaded.config.instances_size());
    return kExitOk;
  }
  if (!options->foreground && !options->log_console) {
    InitLog({"vigild", false, options->log_detail});
  } else {
    InitLog({"vigild", options->log_console, options->log_detail});
  }
  ReportDiagnostics(loaded.diagnostics, /*to_stderr=*/false);
  if (!loaded.ok()) {
    LOG_ERROR("configuration %s is invalid; not starting",
              options->config_file);
    return kExitConfig;
  }
  if (geteuid() != 0) {
    LOG_ERROR("vigild must start as root (it drops what it does not need)");
    return kExitStartup;
  }
  if (!options->foreground && !Daemonize()) {
    LOG_ERROR("cannot daemonize");
    return kExitStartup;
  }
  umask(022);
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  if (!loop.ok()) {
    LOG_ERROR("%s", loop.status().ToString());
    return kExitStartup;
  }
  {
    std::ofstream pid_file(options->pid_file);
    pid_file << getpid() << "\n";
    if (!pid_file) LOG_WARNING("cannot write pid file %s", options->pid_file);
  }
  // Raw sockets for many interfaces; no core dumps of a process holding the
  // config's passwords.
  if (absl::Status s = ApplyResourceLimits({.open_files = 65536}); !s.ok()) {
    LOG_ERROR("%s", s.ToString());
    return kExitStartup;
  }
  RealClock clock;
  loaded.diagnostics = conf::Diagnostics();
  Agent agent(loop->get(), &clock, *options,
              conf::Repacked(std::move(loaded.config)));
  int code = kExitOk;
  if (absl::Status s = agent.Start(); !s.ok()) {
    LOG_ERROR("cannot start: %s", s.message());
    code = kExitStartup;
  } else {
    ReturnFreeMemory();
    absl::Status r = (*loop)->Run();
    if (!r.ok()) LOG_ERROR("%s", r.ToString());
    code = r.ok() ? agent.exit_code() : kExitStartup;
  }
  unlink(options->pid_file.c_str());
  LOG_INFO("stopped");
  return code;
}

}  // namespace
}  // namespace vigil::agent

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], vigil::agent::Launcher::kFlag) == 0)
    vigil::agent::Launcher::RunFromArgs(argc, argv);
  return vigil::agent::Run(argc, argv);
}
