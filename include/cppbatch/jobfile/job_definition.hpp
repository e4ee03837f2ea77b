// The definition of jobs read from a job file: what the YAML and the XML
// front ends (job_file_parser.hpp) produce, what validation
// (job_file_validator.hpp) checks and what assembly (job_file_assembler.hpp)
// turns into Jobs through the step, job and flow builders. Plain data,
// immutable once parsed; every element carries its SourceLocation.
//
// The vocabulary is Spring Batch's XML namespace: a job is a flow of
// states — steps (a tasklet, or a chunk with reader, processors, writer),
// decisions (a decider), splits (flows run in parallel) and flows (another
// flow run inline) — linked by `next` and by transitions (`next on/to`,
// `end on`, `fail on`, `stop on/restart`). See docs/job-files.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cppbatch/jobfile/property_node.hpp"
#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

// A name written in the file (a step id in `to`, an exception kind...)
// with where it was written.
struct NameRef {
  std::string name{};
  SourceLocation location{};
};

// A component: either declared inline with a type (a built-in or a
// program-registered factory) and properties, or a reference to a
// component declared at the top of the file (YAML `components`, XML
// `<bean id>`) or registered by the program without properties.
struct ComponentDefinition {
  SourceLocation location{};
  // Factory name: "delimitedFileReader", "filter", a registered name...
  std::string type{};
  // Name of a declared or registered component (when `type` is empty).
  std::string ref{};
  // The properties (a MAP); empty for a reference.
  PropertyNode properties{};
  // "type 'x'" or "'ref'" — for messages.
  std::string describe() const;
};

// A declared component (YAML `components: {id: {...}}`, XML `<bean id>`).
struct NamedComponent {
  std::string id{};
  ComponentDefinition component{};
};

// Exception kinds by registered name (component_registry.hpp), included or
// excluded (Spring's <include class>/<exclude class>).
struct ExceptionKinds {
  std::vector<NameRef> include{};
  std::vector<NameRef> exclude{};
  bool empty() const { return include.empty() && exclude.empty(); }
};

struct ChunkDefinition {
  SourceLocation location{};
  std::optional<ComponentDefinition> reader{};
  // Applied in order (a chain); none = items pass through.
  std::vector<ComponentDefinition> processors{};
  std::optional<ComponentDefinition> writer{};
  int64_t commit_interval = 0;  // > 0, required
  // Fault tolerance (any of these makes the step fault-tolerant).
  std::optional<int64_t> skip_limit{};
  std::optional<int64_t> retry_limit{};
  ExceptionKinds skippable{};
  ExceptionKinds retryable{};
  ExceptionKinds no_rollback{};
  // Every skipped record goes to the repository's dead-letter table, in the
  // chunk's transaction (needs a fault-tolerant chunk).
  bool dead_letters = false;
  // The next chunk is read on a second thread while this one is written
  // (StepBuilder's read_ahead(); not with fault tolerance).
  bool read_ahead = false;
  bool fault_tolerant() const {
    return skip_limit || retry_limit || !skippable.empty() || !retryable.empty() || !no_rollback.empty();
  }
};

// What happens after a state, for the exit statuses matching `on`.
struct TransitionDefinition {
  enum class Kind {
    NEXT,  // go to `to`
    END,   // end the flow COMPLETED (exit code `exit_code`, default COMPLETED)
    FAIL,  // end the flow FAILED (exit code `exit_code`, default FAILED)
    STOP,  // end the flow STOPPED; a restart resumes at `to` (or this state when empty)
  };
  Kind kind = Kind::NEXT;
  SourceLocation location{};
  std::string on{};  // pattern on the exit code: * and ?
  NameRef to{};      // NEXT: target; STOP: the restart state (optional)
  std::string exit_code{};
};

struct FlowDefinition;

// One element of a flow.
struct StateDefinition {
  enum class Kind { STEP, DECISION, SPLIT, FLOW };
  Kind kind = Kind::STEP;
  std::string id{};
  SourceLocation location{};
  // `next="x"` (an unconditional next; see docs for its FAILED rule).
  std::optional<NameRef> next{};
  std::vector<TransitionDefinition> transitions{};

  // STEP: exactly one of tasklet, chunk, job (a JobStep running another
  // job of the file) and `parent` (a FlowStep running a top-level flow).
  std::optional<ComponentDefinition> tasklet{};
  std::optional<ChunkDefinition> chunk{};
  std::optional<NameRef> job{};
  // The JobStep's parameters extractor; none: the parent job's parameters
  // (DefaultJobParametersExtractor).
  std::optional<ComponentDefinition> job_parameters_extractor{};
  bool allow_start_if_complete = false;
  std::optional<int64_t> start_limit{};
  std::vector<ComponentDefinition> listeners{};

  // DECISION: the decider.
  std::optional<ComponentDefinition> decider{};

  // SPLIT: the flows run in parallel, on `task_executor` (a component)
  // when given, else on the job run's shared pool.
  std::vector<FlowDefinition> flows{};
  std::optional<ComponentDefinition> task_executor{};

  // FLOW: a top-level flow by id, run inline as this state; STEP: the
  // top-level flow its FlowStep runs.
  std::optional<NameRef> parent{};

  // "step", "decision", "split", "flow".
  std::string_view kind_name() const;
  // Whether the flow ends after this state whatever its status (no next,
  // no transitions).
  bool is_terminal() const { return !next && transitions.empty(); }
};

struct FlowDefinition {
  std::string id{};  // empty for a split's anonymous flows
  SourceLocation location{};
  std::vector<StateDefinition> states{};  // the first is the start
};

struct JobDefinition {
  std::string id{};
  SourceLocation location{};
  // false: an instance that has an execution is never run again.
  bool restartable = true;
  std::optional<ComponentDefinition> incrementer{};
  std::optional<ComponentDefinition> validator{};
  std::vector<ComponentDefinition> listeners{};
  FlowDefinition flow{};  // the job's states; flow.id = id
};

// Everything one file declares.
struct JobFile {
  std::string path{};
  std::vector<JobDefinition> jobs{};
  std::vector<FlowDefinition> flows{};        // top-level flows (<flow id> / YAML `flows`)
  std::vector<NamedComponent> components{};   // declared components (<bean id> / YAML `components`)

  const JobDefinition* find_job(std::string_view id) const;
  const FlowDefinition* find_flow(std::string_view id) const;
  const NamedComponent* find_component(std::string_view id) const;
};

}  // namespace cppbatch
