#include "cppbatch/jobfile/late_binding.hpp"

#include <cctype>
#include <optional>
#include <stdexcept>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

namespace {

enum class Source { JOB_PARAMETERS, STEP_CONTEXT, JOB_CONTEXT };

struct Placeholder {
  Source source = Source::JOB_PARAMETERS;
  std::string key;
  std::optional<std::string> if_missing;
  size_t end = 0;  // one past the closing '}'
};

class PlaceholderParser {
 public:
  PlaceholderParser(std::string_view text, size_t start) : text_(text), pos_(start + 2) {}

  // Parses the placeholder starting at `start` ("#{"); throws
  // std::invalid_argument with the reason.
  Placeholder parse() {
    Placeholder p;
    skip_spaces();
    const std::string_view name = identifier();
    if (name == "jobParameters") {
      p.source = Source::JOB_PARAMETERS;
    } else if (name == "stepExecutionContext") {
      p.source = Source::STEP_CONTEXT;
    } else if (name == "jobExecutionContext") {
      p.source = Source::JOB_CONTEXT;
    } else {
      fail("unknown source '" + std::string(name) +
           "' (known: jobParameters, stepExecutionContext, jobExecutionContext)");
    }
    skip_spaces();
    expect('[');
    skip_spaces();
    p.key = quoted_or_bare(']');
    skip_spaces();
    expect(']');
    skip_spaces();
    if (text_.substr(pos_, 2) == "?:") {
      pos_ += 2;
      skip_spaces();
      p.if_missing = quoted_or_bare('}');
      skip_spaces();
    }
    expect('}');
    p.end = pos_;
    return p;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw std::invalid_argument("placeholder at offset " + std::to_string(pos_) + ": " + reason);
  }
  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  void expect(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string_view identifier() {
    const size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_')) {
      ++pos_;
    }
    if (start == pos_) fail("expected jobParameters, stepExecutionContext or jobExecutionContext");
    return text_.substr(start, pos_ - start);
  }
  std::string quoted_or_bare(char terminator) {
    if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) {
      const char quote = text_[pos_++];
      const size_t close = text_.find(quote, pos_);
      if (close == std::string_view::npos) fail("unterminated quote");
      std::string value(text_.substr(pos_, close - pos_));
      pos_ = close + 1;
      return value;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != terminator && text_[pos_] != ' ') ++pos_;
    if (start == pos_) fail("expected a name");
    return std::string(text_.substr(start, pos_ - start));
  }

  std::string_view text_;
  size_t pos_;
};

std::string context_text(const ExecutionContext::Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<V, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          return value_to_string(Value{v});
        } else {
          return std::to_string(v);
        }
      },
      value);
}

std::optional<std::string> lookup(const Placeholder& p, const LateBindingContext& context) {
  switch (p.source) {
    case Source::JOB_PARAMETERS: {
      if (context.job_parameters == nullptr) return std::nullopt;
      const auto& all = context.job_parameters->parameters();
      auto it = all.find(p.key);
      if (it == all.end()) return std::nullopt;
      return it->second.value_text();
    }
    case Source::STEP_CONTEXT:
    case Source::JOB_CONTEXT: {
      const ExecutionContext* ctx = p.source == Source::STEP_CONTEXT ? context.step_context : context.job_context;
      if (ctx == nullptr) return std::nullopt;
      auto it = ctx->values().find(p.key);
      if (it == ctx->values().end()) return std::nullopt;
      return context_text(it->second);
    }
  }
  return std::nullopt;
}

std::string_view source_name(Source source) {
  switch (source) {
    case Source::JOB_PARAMETERS:
      return "job parameter";
    case Source::STEP_CONTEXT:
      return "step execution context key";
    case Source::JOB_CONTEXT:
      return "job execution context key";
  }
  return "?";
}

// Calls on_placeholder / on_text for each part of `text`.
template <class OnText, class OnPlaceholder>
void scan(std::string_view text, OnText on_text, OnPlaceholder on_placeholder) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("#{", pos);
    if (start == std::string_view::npos) break;
    on_text(text.substr(pos, start - pos));
    Placeholder p = PlaceholderParser(text, start).parse();
    on_placeholder(p);
    pos = p.end;
  }
  if (pos < text.size()) on_text(text.substr(pos));
}

}  // namespace

bool has_placeholder(std::string_view text) { return text.find("#{") != std::string_view::npos; }

std::string check_placeholders(std::string_view text) {
  try {
    scan(text, [](std::string_view) {}, [](const Placeholder&) {});
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::string resolve_placeholders(std::string_view text, const LateBindingContext& context) {
  std::string out;
  scan(
      text, [&](std::string_view part) { out.append(part); },
      [&](const Placeholder& p) {
        std::optional<std::string> value = lookup(p, context);
        if (!value) value = p.if_missing;
        if (!value) throw std::invalid_argument(std::string(source_name(p.source)) + " '" + p.key + "' is missing");
        out += *value;
      });
  return out;
}

}  // namespace cppbatch
