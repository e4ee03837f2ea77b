// DeadLetterStore: the dead-letter table of a job repository
// (JobRepository::dead_letters()). Every backend keeps it in the
// repository's own database, so a dead letter commits or rolls back with
// the chunk that skipped its item: nothing skipped is lost, nothing is
// recorded twice (docs/fault-tolerance.md, "Dead letters").
//
//   TransactionManager& tm = repo.transaction_manager();
//   (void)tm.begin();
//   auto id = repo.dead_letters().add(letter);    // joins the transaction
//   (void)tm.commit();
//
// Contracts shared by every implementation (tests/conformance):
// - add() and update() write only inside the repository's transaction
//   (transaction_manager().begin() on the calling thread) and commit or roll
//   back with it; outside one they fail with ILLEGAL_STATE, so a letter can
//   never be stored apart from the chunk it belongs to.
// - find() and get() read committed data, or the calling thread's open
//   transaction including its own uncommitted writes.
// Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/dead_letter.hpp"

namespace cppbatch {

class DeadLetterStore {
 public:
  virtual ~DeadLetterStore() = default;

  // Stores a new letter: its id, version (0), status (NEW), attempts (0),
  // create_time and last_updated (the repository's clock) are assigned, the
  // rest is stored as given. Returns the id. ILLEGAL_STATE outside the
  // repository's transaction; STORAGE when the database fails.
  virtual Result<int64_t> add(const DeadLetter& letter) = 0;

  // The letter with that id; NOT_FOUND if none.
  virtual Result<DeadLetter> get(int64_t id) = 0;

  // Letters matching `query`, ascending id.
  virtual Result<std::vector<DeadLetter>> find(const DeadLetterQuery& query) = 0;

  // Stores status, attempts and last_error of `letter` (other fields are
  // fixed once added) if its version is the stored one, then bumps
  // `letter.version` and sets last_updated. CONFLICT when someone else
  // changed the letter since it was read (nothing changes); NOT_FOUND;
  // ILLEGAL_STATE outside the repository's transaction.
  virtual Result<void> update(DeadLetter& letter) = 0;
};

}  // namespace cppbatch
