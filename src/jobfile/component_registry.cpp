#include "cppbatch/jobfile/component_registry.hpp"

namespace cppbatch {

std::string_view to_string(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::READER:
      return "reader";
    case ComponentKind::PROCESSOR:
      return "processor";
    case ComponentKind::WRITER:
      return "writer";
    case ComponentKind::TASKLET:
      return "tasklet";
    case ComponentKind::DECIDER:
      return "decider";
    case ComponentKind::STEP_LISTENER:
      return "step listener";
    case ComponentKind::CHUNK_LISTENER:
      return "chunk listener";
    case ComponentKind::JOB_LISTENER:
      return "job listener";
    case ComponentKind::INCREMENTER:
      return "incrementer";
    case ComponentKind::VALIDATOR:
      return "validator";
    case ComponentKind::EXTRACTOR:
      return "job parameters extractor";
    case ComponentKind::TASK_EXECUTOR:
      return "task executor";
    case ComponentKind::SKIP_LISTENER:
      return "skip listener";
    case ComponentKind::READ_LISTENER:
      return "item read listener";
    case ComponentKind::PROCESS_LISTENER:
      return "item process listener";
    case ComponentKind::WRITE_LISTENER:
      return "item write listener";
  }
  return "component";
}

ComponentRegistry::ComponentRegistry() { add_builtin_components(*this); }

const ComponentRegistry::Entry* ComponentRegistry::find_entry(ComponentKind kind, std::string_view type) const {
  auto table = tables_.find(kind);
  if (table == tables_.end()) return nullptr;
  auto it = table->second.find(type);
  return it != table->second.end() ? &it->second : nullptr;
}

std::vector<std::string> ComponentRegistry::names(ComponentKind kind) const {
  std::vector<std::string> out;
  auto table = tables_.find(kind);
  if (table == tables_.end()) return out;
  for (const auto& [name, entry] : table->second) out.push_back(name);
  return out;
}

std::string ComponentRegistry::description(ComponentKind kind, std::string_view type) const {
  const Entry* entry = find_entry(kind, type);
  return entry != nullptr ? entry->description : std::string();
}

std::vector<std::string> ComponentRegistry::exception_names() const {
  std::vector<std::string> out;
  for (const auto& [name, add] : exceptions_) out.push_back(name);
  return out;
}

bool ComponentRegistry::classify_exception(std::string_view name, BinaryExceptionClassifier& classifier,
                                           bool value) const {
  auto it = exceptions_.find(name);
  if (it == exceptions_.end()) return false;
  it->second(classifier, value);
  return true;
}

}  // namespace cppbatch
