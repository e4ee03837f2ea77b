#include "jobfile/component_resolution.hpp"

namespace cppbatch::internal {

namespace {
const PropertyNode& no_properties() {
  static const PropertyNode empty;
  return empty;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}
}  // namespace

std::optional<ResolvedComponent> resolve_component(const ComponentDefinition& c, ComponentKind kind,
                                                   const JobFile& file, const ComponentRegistry& registry,
                                                   const std::string& default_name,
                                                   std::vector<DefinitionError>& errors) {
  const std::string kind_name(to_string(kind));
  if (!c.ref.empty()) {
    if (const NamedComponent* declared = file.find_component(c.ref)) {
      const ComponentDefinition& d = declared->component;
      if (!registry.contains(kind, d.type)) {
        errors.push_back({c.location, kind_name + " '" + c.ref + "' is declared with type '" + d.type +
                                          "', which is not a " + kind_name + " (" + kind_name +
                                          " types: " + join(registry.names(kind)) + ")"});
        return std::nullopt;
      }
      return ResolvedComponent{d.type, &d.properties, c.ref, kind_name + " '" + c.ref + "' (" + d.type + ")"};
    }
    if (registry.contains(kind, c.ref)) {
      return ResolvedComponent{c.ref, &no_properties(), c.ref, kind_name + " '" + c.ref + "'"};
    }
    std::vector<std::string> declared;
    for (const auto& d : file.components) declared.push_back(d.id);
    errors.push_back({c.location, "unknown " + kind_name + " '" + c.ref + "' (declared components: " + join(declared) +
                                      "; registered " + kind_name + "s: " + join(registry.names(kind)) + ")"});
    return std::nullopt;
  }
  if (!registry.contains(kind, c.type)) {
    errors.push_back({c.location, "unknown " + kind_name + " type '" + c.type + "' (known: " + join(registry.names(kind)) + ")"});
    return std::nullopt;
  }
  return ResolvedComponent{c.type, &c.properties, default_name, kind_name + " '" + default_name + "' (" + c.type + ")"};
}

}  // namespace cppbatch::internal

namespace cppbatch::internal {

ComponentKind step_listener_kind(const ComponentDefinition& c, const JobFile& file, const ComponentRegistry& registry) {
  std::string type = c.ref.empty() ? c.type : c.ref;
  if (const NamedComponent* declared = file.find_component(c.ref)) type = declared->component.type;
  for (ComponentKind kind : kStepListenerKinds) {
    if (registry.contains(kind, type)) return kind;
  }
  return ComponentKind::STEP_LISTENER;
}

}  // namespace cppbatch::internal
