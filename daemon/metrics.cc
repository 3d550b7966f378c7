#include "daemon/metrics.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace vigil::brain {
namespace {

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One metric family: its HELP and TYPE lines, then its samples.
class Family {
 public:
  Family(std::string* out, const char* name, const char* type, const char* help)
      : out_(out), name_(name) {
    absl::StrAppend(out_, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                    type, "\n");
  }
  void Sample(const std::map<std::string, std::string>& labels, double value) {
    absl::StrAppend(out_, name_);
    if (!labels.empty()) {
      const char* separator = "{";
      for (const auto& [key, label] : labels) {
        absl::StrAppend(out_, separator, key, "=\"", Escape(label), "\"");
        separator = ",";
      }
      absl::StrAppend(out_, "}");
    }
    absl::StrAppend(out_, " ", value, "\n");
  }

 private:
  std::string* out_;
  const char* name_;
};

void RenderStatus(const control::Status& status, std::string* out) {
  Family state(out, "vigil_instance_state", "gauge",
               "1 for the state the instance is in");
  for (const auto& i : status.instances()) {
    for (const char* s : {"INIT", "BACKUP", "MASTER", "FAULT"})
      state.Sample({{"instance", i.name()}, {"state", s}}, i.state() == s);
  }
  struct Gauge {
    const char* name;
    const char* help;
    double (*get)(const control::InstanceStatus&);
  };
  for (const Gauge& g :
       {Gauge{"vigil_instance_base_priority", "configured priority",
              [](const control::InstanceStatus& i) -> double {
                return i.base_priority();
              }},
        Gauge{"vigil_instance_effective_priority",
              "priority advertised, after trackers and demotion",
              [](const control::InstanceStatus& i) -> double {
                return i.effective_priority();
              }},
        Gauge{"vigil_instance_demoted", "1 while demoted with vigilctl demote",
              [](const control::InstanceStatus& i) -> double {
                return i.demoted();
              }},
        Gauge{"vigil_instance_seconds_in_state",
              "seconds since the last transition",
              [](const control::InstanceStatus& i) {
                return i.seconds_in_state();
              }}}) {
    Family family(out, g.name, "gauge", g.help);
    for (const auto& i : status.instances())
      family.Sample({{"instance", i.name()}}, g.get(i));
  }
  // One family at a time: Prometheus wants each family's samples together.
  for (bool contributions : {false, true}) {
    Family family(out,
                  contributions ? "vigil_tracker_priority_contribution"
                                : "vigil_tracker_up",
                  "gauge",
                  contributions ? "what the tracker adds to the priority"
                                : "1 when a tracked script or interface is up");
    for (const auto& i : status.instances()) {
      for (const auto& t : i.trackers()) {
        std::map<std::string, std::string> labels = {
            {"instance", i.name()}, {"kind", t.kind()}, {"tracker", t.name()}};
        if (contributions) {
          family.Sample(labels, t.contribution());
        } else if (t.kind() != "file") {
          family.Sample(labels, t.state() == "up");
        }
      }
    }
  }
}

void RenderStats(const control::Stats& stats, std::string* out) {
  struct Counter {
    const char* name;
    const char* help;
    uint64_t (control::InstanceStats::*get)() const;
  };
  for (const Counter& c :
       {Counter{"vigil_adverts_sent_total", "adverts sent",
                &control::InstanceStats::adverts_sent},
        Counter{"vigil_adverts_received_total", "adverts accepted",
                &control::InstanceStats::adverts_received},
        Counter{"vigil_priority_zero_sent_total", "priority-0 adverts sent",
                &control::InstanceStats::priority_zero_sent},
        Counter{"vigil_priority_zero_received_total",
                "priority-0 adverts accepted",
                &control::InstanceStats::priority_zero_received},
        Counter{"vigil_transitions_total", "state changes",
                &control::InstanceStats::transitions},
        Counter{"vigil_became_master_total", "transitions to MASTER",
                &control::InstanceStats::became_master}}) {
    Family family(out, c.name, "counter", c.help);
    for (const auto& i : stats.instances())
      family.Sample({{"instance", i.name()}}, (i.*c.get)());
  }
  Family drops(out, "vigil_receive_drops_total", "counter",
               "adverts dropped by the receive checks, by reason");
  // Sorted, so the output is stable from one scrape to the next.
  for (const auto& [reason, count] : std::map<std::string, uint64_t>(
           stats.drops().begin(), stats.drops().end()))
    drops.Sample({{"reason", reason}}, count);
  Family forms(out, "vigil_checksum_forms_total", "counter",
               "accepted adverts by checksum form");
  for (const auto& [form, count] : std::map<std::string, uint64_t>(
           stats.checksum_forms().begin(), stats.checksum_forms().end()))
    forms.Sample({{"form", form}}, count);
}

}  // namespace

std::string RenderMetrics(const control::Status& status,
                          const control::Stats& stats) {
  std::string out;
  RenderStatus(status, &out);
  RenderStats(stats, &out);
  return out;
}

}  // namespace vigil::brain
