#include "cppbatch/core/job_registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cppbatch {

Result<void> JobRegistry::add(std::string name, JobFactory factory, std::string description) {
  if (name.empty()) return Error(ErrorCode::INVALID_ARGUMENT, "a job needs a name");
  std::lock_guard lock(mutex_);
  if (entries_.count(name)) return Error(ErrorCode::INVALID_ARGUMENT, "job '" + name + "' is already registered");
  entries_.emplace(std::move(name), Entry{std::move(factory), std::move(description)});
  return {};
}

Result<std::unique_ptr<Job>> JobRegistry::create(std::string_view name, JobRepository& repository) const {
  JobFactory factory;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      std::vector<std::string> known;
      for (const auto& [n, e] : entries_) known.push_back(n);
      return Error(ErrorCode::NOT_FOUND,
                   fmt::format("no job named '{}' (known: {})", name, known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    }
    factory = it->second.factory;
  }
  try {
    auto job = factory(repository);
    if (!job) return Error(ErrorCode::INTERNAL, fmt::format("the factory of job '{}' returned nothing", name));
    return job;
  } catch (const std::exception& e) {
    return Error(ErrorCode::INVALID_ARGUMENT, fmt::format("job '{}' could not be built: {}", name, e.what()));
  }
}

bool JobRegistry::contains(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return entries_.find(name) != entries_.end();
}

std::vector<std::string> JobRegistry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

std::string JobRegistry::description(std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  return it == entries_.end() ? std::string() : it->second.description;
}

}  // namespace cppbatch
