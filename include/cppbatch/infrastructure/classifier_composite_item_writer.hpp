// ClassifierCompositeItemWriter<T, K>: routes each item of a chunk to one
// of several writers by a key the classifier computes (Spring's
// ClassifierCompositeItemWriter). Each delegate receives, once per chunk,
// the sub-chunk of the items routed to it, in their chunk order; delegates
// are called in the order their routes were added (a delegate with no item
// in the chunk is not called). An item whose key has no route goes to the
// fallback writer if one is set, else the chunk fails before anything is
// written: `writer 'NAME': no route for key 'K' (item 3 of 10); routes: a, b`.
//
//   ClassifierCompositeItemWriter<Record> writer(
//       [](const Record& r) { return r.get_string("status"); });   // K = std::string
//   writer.route("OK", std::make_unique<DelimitedFileWriter<Record>>(...))
//         .route("REJECTED", std::make_unique<DelimitedFileWriter<Record>>(...));
//
// record_field_classifier("status") is that classifier for Records. Items
// are copied into the sub-chunks (ItemWriter takes whole chunks). Delegates
// that are ItemStreams are opened, updated and closed through this writer.
// A delegate that throws stops the chunk there (see CompositeItemWriter for
// what restart relies on). Not thread-safe.
#pragma once

#include <concepts>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

template <class T, class K = std::string>
  requires std::equality_comparable<K>
class ClassifierCompositeItemWriter final : public ItemWriter<T>, public ItemStream {
 public:
  using Classifier = std::function<K(const T&)>;

  // Throws std::invalid_argument on an empty classifier.
  explicit ClassifierCompositeItemWriter(Classifier classifier, std::string name = "classifierWriter")
      : classifier_(std::move(classifier)), name_(std::move(name)) {
    if (!classifier_) throw std::invalid_argument("ClassifierCompositeItemWriter: empty classifier");
  }

  // Items whose key equals `key` go to `writer`. std::invalid_argument on a
  // null writer or a key already routed.
  ClassifierCompositeItemWriter& route(K key, std::unique_ptr<ItemWriter<T>> writer) {
    if (!writer) throw std::invalid_argument("writer '" + name_ + "': null writer for key '" + describe(key) + "'");
    for (const Route& r : routes_) {
      if (r.key && *r.key == key) throw std::invalid_argument("writer '" + name_ + "': key '" + describe(key) + "' routed twice");
    }
    add(std::optional<K>(std::move(key)), std::move(writer));
    return *this;
  }
  // Items whose key has no route go to `writer` (called after the routed
  // delegates). Without it such an item fails the chunk.
  ClassifierCompositeItemWriter& otherwise(std::unique_ptr<ItemWriter<T>> writer) {
    if (!writer) throw std::invalid_argument("writer '" + name_ + "': null fallback writer");
    if (fallback_) throw std::invalid_argument("writer '" + name_ + "': fallback set twice");
    add(std::nullopt, std::move(writer));
    fallback_ = routes_.size() - 1;
    return *this;
  }

  void write(const Chunk<T>& chunk) override {
    for (Route& r : routes_) r.items.clear();
    size_t last = 0;  // route of the previous item: runs of equal keys are common
    for (size_t i = 0; i < chunk.size(); ++i) {
      K key = classifier_(chunk[i]);
      size_t target = find(key, last);
      if (target == kNone) {
        for (Route& r : routes_) r.items.clear();
        throw std::runtime_error("writer '" + name_ + "': no route for key '" + describe(key) + "' (item " +
                                 std::to_string(i + 1) + " of " + std::to_string(chunk.size()) + "); routes: " +
                                 route_list());
      }
      routes_[target].items.emplace(chunk[i]);
      last = target;
    }
    for (Route& r : routes_) {
      if (!r.items.empty()) r.writer->write(r.items);
    }
    for (Route& r : routes_) r.items.clear();
  }

  void open(ExecutionContext& context) override {
    for (Route& r : routes_) {
      if (r.stream) r.stream->open(context);
    }
  }
  void update(ExecutionContext& context) override {
    for (Route& r : routes_) {
      if (r.stream) r.stream->update(context);
    }
  }
  // Closes every delegate, even when one throws; rethrows the first error.
  void close() override {
    std::exception_ptr first;
    for (Route& r : routes_) {
      if (!r.stream) continue;
      try {
        r.stream->close();
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
  }

  size_t routes() const { return routes_.size(); }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  struct Route {
    std::optional<K> key;  // empty: the fallback
    std::unique_ptr<ItemWriter<T>> writer;
    ItemStream* stream = nullptr;
    Chunk<T> items;
  };

  void add(std::optional<K> key, std::unique_ptr<ItemWriter<T>> writer) {
    ItemStream* stream = dynamic_cast<ItemStream*>(writer.get());
    // The fallback stays last so routed delegates are written first.
    const bool had_fallback = fallback_.has_value();
    auto at = had_fallback ? routes_.begin() + static_cast<std::ptrdiff_t>(*fallback_) : routes_.end();
    routes_.insert(at, Route{std::move(key), std::move(writer), stream, {}});
    if (had_fallback) fallback_ = routes_.size() - 1;
  }

  size_t find(const K& key, size_t hint) const {
    if (hint < routes_.size() && routes_[hint].key && *routes_[hint].key == key) return hint;
    for (size_t i = 0; i < routes_.size(); ++i) {
      if (routes_[i].key && *routes_[i].key == key) return i;
    }
    return fallback_ ? *fallback_ : kNone;
  }

  static std::string describe(const K& key) {
    if constexpr (std::is_convertible_v<const K&, std::string_view>) {
      return std::string(std::string_view(key));
    } else if constexpr (requires(std::ostream& o) { o << key; }) {
      std::ostringstream out;
      out << key;
      return out.str();
    } else {
      return "?";
    }
  }
  std::string route_list() const {
    std::string list;
    for (const Route& r : routes_) {
      if (r.key) list += (list.empty() ? "" : ", ") + describe(*r.key);
    }
    return list.empty() ? "(none)" : list;
  }

  Classifier classifier_;
  std::string name_;
  std::vector<Route> routes_;
  std::optional<size_t> fallback_;
};

// A classifier for Records: the text of field `field` (get_string; a
// missing field throws RecordError naming it).
inline std::function<std::string(const Record&)> record_field_classifier(std::string field) {
  return [field = std::move(field)](const Record& record) { return record.get_string(field); };
}

}  // namespace cppbatch
