// Internal: how a ComponentDefinition of a job file resolves to a factory —
// shared by validation (which reports what does not resolve) and assembly
// (which builds from what does).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cppbatch/jobfile/component_registry.hpp"
#include "cppbatch/jobfile/job_definition.hpp"

namespace cppbatch::internal {

// A component with its factory type and properties.
struct ResolvedComponent {
  std::string type;                  // the registry's name
  const PropertyNode* properties;    // never null
  std::string name;                  // default component name (context keys)
  std::string what;                  // "reader 'players' (delimitedFileReader)" for messages
};

// Resolves `c` as a component of `kind`: a reference names a declared
// component (whose type is then looked up) or a registered type used without
// properties; a type names a registered factory. nullopt (and an error in
// `errors`) when nothing matches. `default_name` is used for an inline
// component's name.
std::optional<ResolvedComponent> resolve_component(const ComponentDefinition& c, ComponentKind kind,
                                                   const JobFile& file, const ComponentRegistry& registry,
                                                   const std::string& default_name,
                                                   std::vector<DefinitionError>& errors);

// The kinds a step's `listeners` entry may have, in the order they are
// looked up.
inline constexpr ComponentKind kStepListenerKinds[] = {
    ComponentKind::STEP_LISTENER, ComponentKind::CHUNK_LISTENER,   ComponentKind::SKIP_LISTENER,
    ComponentKind::READ_LISTENER, ComponentKind::PROCESS_LISTENER, ComponentKind::WRITE_LISTENER};
// The first of kStepListenerKinds `c`'s type is registered under
// (STEP_LISTENER when none: resolving it then reports the error).
ComponentKind step_listener_kind(const ComponentDefinition& c, const JobFile& file, const ComponentRegistry& registry);

// Runs the factory of `resolved` (validation when `binding` is null) and
// returns its Creator (empty when errors were recorded).
template <class C>
Creator<C> configure_component(const ResolvedComponent& resolved, const ComponentRegistry& registry,
                               const LateBindingContext* binding, std::vector<DefinitionError>& errors) {
  const Configure<C>* configure = registry.find<C>(resolved.type);
  if (configure == nullptr) return {};
  PropertyReader reader(*resolved.properties, errors, resolved.what, binding, resolved.name);
  const size_t before = errors.size();
  Creator<C> creator = (*configure)(reader);
  reader.finish();
  if (errors.size() != before) return {};
  return creator;
}

// Builds the component now (binding mode); std::invalid_argument listing
// every error when its properties do not bind.
template <class C>
std::unique_ptr<C> create_component(const ResolvedComponent& resolved, const ComponentRegistry& registry,
                                    const LateBindingContext& binding) {
  std::vector<DefinitionError> errors;
  Creator<C> creator = configure_component<C>(resolved, registry, &binding, errors);
  if (!errors.empty()) throw std::invalid_argument(to_string(errors));
  if (!creator) throw std::logic_error(resolved.what + ": the factory returned no creator");
  std::unique_ptr<C> component = creator();
  if (!component) throw std::logic_error(resolved.what + ": the factory created nothing");
  return component;
}

}  // namespace cppbatch::internal
