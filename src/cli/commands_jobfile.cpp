// validate, and the job file behind run --file / restart --file: load the
// file (every parse and validation error printed as file:line:column:
// reason, exit code 2), then its jobs join the program's.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cppbatch/jobfile/job_file_assembler.hpp"

namespace cppbatch::internal {

namespace {

// Loads `path`; prints its errors and returns null when it has some.
std::shared_ptr<const JobFile> load(const CliContext& context, const std::string& path,
                                    const ComponentRegistry& components) {
  LoadedJobFile loaded = load_job_file(path, components);
  if (loaded.ok()) return loaded.file;
  for (const DefinitionError& e : loaded.errors) *context.options().err << e.to_string() << '\n';
  *context.options().err << fmt::format("{}: {}: {} error(s); nothing ran\n", context.options().program_name, path,
                                        loaded.errors.size());
  return nullptr;
}

const ComponentRegistry& components_of(const CliContext& context, std::unique_ptr<ComponentRegistry>& owned) {
  if (context.options().components != nullptr) return *context.options().components;
  if (!owned) owned = std::make_unique<ComponentRegistry>();
  return *owned;
}

size_t count_steps(const FlowDefinition& flow) {
  size_t n = 0;
  for (const StateDefinition& s : flow.states) {
    if (s.kind == StateDefinition::Kind::STEP) ++n;
    for (const FlowDefinition& f : s.flows) n += count_steps(f);
  }
  return n;
}

}  // namespace

int validate_command(const CliContext& context, const std::string& path) {
  std::unique_ptr<ComponentRegistry> owned;
  auto file = load(context, path, components_of(context, owned));
  if (!file) return kExitRunnerError;
  context.out() << fmt::format("{}: valid, {} job(s)\n", path, file->jobs.size());
  for (const JobDefinition& job : file->jobs) {
    context.out() << fmt::format("  {}: {} state(s), {} step(s){}\n", job.id, job.flow.states.size(),
                                 count_steps(job.flow), job.restartable ? "" : ", not restartable");
  }
  return kExitCompleted;
}

std::unique_ptr<JobRegistry> registry_with_job_file(const CliContext& context, const std::string& path,
                                                    std::unique_ptr<ComponentRegistry>& components) {
  const ComponentRegistry& registry = components_of(context, components);
  auto file = load(context, path, registry);
  if (!file) return nullptr;
  auto jobs = std::make_unique<JobRegistry>();
  const JobRegistry& program = context.registry();
  for (const std::string& name : program.names()) {
    (void)jobs->add(
        name,
        [&program, name](JobRepository& repository) -> std::unique_ptr<Job> {
          auto job = program.create(name, repository);
          if (!job) throw std::invalid_argument(job.error().message());
          return std::move(*job);
        },
        program.description(name));
  }
  if (auto added = register_job_file(file, registry, *jobs); !added) {
    context.fail(fmt::format("{}: {}", path, added.error().message()));
    return nullptr;
  }
  return jobs;
}

}  // namespace cppbatch::internal
