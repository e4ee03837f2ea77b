// JobParameters: the typed, named inputs of a job execution.
//
// A parameter is a value (string, long, double, date, date-time) with an
// `identifying` flag. The identifying ones, with the job name, define the
// JobInstance; job_key() is Spring Batch 5's DefaultJobKeyGenerator so a
// Spring Batch and a cppbatch repository agree on instances. Values are
// immutable once built.
//
//   JobParameters p = JobParametersBuilder()
//       .add_date("date", *parse_date("2026-01-02"))
//       .add_long("count", 1000, /*identifying=*/false)
//       .build();
//   p.job_key();  // md5("date={value=2026-01-02, type=class java.time.LocalDate, identifying=true};")
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cppbatch/common/time_format.hpp"

namespace cppbatch {

enum class ParameterType { STRING, LONG, DOUBLE, DATE, DATE_TIME };

class JobParameter {
 public:
  using Value = std::variant<std::string, int64_t, double, Date, DateTime>;

  JobParameter(Value value, bool identifying = true) : value_(std::move(value)), identifying_(identifying) {}

  const Value& value() const { return value_; }
  ParameterType type() const { return static_cast<ParameterType>(value_.index()); }
  bool identifying() const { return identifying_; }

  // The Java class Spring stores in PARAMETER_TYPE ("java.lang.Long"...).
  std::string_view type_name() const;
  // The value as stored in PARAMETER_VALUE ("42", "1.5", "2026-01-02",
  // "2026-01-02T10:00:00").
  std::string value_text() const;
  // The value as Java's toString renders it (used in the job key).
  std::string value_java_text() const;

  bool operator==(const JobParameter& other) const = default;

 private:
  Value value_;
  bool identifying_;
};

// Maps a PARAMETER_TYPE or CLI type name to a type: "string", "long",
// "double", "date", "datetime" and the Java FQCNs. nullopt if unknown.
std::optional<ParameterType> parse_parameter_type(std::string_view name);
// Parses `text` as a value of `type`; nullopt if it is not one.
std::optional<JobParameter::Value> parse_parameter_value(ParameterType type, std::string_view text);

class JobParameters {
 public:
  JobParameters() = default;
  explicit JobParameters(std::map<std::string, JobParameter> parameters) : parameters_(std::move(parameters)) {}

  const std::map<std::string, JobParameter>& parameters() const { return parameters_; }
  bool empty() const { return parameters_.empty(); }
  bool contains(std::string_view name) const { return parameters_.find(std::string(name)) != parameters_.end(); }
  // Null when absent.
  const JobParameter* find(std::string_view name) const;

  std::optional<std::string> get_string(std::string_view name) const;
  std::optional<int64_t> get_long(std::string_view name) const;
  std::optional<double> get_double(std::string_view name) const;
  std::optional<Date> get_date(std::string_view name) const;
  std::optional<DateTime> get_date_time(std::string_view name) const;

  // Only the identifying parameters.
  JobParameters identifying() const;
  // Spring Batch 5 job key (lower-case hex MD5, 32 characters).
  std::string job_key() const;
  // "{date=2026-01-02, count=1000}" for logs.
  std::string to_string() const;

  bool operator==(const JobParameters& other) const = default;

 private:
  std::map<std::string, JobParameter> parameters_;
};

class JobParametersBuilder {
 public:
  JobParametersBuilder() = default;
  explicit JobParametersBuilder(const JobParameters& start) : parameters_(start.parameters()) {}

  JobParametersBuilder& add_string(std::string name, std::string value, bool identifying = true);
  JobParametersBuilder& add_long(std::string name, int64_t value, bool identifying = true);
  JobParametersBuilder& add_double(std::string name, double value, bool identifying = true);
  JobParametersBuilder& add_date(std::string name, Date value, bool identifying = true);
  JobParametersBuilder& add_date_time(std::string name, DateTime value, bool identifying = true);
  JobParametersBuilder& add(std::string name, JobParameter parameter);
  JobParametersBuilder& remove(std::string_view name);
  JobParameters build() const { return JobParameters(parameters_); }

 private:
  std::map<std::string, JobParameter> parameters_;
};

}  // namespace cppbatch
