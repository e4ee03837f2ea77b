// The YAML front end: the document becomes a PropertyNode tree (with every
// node's line and column from yaml-cpp's marks), which is then read as the
// job-file schema (docs/job-files.md, "YAML").
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "cppbatch/jobfile/job_file_parser.hpp"

namespace cppbatch {

namespace {

class YamlReader {
 public:
  YamlReader(std::string path, std::vector<DefinitionError>& errors) : path_(std::move(path)), errors_(errors) {}

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null()) return {path_, 0, 0};
    return {path_, mark.line + 1, mark.column + 1};
  }

  PropertyNode convert(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Sequence: {
        PropertyNode list = PropertyNode::list(at(node.Mark()));
        for (const auto& item : node) list.add_item(convert(item));
        return list;
      }
      case YAML::NodeType::Map: {
        PropertyNode map = PropertyNode::map(at(node.Mark()));
        for (const auto& entry : node) {
          const SourceLocation key_at = at(entry.first.Mark());
          if (!entry.first.IsScalar()) {
            errors_.push_back({key_at, "a key must be a plain value"});
            continue;
          }
          const std::string key = entry.first.Scalar();
          if (map.find(key) != nullptr) {
            errors_.push_back({key_at, "duplicate key '" + key + "'"});
            continue;
          }
          map.add_entry(key, key_at, convert(entry.second));
        }
        return map;
      }
      case YAML::NodeType::Scalar:
        return PropertyNode::scalar(node.Scalar(), at(node.Mark()));
      default:  // null, undefined
        return PropertyNode::scalar("", at(node.Mark()));
    }
  }

 private:
  std::string path_;
  std::vector<DefinitionError>& errors_;
};

// Reads the schema from the PropertyNode tree.
class Interpreter {
 public:
  explicit Interpreter(ParsedJobFile& out) : out_(out) {}

  void document(const PropertyNode& root) {
    if (!root.is_map()) {
      error(root.location(), "a job file is a map with 'jobs' (and optionally 'flows', 'components')");
      return;
    }
    allow(root, {"jobs", "flows", "components"}, "the job file");
    if (const PropertyNode* components = root.find("components")) {
      if (expect_map(*components, "'components'")) {
        for (const auto& e : components->entries()) {
          if (auto c = component(e.value, "component '" + e.key + "'", true)) {
            out_.file.components.push_back({e.key, std::move(*c)});
          }
        }
      }
    }
    if (const PropertyNode* flows = root.find("flows")) {
      if (expect_list(*flows, "'flows'")) {
        for (const PropertyNode& f : flows->items()) {
          if (!expect_map(f, "a flow")) continue;
          allow(f, {"id", "steps"}, "a flow");
          FlowDefinition flow;
          flow.location = f.location();
          flow.id = text(f, "id", "a flow", true).value_or("");
          states(f, "flow '" + flow.id + "'", flow);
          out_.file.flows.push_back(std::move(flow));
        }
      }
    }
    const PropertyNode* jobs = root.find("jobs");
    if (jobs == nullptr) {
      error(root.location(), "the job file declares no job (missing 'jobs')");
      return;
    }
    if (!expect_list(*jobs, "'jobs'")) return;
    for (const PropertyNode& j : jobs->items()) job(j);
  }

 private:
  void error(const SourceLocation& at, std::string message) { out_.errors.push_back({at, std::move(message)}); }

  bool expect_map(const PropertyNode& node, std::string_view what) {
    if (node.is_map()) return true;
    error(node.location(), std::string(what) + " must be a map, not " + std::string(node.kind_name()));
    return false;
  }
  bool expect_list(const PropertyNode& node, std::string_view what) {
    if (node.is_list()) return true;
    error(node.location(), std::string(what) + " must be a list, not " + std::string(node.kind_name()));
    return false;
  }

  void allow(const PropertyNode& map, std::initializer_list<std::string_view> allowed, std::string_view what) {
    for (const auto& e : map.entries()) {
      if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
      std::string known;
      for (auto k : allowed) known += (known.empty() ? "" : ", ") + std::string(k);
      error(e.key_location, "unknown key '" + e.key + "' in " + std::string(what) + " (allowed: " + known + ")");
    }
  }

  std::optional<std::string> text(const PropertyNode& map, std::string_view key, std::string_view what, bool required) {
    const PropertyNode* node = map.find(key);
    if (node == nullptr) {
      if (required) error(map.location(), std::string(what) + ": missing required key '" + std::string(key) + "'");
      return std::nullopt;
    }
    if (!node->is_scalar()) {
      error(node->location(), std::string(what) + ": '" + std::string(key) + "' must be a value, not " +
                                  std::string(node->kind_name()));
      return std::nullopt;
    }
    if (required && node->text().empty()) {
      error(node->location(), std::string(what) + ": '" + std::string(key) + "' must not be empty");
      return std::nullopt;
    }
    return node->text();
  }

  std::optional<NameRef> name_ref(const PropertyNode& map, std::string_view key, std::string_view what, bool required) {
    auto t = text(map, key, what, required);
    if (!t) return std::nullopt;
    return NameRef{*t, map.find(key)->location()};
  }

  std::optional<int64_t> integer(const PropertyNode& map, std::string_view key, std::string_view what) {
    auto t = text(map, key, what, false);
    if (!t) return std::nullopt;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), value);
    if (ec != std::errc() || end != t->data() + t->size() || t->empty()) {
      error(map.find(key)->location(), std::string(what) + ": '" + std::string(key) + "' must be an integer, not '" + *t + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const PropertyNode& map, std::string_view key, std::string_view what) {
    auto t = text(map, key, what, false);
    if (!t) return std::nullopt;
    if (*t == "true") return true;
    if (*t == "false") return false;
    error(map.find(key)->location(), std::string(what) + ": '" + std::string(key) + "' must be true or false, not '" + *t + "'");
    return std::nullopt;
  }

  // A component: a name (reference) or a map with `type` and properties.
  std::optional<ComponentDefinition> component(const PropertyNode& node, const std::string& what, bool declared = false) {
    ComponentDefinition c;
    c.location = node.location();
    if (node.is_scalar()) {
      if (declared) {
        error(node.location(), what + " must be a map with a 'type'");
        return std::nullopt;
      }
      if (node.text().empty()) {
        error(node.location(), what + ": empty component name");
        return std::nullopt;
      }
      c.ref = node.text();
      return c;
    }
    if (!node.is_map()) {
      error(node.location(), what + " must be a component name or a map with a 'type', not " + std::string(node.kind_name()));
      return std::nullopt;
    }
    auto type = text(node, "type", what, true);
    if (!type) return std::nullopt;
    c.type = *type;
    c.properties = PropertyNode::map(node.location());
    for (const auto& e : node.entries()) {
      if (e.key != "type") c.properties.add_entry(e.key, e.key_location, e.value);
    }
    return c;
  }

  std::vector<ComponentDefinition> components(const PropertyNode& map, std::string_view key, const std::string& what) {
    std::vector<ComponentDefinition> out;
    const PropertyNode* node = map.find(key);
    if (node == nullptr) return out;
    if (!node->is_list()) {
      if (auto c = component(*node, what)) out.push_back(std::move(*c));
      return out;
    }
    for (const PropertyNode& item : node->items()) {
      if (auto c = component(item, what)) out.push_back(std::move(*c));
    }
    return out;
  }

  void job(const PropertyNode& j) {
    if (!expect_map(j, "a job")) return;
    allow(j, {"id", "restartable", "incrementer", "validator", "listeners", "steps"}, "a job");
    JobDefinition job;
    job.location = j.location();
    job.id = text(j, "id", "a job", true).value_or("");
    const std::string what = "job '" + job.id + "'";
    job.restartable = boolean(j, "restartable", what).value_or(true);
    if (const PropertyNode* n = j.find("incrementer")) job.incrementer = component(*n, what + ": incrementer");
    if (const PropertyNode* n = j.find("validator")) job.validator = component(*n, what + ": validator");
    job.listeners = components(j, "listeners", what + ": listener");
    job.flow.id = job.id;
    job.flow.location = job.location;
    states(j, what, job.flow);
    out_.file.jobs.push_back(std::move(job));
  }

  // The `steps` list of a job or flow.
  void states(const PropertyNode& owner, const std::string& what, FlowDefinition& flow) {
    const PropertyNode* list = owner.find("steps");
    if (list == nullptr) {
      error(owner.location(), what + ": missing required key 'steps'");
      return;
    }
    if (!expect_list(*list, what + ": 'steps'")) return;
    if (list->items().empty()) error(list->location(), what + ": 'steps' is empty");
    for (const PropertyNode& item : list->items()) {
      if (auto s = state(item, what)) flow.states.push_back(std::move(*s));
    }
  }

  std::optional<StateDefinition> state(const PropertyNode& s, const std::string& owner) {
    if (!expect_map(s, "an element of 'steps'")) return std::nullopt;
    static constexpr std::pair<std::string_view, StateDefinition::Kind> kKinds[] = {
        {"step", StateDefinition::Kind::STEP},
        {"decision", StateDefinition::Kind::DECISION},
        {"split", StateDefinition::Kind::SPLIT},
        {"flow", StateDefinition::Kind::FLOW}};
    StateDefinition state;
    state.location = s.location();
    int kinds = 0;
    for (const auto& [key, kind] : kKinds) {
      if (s.find(key) != nullptr) {
        ++kinds;
        state.kind = kind;
      }
    }
    if (s.find("step") != nullptr && s.find("flow") != nullptr) {  // a step running a flow (flow: {parent: f})
      --kinds;
      state.kind = StateDefinition::Kind::STEP;
    }
    if (kinds != 1) {
      error(s.location(), owner + ": each element of 'steps' has exactly one of step, decision, split, flow (its id)");
      return std::nullopt;
    }
    const std::string kind(state.kind_name());
    state.id = text(s, kind, owner + ": " + kind, true).value_or("");
    const std::string what = kind + " '" + state.id + "'";
    switch (state.kind) {
      case StateDefinition::Kind::STEP:
        allow(s, {"step", "next", "transitions", "tasklet", "chunk", "job", "flow", "allow-start-if-complete", "start-limit",
                  "listeners"},
              what);
        step(s, what, state);
        break;
      case StateDefinition::Kind::DECISION:
        allow(s, {"decision", "decider", "next", "transitions"}, what);
        if (const PropertyNode* d = s.find("decider")) {
          state.decider = component(*d, what + ": decider");
        } else {
          error(s.location(), what + ": missing required key 'decider'");
        }
        break;
      case StateDefinition::Kind::SPLIT:
        allow(s, {"split", "flows", "task-executor", "next", "transitions"}, what);
        split(s, what, state);
        if (const PropertyNode* e = s.find("task-executor")) state.task_executor = component(*e, what + ": task-executor");
        break;
      case StateDefinition::Kind::FLOW:
        allow(s, {"flow", "parent", "next", "transitions"}, what);
        state.parent = name_ref(s, "parent", what, true);
        break;
    }
    state.next = name_ref(s, "next", what, false);
    transitions(s, what, state);
    return state;
  }

  void step(const PropertyNode& s, const std::string& what, StateDefinition& state) {
    const PropertyNode* tasklet = s.find("tasklet");
    const PropertyNode* chunk = s.find("chunk");
    const PropertyNode* job = s.find("job");
    const PropertyNode* flow = s.find("flow");
    if ((tasklet != nullptr) + (chunk != nullptr) + (job != nullptr) + (flow != nullptr) != 1) {
      error(s.location(), what + ": a step has exactly one of 'tasklet', 'chunk', 'job' and 'flow'");
    }
    if (tasklet != nullptr) state.tasklet = component(*tasklet, what + ": tasklet");
    if (chunk != nullptr) state.chunk = this->chunk(*chunk, what);
    if (job != nullptr) {
      // job: childJob   or   job: {ref: childJob, job-parameters-extractor: <component>}
      if (job->is_map()) {
        allow(*job, {"ref", "job-parameters-extractor"}, what + ": job");
        state.job = name_ref(*job, "ref", what + ": job", true);
        if (const PropertyNode* e = job->find("job-parameters-extractor")) {
          state.job_parameters_extractor = component(*e, what + ": job-parameters-extractor");
        }
      } else {
        state.job = name_ref(s, "job", what, true);
      }
    }
    if (flow != nullptr) {
      // flow: {parent: someFlow}   or   flow: someFlow
      if (flow->is_map()) {
        allow(*flow, {"parent"}, what + ": flow");
        state.parent = name_ref(*flow, "parent", what + ": flow", true);
      } else {
        state.parent = name_ref(s, "flow", what, true);
      }
    }
    state.allow_start_if_complete = boolean(s, "allow-start-if-complete", what).value_or(false);
    state.start_limit = integer(s, "start-limit", what);
    state.listeners = components(s, "listeners", what + ": listener");
  }

  std::optional<ChunkDefinition> chunk(const PropertyNode& c, const std::string& step) {
    const std::string what = step + ": chunk";
    if (!expect_map(c, what)) return std::nullopt;
    allow(c, {"reader", "processor", "writer", "commit-interval", "skip-limit", "retry-limit",
              "skippable-exception-classes", "retryable-exception-classes", "no-rollback-exception-classes",
              "dead-letters", "read-ahead"},
          what);
    ChunkDefinition chunk;
    chunk.location = c.location();
    if (const PropertyNode* r = c.find("reader")) {
      chunk.reader = component(*r, what + ": reader");
    } else {
      error(c.location(), what + ": missing required key 'reader'");
    }
    chunk.processors = components(c, "processor", what + ": processor");
    if (const PropertyNode* w = c.find("writer")) {
      chunk.writer = component(*w, what + ": writer");
    } else {
      error(c.location(), what + ": missing required key 'writer'");
    }
    if (c.find("commit-interval") == nullptr) error(c.location(), what + ": missing required key 'commit-interval'");
    if (auto n = integer(c, "commit-interval", what)) {
      if (*n <= 0) error(c.find("commit-interval")->location(), what + ": 'commit-interval' must be > 0");
      chunk.commit_interval = *n;
    }
    chunk.skip_limit = integer(c, "skip-limit", what);
    chunk.retry_limit = integer(c, "retry-limit", what);
    chunk.skippable = exceptions(c, "skippable-exception-classes", what);
    chunk.retryable = exceptions(c, "retryable-exception-classes", what);
    chunk.no_rollback = exceptions(c, "no-rollback-exception-classes", what);
    chunk.dead_letters = boolean(c, "dead-letters", what).value_or(false);
    chunk.read_ahead = boolean(c, "read-ahead", what).value_or(false);
    return chunk;
  }

  void names(const PropertyNode& node, const std::string& what, std::vector<NameRef>& out) {
    if (node.is_scalar()) {
      out.push_back({node.text(), node.location()});
      return;
    }
    if (!expect_list(node, what)) return;
    for (const PropertyNode& item : node.items()) {
      if (item.is_scalar()) {
        out.push_back({item.text(), item.location()});
      } else {
        error(item.location(), what + ": expected an exception name, not " + std::string(item.kind_name()));
      }
    }
  }

  // A list of names (included), or {include: [...], exclude: [...]}.
  ExceptionKinds exceptions(const PropertyNode& map, std::string_view key, const std::string& owner) {
    ExceptionKinds kinds;
    const PropertyNode* node = map.find(key);
    if (node == nullptr) return kinds;
    const std::string what = owner + ": " + std::string(key);
    if (node->is_map()) {
      allow(*node, {"include", "exclude"}, what);
      if (const PropertyNode* i = node->find("include")) names(*i, what, kinds.include);
      if (const PropertyNode* e = node->find("exclude")) names(*e, what, kinds.exclude);
    } else {
      names(*node, what, kinds.include);
    }
    return kinds;
  }

  void split(const PropertyNode& s, const std::string& what, StateDefinition& state) {
    const PropertyNode* flows = s.find("flows");
    if (flows == nullptr) {
      error(s.location(), what + ": missing required key 'flows'");
      return;
    }
    if (!expect_list(*flows, what + ": 'flows'")) return;
    for (const PropertyNode& f : flows->items()) {
      if (!expect_map(f, what + ": a flow")) continue;
      FlowDefinition flow;
      flow.location = f.location();
      if (f.find("parent") != nullptr) {
        allow(f, {"parent"}, what + ": a flow with a parent");
        // A reference: one FLOW state running the top-level flow.
        StateDefinition ref;
        ref.kind = StateDefinition::Kind::FLOW;
        ref.location = f.location();
        ref.parent = name_ref(f, "parent", what, true);
        if (ref.parent) ref.id = ref.parent->name;
        flow.states.push_back(std::move(ref));
      } else {
        allow(f, {"steps"}, what + ": a flow");
        states(f, what + ": a flow", flow);
      }
      state.flows.push_back(std::move(flow));
    }
  }

  void transitions(const PropertyNode& s, const std::string& what, StateDefinition& state) {
    const PropertyNode* list = s.find("transitions");
    if (list == nullptr) return;
    if (!expect_list(*list, what + ": 'transitions'")) return;
    for (const PropertyNode& t : list->items()) {
      if (!t.is_map() || t.entries().size() != 1) {
        error(t.location(), what + ": a transition is one of next: {on, to}, end: {on, exit-code}, fail: {on, exit-code}, "
                                   "stop: {on, restart, exit-code}");
        continue;
      }
      const auto& entry = t.entries().front();
      TransitionDefinition tr;
      tr.location = entry.key_location;
      const std::string tw = what + ": " + entry.key;
      if (!expect_map(entry.value, tw)) continue;
      if (entry.key == "next") {
        tr.kind = TransitionDefinition::Kind::NEXT;
        allow(entry.value, {"on", "to"}, tw);
        if (auto to = name_ref(entry.value, "to", tw, true)) tr.to = *to;
      } else if (entry.key == "end" || entry.key == "fail") {
        tr.kind = entry.key == "end" ? TransitionDefinition::Kind::END : TransitionDefinition::Kind::FAIL;
        allow(entry.value, {"on", "exit-code"}, tw);
        tr.exit_code = text(entry.value, "exit-code", tw, false).value_or("");
      } else if (entry.key == "stop") {
        tr.kind = TransitionDefinition::Kind::STOP;
        allow(entry.value, {"on", "restart", "exit-code"}, tw);
        if (auto to = name_ref(entry.value, "restart", tw, false)) tr.to = *to;
        tr.exit_code = text(entry.value, "exit-code", tw, false).value_or("");
      } else {
        error(entry.key_location, what + ": unknown transition '" + entry.key + "' (allowed: next, end, fail, stop)");
        continue;
      }
      tr.on = text(entry.value, "on", tw, true).value_or("");
      state.transitions.push_back(std::move(tr));
    }
  }

  ParsedJobFile& out_;
};

}  // namespace

ParsedJobFile parse_yaml_job_file(std::string_view text, std::string path) {
  ParsedJobFile parsed;
  parsed.file.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourceLocation at{path, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1};
    parsed.errors.push_back({at, "malformed YAML: " + e.msg});
    return parsed;
  }
  YamlReader reader(path, parsed.errors);
  PropertyNode tree = reader.convert(root);
  Interpreter(parsed).document(tree);
  return parsed;
}

}  // namespace cppbatch
