#include "cppbatch/jobfile/job_file_assembler.hpp"

#include <algorithm>

#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/flow_step.hpp"
#include "cppbatch/core/job_step.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/infrastructure/record_dead_letter_codec.hpp"
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

// Job-level components (deciders, job listeners, validators, incrementers)
// are built when used, so their #{jobParameters[...]} and
// #{jobExecutionContext[...]} placeholders are bound to the run.
template <class C>
class Bound {
 public:
  Bound(internal::ResolvedComponent resolved, const ComponentRegistry& components)
      : resolved_(std::move(resolved)), components_(&components) {}

 protected:
  std::unique_ptr<C> make(const JobParameters* parameters, const ExecutionContext* job_context) const {
    LateBindingContext binding;
    binding.job_parameters = parameters;
    binding.job_context = job_context;
    return internal::create_component<C>(resolved_, *components_, binding);
  }

 private:
  internal::ResolvedComponent resolved_;
  const ComponentRegistry* components_;
};

// Built once per job execution (a decider may count across its calls).
// Deciders are called under the job execution's lock.
class BoundDecider final : public JobExecutionDecider, Bound<JobExecutionDecider> {
 public:
  using Bound::Bound;
  FlowExecutionStatus decide(const JobExecution& job, const StepExecution* last_step) override {
    if (!delegate_ || execution_ != job.id) {
      delegate_ = make(&job.job_parameters, &job.execution_context);
      execution_ = job.id;
    }
    return delegate_->decide(job, last_step);
  }

 private:
  std::unique_ptr<JobExecutionDecider> delegate_;
  int64_t execution_ = 0;
};

class BoundJobListener final : public JobExecutionListener, Bound<JobExecutionListener> {
 public:
  using Bound::Bound;
  void before_job(JobExecution& execution) override {
    delegate_ = make(&execution.job_parameters, &execution.execution_context);
    delegate_->before_job(execution);
  }
  void after_job(JobExecution& execution) override {
    if (!delegate_) delegate_ = make(&execution.job_parameters, &execution.execution_context);
    delegate_->after_job(execution);
  }

 private:
  std::unique_ptr<JobExecutionListener> delegate_;
};

class BoundValidator final : public JobParametersValidator, Bound<JobParametersValidator> {
 public:
  using Bound::Bound;
  Result<void> validate(const JobParameters& parameters) const override {
    return make(&parameters, nullptr)->validate(parameters);
  }
};

// Bound to the previous run's parameters.
class BoundIncrementer final : public JobParametersIncrementer, Bound<JobParametersIncrementer> {
 public:
  using Bound::Bound;
  JobParameters next(const JobParameters& previous) const override { return make(&previous, nullptr)->next(previous); }
};

// A Job that also owns what its flow uses but does not own (the split
// executors).
class JobWithExecutors final : public Job {
 public:
  JobWithExecutors(std::unique_ptr<Job> job, std::vector<std::unique_ptr<TaskExecutor>> executors)
      : executors_(std::move(executors)), job_(std::move(job)) {}
  const std::string& name() const override { return job_->name(); }
  bool restartable() const override { return job_->restartable(); }
  const JobParametersValidator* validator() const override { return job_->validator(); }
  const JobParametersIncrementer* incrementer() const override { return job_->incrementer(); }
  void execute(JobExecution& execution) override { job_->execute(execution); }

 private:
  std::vector<std::unique_ptr<TaskExecutor>> executors_;  // declared first: destroyed after the job
  std::unique_ptr<Job> job_;
};

class Assembler {
 public:
  Assembler(const JobFile& file, const ComponentRegistry& components, JobRepository& repository)
      : file_(file), components_(components), repository_(repository) {}

  // Always a FlowJob, as Spring's XML makes every <job> one: the implicit
  // transitions below then apply to steps joined by `next` too.
  std::unique_ptr<Job> job(const JobDefinition& def) {
    FlowJobBuilder builder(def.id, repository_);
    flow_states(builder, def.flow);
    job_settings(builder, def);
    std::unique_ptr<Job> job = builder.build();
    if (shared_pool_) executors_.push_back(std::move(shared_pool_));
    if (!executors_.empty()) return std::make_unique<JobWithExecutors>(std::move(job), std::move(executors_));
    return job;
  }

 private:
  template <class B>
  void job_settings(B& builder, const JobDefinition& def) {
    if (!def.restartable) builder.prevent_restart();
    if (def.incrementer) {
      builder.incrementer(bound<BoundIncrementer>(*def.incrementer, ComponentKind::INCREMENTER, def.id + ".incrementer"));
    }
    if (def.validator) {
      builder.validator(bound<BoundValidator>(*def.validator, ComponentKind::VALIDATOR, def.id + ".validator"));
    }
    for (const auto& l : def.listeners) {
      builder.listener(bound<BoundJobListener>(l, ComponentKind::JOB_LISTENER, def.id + ".listener"));
    }
  }

  template <class B>
  std::shared_ptr<B> bound(const ComponentDefinition& c, ComponentKind kind, const std::string& name) {
    return std::make_shared<B>(resolve(c, kind, name), components_);
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
    if (s.job) {
      // The child job, assembled on its own (its splits' executors are its own).
      std::shared_ptr<Job> child = Assembler(file_, components_, repository_).job(*file_.find_job(s.job->name));
      auto job_step = builder.job(std::move(child));
      if (s.job_parameters_extractor) {
        job_step.parameters_extractor(std::shared_ptr<const JobParametersExtractor>(now<JobParametersExtractor>(
            *s.job_parameters_extractor, ComponentKind::EXTRACTOR, s.id + ".extractor")));
      }
      step_settings(job_step, s);
      return job_step.build();
    }
    if (s.parent) {
      auto flow_step = builder.flow(top_level_flow(s.parent->name));
      step_settings(flow_step, s);
      return flow_step.build();
    }
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
    if (!c.fault_tolerant()) {
      chunk.read_ahead(c.read_ahead);
      step_settings(chunk, s);
      return chunk.build();
    }
    auto tolerant = chunk.fault_tolerant();
    FaultToleranceOptions& o = tolerant.options();
    if (c.skip_limit) o.skip_limit = *c.skip_limit;
    if (c.retry_limit) o.retry_limit = *c.retry_limit;
    classify(c.skippable, o.skippable);
    classify(c.retryable, o.retryable);
    classify(c.no_rollback, o.no_rollback);
    if (c.dead_letters) tolerant.dead_letters(record_dead_letter_codec(), record_dead_letter_codec());
    step_settings(tolerant, s);
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
      const ComponentKind kind = internal::step_listener_kind(l, file_, components_);
      internal::with_component_interface(kind, [&]<class C>() {
        std::shared_ptr<C> listener = now<C>(l, kind, s.id + ".listener");
        // Registered under every listener interface the object implements
        // that this kind of step takes (validation checked the kind fits).
        attach<StepExecutionListener>(builder, listener);
        attach<ChunkListener>(builder, listener);
        if constexpr (!std::is_same_v<B, TaskletStepBuilder> && !std::is_same_v<B, JobStepBuilder> &&
                      !std::is_same_v<B, FlowStepBuilder>) {
          attach<ItemReadListener<Record>>(builder, listener);
          attach<ItemProcessListener<Record, Record>>(builder, listener);
          attach<ItemWriteListener<Record>>(builder, listener);
          if constexpr (std::is_same_v<B, FaultTolerantStepBuilder<Record, Record>>) {
            attach<SkipListener<Record, Record>>(builder, listener);
          }
        }
      });
    }
  }

  template <class L, class B, class C>
  static void attach(B& builder, const std::shared_ptr<C>& component) {
    if (auto listener = std::dynamic_pointer_cast<L>(component)) builder.listener(std::move(listener));
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
          builder.add_decision(s.id, bound<BoundDecider>(*s.decider, ComponentKind::DECIDER, s.id + ".decider"));
          break;
        case StateDefinition::Kind::SPLIT: {
          std::vector<std::shared_ptr<const Flow>> flows;
          for (size_t i = 0; i < s.flows.size(); ++i) flows.push_back(inline_flow(s.flows[i], s.id + "." + std::to_string(i + 1)));
          builder.add_split(s.id, std::move(flows), executor(s));
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

  // Spring's XML rules (AbstractFlowParser): the transitions given; else
  // FAILED → fail, UNKNOWN → the flow ends UNKNOWN, and * → `next` when
  // given, else * → end (COMPLETED).
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
    builder.add_exit_transition(s.id, "UNKNOWN");
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

  // The split's declared task executor, else the pool the job's splits share.
  TaskExecutor& executor(const StateDefinition& split) {
    if (split.task_executor) {
      executors_.push_back(now<TaskExecutor>(*split.task_executor, ComponentKind::TASK_EXECUTOR, split.id + ".task-executor"));
      return *executors_.back();
    }
    if (!shared_pool_) shared_pool_ = std::make_unique<ThreadPoolTaskExecutor>(0);
    return *shared_pool_;
  }

  const JobFile& file_;
  const ComponentRegistry& components_;
  JobRepository& repository_;
  std::unique_ptr<TaskExecutor> shared_pool_;                // for splits without an executor
  std::vector<std::unique_ptr<TaskExecutor>> executors_;      // all of them, handed to the job
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
