// FlowBuilder: builds a Flow, fluently the way Spring Batch's FlowBuilder
// does, or from data (states and transitions by name) the way a job file
// loader does. FlowJobBuilder offers the same calls for a job's flow.
//
// Fluent form (steps, flows and deciders are states; a state is named after
// its step or flow, deciders "<flow>.decision<N>"):
//
//   auto job = FlowJobBuilder("importJob", repo)
//       .start(load)                                // load: std::shared_ptr<Step>
//           .on("FAILED").to(report)                //   load FAILED → report
//       .from(load).on("COMPLETED*").to(cleanup)    //   COMPLETED, COMPLETED WITH SKIPS → cleanup
//       .from(load).on("*").fail()                  //   anything else → job FAILED
//       .from(report).on("*").end()                 // report, whatever it says → job COMPLETED
//       .end()
//       .build();
//   auto extracts = FlowBuilder("extracts")
//       .split(executor).add(extract_a_flow, extract_b_flow)   // in parallel, then
//       .next(merge)                                             // merge if the split COMPLETED
//       .build();
//
// - start(x): the start state (again later: same as from(x)).
// - next(x): COMPLETED → x, and anything else → fail (Spring's next).
// - from(x): continue declaring transitions of an already used state.
// - on(p).to(x) / .end() / .end("CODE") / .fail() / .stop() /
//   .stop_and_restart(x): a transition for exit codes matching p to x, to
//   an end state COMPLETED (exit code COMPLETED or CODE), FAILED, STOPPED,
//   or STOPPED such that a restart resumes at x.
// - split(executor).add(f1, f2, ...): a state running the flows in
//   parallel on `executor` (must outlive the flow); its status is the most
//   severe of theirs. As the first state it starts the flow; right after a
//   lone start state, that state becomes the split's first branch
//   (Spring's behaviour); anywhere else use next()/to() with a split built
//   as its own flow.
// At build(), as Spring's FlowBuilder does, every state reached by the
// fluent calls gets defaults: a state without transitions gets COMPLETED →
// end and * → fail; a state with transitions but none matching FAILED gets
// * → fail, and one with none matching COMPLETED gets * → end (the first *
// added wins). So `start(a).next(b)` fails the job when a FAILED or ends
// with any code but COMPLETED, and an exit code matched by no transition
// fails the job with "Next state not found ...".
//
// Data form (for definitions read from files): add_step / add_flow /
// add_decision / add_split name states; add_transition /
// add_end_transition / add_stop_and_restart_transition join them by name;
// set_start names the start state (default: the first state added).
// States given this way get exactly the transitions given, no defaults.
//
// build() validates and throws std::invalid_argument naming the flow and
// the state: no state; two different steps, flows or deciders under one
// name; a transition from or to an unknown state; a state (other than an
// end state) without transitions; a state unreachable from the start; a
// state from which no end state can be reached (a cycle without exit); a
// split without flows or executor. Builders are single-use.
#pragma once

#include <concepts>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/core/flow.hpp"
#include "cppbatch/core/job_execution_decider.hpp"
#include "cppbatch/core/task_executor.hpp"

namespace cppbatch {

namespace internal {

// The non-template core of the flow builders (Spring's FlowBuilder state).
class FlowGraphBuilder {
 public:
  explicit FlowGraphBuilder(std::string name);
  const std::string& name() const { return name_; }

  // The state of that object, registered on first use; the name it has.
  std::string state_for(std::shared_ptr<Step> step);
  std::string state_for(std::shared_ptr<const Flow> flow);
  std::string state_for(std::shared_ptr<JobExecutionDecider> decider);

  // Fluent operations on named (registered) states.
  void start(const std::string& state);
  void next(const std::string& state);
  void from(const std::string& state);
  void on_to(const std::string& pattern, const std::string& state);
  void on_end(const std::string& pattern, FlowExecutionStatus status, const std::string& exit_code);
  void on_stop_and_restart(const std::string& pattern, const std::string& restart_state);
  void split(TaskExecutor& executor, std::vector<std::shared_ptr<const Flow>> flows);

  // Data form.
  void add_step(std::shared_ptr<Step> step);
  void add_flow(std::string name, std::shared_ptr<const Flow> flow);
  void add_decision(std::string name, std::shared_ptr<JobExecutionDecider> decider);
  void add_split(std::string name, std::vector<std::shared_ptr<const Flow>> flows, TaskExecutor& executor);
  void add_transition(const std::string& from, std::string pattern, const std::string& to);
  void add_end_transition(const std::string& from, std::string pattern, FlowExecutionStatus status,
                          std::string exit_code);
  void add_stop_and_restart_transition(const std::string& from, std::string pattern, const std::string& restart,
                                       std::string exit_code);
  void set_start(std::string state);

  std::shared_ptr<const Flow> build();

 private:
  void register_state(FlowState state, const void* identity);
  const std::string& end_state(FlowExecutionStatus status, const std::string& exit_code, bool abandon);
  void add(const std::string& from, std::string pattern, const std::string& to, bool fluent);
  void require_current(const char* operation) const;
  void add_fluent_defaults();
  bool has_transition_matching(const std::string& from, std::string_view code) const;

  std::string name_;
  std::vector<FlowState> states_;
  std::map<std::string, size_t, std::less<>> index_;        // state name → states_ index
  std::map<const void*, std::string> identities_;            // step/flow/decider object → state name
  std::vector<StateTransition> transitions_;
  std::string start_;
  std::string current_;                                      // fluent: the state transitions are added to
  std::set<std::string, std::less<>> fluent_;                // states the fluent calls reached (Spring's "tos")
  int decisions_ = 0, splits_ = 0, ends_ = 0;
  bool built_ = false;
};

}  // namespace internal

template <class Self>
class TransitionBuilder;
template <class Self>
class SplitBuilder;

// The flow-definition calls shared by FlowBuilder and FlowJobBuilder.
template <class Self>
class FlowBuilderBase {
 public:
  Self& start(std::shared_ptr<Step> step) { return start_state(graph_.state_for(std::move(step))); }
  Self& start(std::shared_ptr<const Flow> flow) { return start_state(graph_.state_for(std::move(flow))); }
  Self& start(std::shared_ptr<JobExecutionDecider> decider) {
    return start_state(graph_.state_for(std::move(decider)));
  }
  template <DeciderFunction F>
  Self& start(F decider) {
    return start(make_decider(std::move(decider)));
  }

  Self& next(std::shared_ptr<Step> step) { return next_state(graph_.state_for(std::move(step))); }
  Self& next(std::shared_ptr<const Flow> flow) { return next_state(graph_.state_for(std::move(flow))); }
  Self& next(std::shared_ptr<JobExecutionDecider> decider) { return next_state(graph_.state_for(std::move(decider))); }
  template <DeciderFunction F>
  Self& next(F decider) {
    return next(make_decider(std::move(decider)));
  }

  Self& from(std::shared_ptr<Step> step) { return from(std::string_view(graph_.state_for(std::move(step)))); }
  Self& from(std::shared_ptr<const Flow> flow) { return from(std::string_view(graph_.state_for(std::move(flow)))); }
  Self& from(std::shared_ptr<JobExecutionDecider> decider) {
    return from(std::string_view(graph_.state_for(std::move(decider))));
  }
  // An already registered state, by name.
  Self& from(std::string_view state) {
    graph_.from(std::string(state));
    return self();
  }

  // Starts a transition of the current state for exit codes matching
  // `pattern` (`*` and `?` wildcards).
  TransitionBuilder<Self> on(std::string pattern) { return TransitionBuilder<Self>(self(), std::move(pattern)); }

  // Starts a split running flows in parallel on `executor` (must outlive
  // the flow): .split(executor).add(flow_a, flow_b).
  SplitBuilder<Self> split(TaskExecutor& executor) { return SplitBuilder<Self>(self(), executor); }

  // --- Data form: states and transitions by name (no implicit defaults).
  // A step state, named after the step.
  Self& add_step(std::shared_ptr<Step> step) {
    graph_.add_step(std::move(step));
    return self();
  }
  Self& add_flow(std::string name, std::shared_ptr<const Flow> flow) {
    graph_.add_flow(std::move(name), std::move(flow));
    return self();
  }
  Self& add_decision(std::string name, std::shared_ptr<JobExecutionDecider> decider) {
    graph_.add_decision(std::move(name), std::move(decider));
    return self();
  }
  Self& add_split(std::string name, std::vector<std::shared_ptr<const Flow>> flows, TaskExecutor& executor) {
    graph_.add_split(std::move(name), std::move(flows), executor);
    return self();
  }
  // from --pattern--> to (both state names; `to` may be added later).
  Self& add_transition(const std::string& from, std::string pattern, const std::string& to) {
    graph_.add_transition(from, std::move(pattern), to);
    return self();
  }
  // from --pattern--> an end state: COMPLETED (Spring's end), FAILED
  // (fail) or STOPPED (stop); `exit_code` empty: the status's name.
  Self& add_end_transition(const std::string& from, std::string pattern, FlowExecutionStatus status,
                           std::string exit_code = "") {
    graph_.add_end_transition(from, std::move(pattern), std::move(status), std::move(exit_code));
    return self();
  }
  // from --pattern--> the flow ends, with from's own status as the flow's
  // (Spring's end-state transition; its XML parser adds UNKNOWN → here).
  Self& add_exit_transition(const std::string& from, std::string pattern) {
    graph_.add_transition(from, std::move(pattern), "");
    return self();
  }
  // from --pattern--> STOPPED; a restart resumes at `restart`.
  Self& add_stop_and_restart_transition(const std::string& from, std::string pattern, const std::string& restart,
                                        std::string exit_code = "STOPPED") {
    graph_.add_stop_and_restart_transition(from, std::move(pattern), restart, std::move(exit_code));
    return self();
  }
  Self& set_start(std::string state) {
    graph_.set_start(std::move(state));
    return self();
  }

 protected:
  explicit FlowBuilderBase(std::string name) : graph_(std::move(name)) {}
  std::shared_ptr<const Flow> build_flow() { return graph_.build(); }

 private:
  friend class TransitionBuilder<Self>;
  friend class SplitBuilder<Self>;
  Self& self() { return static_cast<Self&>(*this); }
  Self& start_state(const std::string& state) {
    graph_.start(state);
    return self();
  }
  Self& next_state(const std::string& state) {
    graph_.next(state);
    return self();
  }
  internal::FlowGraphBuilder graph_;
};

// Returned by on(pattern): says where exit codes matching the pattern go.
// A temporary within one builder expression.
template <class Self>
class TransitionBuilder {
 public:
  TransitionBuilder(Self& parent, std::string pattern) : parent_(parent), pattern_(std::move(pattern)) {}

  Self& to(std::shared_ptr<Step> step) { return to(std::string_view(graph().state_for(std::move(step)))); }
  Self& to(std::shared_ptr<const Flow> flow) { return to(std::string_view(graph().state_for(std::move(flow)))); }
  Self& to(std::shared_ptr<JobExecutionDecider> decider) {
    return to(std::string_view(graph().state_for(std::move(decider))));
  }
  template <DeciderFunction F>
  Self& to(F decider) {
    return to(make_decider(std::move(decider)));
  }
  // An already registered state, by name (e.g. to loop back).
  Self& to(std::string_view state) {
    graph().on_to(pattern_, std::string(state));
    return parent_;
  }
  // Ends the flow COMPLETED (exit code COMPLETED, or `exit_code`). On a
  // failed step this ends the job COMPLETED: it cannot be restarted.
  Self& end(const std::string& exit_code = "COMPLETED") {
    graph().on_end(pattern_, FlowExecutionStatus::completed(), exit_code);
    return parent_;
  }
  // Ends the flow FAILED; the job can be restarted.
  Self& fail() {
    graph().on_end(pattern_, FlowExecutionStatus::failed(), "FAILED");
    return parent_;
  }
  // Ends the flow STOPPED; a restart runs the flow again from its start
  // (completed steps are skipped).
  Self& stop() {
    graph().on_end(pattern_, FlowExecutionStatus::stopped(), "STOPPED");
    return parent_;
  }
  // Ends the flow STOPPED; a restart resumes at `restart`.
  Self& stop_and_restart(std::shared_ptr<Step> restart) {
    return stop_and_restart(std::string_view(graph().state_for(std::move(restart))));
  }
  Self& stop_and_restart(std::shared_ptr<const Flow> restart) {
    return stop_and_restart(std::string_view(graph().state_for(std::move(restart))));
  }
  Self& stop_and_restart(std::shared_ptr<JobExecutionDecider> restart) {
    return stop_and_restart(std::string_view(graph().state_for(std::move(restart))));
  }
  Self& stop_and_restart(std::string_view restart_state) {
    graph().on_stop_and_restart(pattern_, std::string(restart_state));
    return parent_;
  }

 private:
  internal::FlowGraphBuilder& graph() { return static_cast<FlowBuilderBase<Self>&>(parent_).graph_; }
  Self& parent_;
  std::string pattern_;
};

// Returned by split(executor): add(flows...) names the parallel flows.
template <class Self>
class SplitBuilder {
 public:
  SplitBuilder(Self& parent, TaskExecutor& executor) : parent_(parent), executor_(executor) {}

  Self& add(std::vector<std::shared_ptr<const Flow>> flows) {
    static_cast<FlowBuilderBase<Self>&>(parent_).graph_.split(executor_, std::move(flows));
    return parent_;
  }
  template <class... Flows>
    requires(std::convertible_to<Flows, std::shared_ptr<const Flow>> && ...)
  Self& add(Flows&&... flows) {
    return add(std::vector<std::shared_ptr<const Flow>>{std::shared_ptr<const Flow>(std::forward<Flows>(flows))...});
  }

 private:
  Self& parent_;
  TaskExecutor& executor_;
};

// A reusable flow (to nest in other flows, run in a split, or as a
// FlowStep).
class FlowBuilder : public FlowBuilderBase<FlowBuilder> {
 public:
  explicit FlowBuilder(std::string name) : FlowBuilderBase(std::move(name)) {}
  std::shared_ptr<const Flow> build() { return build_flow(); }
  // Spring's synonym for build().
  std::shared_ptr<const Flow> end() { return build(); }
};

}  // namespace cppbatch
