#include "cppbatch/infrastructure/sql_parameter_source.hpp"

#include <stdexcept>

namespace cppbatch {
namespace {

std::string bare(const std::string& name) {
  if (!name.empty() && (name.front() == ':' || name.front() == '@' || name.front() == '$')) return name.substr(1);
  return name;
}

SqlValue from_parameters(const JobParameters& parameters, const std::string& name, const std::string& parameter) {
  const JobParameter* found = parameters.find(parameter);
  if (found == nullptr) {
    throw std::invalid_argument("SQL parameter :" + bare(name) + ": job parameter '" + parameter +
                                "' is not set (job parameters: " + parameters.to_string() + ")");
  }
  return to_sql_value(found->value());
}

}  // namespace

SqlValue to_sql_value(const JobParameter::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* l = std::get_if<int64_t>(&value)) return *l;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* day = std::get_if<Date>(&value)) return format_date(*day);
  return format_date_time(std::get<DateTime>(value));
}

SqlParameterSource job_parameter(std::string name, std::shared_ptr<const JobParametersScope> scope,
                                 std::string parameter) {
  if (!scope) throw std::invalid_argument("job_parameter(" + name + "): no JobParametersScope");
  if (parameter.empty()) parameter = bare(name);
  SqlParameterSource source{name, {}};
  source.resolve = [scope = std::move(scope), name, parameter](const ExecutionContext&) {
    return from_parameters(scope->get(), name, parameter);
  };
  return source;
}

SqlParameterSource job_parameter(std::string name, JobParameters parameters, std::string parameter) {
  if (parameter.empty()) parameter = bare(name);
  SqlParameterSource source{name, {}};
  source.resolve = [parameters = std::move(parameters), name, parameter](const ExecutionContext&) {
    return from_parameters(parameters, name, parameter);
  };
  return source;
}

SqlParameterSource context_value(std::string name, std::string key) {
  if (key.empty()) key = bare(name);
  SqlParameterSource source{name, {}};
  source.resolve = [name, key](const ExecutionContext& context) -> SqlValue {
    auto it = context.values().find(key);
    if (it == context.values().end()) {
      throw std::invalid_argument("SQL parameter :" + bare(name) + ": the step's execution context has no '" + key +
                                  "'");
    }
    return std::visit(
        [](const auto& v) -> SqlValue {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, bool>) {
            return int64_t{v ? 1 : 0};
          } else {
            return v;
          }
        },
        it->second);
  };
  return source;
}

std::vector<SqlBinding> resolve_bindings(const std::vector<SqlBinding>& bindings,
                                         const std::vector<SqlParameterSource>& sources,
                                         const ExecutionContext& context) {
  std::vector<SqlBinding> out = bindings;
  for (const SqlParameterSource& source : sources) {
    if (!source.resolve) throw std::invalid_argument("SQL parameter " + source.name + " has no source");
    out.push_back(SqlBinding{source.name, source.resolve(context)});
  }
  return out;
}

}  // namespace cppbatch
