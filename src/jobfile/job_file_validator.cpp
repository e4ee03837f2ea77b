#include "cppbatch/jobfile/job_file_validator.hpp"

#include <functional>
#include <map>
#include <set>

#include "cppbatch/core/job_step.hpp"
#include "jobfile/component_resolution.hpp"

namespace cppbatch {

namespace {

class Validator {
 public:
  Validator(const JobFile& file, const ComponentRegistry& registry) : file_(file), registry_(registry) {}

  std::vector<DefinitionError> run() {
    unique_ids();
    for (const FlowDefinition& flow : file_.flows) {
      flow_graph(flow, "flow '" + flow.id + "'");
      flow_contents(flow, nullptr);
    }
    flow_references();
    job_references();
    for (const JobDefinition& job : file_.jobs) this->job(job);
    unused_components();
    return std::move(errors_);
  }

 private:
  void error(const SourceLocation& at, std::string message) { errors_.push_back({at, std::move(message)}); }

  template <class T, class Id, class Where>
  void duplicates(const std::vector<T>& items, Id id_of, Where where_of, std::string_view what) {
    std::map<std::string, SourceLocation> seen;
    for (const T& item : items) {
      const std::string& id = id_of(item);
      if (id.empty()) continue;
      auto [it, inserted] = seen.emplace(id, where_of(item));
      if (!inserted) error(where_of(item), "duplicate " + std::string(what) + " id '" + id + "' (first at " + it->second.to_string() + ")");
    }
  }

  void unique_ids() {
    duplicates(file_.jobs, [](const JobDefinition& j) -> const std::string& { return j.id; },
               [](const JobDefinition& j) { return j.location; }, "job");
    duplicates(file_.flows, [](const FlowDefinition& f) -> const std::string& { return f.id; },
               [](const FlowDefinition& f) { return f.location; }, "flow");
    duplicates(file_.components, [](const NamedComponent& c) -> const std::string& { return c.id; },
               [](const NamedComponent& c) { return c.component.location; }, "component");
  }

  // Targets, reachability and exits of one flow's states.
  void flow_graph(const FlowDefinition& flow, const std::string& what) {
    duplicates(flow.states, [](const StateDefinition& s) -> const std::string& { return s.id; },
               [](const StateDefinition& s) { return s.location; }, "state");
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < flow.states.size(); ++i) index.emplace(flow.states[i].id, i);
    std::vector<std::vector<size_t>> edges(flow.states.size());
    std::vector<bool> exits(flow.states.size(), false);
    std::string known;
    for (const auto& s : flow.states) known += (known.empty() ? "" : ", ") + s.id;
    size_t current = 0;
    auto target = [&](const StateDefinition& from, const NameRef& to, std::string_view how) -> std::optional<size_t> {
      auto it = index.find(to.name);
      if (it == index.end()) {
        exits[current] = true;  // reported here; no cascade of cycle errors
        error(to.location, from.kind_name().data() + std::string(" '") + from.id + "': " + std::string(how) + " '" +
                               to.name + "' is not a step of " + what + " (states: " + known + ")");
        return std::nullopt;
      }
      return it->second;
    };
    for (size_t i = 0; i < flow.states.size(); ++i) {
      const StateDefinition& s = flow.states[i];
      current = i;
      if (s.is_terminal()) exits[i] = true;
      if (s.next && !s.transitions.empty()) {
        error(s.next->location, std::string(s.kind_name()) + " '" + s.id + "' has both a next and transitions "
                                    "(use a next transition instead)");
      }
      if (s.next) {
        if (auto t = target(s, *s.next, "next")) edges[i].push_back(*t);
      }
      for (const TransitionDefinition& t : s.transitions) {
        if (t.kind == TransitionDefinition::Kind::NEXT) {
          if (auto to = target(s, t.to, "'to'")) edges[i].push_back(*to);
        } else {
          exits[i] = true;
          if (t.kind == TransitionDefinition::Kind::STOP && !t.to.name.empty()) {
            if (auto to = target(s, t.to, "'restart'")) edges[i].push_back(*to);
          }
        }
      }
    }
    if (flow.states.empty()) return;
    // Reachable from the first state.
    std::vector<bool> reachable(flow.states.size(), false);
    std::vector<size_t> stack{0};
    reachable[0] = true;
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      for (size_t j : edges[i]) {
        if (!reachable[j]) {
          reachable[j] = true;
          stack.push_back(j);
        }
      }
    }
    // Can reach an exit (reverse reachability from the exits).
    std::vector<bool> can_exit = exits;
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t i = 0; i < flow.states.size(); ++i) {
        if (can_exit[i]) continue;
        for (size_t j : edges[i]) {
          if (can_exit[j]) {
            can_exit[i] = changed = true;
            break;
          }
        }
      }
    }
    for (size_t i = 0; i < flow.states.size(); ++i) {
      const StateDefinition& s = flow.states[i];
      if (!reachable[i]) {
        error(s.location, std::string(s.kind_name()) + " '" + s.id + "' is unreachable: no next or transition of " +
                              what + " leads to it from its first state '" + flow.states[0].id + "'");
      } else if (!can_exit[i]) {
        error(s.location, std::string(s.kind_name()) + " '" + s.id + "' is in a cycle with no exit: every path from it "
                              "loops back (add an end, fail or stop transition, or a state without next)");
      }
    }
  }

  // Components of the states, recursively (split flows).
  void flow_contents(const FlowDefinition& flow, std::map<std::string, SourceLocation>* step_names) {
    for (const StateDefinition& s : flow.states) {
      if (step_names != nullptr && s.kind == StateDefinition::Kind::STEP && !s.id.empty()) {
        auto [it, inserted] = step_names->emplace(s.id, s.location);
        if (!inserted && it->second != s.location) {
          error(s.location, "duplicate step name '" + s.id + "' in the job (first at " + it->second.to_string() + ")");
        }
      }
      switch (s.kind) {
        case StateDefinition::Kind::STEP:
          step(s);
          break;
        case StateDefinition::Kind::DECISION:
          if (s.decider) check(*s.decider, ComponentKind::DECIDER, s.id + ".decider");
          break;
        case StateDefinition::Kind::SPLIT:
          for (const FlowDefinition& f : s.flows) {
            flow_graph(f, "a flow of split '" + s.id + "'");
            flow_contents(f, step_names);
          }
          break;
        case StateDefinition::Kind::FLOW:
          flow_parent(s);
          break;
      }
      if (s.kind == StateDefinition::Kind::SPLIT && s.task_executor) {
        check(*s.task_executor, ComponentKind::TASK_EXECUTOR, s.id + ".task-executor");
      }
    }
  }

  // A `parent` names a top-level flow.
  void flow_parent(const StateDefinition& s) {
    if (!s.parent || s.parent->name.empty() || file_.find_flow(s.parent->name) != nullptr) return;
    std::string known;
    for (const auto& f : file_.flows) known += (known.empty() ? "" : ", ") + f.id;
    error(s.parent->location, std::string(s.kind_name()) + " '" + s.id + "': parent '" + s.parent->name +
                                  "' is not a top-level flow (flows: " + (known.empty() ? "none" : known) + ")");
  }

  // The jobs the steps of `flow` run (JobSteps), through splits and the
  // top-level flows it runs.
  void jobs_run_by(const FlowDefinition& flow, std::vector<const NameRef*>& out, std::set<std::string>& flows_seen) {
    for (const StateDefinition& s : flow.states) {
      if (s.job) out.push_back(&*s.job);
      for (const FlowDefinition& inner : s.flows) jobs_run_by(inner, out, flows_seen);
      if (s.parent && flows_seen.insert(s.parent->name).second) {
        if (const FlowDefinition* f = file_.find_flow(s.parent->name)) jobs_run_by(*f, out, flows_seen);
      }
    }
  }

  // A step's job names a job of the file, and no job runs itself (directly
  // or through others).
  void job_references() {
    std::map<std::string, std::vector<const NameRef*>> runs;
    for (const JobDefinition& j : file_.jobs) {
      std::set<std::string> flows_seen;
      jobs_run_by(j.flow, runs[j.id], flows_seen);
    }
    std::set<const NameRef*> reported;
    for (const JobDefinition& j : file_.jobs) {
      for (const NameRef* ref : runs[j.id]) {
        if (file_.find_job(ref->name) == nullptr && reported.insert(ref).second) {
          std::string known;
          for (const auto& k : file_.jobs) known += (known.empty() ? "" : ", ") + k.id;
          error(ref->location, "job '" + j.id + "': a step runs job '" + ref->name + "', which is not a job of " +
                                   file_.path + " (jobs: " + known + ")");
        }
      }
      std::set<std::string> seen;
      std::vector<std::string> stack{j.id};
      while (!stack.empty()) {
        const std::string id = stack.back();
        stack.pop_back();
        for (const NameRef* ref : runs[id]) {
          if (ref->name == j.id && reported.insert(ref).second) {
            error(ref->location, "job '" + j.id + "' runs itself (through a step of '" + id + "')");
          }
          if (seen.insert(ref->name).second) stack.push_back(ref->name);
        }
      }
    }
  }

  // A flow that runs itself (directly or through others) never ends.
  void flow_references() {
    std::map<std::string, std::vector<const NameRef*>> uses;
    std::function<void(const FlowDefinition&, std::vector<const NameRef*>&)> collect =
        [&](const FlowDefinition& f, std::vector<const NameRef*>& out) {
          for (const StateDefinition& s : f.states) {
            if (s.parent) out.push_back(&*s.parent);
            for (const FlowDefinition& inner : s.flows) collect(inner, out);
          }
        };
    for (const FlowDefinition& f : file_.flows) collect(f, uses[f.id]);
    std::set<std::string> reported;
    for (const FlowDefinition& f : file_.flows) {
      std::set<std::string> seen;
      std::vector<std::string> stack{f.id};
      while (!stack.empty()) {
        std::string id = stack.back();
        stack.pop_back();
        for (const NameRef* ref : uses[id]) {
          if (ref->name == f.id && reported.insert(f.id).second) {
            error(ref->location, "flow '" + f.id + "' includes itself (through '" + id + "')");
          }
          if (seen.insert(ref->name).second) stack.push_back(ref->name);
        }
      }
    }
  }

  void job(const JobDefinition& job) {
    flow_graph(job.flow, "job '" + job.id + "'");
    std::map<std::string, SourceLocation> step_names;
    flow_contents(job.flow, &step_names);
    if (job.incrementer) check(*job.incrementer, ComponentKind::INCREMENTER, job.id + ".incrementer");
    if (job.validator) check(*job.validator, ComponentKind::VALIDATOR, job.id + ".validator");
    for (const auto& l : job.listeners) check(l, ComponentKind::JOB_LISTENER, job.id + ".listener");
  }

  void step(const StateDefinition& s) {
    if (s.tasklet) check(*s.tasklet, ComponentKind::TASKLET, s.id + ".tasklet");
    if (s.job_parameters_extractor) check(*s.job_parameters_extractor, ComponentKind::EXTRACTOR, s.id + ".extractor");
    flow_parent(s);
    for (const auto& l : s.listeners) {
      const ComponentKind kind = internal::step_listener_kind(l, file_, registry_);
      if (kind != ComponentKind::STEP_LISTENER && kind != ComponentKind::CHUNK_LISTENER && !s.chunk) {
        error(l.location, "step '" + s.id + "': listener '" + (l.ref.empty() ? l.type : l.ref) + "' is an " +
                              std::string(to_string(kind)) + ", which needs a chunk step");
      } else if (kind == ComponentKind::SKIP_LISTENER && s.chunk && !s.chunk->fault_tolerant()) {
        error(l.location, "step '" + s.id + "': a skip listener needs a fault-tolerant chunk (skip-limit, "
                          "skippable-exception-classes...)");
      }
      check(l, kind, s.id + ".listener");
    }
    if (s.start_limit && *s.start_limit <= 0) error(s.location, "step '" + s.id + "': start-limit must be > 0");
    if (!s.chunk) return;
    const ChunkDefinition& c = *s.chunk;
    if (c.reader) check(*c.reader, ComponentKind::READER, s.id + ".reader");
    for (size_t i = 0; i < c.processors.size(); ++i) {
      check(c.processors[i], ComponentKind::PROCESSOR, s.id + ".processor" + (i == 0 ? "" : std::to_string(i + 1)));
    }
    if (c.writer) check(*c.writer, ComponentKind::WRITER, s.id + ".writer");
    for (const ExceptionKinds* kinds : {&c.skippable, &c.retryable, &c.no_rollback}) {
      for (const auto* list : {&kinds->include, &kinds->exclude}) {
        for (const NameRef& name : *list) {
          if (registry_.has_exception(name.name)) continue;
          std::string known;
          for (const auto& n : registry_.exception_names()) known += (known.empty() ? "" : ", ") + n;
          error(name.location, "step '" + s.id + "': unknown exception kind '" + name.name + "' (registered: " + known + ")");
        }
      }
    }
    if (c.skip_limit && *c.skip_limit < 0) error(c.location, "step '" + s.id + "': skip-limit must be >= 0");
    if (c.dead_letters && !c.fault_tolerant()) {
      error(c.location, "step '" + s.id + "': dead-letters needs a fault-tolerant chunk (skip-limit, "
                        "skippable-exception-classes, ...): nothing is skipped otherwise");
    }
    if (c.read_ahead && c.fault_tolerant()) {
      error(c.location, "step '" + s.id + "': read-ahead is not available on a fault-tolerant chunk (skip-limit, "
                        "retry-limit, ...)");
    }
    if (c.retry_limit && *c.retry_limit > 1 && c.retryable.include.empty()) {
      error(c.location, "step '" + s.id + "': retry-limit needs retryable-exception-classes");
    }
  }

  void check(const ComponentDefinition& c, ComponentKind kind, const std::string& default_name) {
    if (!c.ref.empty()) used_.insert(c.ref);
    auto resolved = internal::resolve_component(c, kind, file_, registry_, default_name, errors_);
    if (!resolved) return;
    if (!c.ref.empty() && file_.find_component(c.ref) != nullptr) {
      // A declared component's properties are checked once.
      if (!checked_.insert(c.ref + '\n' + std::string(to_string(kind))).second) return;
    }
    internal::with_component_interface(kind, [&]<class C>() {
      (void)internal::configure_component<C>(*resolved, registry_, nullptr, errors_);
    });
  }

  // A declared component nobody uses is still checked: its type must exist.
  void unused_components() {
    for (const NamedComponent& c : file_.components) {
      if (used_.count(c.id) != 0) continue;
      bool known = false;
      for (ComponentKind k : internal::kAllComponentKinds) known = known || registry_.contains(k, c.component.type);
      if (!known) error(c.component.location, "component '" + c.id + "': unknown type '" + c.component.type + "'");
    }
  }

  const JobFile& file_;
  const ComponentRegistry& registry_;
  std::vector<DefinitionError> errors_;
  std::set<std::string> used_;
  std::set<std::string> checked_;
};

}  // namespace

std::vector<DefinitionError> validate_job_file(const JobFile& file, const ComponentRegistry& registry) {
  return Validator(file, registry).run();
}

}  // namespace cppbatch
