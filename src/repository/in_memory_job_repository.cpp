#include "cppbatch/repository/in_memory_job_repository.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/common/process.hpp"
#include "repository/dead_letter_rules.hpp"
#include "repository/launch_rules.hpp"

namespace cppbatch {
namespace {

using internal::kMaxExitMessage;

// A job execution as stored: no step objects, only their ids.
struct StoredExecution {
  int64_t id = 0;
  int64_t version = 0;
  int64_t instance_id = 0;
  JobParameters parameters;
  BatchStatus status = BatchStatus::STARTING;
  ExitStatus exit_status;
  std::optional<Timestamp> create_time, start_time, end_time, last_updated;
  std::string context_json;     // as the SQL backends store it
  std::vector<int64_t> step_ids;  // ascending
};

struct StoredStep {
  StepExecution step;  // detached (job_execution null), context empty
  std::string context_json;
};

// Everything stored.
struct State {
  int64_t next_instance_id = 1;
  int64_t next_execution_id = 1;
  int64_t next_step_id = 1;
  std::map<int64_t, JobInstance> instances;
  std::map<std::pair<std::string, std::string>, int64_t> instance_by_key;  // (name, key)
  std::map<int64_t, std::vector<int64_t>> executions_by_instance;          // ascending ids
  std::map<int64_t, StoredExecution> executions;
  std::map<int64_t, StoredStep> steps;
  std::map<int64_t, ExecutionLease> leases;
  int64_t next_dead_letter_id = 1;
  std::map<int64_t, DeadLetter> dead_letters;
};

// Before-images of what an open transaction changed (nullopt: the entry did
// not exist), restored by rollback(). Keeps a transaction's cost
// proportional to what it touches, not to the size of the store.
struct Undo {
  int64_t next_instance_id = 0;
  int64_t next_execution_id = 0;
  int64_t next_step_id = 0;
  std::map<int64_t, std::optional<JobInstance>> instances;
  std::map<std::pair<std::string, std::string>, std::optional<int64_t>> instance_by_key;
  std::map<int64_t, std::optional<std::vector<int64_t>>> executions_by_instance;
  std::map<int64_t, std::optional<StoredExecution>> executions;
  std::map<int64_t, std::optional<StoredStep>> steps;
  std::map<int64_t, std::optional<ExecutionLease>> leases;
  int64_t next_dead_letter_id = 0;
  std::map<int64_t, std::optional<DeadLetter>> dead_letters;
};

template <class Map, class Log>
void restore(Map& live, Log& log) {
  for (auto& [key, image] : log) {
    if (image) {
      live.insert_or_assign(key, std::move(*image));
    } else {
      live.erase(key);
    }
  }
}

// Stored times have the SQL backends' precision (microseconds).
std::optional<Timestamp> stored_time(std::optional<Timestamp> t) {
  if (!t) return t;
  return std::chrono::floor<std::chrono::microseconds>(*t);
}

ExitStatus stored_exit(const ExitStatus& status) {
  return ExitStatus(status.code(), std::string(internal::utf8_prefix(status.description(), kMaxExitMessage)));
}

ExecutionContext parse_context(const std::string& json) {
  auto parsed = ExecutionContext::from_json(json);
  return parsed ? std::move(parsed.value()) : ExecutionContext{};  // written by to_json(): always parses
}

bool holds(const ExecutionLease& lease) { return lease.host == host_name() && lease.pid == current_pid(); }

}  // namespace

struct InMemoryJobRepository::Impl {
  Impl(LeaseOptions lease_options, Clock& c)
      : lease(lease_options), clock(c), transactions(*this), dead_letter_store(*this) {}

  // Real transactions over the state: begin() holds the mutex and starts
  // an undo log until commit() or rollback().
  class Transactions final : public TransactionManager {
   public:
    explicit Transactions(Impl& impl) : impl_(impl) {}
    Result<void> begin() override {
      impl_.mutex.lock();
      if (impl_.undo) {
        impl_.mutex.unlock();
        return Error(ErrorCode::ILLEGAL_STATE, "a transaction is already open on this thread");
      }
      impl_.undo.emplace();
      impl_.undo->next_instance_id = impl_.state.next_instance_id;
      impl_.undo->next_execution_id = impl_.state.next_execution_id;
      impl_.undo->next_step_id = impl_.state.next_step_id;
      impl_.undo->next_dead_letter_id = impl_.state.next_dead_letter_id;
      owner_ = std::this_thread::get_id();
      return {};
    }
    Result<void> commit() override {
      if (owner_.load() != std::this_thread::get_id()) {
        return Error(ErrorCode::ILLEGAL_STATE, "commit() without begin() on this thread");
      }
      end();
      return {};
    }
    void rollback() override {
      if (owner_.load() != std::this_thread::get_id()) return;
      State& state = impl_.state;
      Undo& undo = *impl_.undo;
      state.next_instance_id = undo.next_instance_id;
      state.next_execution_id = undo.next_execution_id;
      state.next_step_id = undo.next_step_id;
      state.next_dead_letter_id = undo.next_dead_letter_id;
      restore(state.instances, undo.instances);
      restore(state.instance_by_key, undo.instance_by_key);
      restore(state.executions_by_instance, undo.executions_by_instance);
      restore(state.executions, undo.executions);
      restore(state.steps, undo.steps);
      restore(state.leases, undo.leases);
      restore(state.dead_letters, undo.dead_letters);
      end();
    }

   private:
    void end() {
      impl_.undo.reset();
      owner_ = std::thread::id{};
      impl_.mutex.unlock();
    }
    Impl& impl_;
    std::atomic<std::thread::id> owner_{};
  };

  std::unique_ptr<JobExecution> load(const StoredExecution& stored, bool with_contexts) const {
    auto execution = std::make_unique<JobExecution>();
    execution->id = stored.id;
    execution->version = stored.version;
    execution->job_instance = state.instances.at(stored.instance_id);
    execution->job_parameters = stored.parameters;
    execution->status = stored.status;
    execution->exit_status = stored.exit_status;
    execution->create_time = stored.create_time;
    execution->start_time = stored.start_time;
    execution->end_time = stored.end_time;
    execution->last_updated = stored.last_updated;
    if (with_contexts) execution->execution_context = parse_context(stored.context_json);
    for (int64_t step_id : stored.step_ids) {
      execution->adopt(std::make_unique<StepExecution>(load_step(state.steps.at(step_id), with_contexts)));
    }
    return execution;
  }

  static StepExecution load_step(const StoredStep& stored, bool with_context) {
    StepExecution step = stored.step;
    if (with_context) step.execution_context = parse_context(stored.context_json);
    return step;
  }

  // Ids of the executions of an instance, ascending.
  const std::vector<int64_t>& executions_of(int64_t instance_id) const {
    static const std::vector<int64_t> kNone;
    auto it = state.executions_by_instance.find(instance_id);
    return it == state.executions_by_instance.end() ? kNone : it->second;
  }

  std::optional<int64_t> find_instance(std::string_view job_name, const JobParameters& parameters) const {
    auto it = state.instance_by_key.find({std::string(job_name), parameters.job_key()});
    if (it == state.instance_by_key.end()) return std::nullopt;
    return it->second;
  }

  std::optional<ExecutionLease> lease_of(int64_t execution_id) const {
    auto it = state.leases.find(execution_id);
    if (it == state.leases.end()) return std::nullopt;
    return it->second;
  }

  // Returns `live` for a change of the entry `key`, first saving its
  // before-image when a transaction is open.
  template <class Map, class Log>
  Map& touch(Map& live, Log Undo::*log, const typename Map::key_type& key) {
    if (undo) {
      Log& images = (*undo).*log;
      if (images.find(key) == images.end()) {
        auto it = live.find(key);
        images.emplace(key, it == live.end() ? typename Log::mapped_type{} : typename Log::mapped_type{it->second});
      }
    }
    return live;
  }
  StoredExecution& execution_for_write(int64_t id) {
    return touch(state.executions, &Undo::executions, id).at(id);
  }
  StoredStep& step_for_write(int64_t id) { return touch(state.steps, &Undo::steps, id).at(id); }
  std::map<int64_t, ExecutionLease>& leases_for_write(int64_t id) { return touch(state.leases, &Undo::leases, id); }

  void mark_dead(int64_t execution_id, const std::string& reason, Timestamp now) {
    StoredExecution& execution = execution_for_write(execution_id);
    auto failed = stored_exit(ExitStatus::failed(reason));
    execution.status = BatchStatus::FAILED;
    execution.exit_status = failed;
    execution.end_time = now;
    execution.last_updated = now;
    ++execution.version;
    for (int64_t step_id : execution.step_ids) {
      if (!is_running(state.steps.at(step_id).step.status)) continue;
      StepExecution& step = step_for_write(step_id).step;
      step.status = BatchStatus::FAILED;
      step.exit_status = failed;
      step.end_time = now;
      step.last_updated = now;
      ++step.version;
    }
    leases_for_write(execution.id).erase(execution.id);
    logger().warn("Job execution {} of {} marked FAILED: {}", execution.id,
                  internal::describe(state.instances.at(execution.instance_id)), reason);
  }

  std::vector<std::unique_ptr<JobExecution>> select(const std::vector<int64_t>& newest_first_ids,
                                                    bool with_contexts) const {
    std::vector<std::unique_ptr<JobExecution>> out;
    out.reserve(newest_first_ids.size());
    for (int64_t id : newest_first_ids) out.push_back(load(state.executions.at(id), with_contexts));
    return out;
  }

  // The dead-letter table: writes only inside a transaction (so always
  // with an undo log); reads see the state as it is.
  class DeadLetters final : public DeadLetterStore {
   public:
    explicit DeadLetters(Impl& impl) : impl_(impl) {}
    Result<int64_t> add(const DeadLetter& letter) override {
      std::lock_guard lock(impl_.mutex);
      if (!impl_.undo) return internal::outside_transaction("add");
      const int64_t id = impl_.state.next_dead_letter_id++;
      impl_.touch(impl_.state.dead_letters, &Undo::dead_letters, id)
          .emplace(id, internal::new_dead_letter(letter, id, impl_.clock.now()));
      return id;
    }
    Result<DeadLetter> get(int64_t id) override {
      std::lock_guard lock(impl_.mutex);
      auto it = impl_.state.dead_letters.find(id);
      if (it == impl_.state.dead_letters.end()) return internal::dead_letter_not_found(id);
      return it->second;
    }
    Result<std::vector<DeadLetter>> find(const DeadLetterQuery& query) override {
      std::lock_guard lock(impl_.mutex);
      std::vector<DeadLetter> out;
      for (auto it = impl_.state.dead_letters.upper_bound(query.after_id); it != impl_.state.dead_letters.end();
           ++it) {
        if (query.limit >= 0 && static_cast<int64_t>(out.size()) >= query.limit) break;
        if (internal::matches(it->second, query)) out.push_back(it->second);
      }
      return out;
    }
    Result<void> update(DeadLetter& letter) override {
      std::lock_guard lock(impl_.mutex);
      if (!impl_.undo) return internal::outside_transaction("update");
      auto it = impl_.state.dead_letters.find(letter.id);
      if (it == impl_.state.dead_letters.end()) return internal::dead_letter_not_found(letter.id);
      if (it->second.version != letter.version) {
        return internal::version_conflict("DeadLetter", letter.id, letter.version, it->second.version);
      }
      internal::prepare_update(letter, impl_.clock.now());
      DeadLetter& stored = impl_.touch(impl_.state.dead_letters, &Undo::dead_letters, letter.id).at(letter.id);
      stored.status = letter.status;
      stored.attempts = letter.attempts;
      stored.last_error = letter.last_error;
      stored.last_updated = letter.last_updated;
      stored.version = ++letter.version;
      return {};
    }

   private:
    Impl& impl_;
  };

  std::recursive_mutex mutex;
  State state;
  std::optional<Undo> undo;  // set while a transaction is open
  LeaseOptions lease;
  Clock& clock;
  Transactions transactions;
  DeadLetters dead_letter_store;
};

InMemoryJobRepository::InMemoryJobRepository(LeaseOptions lease, Clock& clock)
    : impl_(std::make_unique<Impl>(lease, clock)) {}

InMemoryJobRepository::~InMemoryJobRepository() = default;

Result<std::vector<std::string>> InMemoryJobRepository::job_names() {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> names;
  for (const auto& entry : impl_->state.instance_by_key) {
    if (names.empty() || names.back() != entry.first.first) names.push_back(entry.first.first);
  }
  return names;  // the map is ordered by name first
}

Result<std::vector<JobInstance>> InMemoryJobRepository::job_instances(std::string_view job_name, int64_t start,
                                                                      int64_t count) {
  std::lock_guard lock(impl_->mutex);
  std::vector<JobInstance> out;
  int64_t skipped = 0;
  for (auto it = impl_->state.instances.rbegin(); it != impl_->state.instances.rend(); ++it) {
    if (count >= 0 && static_cast<int64_t>(out.size()) >= count) break;
    if (it->second.job_name != job_name) continue;
    if (skipped++ < start) continue;
    out.push_back(it->second);
  }
  return out;
}

Result<JobInstance> InMemoryJobRepository::job_instance(int64_t instance_id) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.instances.find(instance_id);
  if (it == impl_->state.instances.end()) {
    return Error(ErrorCode::NOT_FOUND, "No job instance with id=" + std::to_string(instance_id));
  }
  return it->second;
}

Result<std::optional<JobInstance>> InMemoryJobRepository::find_job_instance(std::string_view job_name,
                                                                            const JobParameters& parameters) {
  std::lock_guard lock(impl_->mutex);
  auto id = impl_->find_instance(job_name, parameters);
  if (!id) return std::optional<JobInstance>{};
  return std::optional<JobInstance>{impl_->state.instances.at(*id)};
}

Result<std::unique_ptr<JobExecution>> InMemoryJobRepository::job_execution(int64_t execution_id) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.executions.find(execution_id);
  if (it == impl_->state.executions.end()) {
    return Error(ErrorCode::NOT_FOUND, "No job execution with id=" + std::to_string(execution_id));
  }
  return impl_->load(it->second, /*with_contexts=*/true);
}

Result<std::vector<std::unique_ptr<JobExecution>>> InMemoryJobRepository::job_executions(const JobInstance& instance) {
  std::lock_guard lock(impl_->mutex);
  const auto& ascending = impl_->executions_of(instance.id);
  std::vector<int64_t> ids(ascending.rbegin(), ascending.rend());
  return impl_->select(ids, /*with_contexts=*/true);
}

Result<std::vector<std::unique_ptr<JobExecution>>> InMemoryJobRepository::find_job_executions(
    const ExecutionQuery& query) {
  std::lock_guard lock(impl_->mutex);
  std::vector<int64_t> ids;
  for (auto it = impl_->state.executions.rbegin(); it != impl_->state.executions.rend(); ++it) {
    if (query.limit > 0 && static_cast<int64_t>(ids.size()) >= query.limit) break;
    if (!query.job_name.empty() && impl_->state.instances.at(it->second.instance_id).job_name != query.job_name) {
      continue;
    }
    ids.push_back(it->first);
  }
  return impl_->select(ids, /*with_contexts=*/false);
}

Result<std::vector<std::unique_ptr<JobExecution>>> InMemoryJobRepository::running_job_executions(
    std::string_view job_name) {
  std::lock_guard lock(impl_->mutex);
  std::vector<int64_t> ids;
  for (auto it = impl_->state.executions.rbegin(); it != impl_->state.executions.rend(); ++it) {
    if (!is_running(it->second.status)) continue;
    if (!job_name.empty() && impl_->state.instances.at(it->second.instance_id).job_name != job_name) continue;
    ids.push_back(it->first);
  }
  return impl_->select(ids, /*with_contexts=*/true);
}

Result<std::unique_ptr<JobExecution>> InMemoryJobRepository::last_job_execution(std::string_view job_name,
                                                                                const JobParameters& parameters) {
  std::lock_guard lock(impl_->mutex);
  auto instance_id = impl_->find_instance(job_name, parameters);
  if (!instance_id) return std::unique_ptr<JobExecution>{};
  const auto& ids = impl_->executions_of(*instance_id);
  if (ids.empty()) return std::unique_ptr<JobExecution>{};
  return impl_->load(impl_->state.executions.at(ids.back()), /*with_contexts=*/true);
}

Result<std::unique_ptr<JobExecution>> InMemoryJobRepository::create_job_execution(std::string_view job_name,
                                                                                  const JobParameters& parameters) {
  std::lock_guard lock(impl_->mutex);
  State& state = impl_->state;
  Timestamp now = *stored_time(impl_->clock.now());
  std::string context_json = "{}";
  int64_t instance_id = 0;
  if (auto found = impl_->find_instance(job_name, parameters)) {
    instance_id = *found;
    const std::vector<int64_t>& ids = impl_->executions_of(instance_id);
    bool alive = false;
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      const StoredExecution& execution = state.executions.at(*it);
      if (!is_running(execution.status)) continue;
      auto reason = internal::dead_owner_reason(impl_->lease_of(execution.id),
                                                execution.last_updated ? execution.last_updated : execution.create_time,
                                                now, impl_->lease.lease_duration);
      if (reason) {
        impl_->mark_dead(execution.id, *reason, now);
      } else {
        alive = true;
      }
    }
    if (alive) return internal::already_running(state.instances.at(instance_id));
    std::optional<BatchStatus> newest_blocking;
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      BatchStatus status = state.executions.at(*it).status;
      if (internal::blocks_launch(status, parameters)) {
        newest_blocking = status;
        break;
      }
    }
    if (auto refusal = internal::refuse_finished(newest_blocking, parameters)) return *refusal;
    if (!ids.empty()) context_json = state.executions.at(ids.back()).context_json;
  } else {
    instance_id = state.next_instance_id++;
    JobInstance instance{instance_id, 0, std::string(job_name), parameters.job_key()};
    impl_->touch(state.instances, &Undo::instances, instance_id).emplace(instance_id, instance);
    auto key = std::make_pair(instance.job_name, instance.job_key);
    impl_->touch(state.instance_by_key, &Undo::instance_by_key, key).emplace(key, instance_id);
  }

  StoredExecution stored;
  stored.id = state.next_execution_id++;
  stored.instance_id = instance_id;
  stored.parameters = parameters;
  stored.status = BatchStatus::STARTING;
  stored.exit_status = ExitStatus::unknown();
  stored.create_time = now;
  stored.last_updated = now;
  stored.context_json = context_json;
  impl_->touch(state.executions_by_instance, &Undo::executions_by_instance, instance_id)[instance_id].push_back(
      stored.id);
  impl_->leases_for_write(stored.id)[stored.id] = ExecutionLease{host_name(), current_pid(), now};
  int64_t id = stored.id;
  auto [it, inserted] = impl_->touch(state.executions, &Undo::executions, id).emplace(id, std::move(stored));
  return impl_->load(it->second, /*with_contexts=*/true);
}

Result<void> InMemoryJobRepository::update(JobExecution& execution) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.executions.find(execution.id);
  if (it == impl_->state.executions.end()) return internal::version_conflict("job execution", execution.id, 0, {});
  StoredExecution& stored = impl_->execution_for_write(execution.id);
  BatchStatus status = execution.status;
  int64_t version = execution.version;
  if (stored.status == BatchStatus::STOPPING) {  // a stop request by another process: absorb it
    if (status == BatchStatus::STARTING || status == BatchStatus::STARTED) status = BatchStatus::STOPPING;
    version = stored.version;
  }
  if (version != stored.version) {
    return internal::version_conflict("job execution", execution.id, execution.version, stored.version);
  }
  Timestamp now = *stored_time(impl_->clock.now());
  stored.status = status;
  stored.exit_status = stored_exit(execution.exit_status);
  stored.create_time = stored_time(execution.create_time);
  stored.start_time = stored_time(execution.start_time);
  stored.end_time = stored_time(execution.end_time);
  stored.last_updated = now;
  ++stored.version;
  execution.status = status;
  execution.version = stored.version;
  execution.last_updated = now;
  return {};
}

Result<void> InMemoryJobRepository::update_execution_context(JobExecution& execution) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.executions.find(execution.id);
  if (it == impl_->state.executions.end()) {
    return Error(ErrorCode::NOT_FOUND, "No job execution with id=" + std::to_string(execution.id));
  }
  auto json = internal::context_json(execution.execution_context, "job execution " + std::to_string(execution.id));
  if (!json) return json.error();
  impl_->execution_for_write(execution.id).context_json = std::move(json.value());
  execution.execution_context.clear_dirty();
  return {};
}

Result<void> InMemoryJobRepository::add(StepExecution& step) {
  std::lock_guard lock(impl_->mutex);
  if (step.id != 0) {
    return Error(ErrorCode::INVALID_ARGUMENT, "step execution " + step.step_name + " is already stored (id=" +
                                                  std::to_string(step.id) + ")");
  }
  int64_t job_execution_id = step.job_execution ? step.job_execution->id : step.job_execution_id;
  auto it = impl_->state.executions.find(job_execution_id);
  if (it == impl_->state.executions.end()) {
    return Error(ErrorCode::NOT_FOUND, "cannot add step execution " + step.step_name +
                                           ": no job execution with id=" + std::to_string(job_execution_id));
  }
  auto json = internal::context_json(step.execution_context, "step execution " + step.step_name);
  if (!json) return json.error();
  Timestamp now = *stored_time(impl_->clock.now());
  StoredStep stored;
  stored.step = step;
  stored.step.id = impl_->state.next_step_id++;
  stored.step.version = 0;
  stored.step.job_execution_id = job_execution_id;
  stored.step.job_execution = nullptr;
  stored.step.execution_context = ExecutionContext{};
  stored.step.terminate_only = false;
  stored.step.failures.clear();
  stored.step.exit_status = stored_exit(step.exit_status);
  stored.step.create_time = step.create_time ? stored_time(step.create_time) : now;
  stored.step.start_time = stored_time(step.start_time);
  stored.step.end_time = stored_time(step.end_time);
  stored.step.last_updated = now;
  stored.context_json = std::move(json.value());
  impl_->execution_for_write(job_execution_id).step_ids.push_back(stored.step.id);
  step.id = stored.step.id;
  step.version = 0;
  step.job_execution_id = job_execution_id;
  step.create_time = stored.step.create_time;
  step.last_updated = now;
  step.execution_context.clear_dirty();
  impl_->touch(impl_->state.steps, &Undo::steps, step.id).emplace(step.id, std::move(stored));
  return {};
}

Result<void> InMemoryJobRepository::update(StepExecution& step) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.steps.find(step.id);
  if (it == impl_->state.steps.end()) return internal::version_conflict("step execution", step.id, step.version, {});
  StoredStep& stored = impl_->step_for_write(step.id);
  if (stored.step.version != step.version) {
    return internal::version_conflict("step execution", step.id, step.version, stored.step.version);
  }
  std::optional<std::string> context_json;  // written only when dirty, as the SQL backends do
  if (step.execution_context.dirty()) {
    auto json = internal::context_json(step.execution_context, "step execution " + step.step_name);
    if (!json) return json.error();
    context_json = std::move(json.value());
  }
  Timestamp now = *stored_time(impl_->clock.now());
  StepExecution& s = stored.step;
  s.status = step.status;
  s.exit_status = stored_exit(step.exit_status);
  s.read_count = step.read_count;
  s.write_count = step.write_count;
  s.commit_count = step.commit_count;
  s.rollback_count = step.rollback_count;
  s.read_skip_count = step.read_skip_count;
  s.process_skip_count = step.process_skip_count;
  s.write_skip_count = step.write_skip_count;
  s.filter_count = step.filter_count;
  s.start_time = stored_time(step.start_time);
  s.end_time = stored_time(step.end_time);
  s.last_updated = now;
  ++s.version;
  if (context_json) stored.context_json = std::move(*context_json);
  step.version = s.version;
  step.last_updated = now;
  step.execution_context.clear_dirty();
  auto job = impl_->state.executions.find(s.job_execution_id);
  if (job != impl_->state.executions.end() && job->second.status == BatchStatus::STOPPING) step.terminate_only = true;
  return {};
}

Result<void> InMemoryJobRepository::update_execution_context(StepExecution& step) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.steps.find(step.id);
  if (it == impl_->state.steps.end()) {
    return Error(ErrorCode::NOT_FOUND, "No step execution with id=" + std::to_string(step.id));
  }
  auto json = internal::context_json(step.execution_context, "step execution " + step.step_name);
  if (!json) return json.error();
  impl_->step_for_write(step.id).context_json = std::move(json.value());
  step.execution_context.clear_dirty();
  return {};
}

Result<std::optional<StepExecution>> InMemoryJobRepository::last_step_execution(const JobInstance& instance,
                                                                                std::string_view step_name) {
  std::lock_guard lock(impl_->mutex);
  const StoredStep* last = nullptr;
  for (int64_t execution_id : impl_->executions_of(instance.id)) {
    for (int64_t step_id : impl_->state.executions.at(execution_id).step_ids) {
      const StoredStep& stored = impl_->state.steps.at(step_id);
      if (stored.step.step_name == step_name && (!last || stored.step.id > last->step.id)) last = &stored;
    }
  }
  if (!last) return std::optional<StepExecution>{};
  return std::optional<StepExecution>{Impl::load_step(*last, /*with_context=*/true)};
}

Result<int64_t> InMemoryJobRepository::step_execution_count(const JobInstance& instance, std::string_view step_name) {
  std::lock_guard lock(impl_->mutex);
  int64_t count = 0;
  for (int64_t execution_id : impl_->executions_of(instance.id)) {
    for (int64_t step_id : impl_->state.executions.at(execution_id).step_ids) {
      if (impl_->state.steps.at(step_id).step.step_name == step_name) ++count;
    }
  }
  return count;
}

Result<void> InMemoryJobRepository::heartbeat(const JobExecution& execution) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.leases.find(execution.id);
  if (it == impl_->state.leases.end() || !holds(it->second)) {
    return Error(ErrorCode::CONFLICT, "This process no longer holds the lease of job execution " +
                                          std::to_string(execution.id) +
                                          " (released, or taken away when it was found dead)");
  }
  impl_->leases_for_write(execution.id).at(execution.id).last_beat = *stored_time(impl_->clock.now());
  return {};
}

Result<void> InMemoryJobRepository::release(const JobExecution& execution) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->state.leases.find(execution.id);
  if (it != impl_->state.leases.end() && holds(it->second)) impl_->leases_for_write(execution.id).erase(execution.id);
  return {};
}

Result<std::vector<ExecutionKey>> InMemoryJobRepository::job_executions_created_before(std::string_view job_name,
                                                                                      Timestamp cutoff) {
  std::lock_guard lock(impl_->mutex);
  const Timestamp limit = *stored_time(cutoff);
  std::vector<ExecutionKey> keys;
  for (const auto& [instance_id, ids] : impl_->state.executions_by_instance) {
    if (!job_name.empty() && impl_->state.instances.at(instance_id).job_name != job_name) continue;
    for (int64_t id : ids) {
      const StoredExecution& execution = impl_->state.executions.at(id);
      if (execution.create_time && *execution.create_time < limit) keys.push_back({id, instance_id});
    }
  }
  return keys;
}

Result<ExecutionDeletion> InMemoryJobRepository::delete_job_executions(const std::vector<int64_t>& execution_ids,
                                                                       bool dry_run) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->undo) {  // only this thread can hold the mutex with a transaction open
    return Error(ErrorCode::ILLEGAL_STATE, "job executions cannot be deleted inside an open transaction");
  }
  State& state = impl_->state;
  // Decide everything first, then change the state: nothing can fail half-way.
  ExecutionDeletion deletion;
  std::map<int64_t, std::vector<int64_t>> deleted_by_instance;
  for (int64_t id : std::set<int64_t>(execution_ids.begin(), execution_ids.end())) {
    auto it = state.executions.find(id);
    if (it == state.executions.end()) continue;
    if (is_running(it->second.status)) {
      deletion.skipped_running.push_back(id);
      continue;
    }
    deletion.job_executions.push_back(id);
    deletion.step_executions += static_cast<int64_t>(it->second.step_ids.size());
    deleted_by_instance[it->second.instance_id].push_back(id);
  }
  for (const auto& [instance_id, ids] : deleted_by_instance) {
    if (impl_->executions_of(instance_id).size() == ids.size()) deletion.job_instances.push_back(instance_id);
  }
  if (dry_run) return deletion;

  // Everything stored per execution goes with it. Dead letters stay: they
  // are unfinished business of their own (docs/cli.md, prune).
  for (auto& [instance_id, ids] : deleted_by_instance) {
    std::vector<int64_t>& remaining = state.executions_by_instance.at(instance_id);
    std::erase_if(remaining, [&](int64_t id) { return std::binary_search(ids.begin(), ids.end(), id); });
    for (int64_t id : ids) {
      for (int64_t step_id : state.executions.at(id).step_ids) state.steps.erase(step_id);
      state.leases.erase(id);
      state.executions.erase(id);
    }
  }
  for (int64_t instance_id : deletion.job_instances) {
    const JobInstance& instance = state.instances.at(instance_id);
    state.instance_by_key.erase({instance.job_name, instance.job_key});
    state.executions_by_instance.erase(instance_id);
    state.instances.erase(instance_id);
  }
  return deletion;
}

TransactionManager& InMemoryJobRepository::transaction_manager() { return impl_->transactions; }
DeadLetterStore& InMemoryJobRepository::dead_letters() { return impl_->dead_letter_store; }

const LeaseOptions& InMemoryJobRepository::lease_options() const { return impl_->lease; }
Clock& InMemoryJobRepository::clock() const { return impl_->clock; }

Result<std::optional<ExecutionLease>> InMemoryJobRepository::lease(int64_t execution_id) {
  std::lock_guard lock(impl_->mutex);
  return impl_->lease_of(execution_id);
}

void InMemoryJobRepository::set_lease_for_testing(int64_t execution_id, ExecutionLease lease) {
  std::lock_guard lock(impl_->mutex);
  lease.last_beat = *stored_time(lease.last_beat);
  impl_->leases_for_write(execution_id)[execution_id] = std::move(lease);
}

}  // namespace cppbatch
