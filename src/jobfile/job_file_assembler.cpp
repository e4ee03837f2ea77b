#include "cppbatch/jobfile/job_file_assembler.hpp"

#include <algorithm>

#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/jobfile/job_file_parser.hpp"
#include "cppbatch/jobfile/job_file_validator.hpp"
#include "cppbatch/jobfile/record_processors.hpp"
#include "jobfile/component_resolution.hpp"

namespace cppbatch {

namespace {

using Reader = ItemReader<Record>;
using Writer = ItemWriter<Record>;
using Processor = ItemProcessor<Record, Record>;

// Binds a step's components to its running execution: before_step keeps the
// StepExecution; the deferred components are built at open(), after it.
class StepScope final : public StepExecutionListener {
 public:
  void before_step(StepExecution& execution) override {
    execution_ = &execution;
    binding_.step_context = &execution.execution_context;
    binding_.job_parameters = execution.job_execution ? &execution.job_execution->job_parameters : nullptr;
    binding_.job_context = execution.job_execution ? &execution.job_execution->execution_context : nullptr;
  }
  const LateBindingContext& binding() const {
    if (execution_ == nullptr) throw std::logic_error("job-file component used before its step started");
    return binding_;
  }

 private:
  StepExecution* execution_ = nullptr;
  LateBindingContext binding_;
};

// A processor chain built at open(): each stage from its definition.
class DeferredProcessor final : public Processor, public internal::Deferred<Processor> {
 public:
  using internal::Deferred<Processor>::Deferred;
  std::optional<Record> process(const Record& item) override { return delegate().process(item); }
};

class DeferredTasklet final : public Tasklet, public internal::Deferred<Tasklet> {
 public:
  using internal::Deferred<Tasklet>::Deferred;
  RepeatStatus execute(StepContribution& contribution, ChunkContext& context) override {
    return delegate().execute(contribution, context);
  }
};

// A Job that also owns what its flow uses but does not own (the split
// executor).
class JobWithExecutor final : public Job {
 public:
  JobWithExecutor(std::unique_ptr<Job> job, std::unique_ptr<TaskExecutor> executor)
      : executor_(std::move(executor)), job_(std::move(job)) {}
  const std::string& name() const override { return job_->name(); }
  bool restartable() const override { return job_->restartable(); }
  const JobParametersValidator* validator() const override { return job_->validator(); }
  const JobParametersIncrementer* incrementer() const override { return job_->incrementer(); }
  void execute(JobExecution& execution) override { job_->execute(execution); }

 private:
  std::unique_ptr<TaskExecutor> executor_;  // declared first: destroyed after the job
  std::unique_ptr<Job> job_;
};

class Assembler {
 public:
  Assembler(const JobFile& file, const ComponentRegistry& components, JobRepository& repository)
      : file_(file), components_(components), repository_(repository) {}

  std::unique_ptr<Job> job(const JobDefinition& def) {
    if (sequential(def.flow)) {
      JobBuilder builder(def.id, repository_);
      bool first = true;
      for (const StateDefinition* s = &def.flow.states.front(); s != nullptr; s = following(def.flow, *s)) {
        if (first) {
          builder.start(step(*s));
        } else {
          builder.next(step(*s));
        }
        first = false;
      }
      job_settings(builder, def);
      return builder.build();
    }
    FlowJobBuilder builder(def.id, repository_);
    flow_states(builder, def.flow);
    job_settings(builder, def);
    std::unique_ptr<Job> job = builder.build();
    if (executor_) return std::make_unique<JobWithExecutor>(std::move(job), std::move(executor_));
    return job;
  }

 private:
  // Steps only, each with at most a `next`, chained from the first.
  static bool sequential(const FlowDefinition& flow) {
    return std::all_of(flow.states.begin(), flow.states.end(), [](const StateDefinition& s) {
      return s.kind == StateDefinition::Kind::STEP && s.transitions.empty();
    });
  }
  static const StateDefinition* following(const FlowDefinition& flow, const StateDefinition& s) {
    if (!s.next) return nullptr;
    for (const StateDefinition& t : flow.states) {
      if (t.id == s.next->name) return &t;
    }
    return nullptr;
  }

  template <class B>
  void job_settings(B& builder, const JobDefinition& def) {
    if (!def.restartable) builder.prevent_restart();
    if (def.incrementer) {
      builder.incrementer(std::shared_ptr<const JobParametersIncrementer>(
          now<JobParametersIncrementer>(*def.incrementer, ComponentKind::INCREMENTER, def.id + ".incrementer")));
    }
    if (def.validator) {
      builder.validator(std::shared_ptr<const JobParametersValidator>(
          now<JobParametersValidator>(*def.validator, ComponentKind::VALIDATOR, def.id + ".validator")));
    }
    for (const auto& l : def.listeners) {
      builder.listener(std::shared_ptr<JobExecutionListener>(
          now<JobExecutionListener>(l, ComponentKind::JOB_LISTENER, def.id + ".listener")));
    }
  }

  internal::ResolvedComponent resolve(const ComponentDefinition& c, ComponentKind kind, const std::string& name) {
    std::vector<DefinitionError> errors;
    auto resolved = internal::resolve_component(c, kind, file_, components_, name, errors);
    if (!resolved) throw std::invalid_argument(to_string(errors));
    return *resolved;
  }

  // Built with the job (no execution to bind yet).
  template <class C>
  std::unique_ptr<C> now(const ComponentDefinition& c, ComponentKind kind, const std::string& name) {
    static const LateBindingContext kNothing;
    return internal::create_component<C>(resolve(c, kind, name), components_, kNothing);
  }

  // Built when the step opens.
  template <class C>
  std::function<std::unique_ptr<C>()> later(const ComponentDefinition& c, ComponentKind kind, const std::string& name,
                                            const std::shared_ptr<StepScope>& scope) {
    internal::ResolvedComponent resolved = resolve(c, kind, name);
    const ComponentRegistry* components = &components_;
    return [resolved, components, scope] {
      return internal::create_component<C>(resolved, *components, scope->binding());
    };
  }

  std::unique_ptr<Step> step(const StateDefinition& s) {
    auto scope = std::make_shared<StepScope>();
    StepBuilder builder(s.id, repository_);
    builder.listener(scope);
    if (s.tasklet) {
      auto tasklet = builder.tasklet(
          std::make_unique<DeferredTasklet>(later<Tasklet>(*s.tasklet, ComponentKind::TASKLET, s.id + ".tasklet", scope)));
      step_settings(tasklet, s);
      return tasklet.build();
    }
    const ChunkDefinition& c = *s.chunk;
    auto chunk = builder.chunk<Record>(static_cast<size_t>(c.commit_interval));
    chunk.reader(std::make_unique<DeferredItemReader<Record>>(later<Reader>(*c.reader, ComponentKind::READER, s.id + ".reader", scope)));
    chunk.writer(std::make_unique<DeferredItemWriter<Record>>(later<Writer>(*c.writer, ComponentKind::WRITER, s.id + ".writer", scope)));
    if (!c.processors.empty()) {
      std::vector<std::function<std::unique_ptr<Processor>()>> stages;
      for (size_t i = 0; i < c.processors.size(); ++i) {
        stages.push_back(later<Processor>(c.processors[i], ComponentKind::PROCESSOR,
                                          s.id + ".processor" + (i == 0 ? "" : std::to_string(i + 1)), scope));
      }
      chunk.processor(std::make_unique<DeferredProcessor>([stages]() -> std::unique_ptr<Processor> {
        if (stages.size() == 1) return stages.front()();
        std::vector<std::unique_ptr<Processor>> built;
        for (const auto& make : stages) built.push_back(make());
        return std::make_unique<RecordProcessorChain>(std::move(built));
      }));
    }
    step_settings(chunk, s);
    if (!c.fault_tolerant()) return chunk.build();
    auto tolerant = chunk.fault_tolerant();
    FaultToleranceOptions& o = tolerant.options();
    if (c.skip_limit) o.skip_limit = *c.skip_limit;
    if (c.retry_limit) o.retry_limit = *c.retry_limit;
    classify(c.skippable, o.skippable);
    classify(c.retryable, o.retryable);
    classify(c.no_rollback, o.no_rollback);
    return tolerant.build();
  }

  void classify(const ExceptionKinds& kinds, BinaryExceptionClassifier& classifier) {
    for (const NameRef& n : kinds.include) (void)components_.classify_exception(n.name, classifier, true);
    for (const NameRef& n : kinds.exclude) (void)components_.classify_exception(n.name, classifier, false);
  }

  template <class B>
  void step_settings(B& builder, const StateDefinition& s) {
    if (s.allow_start_if_complete) builder.allow_start_if_complete(true);
    if (s.start_limit) builder.start_limit(*s.start_limit);
    for (const auto& l : s.listeners) {
      const std::string name = s.id + ".listener";
      std::vector<DefinitionError> ignored;
      if (internal::resolve_component(l, ComponentKind::STEP_LISTENER, file_, components_, name, ignored)) {
        builder.listener(std::shared_ptr<StepExecutionListener>(now<StepExecutionListener>(l, ComponentKind::STEP_LISTENER, name)));
      } else {
        builder.listener(std::shared_ptr<ChunkListener>(now<ChunkListener>(l, ComponentKind::CHUNK_LISTENER, name)));
      }
    }
  }

  // The states of `flow` and their transitions, in the data form.
  template <class B>
  void flow_states(B& builder, const FlowDefinition& flow) {
    for (const StateDefinition& s : flow.states) {
      switch (s.kind) {
        case StateDefinition::Kind::STEP:
          builder.add_step(step(s));
          break;
        case StateDefinition::Kind::DECISION:
          builder.add_decision(s.id, std::shared_ptr<JobExecutionDecider>(
                                         now<JobExecutionDecider>(*s.decider, ComponentKind::DECIDER, s.id + ".decider")));
          break;
        case StateDefinition::Kind::SPLIT: {
          std::vector<std::shared_ptr<const Flow>> flows;
          for (size_t i = 0; i < s.flows.size(); ++i) flows.push_back(inline_flow(s.flows[i], s.id + "." + std::to_string(i + 1)));
          builder.add_split(s.id, std::move(flows), executor());
          break;
        }
        case StateDefinition::Kind::FLOW:
          builder.add_flow(s.id, top_level_flow(s.parent->name));
          break;
      }
    }
    builder.set_start(flow.states.front().id);
    for (const StateDefinition& s : flow.states) transitions(builder, s);
  }

  // Spring's XML rules: the transitions given; else `next` (* → next,
  // FAILED → fail); else FAILED → fail and * → end.
  template <class B>
  void transitions(B& builder, const StateDefinition& s) {
    if (!s.transitions.empty()) {
      for (const TransitionDefinition& t : s.transitions) {
        switch (t.kind) {
          case TransitionDefinition::Kind::NEXT:
            builder.add_transition(s.id, t.on, t.to.name);
            break;
          case TransitionDefinition::Kind::END:
            builder.add_end_transition(s.id, t.on, FlowExecutionStatus::completed(), t.exit_code);
            break;
          case TransitionDefinition::Kind::FAIL:
            builder.add_end_transition(s.id, t.on, FlowExecutionStatus::failed(), t.exit_code);
            break;
          case TransitionDefinition::Kind::STOP:
            if (t.to.name.empty()) {
              builder.add_end_transition(s.id, t.on, FlowExecutionStatus::stopped(), t.exit_code);
            } else {
              builder.add_stop_and_restart_transition(s.id, t.on, t.to.name, t.exit_code.empty() ? "STOPPED" : t.exit_code);
            }
            break;
        }
      }
      return;
    }
    builder.add_end_transition(s.id, "FAILED", FlowExecutionStatus::failed());
    if (s.next) {
      builder.add_transition(s.id, "*", s.next->name);
    } else {
      builder.add_end_transition(s.id, "*", FlowExecutionStatus::completed());
    }
  }

  std::shared_ptr<const Flow> inline_flow(const FlowDefinition& def, const std::string& name) {
    FlowBuilder builder(def.id.empty() ? name : def.id);
    flow_states(builder, def);
    return builder.build();
  }

  std::shared_ptr<const Flow> top_level_flow(const std::string& id) {
    const FlowDefinition* def = file_.find_flow(id);
    if (def == nullptr) throw std::invalid_argument("no top-level flow '" + id + "'");
    return inline_flow(*def, id);
  }

  TaskExecutor& executor() {
    if (!executor_) executor_ = std::make_unique<ThreadPoolTaskExecutor>(0);
    return *executor_;
  }

  const JobFile& file_;
  const ComponentRegistry& components_;
  JobRepository& repository_;
  std::unique_ptr<TaskExecutor> executor_;  // for splits; handed to the job
};

}  // namespace

LoadedJobFile load_job_file(const std::string& path, const ComponentRegistry& components) {
  ParsedJobFile parsed = read_job_file(path);
  LoadedJobFile loaded;
  loaded.errors = std::move(parsed.errors);
  if (!loaded.errors.empty()) return loaded;
  loaded.errors = validate_job_file(parsed.file, components);
  loaded.file = std::make_shared<const JobFile>(std::move(parsed.file));
  return loaded;
}

std::unique_ptr<Job> build_job(const JobFile& file, std::string_view job_id, const ComponentRegistry& components,
                               JobRepository& repository) {
  const JobDefinition* def = file.find_job(job_id);
  if (def == nullptr) {
    std::string known;
    for (const auto& j : file.jobs) known += (known.empty() ? "" : ", ") + j.id;
    throw std::invalid_argument("no job '" + std::string(job_id) + "' in " + file.path + " (jobs: " + known + ")");
  }
  if (auto errors = validate_job_file(file, components); !errors.empty()) throw std::invalid_argument(to_string(errors));
  return Assembler(file, components, repository).job(*def);
}

Result<void> register_job_file(std::shared_ptr<const JobFile> file, const ComponentRegistry& components,
                               JobRegistry& jobs) {
  for (const JobDefinition& def : file->jobs) {
    const std::string id = def.id;
    auto added = jobs.add(
        id,
        [file, &components, id](JobRepository& repository) {
          const JobDefinition* d = file->find_job(id);
          return Assembler(*file, components, repository).job(*d);
        },
        "declared in " + file->path);
    if (!added) return added;
  }
  return {};
}

}  // namespace cppbatch
