// ComponentRegistry: component type name → factory, for job files. A job
// file names components by type (`type: delimitedFileReader`, XML
// `<bean class="delimitedFileReader">`) with properties, or by the name of
// one a program registered. Every built-in component (readers and writers
// of the I/O library over Record, the record processors, sort/merge/split
// tasklets, runId, defaultValidator) is there from the start; a program adds
// its own:
//
//   ComponentRegistry components;                      // with the built-ins
//   components.add<Tasklet>("archive", [](PropertyReader& p) {   // with properties
//     std::string dir = p.required_string("directory");
//     return [dir] { return std::make_unique<ArchiveTasklet>(dir); };
//   });
//   components.add_simple<ItemProcessor<Record, Record>>("enrich", [] {   // without
//     return std::make_unique<EnrichProcessor>();
//   });
//   components.exception<DeadlockError>("DeadlockError");  // for skippable/retryable lists
//
// A factory (Configure<C>) reads its properties through a PropertyReader
// and returns a Creator<C> that builds the component. It is called once
// without a LateBindingContext to validate the file (it must not touch
// files or databases then: do that in the Creator), and again when the step
// starts, with the job's parameters bound, to build the component.
// Unknown names give errors listing the known ones (docs/job-files.md).
// Registering is not thread-safe; lookups are (a registry is filled once,
// then only read).
#pragma once

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cppbatch/core/chunk_listener.hpp"
#include "cppbatch/core/exception_classifier.hpp"
#include "cppbatch/core/item_listeners.hpp"
#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/core/job_execution_listener.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
#include "cppbatch/core/job_parameters_validator.hpp"
#include "cppbatch/core/skip_listener.hpp"
#include "cppbatch/core/step_execution_listener.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/core/tasklet.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/jobfile/property_reader.hpp"

namespace cppbatch {

class JobExecutionDecider;
class JobParametersExtractor;

enum class ComponentKind {
  READER,          // ItemReader<Record>
  PROCESSOR,       // ItemProcessor<Record, Record>
  WRITER,          // ItemWriter<Record>
  TASKLET,         // Tasklet
  DECIDER,         // JobExecutionDecider
  STEP_LISTENER,   // StepExecutionListener
  CHUNK_LISTENER,  // ChunkListener
  JOB_LISTENER,    // JobExecutionListener
  INCREMENTER,     // JobParametersIncrementer
  VALIDATOR,       // JobParametersValidator
  EXTRACTOR,       // JobParametersExtractor (of a step running a job)
  TASK_EXECUTOR,   // TaskExecutor (of a split)
  SKIP_LISTENER,   // SkipListener<Record, Record>
  READ_LISTENER,   // ItemReadListener<Record>
  PROCESS_LISTENER,  // ItemProcessListener<Record, Record>
  WRITE_LISTENER,  // ItemWriteListener<Record>
};

// "reader", "processor", ... (for messages).
std::string_view to_string(ComponentKind kind);

template <class C>
using Creator = std::function<std::unique_ptr<C>()>;
template <class C>
using Configure = std::function<Creator<C>(PropertyReader&)>;

namespace internal {
template <class C>
constexpr ComponentKind kind_of() {
  if constexpr (std::is_same_v<C, ItemReader<Record>>) return ComponentKind::READER;
  else if constexpr (std::is_same_v<C, ItemProcessor<Record, Record>>) return ComponentKind::PROCESSOR;
  else if constexpr (std::is_same_v<C, ItemWriter<Record>>) return ComponentKind::WRITER;
  else if constexpr (std::is_same_v<C, Tasklet>) return ComponentKind::TASKLET;
  else if constexpr (std::is_same_v<C, JobExecutionDecider>) return ComponentKind::DECIDER;
  else if constexpr (std::is_same_v<C, StepExecutionListener>) return ComponentKind::STEP_LISTENER;
  else if constexpr (std::is_same_v<C, ChunkListener>) return ComponentKind::CHUNK_LISTENER;
  else if constexpr (std::is_same_v<C, JobExecutionListener>) return ComponentKind::JOB_LISTENER;
  else if constexpr (std::is_same_v<C, JobParametersIncrementer>) return ComponentKind::INCREMENTER;
  else if constexpr (std::is_same_v<C, JobParametersValidator>) return ComponentKind::VALIDATOR;
  else if constexpr (std::is_same_v<C, JobParametersExtractor>) return ComponentKind::EXTRACTOR;
  else if constexpr (std::is_same_v<C, TaskExecutor>) return ComponentKind::TASK_EXECUTOR;
  else if constexpr (std::is_same_v<C, SkipListener<Record, Record>>) return ComponentKind::SKIP_LISTENER;
  else if constexpr (std::is_same_v<C, ItemReadListener<Record>>) return ComponentKind::READ_LISTENER;
  else if constexpr (std::is_same_v<C, ItemProcessListener<Record, Record>>) return ComponentKind::PROCESS_LISTENER;
  else if constexpr (std::is_same_v<C, ItemWriteListener<Record>>) return ComponentKind::WRITE_LISTENER;
  else static_assert(!sizeof(C), "not a job-file component interface");
}

// Calls f.template operator()<C>() with the interface C of `kind`.
template <class F>
void with_component_interface(ComponentKind kind, F&& f) {
  switch (kind) {
    case ComponentKind::READER: return f.template operator()<ItemReader<Record>>();
    case ComponentKind::PROCESSOR: return f.template operator()<ItemProcessor<Record, Record>>();
    case ComponentKind::WRITER: return f.template operator()<ItemWriter<Record>>();
    case ComponentKind::TASKLET: return f.template operator()<Tasklet>();
    case ComponentKind::DECIDER: return f.template operator()<JobExecutionDecider>();
    case ComponentKind::STEP_LISTENER: return f.template operator()<StepExecutionListener>();
    case ComponentKind::CHUNK_LISTENER: return f.template operator()<ChunkListener>();
    case ComponentKind::JOB_LISTENER: return f.template operator()<JobExecutionListener>();
    case ComponentKind::INCREMENTER: return f.template operator()<JobParametersIncrementer>();
    case ComponentKind::VALIDATOR: return f.template operator()<JobParametersValidator>();
    case ComponentKind::EXTRACTOR: return f.template operator()<JobParametersExtractor>();
    case ComponentKind::TASK_EXECUTOR: return f.template operator()<TaskExecutor>();
    case ComponentKind::SKIP_LISTENER: return f.template operator()<SkipListener<Record, Record>>();
    case ComponentKind::READ_LISTENER: return f.template operator()<ItemReadListener<Record>>();
    case ComponentKind::PROCESS_LISTENER: return f.template operator()<ItemProcessListener<Record, Record>>();
    case ComponentKind::WRITE_LISTENER: return f.template operator()<ItemWriteListener<Record>>();
  }
}

// Every kind, in declaration order.
inline constexpr ComponentKind kAllComponentKinds[] = {
    ComponentKind::READER,         ComponentKind::PROCESSOR,      ComponentKind::WRITER,
    ComponentKind::TASKLET,        ComponentKind::DECIDER,        ComponentKind::STEP_LISTENER,
    ComponentKind::CHUNK_LISTENER, ComponentKind::JOB_LISTENER,   ComponentKind::INCREMENTER,
    ComponentKind::VALIDATOR,      ComponentKind::EXTRACTOR,      ComponentKind::TASK_EXECUTOR,
    ComponentKind::SKIP_LISTENER,  ComponentKind::READ_LISTENER,  ComponentKind::PROCESS_LISTENER,
    ComponentKind::WRITE_LISTENER};
}  // namespace internal

class ComponentRegistry {
 public:
  // A registry holding every built-in component and exception kind.
  ComponentRegistry();
  // A registry without built-ins (tests, or a program that wants only its own).
  struct Empty {};
  explicit ComponentRegistry(Empty) {}
  // Built-in factories refer to their registry: it stays where it is.
  ComponentRegistry(const ComponentRegistry&) = delete;
  ComponentRegistry& operator=(const ComponentRegistry&) = delete;

  // Registers (or replaces) the factory of `type`. C is one of the
  // interfaces of ComponentKind.
  template <class C>
  void add(std::string type, Configure<C> configure, std::string description = {}) {
    tables_[internal::kind_of<C>()][std::move(type)] = Entry{std::any(std::move(configure)), std::move(description)};
  }
  // A component without properties: `make` returns std::unique_ptr<C>
  // (or of a class derived from C).
  template <class C, class F>
  void add_simple(std::string type, F make, std::string description = {}) {
    add<C>(std::move(type), Configure<C>([make](PropertyReader&) {
             return Creator<C>([make]() -> std::unique_ptr<C> { return make(); });
           }),
           std::move(description));
  }
  // Names an exception kind for skippable/retryable/no-rollback lists.
  template <class E>
  void exception(std::string name) {
    exceptions_[std::move(name)] = [](BinaryExceptionClassifier& classifier, bool value) {
      classifier.add<E>(value);
    };
  }

  // The factory of `type`, or null.
  template <class C>
  const Configure<C>* find(std::string_view type) const {
    const Entry* entry = find_entry(internal::kind_of<C>(), type);
    return entry != nullptr ? std::any_cast<Configure<C>>(&entry->configure) : nullptr;
  }
  bool contains(ComponentKind kind, std::string_view type) const { return find_entry(kind, type) != nullptr; }
  // Sorted names of one kind, and their descriptions.
  std::vector<std::string> names(ComponentKind kind) const;
  std::string description(ComponentKind kind, std::string_view type) const;

  bool has_exception(std::string_view name) const { return exceptions_.find(name) != exceptions_.end(); }
  std::vector<std::string> exception_names() const;
  // Adds the kind `name` to `classifier` with `value`; false when unknown.
  bool classify_exception(std::string_view name, BinaryExceptionClassifier& classifier, bool value) const;

 private:
  struct Entry {
    std::any configure;  // Configure<C>
    std::string description;
  };
  const Entry* find_entry(ComponentKind kind, std::string_view type) const;

  std::map<ComponentKind, std::map<std::string, Entry, std::less<>>> tables_;
  std::map<std::string, std::function<void(BinaryExceptionClassifier&, bool)>, std::less<>> exceptions_;
};

// Adds every built-in component and exception kind (the default
// constructor does this).
void add_builtin_components(ComponentRegistry& registry);

}  // namespace cppbatch
