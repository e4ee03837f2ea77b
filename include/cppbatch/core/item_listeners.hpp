// Item listeners: callbacks around each read, process and write of a chunk
// step, on the step's thread. No-op defaults. A listener that throws fails
// the chunk like the component it observes.
#pragma once

#include <exception>
#include <optional>

#include "cppbatch/core/chunk.hpp"

namespace cppbatch {

template <class T>
class ItemReadListener {
 public:
  virtual ~ItemReadListener() = default;
  virtual void before_read() {}
  virtual void after_read(const T& item) { (void)item; }
  virtual void on_read_error(const std::exception& error) { (void)error; }
};

template <class I, class O>
class ItemProcessListener {
 public:
  virtual ~ItemProcessListener() = default;
  virtual void before_process(const I& item) { (void)item; }
  // `result` is empty when the item was filtered.
  virtual void after_process(const I& item, const std::optional<O>& result) {
    (void)item;
    (void)result;
  }
  virtual void on_process_error(const I& item, const std::exception& error) {
    (void)item;
    (void)error;
  }
};

template <class T>
class ItemWriteListener {
 public:
  virtual ~ItemWriteListener() = default;
  virtual void before_write(const Chunk<T>& items) { (void)items; }
  virtual void after_write(const Chunk<T>& items) { (void)items; }
  virtual void on_write_error(const std::exception& error, const Chunk<T>& items) {
    (void)error;
    (void)items;
  }
};

}  // namespace cppbatch
