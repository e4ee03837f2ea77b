// The JobRepository contract (include/cppbatch/core/job_repository.hpp),
// checked against every backend: in-memory and SQLite. Time comes from a
// ManualClock; nothing waits on the wall clock.
#include <sys/wait.h>
#include <unistd.h>

#include <latch>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/repository_backends.hpp"
#include "cppbatch/common/process.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch {
// Readable failure messages.
inline void PrintTo(const ExecutionKey& key, std::ostream* out) {
  *out << "{execution " << key.execution_id << ", instance " << key.instance_id << "}";
}
}  // namespace cppbatch

namespace cppbatch::conformance {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using std::chrono::seconds;

JobParameters daily(std::string date = "2026-01-02") {
  return JobParametersBuilder().add_string("date", std::move(date)).add_long("attempt", 1, false).build();
}

// Timestamps are stored at microsecond precision.
Timestamp micros(Timestamp t) { return std::chrono::floor<std::chrono::microseconds>(t); }

pid_t exited_child_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

template <class Backend>
class JobRepositoryConformance : public ::testing::Test {
 protected:
  void SetUp() override { repo_ = backend_.open(clock_, lease_); }

  std::unique_ptr<JobExecution> launch(std::string_view job = "settlement", const JobParameters& params = daily()) {
    return must(repo_->create_job_execution(job, params));
  }
  // Moves an execution to STARTED, as the engine does once it runs.
  void start(JobExecution& execution) {
    execution.status = BatchStatus::STARTED;
    execution.start_time = clock_.now();
    must(repo_->update(execution));
  }
  void finish(JobExecution& execution, BatchStatus status) {
    execution.status = status;
    execution.exit_status = exit_status_for(status);
    execution.end_time = clock_.now();
    must(repo_->update(execution));
    must(repo_->release(execution));
  }
  StepExecution& add_step(JobExecution& execution, std::string name) {
    StepExecution& step = execution.create_step_execution(std::move(name));
    step.status = BatchStatus::STARTED;
    step.start_time = clock_.now();
    must(repo_->add(step));
    return step;
  }
  std::unique_ptr<JobExecution> reload(int64_t execution_id) { return must(repo_->job_execution(execution_id)); }

  Backend backend_;
  cppbatch::testing::ManualClock clock_;
  LeaseOptions lease_{std::chrono::milliseconds{60'000}};
  std::unique_ptr<JobRepository> repo_;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(JobRepositoryConformance, Backends, BackendNames);

// --- instances and launch rules -----------------------------------------

TYPED_TEST(JobRepositoryConformance, CreatesInstanceAndStartingExecution) {
  auto execution = this->launch();
  EXPECT_GT(execution->id, 0);
  EXPECT_EQ(execution->version, 0);
  EXPECT_EQ(execution->status, BatchStatus::STARTING);
  EXPECT_EQ(execution->exit_status.code(), "UNKNOWN");
  EXPECT_EQ(execution->create_time, micros(this->clock_.now()));
  EXPECT_TRUE(execution->execution_context.empty());
  EXPECT_GT(execution->job_instance.id, 0);
  EXPECT_EQ(execution->job_instance.job_name, "settlement");
  EXPECT_EQ(execution->job_instance.job_key, daily().job_key());

  auto found = must(this->repo_->find_job_instance("settlement", daily()));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, execution->job_instance);
  EXPECT_EQ(must(this->repo_->job_instance(execution->job_instance.id)), execution->job_instance);

  auto stored = this->reload(execution->id);
  EXPECT_EQ(stored->status, BatchStatus::STARTING);
  EXPECT_EQ(stored->job_parameters, daily());
  EXPECT_EQ(stored->create_time, execution->create_time);
  EXPECT_EQ(stored->last_updated, execution->last_updated);
}

TYPED_TEST(JobRepositoryConformance, SameIdentifyingParametersMeanSameInstance) {
  auto first = this->launch();
  this->finish(*first, BatchStatus::FAILED);
  auto params = JobParametersBuilder(daily()).add_long("attempt", 2, false).add_string("note", "x", false).build();
  auto second = this->launch("settlement", params);
  EXPECT_EQ(second->job_instance.id, first->job_instance.id);
  EXPECT_NE(second->id, first->id);
  EXPECT_EQ(second->job_parameters, params);

  auto other_day = this->launch("settlement", daily("2026-01-03"));
  EXPECT_NE(other_day->job_instance.id, first->job_instance.id);
  auto other_job = this->launch("refund", daily());
  EXPECT_NE(other_job->job_instance.id, first->job_instance.id);
}

TYPED_TEST(JobRepositoryConformance, CompletedInstanceIsRefused) {
  auto execution = this->launch();
  this->finish(*execution, BatchStatus::COMPLETED);
  auto again = this->repo_->create_job_execution("settlement", daily());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
  EXPECT_THAT(again.error().message(),
              StartsWith("A job instance already exists and is complete for identifying parameters={date=2026-01-02}"));
  EXPECT_THAT(again.error().message(), HasSubstr("If you want to run this job again, change the parameters."));
}

TYPED_TEST(JobRepositoryConformance, AbandonedInstanceIsRefused) {
  auto execution = this->launch();
  this->finish(*execution, BatchStatus::ABANDONED);
  auto again = this->repo_->create_job_execution("settlement", daily());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
}

TYPED_TEST(JobRepositoryConformance, RunningInstanceIsRefused) {
  auto execution = this->launch();
  auto again = this->repo_->create_job_execution("settlement", daily());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_RUNNING);
  EXPECT_THAT(again.error().message(), StartsWith("A job execution for this job is already running: JobInstance: id="));
  this->start(*execution);
  EXPECT_EQ(this->repo_->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
}

TYPED_TEST(JobRepositoryConformance, UnknownInstanceIsNotRestartable) {
  auto execution = this->launch();
  this->finish(*execution, BatchStatus::UNKNOWN);
  auto again = this->repo_->create_job_execution("settlement", daily());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::NOT_RESTARTABLE);
  EXPECT_THAT(again.error().message(), HasSubstr("UNKNOWN"));

  auto no_identifying = this->launch("cleanup", JobParameters{});
  this->finish(*no_identifying, BatchStatus::UNKNOWN);
  EXPECT_EQ(this->repo_->create_job_execution("cleanup", JobParameters{}).error().code(),
            ErrorCode::NOT_RESTARTABLE);
}

TYPED_TEST(JobRepositoryConformance, CompletedInstanceWithoutIdentifyingParametersRunsAgain) {
  auto non_identifying = JobParametersBuilder().add_long("run.id", 7, false).build();
  auto first = this->launch("cleanup", non_identifying);
  this->finish(*first, BatchStatus::COMPLETED);
  auto second = this->launch("cleanup", JobParameters{});
  EXPECT_EQ(second->job_instance.id, first->job_instance.id);
  this->finish(*second, BatchStatus::ABANDONED);
  auto third = this->launch("cleanup", JobParameters{});
  EXPECT_EQ(third->job_instance.id, first->job_instance.id);
}

TYPED_TEST(JobRepositoryConformance, RestartInheritsTheLastJobContext) {
  auto first = this->launch();
  first->execution_context.put_string("cursor", "2026-01-02T10:00");
  first->execution_context.put_long("processed", 1200);
  must(this->repo_->update_execution_context(*first));
  EXPECT_FALSE(first->execution_context.dirty());
  this->finish(*first, BatchStatus::FAILED);

  auto second = this->launch();
  EXPECT_EQ(second->execution_context, first->execution_context);
  EXPECT_FALSE(second->execution_context.dirty());
  EXPECT_EQ(this->reload(second->id)->execution_context, first->execution_context);
}

TYPED_TEST(JobRepositoryConformance, ParametersRoundTripEveryType) {
  auto params = JobParametersBuilder()
                    .add_string("text", "h\u00e9llo, w\u00f6rld = {x}; 'quoted'")
                    .add_long("count", -42)
                    .add_double("rate", 0.1, false)
                    .add_double("huge", 1e300)
                    .add_date("day", *parse_date("2026-01-02"), false)
                    .add_date_time("at", *parse_date_time("2026-01-02T10:11:12.123456"))
                    .add_date_time("noon", *parse_date_time("2026-01-02T12:00"), false)
                    .build();
  auto execution = this->launch("typed", params);
  auto stored = this->reload(execution->id);
  EXPECT_EQ(stored->job_parameters, params);
  for (const auto& [name, parameter] : params.parameters()) {
    const JobParameter* loaded = stored->job_parameters.find(name);
    ASSERT_NE(loaded, nullptr) << name;
    EXPECT_EQ(loaded->type(), parameter.type()) << name;
    EXPECT_EQ(loaded->identifying(), parameter.identifying()) << name;
  }
  EXPECT_EQ(stored->job_instance.job_key, params.job_key());
  ASSERT_TRUE(must(this->repo_->find_job_instance("typed", params.identifying())).has_value());
}

// --- optimistic locking --------------------------------------------------

TYPED_TEST(JobRepositoryConformance, StaleJobExecutionIsAConflict) {
  auto owner = this->launch();
  auto stale = this->reload(owner->id);
  this->start(*owner);
  EXPECT_EQ(owner->version, 1);

  stale->status = BatchStatus::COMPLETED;
  auto result = this->repo_->update(*stale);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::CONFLICT);
  EXPECT_THAT(result.error().message(), HasSubstr("wrong version (0)"));
  EXPECT_EQ(stale->version, 0);
  EXPECT_EQ(this->reload(owner->id)->status, BatchStatus::STARTED);

  JobExecution never_stored;
  never_stored.id = 999'999;
  EXPECT_EQ(this->repo_->update(never_stored).error().code(), ErrorCode::NOT_FOUND);
}

TYPED_TEST(JobRepositoryConformance, StaleStepExecutionIsAConflict) {
  auto execution = this->launch();
  StepExecution& step = this->add_step(*execution, "load");
  EXPECT_GT(step.id, 0);
  EXPECT_EQ(step.version, 0);
  StepExecution stale = step;

  step.read_count = 10;
  must(this->repo_->update(step));
  EXPECT_EQ(step.version, 1);

  stale.read_count = 99;
  auto result = this->repo_->update(stale);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::CONFLICT);
  EXPECT_EQ(stale.version, 0);
  EXPECT_EQ(this->reload(execution->id)->step_executions.at(0)->read_count, 10);
}

TYPED_TEST(JobRepositoryConformance, AddRefusesStoredOrOrphanSteps) {
  auto execution = this->launch();
  StepExecution& step = this->add_step(*execution, "load");
  EXPECT_EQ(this->repo_->add(step).error().code(), ErrorCode::INVALID_ARGUMENT);
  StepExecution orphan;
  orphan.step_name = "orphan";
  orphan.job_execution_id = 424'242;
  EXPECT_EQ(this->repo_->add(orphan).error().code(), ErrorCode::NOT_FOUND);
}

// --- step updates: transaction, stop requests ----------------------------

TYPED_TEST(JobRepositoryConformance, StepUpdateJoinsTheOpenTransaction) {
  auto execution = this->launch();
  StepExecution& step = this->add_step(*execution, "load");
  TransactionManager& transactions = this->repo_->transaction_manager();

  StepExecution before = step;  // the engine keeps a copy to restore on rollback
  must(transactions.begin());
  step.read_count = 10;
  step.commit_count = 1;
  step.execution_context.put_long("reader.line", 10);
  must(this->repo_->update(step));
  transactions.rollback();
  step = before;

  auto stored = this->reload(execution->id);
  const StepExecution& rolled_back = *stored->step_executions.at(0);
  EXPECT_EQ(rolled_back.read_count, 0);
  EXPECT_EQ(rolled_back.version, 0);
  EXPECT_FALSE(rolled_back.execution_context.contains("reader.line"));

  must(transactions.begin());
  step.read_count = 20;
  step.execution_context.put_long("reader.line", 20);
  must(this->repo_->update(step));
  must(transactions.commit());
  stored = this->reload(execution->id);
  EXPECT_EQ(stored->step_executions.at(0)->read_count, 20);
  EXPECT_EQ(stored->step_executions.at(0)->version, 1);
  EXPECT_EQ(stored->step_executions.at(0)->execution_context.get_long("reader.line"), 20);
}

TYPED_TEST(JobRepositoryConformance, RollbackUndoesEveryWriteOfTheTransaction) {
  auto kept = this->launch("kept", daily());
  TransactionManager& transactions = this->repo_->transaction_manager();
  must(transactions.begin());
  auto undone = this->launch("undone", daily());
  StepExecution& step = this->add_step(*undone, "load");
  step.read_count = 4;
  must(this->repo_->update(step));
  kept->execution_context.put_long("n", 1);
  must(this->repo_->update_execution_context(*kept));
  this->start(*kept);
  transactions.rollback();

  EXPECT_FALSE(must(this->repo_->find_job_instance("undone", daily())).has_value());
  EXPECT_EQ(must(this->repo_->job_names()), std::vector<std::string>{"kept"});
  EXPECT_EQ(this->repo_->job_execution(undone->id).error().code(), ErrorCode::NOT_FOUND);
  auto stored = this->reload(kept->id);
  EXPECT_EQ(stored->status, BatchStatus::STARTING);
  EXPECT_EQ(stored->version, 0);
  EXPECT_TRUE(stored->execution_context.empty());
  auto again = this->launch("undone", daily());  // nothing left behind
  EXPECT_TRUE(again->step_executions.empty());
  EXPECT_EQ(must(this->repo_->step_execution_count(again->job_instance, "load")), 0);
}

TYPED_TEST(JobRepositoryConformance, StepUpdateStoresCountersAndDirtyContext) {
  auto execution = this->launch();
  StepExecution& step = this->add_step(*execution, "load");
  step.read_count = 5;
  step.write_count = 4;
  step.filter_count = 1;
  step.commit_count = 2;
  step.rollback_count = 1;
  step.read_skip_count = 3;
  step.process_skip_count = 2;
  step.write_skip_count = 1;
  step.exit_status = ExitStatus("COMPLETED WITH SKIPS", "3 lines skipped");
  step.execution_context.put_double("total", 12.5);
  must(this->repo_->update(step));
  EXPECT_FALSE(step.execution_context.dirty());
  EXPECT_EQ(step.last_updated, micros(this->clock_.now()));

  auto stored = this->reload(execution->id);
  ASSERT_EQ(stored->step_executions.size(), 1u);
  const StepExecution& s = *stored->step_executions[0];
  EXPECT_EQ(s.id, step.id);
  EXPECT_EQ(s.job_execution_id, execution->id);
  EXPECT_EQ(s.job_execution, stored.get());
  EXPECT_EQ(s.step_name, "load");
  EXPECT_EQ(s.status, BatchStatus::STARTED);
  EXPECT_EQ(s.read_count, 5);
  EXPECT_EQ(s.write_count, 4);
  EXPECT_EQ(s.filter_count, 1);
  EXPECT_EQ(s.commit_count, 2);
  EXPECT_EQ(s.rollback_count, 1);
  EXPECT_EQ(s.read_skip_count, 3);
  EXPECT_EQ(s.process_skip_count, 2);
  EXPECT_EQ(s.write_skip_count, 1);
  EXPECT_EQ(s.exit_status, step.exit_status);
  EXPECT_EQ(s.start_time, micros(*step.start_time));
  EXPECT_EQ(s.execution_context.get_double("total"), 12.5);
}

TYPED_TEST(JobRepositoryConformance, StepLearnsThatTheJobIsStopping) {
  auto owner = this->launch();
  this->start(*owner);
  StepExecution& step = this->add_step(*owner, "load");
  must(this->repo_->update(step));
  EXPECT_FALSE(step.terminate_only);

  auto operator_copy = this->reload(owner->id);
  operator_copy->status = BatchStatus::STOPPING;
  must(this->repo_->update(*operator_copy));

  must(this->repo_->update(step));
  EXPECT_TRUE(step.terminate_only);
}

TYPED_TEST(JobRepositoryConformance, JobUpdateKeepsAStopRequestedElsewhere) {
  auto owner = this->launch();
  this->start(*owner);
  auto operator_copy = this->reload(owner->id);
  operator_copy->status = BatchStatus::STOPPING;
  must(this->repo_->update(*operator_copy));

  must(this->repo_->update(*owner));  // owner still thinks STARTED, at an older version
  EXPECT_EQ(owner->status, BatchStatus::STOPPING);
  EXPECT_EQ(owner->version, 3);
  EXPECT_EQ(this->reload(owner->id)->status, BatchStatus::STOPPING);

  owner->status = BatchStatus::STOPPED;
  owner->exit_status = ExitStatus::stopped();
  owner->end_time = this->clock_.now();
  must(this->repo_->update(*owner));
  auto stored = this->reload(owner->id);
  EXPECT_EQ(stored->status, BatchStatus::STOPPED);
  EXPECT_EQ(stored->exit_status.code(), "STOPPED");
}

TYPED_TEST(JobRepositoryConformance, FinalStatusIsWrittenOverAStopRequest) {
  auto owner = this->launch();
  this->start(*owner);
  auto operator_copy = this->reload(owner->id);
  operator_copy->status = BatchStatus::STOPPING;
  must(this->repo_->update(*operator_copy));

  owner->status = BatchStatus::COMPLETED;  // the job ended before it saw the request
  owner->exit_status = ExitStatus::completed();
  owner->end_time = this->clock_.now();
  must(this->repo_->update(*owner));
  EXPECT_EQ(owner->status, BatchStatus::COMPLETED);
  EXPECT_EQ(this->reload(owner->id)->status, BatchStatus::COMPLETED);
}

// --- storage limits -------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, ContextsLongerThanTheShortColumnRoundTrip) {
  auto execution = this->launch();
  execution->execution_context.put_string("big", std::string(5000, 'x') + "\u00e9\u00e9");
  execution->execution_context.put_bool("flag", true);
  must(this->repo_->update_execution_context(*execution));
  StepExecution& step = this->add_step(*execution, "load");
  std::string text;
  for (int i = 0; i < 800; ++i) text += "\u00e9t\u00e9 ";
  step.execution_context.put_string("text", text);
  must(this->repo_->update(step));

  auto stored = this->reload(execution->id);
  EXPECT_EQ(stored->execution_context, execution->execution_context);
  EXPECT_EQ(stored->step_executions.at(0)->execution_context, step.execution_context);
  auto last = must(this->repo_->last_step_execution(execution->job_instance, "load"));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->execution_context, step.execution_context);
}

TYPED_TEST(JobRepositoryConformance, ExitMessagesAreCutAt2500Bytes) {
  auto execution = this->launch();
  std::string message;
  for (int i = 0; i < 1500; ++i) message += "\u00e9";  // 3000 bytes
  execution->status = BatchStatus::FAILED;
  execution->exit_status = ExitStatus::failed(message);
  must(this->repo_->update(*execution));
  StepExecution& step = this->add_step(*execution, "load");
  step.exit_status = ExitStatus::failed(message);
  must(this->repo_->update(step));

  auto stored = this->reload(execution->id);
  EXPECT_EQ(stored->exit_status.description(), message.substr(0, 2500));
  EXPECT_EQ(stored->step_executions.at(0)->exit_status.description(), message.substr(0, 2500));
}

TYPED_TEST(JobRepositoryConformance, ContextThatCannotBeJsonIsRefusedWithoutThrowing) {
  auto execution = this->launch();
  StepExecution& step = this->add_step(*execution, "load");
  step.execution_context.put_string("bad", "\xff\xfe not UTF-8");
  step.read_count = 3;
  auto updated = this->repo_->update(step);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(step.version, 0);
  EXPECT_TRUE(step.execution_context.dirty());
  EXPECT_EQ(this->reload(execution->id)->step_executions.at(0)->read_count, 0);
  EXPECT_EQ(this->repo_->update_execution_context(step).error().code(), ErrorCode::INVALID_ARGUMENT);

  execution->execution_context.put_string("bad", "\xc3");
  EXPECT_EQ(this->repo_->update_execution_context(*execution).error().code(), ErrorCode::INVALID_ARGUMENT);
  StepExecution& other = execution->create_step_execution("other");
  other.execution_context.put_string("bad", "\xff");
  EXPECT_EQ(this->repo_->add(other).error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(other.id, 0);
}

// --- dead owners ----------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, ExpiredLeaseMarksTheExecutionFailedAndTheLaunchProceeds) {
  auto dead = this->launch();
  this->start(*dead);
  StepExecution& running_step = this->add_step(*dead, "load");
  this->clock_.advance(seconds(61));

  auto next = this->launch();
  EXPECT_NE(next->id, dead->id);
  EXPECT_EQ(next->job_instance.id, dead->job_instance.id);

  auto stored = this->reload(dead->id);
  EXPECT_EQ(stored->status, BatchStatus::FAILED);
  EXPECT_EQ(stored->exit_status.code(), "FAILED");
  EXPECT_THAT(stored->exit_status.description(),
              HasSubstr("owner " + host_name() + ":" + std::to_string(current_pid()) +
                        " sent no heartbeat for 61s (lease 60s)"));
  EXPECT_EQ(stored->end_time, micros(this->clock_.now()));
  ASSERT_EQ(stored->step_executions.size(), 1u);
  EXPECT_EQ(stored->step_executions[0]->status, BatchStatus::FAILED);
  EXPECT_EQ(stored->step_executions[0]->exit_status.code(), "FAILED");
  EXPECT_FALSE(this->backend_.lease(*this->repo_, dead->id).has_value());
  auto lease = this->backend_.lease(*this->repo_, next->id);
  ASSERT_TRUE(lease.has_value());
  EXPECT_EQ(lease->host, host_name());
  EXPECT_EQ(lease->pid, current_pid());

  // The old owner, should it wake up, has lost the execution.
  EXPECT_EQ(this->repo_->heartbeat(*dead).error().code(), ErrorCode::CONFLICT);
  EXPECT_EQ(this->repo_->update(*dead).error().code(), ErrorCode::CONFLICT);
  EXPECT_EQ(this->repo_->update(running_step).error().code(), ErrorCode::CONFLICT);
}

TYPED_TEST(JobRepositoryConformance, HeartbeatsKeepTheLease) {
  auto owner = this->launch();
  this->clock_.advance(seconds(45));
  must(this->repo_->heartbeat(*owner));
  this->clock_.advance(seconds(45));
  EXPECT_EQ(this->repo_->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
  EXPECT_EQ(this->backend_.lease(*this->repo_, owner->id)->last_beat, micros(this->clock_.now() - seconds(45)));
}

TYPED_TEST(JobRepositoryConformance, OwnerProcessGoneOnThisHostIsDead) {
  auto dead = this->launch();
  long pid = exited_child_pid();
  this->backend_.set_lease(*this->repo_, dead->id, ExecutionLease{host_name(), pid, this->clock_.now()});

  auto next = this->launch();
  auto stored = this->reload(dead->id);
  EXPECT_EQ(stored->status, BatchStatus::FAILED);
  EXPECT_THAT(stored->exit_status.description(),
              HasSubstr("owner process " + host_name() + ":" + std::to_string(pid) + " is no longer running"));
  EXPECT_NE(next->id, dead->id);
}

TYPED_TEST(JobRepositoryConformance, OwnerOnAnotherHostIsTrustedUntilItsLeaseExpires) {
  auto owner = this->launch();
  long pid = exited_child_pid();  // means nothing on another host
  this->backend_.set_lease(*this->repo_, owner->id, ExecutionLease{"elsewhere.example", pid, this->clock_.now()});
  EXPECT_EQ(this->repo_->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
  this->clock_.advance(seconds(61));
  auto next = this->launch();
  EXPECT_THAT(this->reload(owner->id)->exit_status.description(), HasSubstr("owner elsewhere.example:"));
}

TYPED_TEST(JobRepositoryConformance, RunningExecutionWithoutLeaseIsDeadOnceNotUpdatedForALease) {
  auto owner = this->launch();
  must(this->repo_->release(*owner));
  EXPECT_FALSE(this->backend_.lease(*this->repo_, owner->id).has_value());
  EXPECT_EQ(this->repo_->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
  this->clock_.advance(seconds(30));
  this->start(*owner);  // LAST_UPDATED moves
  this->clock_.advance(seconds(45));
  EXPECT_EQ(this->repo_->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
  this->clock_.advance(seconds(16));
  auto next = this->launch();
  auto stored = this->reload(owner->id);
  EXPECT_EQ(stored->status, BatchStatus::FAILED);
  EXPECT_THAT(stored->exit_status.description(), HasSubstr("no lease"));
}

// --- restart look-ups -------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, LastStepExecutionAndCountSpanTheInstance) {
  auto first = this->launch();
  StepExecution& load1 = this->add_step(*first, "load");
  load1.execution_context.put_long("line", 100);
  must(this->repo_->update(load1));
  this->add_step(*first, "report");
  this->finish(*first, BatchStatus::FAILED);

  auto second = this->launch();
  StepExecution& load2 = this->add_step(*second, "load");
  load2.execution_context.put_long("line", 200);
  must(this->repo_->update(load2));

  auto other = this->launch("settlement", daily("2030-01-01"));
  this->add_step(*other, "load");

  const JobInstance& instance = first->job_instance;
  auto last = must(this->repo_->last_step_execution(instance, "load"));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->id, load2.id);
  EXPECT_EQ(last->job_execution_id, second->id);
  EXPECT_EQ(last->execution_context.get_long("line"), 200);
  EXPECT_EQ(last->job_execution, nullptr);
  EXPECT_EQ(must(this->repo_->last_step_execution(instance, "report"))->job_execution_id, first->id);
  EXPECT_FALSE(must(this->repo_->last_step_execution(instance, "archive")).has_value());

  EXPECT_EQ(must(this->repo_->step_execution_count(instance, "load")), 2);
  EXPECT_EQ(must(this->repo_->step_execution_count(instance, "report")), 1);
  EXPECT_EQ(must(this->repo_->step_execution_count(instance, "archive")), 0);
}

TYPED_TEST(JobRepositoryConformance, LastJobExecutionIsTheNewestWithStepsAndContexts) {
  EXPECT_EQ(must(this->repo_->last_job_execution("settlement", daily())), nullptr);
  auto first = this->launch();
  this->finish(*first, BatchStatus::FAILED);
  auto second = this->launch();
  second->execution_context.put_string("k", "v");
  must(this->repo_->update_execution_context(*second));
  StepExecution& step = this->add_step(*second, "load");
  step.execution_context.put_long("line", 3);
  must(this->repo_->update(step));

  auto last = must(this->repo_->last_job_execution("settlement", daily()));
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->id, second->id);
  EXPECT_EQ(last->execution_context.get_string("k"), "v");
  ASSERT_EQ(last->step_executions.size(), 1u);
  EXPECT_EQ(last->step_executions[0]->execution_context.get_long("line"), 3);
  EXPECT_EQ(last->job_parameters, daily());
}

// --- explorer -------------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, ExplorerListsNewestFirstWithPaging) {
  std::vector<std::unique_ptr<JobExecution>> executions;
  for (const char* day : {"2026-01-01", "2026-01-02", "2026-01-03"}) {
    executions.push_back(this->launch("settlement", daily(day)));
    this->add_step(*executions.back(), "load");
    this->finish(*executions.back(), BatchStatus::COMPLETED);
  }
  executions.push_back(this->launch("audit", daily()));

  EXPECT_EQ(must(this->repo_->job_names()), (std::vector<std::string>{"audit", "settlement"}));

  auto page1 = must(this->repo_->job_instances("settlement", 0, 2));
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0], executions[2]->job_instance);
  EXPECT_EQ(page1[1], executions[1]->job_instance);
  auto page2 = must(this->repo_->job_instances("settlement", 2, 2));
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0], executions[0]->job_instance);
  EXPECT_TRUE(must(this->repo_->job_instances("nothing", 0, 10)).empty());

  auto recent = must(this->repo_->find_job_executions(ExecutionQuery{"", 50}));
  ASSERT_EQ(recent.size(), 4u);
  EXPECT_EQ(recent[0]->id, executions[3]->id);
  EXPECT_EQ(recent[3]->id, executions[0]->id);
  EXPECT_EQ(recent[3]->job_parameters, daily("2026-01-01"));

  auto settlement = must(this->repo_->find_job_executions(ExecutionQuery{"settlement", 2}));
  ASSERT_EQ(settlement.size(), 2u);
  EXPECT_EQ(settlement[0]->id, executions[2]->id);
  EXPECT_EQ(settlement[1]->id, executions[1]->id);
  ASSERT_EQ(settlement[0]->step_executions.size(), 1u);
  EXPECT_EQ(settlement[0]->step_executions[0]->step_name, "load");
  EXPECT_EQ(settlement[0]->status, BatchStatus::COMPLETED);

  EXPECT_EQ(this->repo_->job_execution(123'456).error().code(), ErrorCode::NOT_FOUND);
  EXPECT_EQ(this->repo_->job_instance(123'456).error().code(), ErrorCode::NOT_FOUND);
  EXPECT_FALSE(must(this->repo_->find_job_instance("settlement", daily("1999-01-01"))).has_value());
}

TYPED_TEST(JobRepositoryConformance, JobExecutionsOfAnInstanceNewestFirst) {
  auto first = this->launch();
  this->add_step(*first, "load");
  this->finish(*first, BatchStatus::FAILED);
  auto second = this->launch();
  this->add_step(*second, "load");
  this->add_step(*second, "report");

  auto executions = must(this->repo_->job_executions(first->job_instance));
  ASSERT_EQ(executions.size(), 2u);
  EXPECT_EQ(executions[0]->id, second->id);
  EXPECT_EQ(executions[1]->id, first->id);
  ASSERT_EQ(executions[0]->step_executions.size(), 2u);
  EXPECT_EQ(executions[0]->step_executions[0]->step_name, "load");
  EXPECT_EQ(executions[0]->step_executions[1]->step_name, "report");
  EXPECT_EQ(executions[1]->status, BatchStatus::FAILED);
}

TYPED_TEST(JobRepositoryConformance, RunningJobExecutions) {
  auto done = this->launch("settlement", daily("2026-01-01"));
  this->finish(*done, BatchStatus::COMPLETED);
  auto running = this->launch("settlement", daily("2026-01-02"));
  this->start(*running);
  auto stopping = this->launch("settlement", daily("2026-01-03"));
  stopping->status = BatchStatus::STOPPING;
  must(this->repo_->update(*stopping));
  auto audit = this->launch("audit", daily());

  auto settlement = must(this->repo_->running_job_executions("settlement"));
  ASSERT_EQ(settlement.size(), 2u);
  EXPECT_EQ(settlement[0]->id, stopping->id);
  EXPECT_EQ(settlement[1]->id, running->id);
  auto all = must(this->repo_->running_job_executions(""));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->id, audit->id);
}

// --- retention ----------------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, CreatedBeforeSelectsByCreateTimeOrderedByInstance) {
  auto first = this->launch("settlement", daily("2026-01-01"));
  this->finish(*first, BatchStatus::FAILED);
  this->clock_.advance(seconds(10));
  auto audit = this->launch("audit", daily());
  this->finish(*audit, BatchStatus::COMPLETED);
  this->clock_.advance(seconds(10));
  auto retry = this->launch("settlement", daily("2026-01-01"));  // same instance as `first`
  this->finish(*retry, BatchStatus::COMPLETED);
  this->clock_.advance(seconds(10));
  const Timestamp cutoff = this->clock_.now();
  auto later = this->launch("settlement", daily("2026-01-02"));  // created at the cutoff: not before it

  using Keys = std::vector<ExecutionKey>;
  EXPECT_EQ(must(this->repo_->job_executions_created_before("", cutoff)),
            (Keys{{first->id, first->job_instance.id},
                  {retry->id, first->job_instance.id},
                  {audit->id, audit->job_instance.id}}));
  EXPECT_EQ(must(this->repo_->job_executions_created_before("audit", cutoff)),
            (Keys{{audit->id, audit->job_instance.id}}));
  EXPECT_EQ(must(this->repo_->job_executions_created_before("settlement", cutoff + seconds(1))).size(), 3u);
  EXPECT_TRUE(must(this->repo_->job_executions_created_before("", micros(first->create_time.value()))).empty());
  EXPECT_TRUE(must(this->repo_->job_executions_created_before("nothing", cutoff + seconds(1))).empty());
}

TYPED_TEST(JobRepositoryConformance, DeletesExecutionsWholeAndInstancesLeftEmpty) {
  // Instance A: a failed execution with a step, then its completed restart.
  auto a1 = this->launch("settlement", daily("2026-01-01"));
  StepExecution& a1_step = this->add_step(*a1, "load");
  a1_step.execution_context.put_long("offset", 7);
  must(this->repo_->update(a1_step));
  a1->execution_context.put_string("promoted", "yes");
  must(this->repo_->update_execution_context(*a1));
  this->finish(*a1, BatchStatus::FAILED);
  auto a2 = this->launch("settlement", daily("2026-01-01"));
  this->add_step(*a2, "load");
  // Ended COMPLETED but never released: its lease row must go with it.
  a2->status = BatchStatus::COMPLETED;
  a2->exit_status = ExitStatus::completed();
  a2->end_time = this->clock_.now();
  must(this->repo_->update(*a2));
  // Instance B: an old failed execution is deleted, its newer one is kept.
  auto b1 = this->launch("settlement", daily("2026-01-02"));
  this->add_step(*b1, "load");
  this->finish(*b1, BatchStatus::FAILED);
  auto b2 = this->launch("settlement", daily("2026-01-02"));
  StepExecution& b2_step = this->add_step(*b2, "load");
  // Instance C: running, never deleted.
  auto c1 = this->launch("settlement", daily("2026-01-03"));
  this->start(*c1);

  ExecutionDeletion deletion =
      must(this->repo_->delete_job_executions({b1->id, a2->id, c1->id, a1->id, 9'999, a1->id}, false));
  EXPECT_EQ(deletion.job_executions, (std::vector<int64_t>{a1->id, a2->id, b1->id}));
  EXPECT_EQ(deletion.job_instances, (std::vector<int64_t>{a1->job_instance.id}));
  EXPECT_EQ(deletion.step_executions, 3);
  EXPECT_EQ(deletion.skipped_running, (std::vector<int64_t>{c1->id}));

  for (int64_t id : {a1->id, a2->id, b1->id}) {
    EXPECT_EQ(this->repo_->job_execution(id).error().code(), ErrorCode::NOT_FOUND) << id;
    EXPECT_FALSE(this->backend_.lease(*this->repo_, id).has_value()) << id;
  }
  EXPECT_EQ(this->repo_->job_instance(a1->job_instance.id).error().code(), ErrorCode::NOT_FOUND);
  EXPECT_FALSE(must(this->repo_->find_job_instance("settlement", daily("2026-01-01"))).has_value());
  // What is kept is whole.
  auto kept = this->reload(b2->id);
  ASSERT_EQ(kept->step_executions.size(), 1u);
  EXPECT_EQ(kept->step_executions[0]->id, b2_step.id);
  EXPECT_EQ(must(this->repo_->job_executions(b2->job_instance)).size(), 1u);
  EXPECT_EQ(must(this->repo_->step_execution_count(b2->job_instance, "load")), 1);
  EXPECT_EQ(this->reload(c1->id)->status, BatchStatus::STARTED);
  EXPECT_TRUE(this->backend_.lease(*this->repo_, c1->id).has_value());
  auto instances = must(this->repo_->job_instances("settlement", 0, 10));
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0].id, c1->job_instance.id);
  EXPECT_EQ(instances[1].id, b2->job_instance.id);
  // The forgotten instance's parameters launch afresh: a new instance.
  auto again = this->launch("settlement", daily("2026-01-01"));
  EXPECT_NE(again->job_instance.id, a1->job_instance.id);
  EXPECT_TRUE(again->execution_context.empty());
}

TYPED_TEST(JobRepositoryConformance, DryRunReportsWhatWouldGoAndChangesNothing) {
  auto a1 = this->launch("settlement", daily("2026-01-01"));
  this->add_step(*a1, "load");
  this->add_step(*a1, "report");
  this->finish(*a1, BatchStatus::COMPLETED);
  auto b1 = this->launch("settlement", daily("2026-01-02"));
  this->finish(*b1, BatchStatus::STOPPED);
  auto b2 = this->launch("settlement", daily("2026-01-02"));
  this->start(*b2);
  const std::vector<int64_t> ids{a1->id, b1->id, b2->id};

  ExecutionDeletion planned = must(this->repo_->delete_job_executions(ids, true));
  EXPECT_EQ(planned.job_executions, (std::vector<int64_t>{a1->id, b1->id}));
  EXPECT_EQ(planned.job_instances, (std::vector<int64_t>{a1->job_instance.id}));
  EXPECT_EQ(planned.step_executions, 2);
  EXPECT_EQ(planned.skipped_running, (std::vector<int64_t>{b2->id}));
  EXPECT_EQ(this->reload(a1->id)->step_executions.size(), 2u);
  EXPECT_EQ(this->reload(b1->id)->status, BatchStatus::STOPPED);
  EXPECT_EQ(must(this->repo_->job_instances("settlement", 0, 10)).size(), 2u);

  ExecutionDeletion done = must(this->repo_->delete_job_executions(ids, false));
  EXPECT_EQ(done.job_executions, planned.job_executions);
  EXPECT_EQ(done.job_instances, planned.job_instances);
  EXPECT_EQ(done.step_executions, planned.step_executions);
  EXPECT_EQ(done.skipped_running, planned.skipped_running);
}

TYPED_TEST(JobRepositoryConformance, DeletingInsideAnOpenTransactionIsRefused) {
  auto done = this->launch();
  this->finish(*done, BatchStatus::COMPLETED);
  TransactionManager& transactions = this->repo_->transaction_manager();
  must(transactions.begin());
  auto refused = this->repo_->delete_job_executions({done->id}, false);
  transactions.rollback();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::ILLEGAL_STATE);
  EXPECT_EQ(this->reload(done->id)->status, BatchStatus::COMPLETED);
}

// --- concurrency ------------------------------------------------------------

TYPED_TEST(JobRepositoryConformance, ConcurrentLaunchesOfOneInstanceHaveOneWinner) {
  constexpr int kThreads = 8;
  std::latch ready(kThreads);
  std::vector<std::optional<ErrorCode>> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      auto result = this->repo_->create_job_execution("settlement", daily());
      if (!result.ok()) outcomes[static_cast<size_t>(i)] = result.error().code();
    });
  }
  for (auto& thread : threads) thread.join();
  int winners = 0;
  for (const auto& outcome : outcomes) {
    if (!outcome) {
      ++winners;
    } else {
      EXPECT_EQ(*outcome, ErrorCode::ALREADY_RUNNING);
    }
  }
  EXPECT_EQ(winners, 1);
}

}  // namespace
}  // namespace cppbatch::conformance
