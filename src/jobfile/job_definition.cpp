#include "cppbatch/jobfile/job_definition.hpp"

namespace cppbatch {

std::string ComponentDefinition::describe() const {
  return type.empty() ? "'" + ref + "'" : "type '" + type + "'";
}

std::string_view StateDefinition::kind_name() const {
  switch (kind) {
    case Kind::STEP:
      return "step";
    case Kind::DECISION:
      return "decision";
    case Kind::SPLIT:
      return "split";
    case Kind::FLOW:
      return "flow";
  }
  return "?";
}

namespace {
template <class T, class Id>
const T* find_by(const std::vector<T>& items, std::string_view id, Id id_of) {
  for (const T& item : items) {
    if (id_of(item) == id) return &item;
  }
  return nullptr;
}
}  // namespace

const JobDefinition* JobFile::find_job(std::string_view id) const {
  return find_by(jobs, id, [](const JobDefinition& j) -> const std::string& { return j.id; });
}
const FlowDefinition* JobFile::find_flow(std::string_view id) const {
  return find_by(flows, id, [](const FlowDefinition& f) -> const std::string& { return f.id; });
}
const NamedComponent* JobFile::find_component(std::string_view id) const {
  return find_by(components, id, [](const NamedComponent& c) -> const std::string& { return c.id; });
}

}  // namespace cppbatch
