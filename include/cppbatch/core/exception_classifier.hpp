// ExceptionClassifier: maps an exception to a value by its type, the most
// specific registered type winning — how skip, retry and no-rollback
// policies decide what an error means (Spring's SubclassClassifier).
//
//   ExceptionClassifier<bool> skippable(false);           // default: not skippable
//   skippable.add<std::runtime_error>(true);
//   skippable.add<TransientError>(false);                 // derived from runtime_error
//   skippable.classify(std::make_exception_ptr(ParseError(...)));     // true
//   skippable.classify(std::make_exception_ptr(TransientError(...))); // false: more specific
//
// "Most specific" is decided by the types' public inheritance: of the
// registered types the error is an instance of, the one derived from the
// others wins; between unrelated matches (multiple inheritance) the one
// registered first wins. Registering a type again replaces its value.
// Matching rethrows the exception_ptr once per registered type, so keep
// classifiers small (they are: a handful of types). Thread-safe for
// classify() once configured.
#pragma once

#include <exception>
#include <functional>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace cppbatch {

namespace internal {

// One registered exception type, type-erased.
struct ExceptionType {
  std::type_index type{typeid(void)};
  // Does `error` hold an instance of this type (or a derived one)?
  bool (*matches)(const std::exception_ptr& error) = nullptr;
  // Throws a null pointer to this type: lets another entry test
  // "derives from" with a pointer handler.
  void (*throw_pointer)() = nullptr;
  // Is the type thrown by `thrower` derived from (or equal to) this type?
  bool (*is_base_of)(void (*thrower)()) = nullptr;

  template <class E>
  static ExceptionType of() {
    ExceptionType t;
    t.type = std::type_index(typeid(E));
    t.matches = [](const std::exception_ptr& error) {
      try {
        std::rethrow_exception(error);
      } catch (const E&) {
        return true;
      } catch (...) {
        return false;
      }
    };
    t.throw_pointer = [] { throw static_cast<E*>(nullptr); };
    t.is_base_of = [](void (*thrower)()) {
      try {
        thrower();
      } catch (E*) {
        return true;
      } catch (...) {
        return false;
      }
      return false;
    };
    return t;
  }
};

}  // namespace internal

template <class V>
class ExceptionClassifier {
 public:
  explicit ExceptionClassifier(V default_value = V{}) : default_(std::move(default_value)) {}

  // Maps E and every type derived from it (unless more specific) to value.
  template <class E>
  ExceptionClassifier& add(V value) {
    internal::ExceptionType type = internal::ExceptionType::of<E>();
    for (auto& entry : entries_) {
      if (entry.first.type == type.type) {
        entry.second = std::move(value);
        return *this;
      }
    }
    entries_.emplace_back(type, std::move(value));
    return *this;
  }

  // The value of the most specific registered type `error` is an instance
  // of; the default when none (or when error is null).
  const V& classify(const std::exception_ptr& error) const {
    if (!error) return default_;
    const std::pair<internal::ExceptionType, V>* best = nullptr;
    for (const auto& entry : entries_) {
      if (!entry.first.matches(error)) continue;
      // A later match replaces the best one only if it derives from it.
      if (best == nullptr || best->first.is_base_of(entry.first.throw_pointer)) best = &entry;
    }
    return best != nullptr ? best->second : default_;
  }

  // Whether any registered type matches (the default is not a match).
  bool matches(const std::exception_ptr& error) const {
    if (!error) return false;
    for (const auto& entry : entries_) {
      if (entry.first.matches(error)) return true;
    }
    return false;
  }

  const V& default_value() const { return default_; }
  void set_default(V value) { default_ = std::move(value); }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

 private:
  V default_;
  std::vector<std::pair<internal::ExceptionType, V>> entries_;
};

// The common case: is this error one of the listed kinds (true), an
// excluded kind (false), or neither (the default)?
using BinaryExceptionClassifier = ExceptionClassifier<bool>;

}  // namespace cppbatch
