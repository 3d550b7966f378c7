#include "checker/notify_queue.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"

namespace vigil::checker {

std::vector<Command> NotifyCommands(const config::NotifyScripts& n,
                                    absl::string_view kind,
                                    const std::string& name,
                                    ipc::InstanceState::State state,
                                    uint32_t priority) {
  const google::protobuf::RepeatedPtrField<std::string>* own = nullptr;
  switch (state) {
    case ipc::InstanceState::MASTER:
      own = &n.master();
      break;
    case ipc::InstanceState::BACKUP:
      own = &n.backup();
      break;
    case ipc::InstanceState::FAULT:
      own = &n.fault();
      break;
    case ipc::InstanceState::STOP:
      own = &n.stop();
      break;
    default:
      return {};
  }
  std::vector<Command> commands;
  if (!own->empty()) commands.emplace_back(own->begin(), own->end());
  if (!n.any().empty()) {
    Command generic(n.any().begin(), n.any().end());
    generic.insert(generic.end(), {std::string(kind), name,
                                   ipc::InstanceState::State_Name(state),
                                   absl::StrCat(priority)});
    commands.push_back(std::move(generic));
  }
  return commands;
}

void NotifyQueue::Add(const std::string& instance,
                      std::vector<Command> commands, TimePoint now) {
  if (commands.empty()) return;
  auto it = lanes_.try_emplace(instance).first;
  Lane& lane = it->second;
  for (Command& c : commands) lane.waiting.push_back(std::move(c));
  if (lane.running == 0) StartNext(instance, lane, now);
  ForgetIfIdle(it);
}

// An idle lane goes: each holds a deque, which allocates ~0.6 kB as soon as
// it is used, and notify scripts on 1,000 instances kept 1,000 of them.
void NotifyQueue::ForgetIfIdle(std::map<std::string, Lane>::iterator it) {
  if (it->second.running == 0 && it->second.waiting.empty()) lanes_.erase(it);
}

void NotifyQueue::StartNext(const std::string& instance, Lane& lane,
                            TimePoint now) {
  while (lane.running == 0 && !lane.waiting.empty()) {
    Command command = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    absl::StatusOr<pid_t> pid = start_(command);
    if (!pid.ok()) {
      LOG_ERROR("%s notify '%s' did not start: %s", instance,
                absl::StrJoin(command, " "), pid.status().ToString());
      continue;
    }
    LOG_DEBUG("%s notify: %s", instance, absl::StrJoin(command, " "));
    lane.running = *pid;
    lane.deadline = now + kLimit;
    lane.killed = false;
  }
}

bool NotifyQueue::OnExit(pid_t pid, TimePoint now) {
  for (auto it = lanes_.begin(); it != lanes_.end(); ++it) {
    if (it->second.running != pid) continue;
    it->second.running = 0;
    StartNext(it->first, it->second, now);
    ForgetIfIdle(it);
    return true;
  }
  return false;
}

void NotifyQueue::KillOverdue(TimePoint now) {
  for (auto& [instance, lane] : lanes_) {
    if (lane.running == 0 || lane.killed || now < lane.deadline) continue;
    LOG_WARNING(
        "%s a notify script ran longer than %d s; killed so "
        "the next can run",
        instance,
        std::chrono::duration_cast<std::chrono::seconds>(kLimit).count());
    lane.killed = true;
    kill_(lane.running);
  }
}

std::optional<TimePoint> NotifyQueue::NextDeadline() const {
  std::optional<TimePoint> earliest;
  for (const auto& [instance, lane] : lanes_) {
    if (lane.running == 0 || lane.killed) continue;
    if (!earliest || lane.deadline < *earliest) earliest = lane.deadline;
  }
  return earliest;
}

bool NotifyQueue::idle() const {
  for (const auto& [instance, lane] : lanes_)
    if (lane.running != 0 || !lane.waiting.empty()) return false;
  return true;
}

}  // namespace vigil::checker
