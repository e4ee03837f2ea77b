// TransactionManager: begins, commits and rolls back the transaction each
// chunk (or tasklet call) runs in. The default does nothing (each resource
// commits on its own: writer first, then the checkpoint). A repository's
// own manager (e.g. SqliteJobRepository::transaction_manager()) runs the
// chunk in the repository's database transaction, so the checkpoint and
// any writer using that database commit together.
//
// Used from one thread at a time per step; begin/commit/rollback pair up.
#pragma once

#include "cppbatch/common/result.hpp"

namespace cppbatch {

class TransactionManager {
 public:
  virtual ~TransactionManager() = default;
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  // Must not fail in a way that leaves the transaction open.
  virtual void rollback() = 0;
};

// A manager with no resource: every call succeeds and does nothing.
class ResourcelessTransactionManager final : public TransactionManager {
 public:
  Result<void> begin() override { return {}; }
  Result<void> commit() override { return {}; }
  void rollback() override {}
};

}  // namespace cppbatch
