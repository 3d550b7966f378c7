#include "netagent/options.h"

#include <getopt.h>

#include "absl/strings/str_cat.h"
#include "common/seccomp_filter.h"
#include "vigil_build_config.h"

namespace vigil::agent {
namespace {

enum LongOnly {
  kLibexecDir = 256,
  kBrainUser,
  kCheckerUser,
  kChrootDir,
  kDumpConfig,
  kSeccomp,
  kControlSocket,
  kControlGroup,
  kTestForbiddenSyscall
};

}  // namespace

const char* UsageText() {
  return "Usage: vigild [OPTION]...\n"
         "VRRP daemon that reads keepalived.conf.\n\n"
         "  -f, --use-file=FILE     configuration file "
         "(default " VIGIL_SYSCONFDIR
         "/vigil/vigil.conf)\n"
         "  -n, --dont-fork         stay in the foreground\n"
         "  -l, --log-console       log to the console (stderr) instead of "
         "syslog\n"
         "  -D, --log-detail        detailed log\n"
         "  -p, --pid=FILE          pid file (default /run/vigild.pid)\n"
         "  -t, --config-test       check the configuration and exit: 0 valid, "
         "1 invalid\n"
         "  -i, --config-id=ID      use the '@ID' lines of the configuration "
         "(default: the short host name)\n"
         "      --dump-config       print the configuration as vigil "
         "understood it "
         "(JSON) and exit\n"
         "      --libexec-dir=DIR   where vigil-vrrp and vigil-checker are\n"
         "      --brain-user=USER   user of the VRRP process "
         "(default " VIGIL_BRAIN_USER
         ")\n"
         "      --checker-user=USER user of the checker "
         "(default " VIGIL_CHECKER_USER
         ")\n"
         "      --chroot-dir=DIR    empty directory the VRRP process is jailed "
         "in\n"
         "                          (default /run/vigil/empty)\n"
         "      --seccomp=MODE      what a forbidden system call does in "
         "vigild and its children:\n"
         "                          kill (default), trap (log its name, then "
         "exit) or off\n"
         "      --control-socket=PATH  where vigilctl connects "
         "(default /run/vigil/control.sock)\n"
         "      --control-group=GROUP  group that may use it besides root "
         "(mode 0660; default root)\n"
         "  -v, --version           print the version\n"
         "  -h, --help              this text\n";
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  static const option kLong[] = {
      {"use-file", required_argument, nullptr, 'f'},
      {"dont-fork", no_argument, nullptr, 'n'},
      {"log-console", no_argument, nullptr, 'l'},
      {"log-detail", no_argument, nullptr, 'D'},
      {"pid", required_argument, nullptr, 'p'},
      {"config-test", no_argument, nullptr, 't'},
      {"version", no_argument, nullptr, 'v'},
      {"help", no_argument, nullptr, 'h'},
      {"config-id", required_argument, nullptr, 'i'},
      {"dump-config", no_argument, nullptr, kDumpConfig},
      {"libexec-dir", required_argument, nullptr, kLibexecDir},
      {"brain-user", required_argument, nullptr, kBrainUser},
      {"checker-user", required_argument, nullptr, kCheckerUser},
      {"chroot-dir", required_argument, nullptr, kChrootDir},
      {"seccomp", required_argument, nullptr, kSeccomp},
      {"control-socket", required_argument, nullptr, kControlSocket},
      {"control-group", required_argument, nullptr, kControlGroup},
      {"test-brain-forbidden-syscall", no_argument, nullptr,
       kTestForbiddenSyscall},
      {nullptr, 0, nullptr, 0},
  };
  Options options;
  options.config_file = VIGIL_SYSCONFDIR "/vigil/vigil.conf";
  options.pid_file = "/run/vigild.pid";
  options.brain_user = VIGIL_BRAIN_USER;
  options.checker_user = VIGIL_CHECKER_USER;
  options.chroot_dir = "/run/vigil/empty";
  options.control_socket = "/run/vigil/control.sock";
  options.control_group = "root";
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":f:nlDp:tvhi:", kLong, nullptr)) != -1) {
    switch (c) {
      case 'f':
        options.config_file = optarg;
        break;
      case 'n':
        options.foreground = true;
        break;
      case 'l':
        options.log_console = true;
        break;
      case 'D':
        options.log_detail = true;
        break;
      case 'p':
        options.pid_file = optarg;
        break;
      case 't':
        options.config_test = true;
        break;
      case 'v':
        options.version = true;
        break;
      case kDumpConfig:
        options.dump_config = true;
        break;
      case 'i':
        options.config_id = optarg;
        break;
      case 'h':
        options.help = true;
        break;
      case kLibexecDir:
        options.libexec_dir = optarg;
        break;
      case kBrainUser:
        options.brain_user = optarg;
        break;
      case kCheckerUser:
        options.checker_user = optarg;
        break;
      case kChrootDir:
        options.chroot_dir = optarg;
        break;
      case kSeccomp:
        if (!ParseSeccompMode(optarg).ok()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "--seccomp takes kill, trap or off, not '", optarg, "'"));
        }
        options.seccomp = optarg;
        break;
      case kControlSocket:
        options.control_socket = optarg;
        break;
      case kControlGroup:
        options.control_group = optarg;
        break;
      case kTestForbiddenSyscall:
        options.test_brain_forbidden_syscall = true;
        break;
      case ':':
        return absl::InvalidArgumentError(
            absl::StrCat("option '", argv[optind - 1], "' needs a value"));
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "unknown option '", argv[optind - 1], "' (see vigild --help)"));
    }
  }
  if (optind < argc) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", argv[optind], "'"));
  }
  return options;
}

}  // namespace vigil::agent
