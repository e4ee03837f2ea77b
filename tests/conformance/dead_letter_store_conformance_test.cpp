// The DeadLetterStore contract (include/cppbatch/core/dead_letter_store.hpp),
// checked against the dead-letter table of every repository backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/repository_backends.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Timestamp micros(Timestamp t) { return std::chrono::floor<std::chrono::microseconds>(t); }

DeadLetter letter(std::string job, std::string step, SkipPhase phase, std::string error_type,
                  std::string payload = "{}") {
  DeadLetter l;
  l.job_name = std::move(job);
  l.job_instance_id = 3;
  l.job_execution_id = 4;
  l.step_name = std::move(step);
  l.step_execution_id = 5;
  l.phase = phase;
  l.error_type = std::move(error_type);
  l.error_message = "bad item";
  l.payload = std::move(payload);
  return l;
}

std::vector<int64_t> ids(const std::vector<DeadLetter>& letters) {
  std::vector<int64_t> out;
  for (const auto& l : letters) out.push_back(l.id);
  return out;
}

template <class Backend>
class DeadLetterStoreConformance : public ::testing::Test {
 protected:
  void SetUp() override { repo_ = backend_.open(clock_); }
  DeadLetterStore& store() { return repo_->dead_letters(); }
  TransactionManager& tm() { return repo_->transaction_manager(); }

  // Adds letters in one committed transaction; returns their ids.
  std::vector<int64_t> add_committed(const std::vector<DeadLetter>& letters) {
    must(tm().begin());
    std::vector<int64_t> out;
    for (const auto& l : letters) out.push_back(must(store().add(l)));
    must(tm().commit());
    return out;
  }
  void update_committed(DeadLetter& l) {
    must(tm().begin());
    must(store().update(l));
    must(tm().commit());
  }

  Backend backend_;
  cppbatch::testing::ManualClock clock_;
  std::unique_ptr<JobRepository> repo_;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(DeadLetterStoreConformance, Backends, BackendNames);

TYPED_TEST(DeadLetterStoreConformance, AddStoresEveryFieldAndAssignsTheRest) {
  DeadLetter given = letter("settlementJob", "settle", SkipPhase::READ, "cppbatch::ParseError", "1;x;oops");
  given.source = "in.csv:17";
  given.status = DeadLetterStatus::PARKED;  // ignored: a new letter is NEW
  given.attempts = 7;
  given.last_error = "ignored";
  const int64_t id = this->add_committed({given}).front();
  EXPECT_GT(id, 0);

  DeadLetter stored = must(this->store().get(id));
  EXPECT_EQ(stored.id, id);
  EXPECT_EQ(stored.version, 0);
  EXPECT_EQ(stored.job_name, "settlementJob");
  EXPECT_EQ(stored.job_instance_id, 3);
  EXPECT_EQ(stored.job_execution_id, 4);
  EXPECT_EQ(stored.step_name, "settle");
  EXPECT_EQ(stored.step_execution_id, 5);
  EXPECT_EQ(stored.phase, SkipPhase::READ);
  EXPECT_EQ(stored.error_type, "cppbatch::ParseError");
  EXPECT_EQ(stored.error_message, "bad item");
  EXPECT_EQ(stored.payload, "1;x;oops");
  EXPECT_EQ(stored.source, "in.csv:17");
  EXPECT_EQ(stored.status, DeadLetterStatus::NEW);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.last_error, "");
  EXPECT_EQ(stored.create_time, micros(this->clock_.now()));
  EXPECT_EQ(stored.last_updated, micros(this->clock_.now()));
}

TYPED_TEST(DeadLetterStoreConformance, WritesOutsideTheRepositoryTransactionAreRefused) {
  auto added = this->store().add(letter("j", "s", SkipPhase::PROCESS, "E"));
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code(), ErrorCode::ILLEGAL_STATE);
  EXPECT_THAT(added.error().message(), HasSubstr("inside the repository's transaction"));
  EXPECT_TRUE(must(this->store().find(DeadLetterQuery{})).empty());

  const int64_t id = this->add_committed({letter("j", "s", SkipPhase::PROCESS, "E")}).front();
  DeadLetter stored = must(this->store().get(id));
  stored.status = DeadLetterStatus::PARKED;
  auto updated = this->store().update(stored);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code(), ErrorCode::ILLEGAL_STATE);
  EXPECT_EQ(must(this->store().get(id)).status, DeadLetterStatus::NEW);
}

TYPED_TEST(DeadLetterStoreConformance, RolledBackLettersAndUpdatesLeaveNothing) {
  const int64_t kept = this->add_committed({letter("j", "s", SkipPhase::PROCESS, "E")}).front();
  must(this->tm().begin());
  const int64_t dropped = must(this->store().add(letter("j", "s", SkipPhase::WRITE, "E")));
  DeadLetter changed = must(this->store().get(kept));
  changed.status = DeadLetterStatus::RESOLVED;
  must(this->store().update(changed));
  // The open transaction sees its own writes.
  EXPECT_THAT(ids(must(this->store().find(DeadLetterQuery{}))), ElementsAre(kept, dropped));
  EXPECT_EQ(must(this->store().get(kept)).status, DeadLetterStatus::RESOLVED);
  this->tm().rollback();

  EXPECT_THAT(ids(must(this->store().find(DeadLetterQuery{}))), ElementsAre(kept));
  EXPECT_EQ(this->store().get(dropped).error().code(), ErrorCode::NOT_FOUND);
  DeadLetter after = must(this->store().get(kept));
  EXPECT_EQ(after.status, DeadLetterStatus::NEW);
  EXPECT_EQ(after.version, 0);
}

TYPED_TEST(DeadLetterStoreConformance, FindFiltersByJobStepErrorTypeStatusAndPages) {
  auto added = this->add_committed({
      letter("a", "s1", SkipPhase::READ, "E1"),
      letter("b", "s1", SkipPhase::PROCESS, "E1"),
      letter("a", "s2", SkipPhase::WRITE, "E2"),
      letter("a", "s1", SkipPhase::PROCESS, "E2"),
  });
  DeadLetter parked = must(this->store().get(added[2]));
  parked.status = DeadLetterStatus::PARKED;
  this->update_committed(parked);

  auto find = [&](std::string job, std::string step = "", std::string type = "",
                  std::vector<DeadLetterStatus> statuses = {}, int64_t after = 0, int64_t limit = -1) {
    return ids(must(this->store().find(DeadLetterQuery{std::move(job), std::move(step), std::move(type),
                                                       std::move(statuses), after, limit})));
  };
  EXPECT_THAT(find(""), ElementsAre(added[0], added[1], added[2], added[3]));
  EXPECT_THAT(find("a"), ElementsAre(added[0], added[2], added[3]));
  EXPECT_THAT(find("a", "s1"), ElementsAre(added[0], added[3]));
  EXPECT_THAT(find("", "", "E2"), ElementsAre(added[2], added[3]));
  EXPECT_THAT(find("a", "", "", {DeadLetterStatus::NEW}), ElementsAre(added[0], added[3]));
  EXPECT_THAT(find("", "", "", {DeadLetterStatus::PARKED, DeadLetterStatus::RESOLVED}), ElementsAre(added[2]));
  EXPECT_THAT(find("a", "", "", {}, added[0], 1), ElementsAre(added[2]));
  EXPECT_THAT(find("", "", "", {}, 0, 0), ElementsAre());
  EXPECT_THAT(find("nobody"), ElementsAre());
}

TYPED_TEST(DeadLetterStoreConformance, UpdateStoresTheOutcomeAndChecksTheVersion) {
  const int64_t id = this->add_committed({letter("j", "s", SkipPhase::PROCESS, "E")}).front();
  DeadLetter first = must(this->store().get(id));
  DeadLetter stale = first;
  this->clock_.advance(std::chrono::seconds(5));
  first.status = DeadLetterStatus::FAILED_AGAIN;
  first.attempts = 1;
  first.last_error = "fee table still missing";
  first.payload = "changed";  // not updatable: fixed once added
  this->update_committed(first);
  EXPECT_EQ(first.version, 1);

  DeadLetter stored = must(this->store().get(id));
  EXPECT_EQ(stored.status, DeadLetterStatus::FAILED_AGAIN);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.last_error, "fee table still missing");
  EXPECT_EQ(stored.payload, "{}");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.last_updated, micros(this->clock_.now()));
  EXPECT_LT(stored.create_time, stored.last_updated);

  stale.status = DeadLetterStatus::PARKED;
  must(this->tm().begin());
  auto conflict = this->store().update(stale);
  this->tm().rollback();
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code(), ErrorCode::CONFLICT);
  EXPECT_EQ(stale.version, 0);

  DeadLetter missing = stored;
  missing.id = id + 100;
  must(this->tm().begin());
  auto not_found = this->store().update(missing);
  this->tm().rollback();
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().code(), ErrorCode::NOT_FOUND);
}

TYPED_TEST(DeadLetterStoreConformance, LongTextsAreCutToTheColumnSizes) {
  DeadLetter big = letter("j", "s", SkipPhase::PROCESS, std::string(300, 'T'), std::string(100'000, 'p'));
  big.error_message = std::string(3000, 'm');
  const int64_t id = this->add_committed({big}).front();
  DeadLetter stored = must(this->store().get(id));
  EXPECT_EQ(stored.error_type.size(), 255u);
  EXPECT_EQ(stored.error_message.size(), 2500u);
  EXPECT_EQ(stored.payload.size(), 100'000u);  // the payload is kept whole
  stored.last_error = std::string(2499, 'e') + "\xC3\xA9";  // an é across the limit is dropped whole
  this->update_committed(stored);
  EXPECT_EQ(must(this->store().get(id)).last_error, std::string(2499, 'e'));
}

}  // namespace
}  // namespace cppbatch::conformance
