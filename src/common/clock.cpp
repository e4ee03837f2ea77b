#include "cppbatch/common/clock.hpp"

namespace cppbatch {
namespace {
class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace cppbatch
