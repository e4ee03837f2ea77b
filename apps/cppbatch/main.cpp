// The `cppbatch` binary: the CLI (docs/cli.md) over the jobs built into this
// program — the settlement demo when it is part of the build. Programs with
// their own jobs do the same: register them, then call run_cli().
#include "cppbatch/cli/cli_runner.hpp"
#include "cppbatch/core/job_registry.hpp"

#if __has_include("settlement/settlement_job.hpp")
#include "settlement/settlement_job.hpp"
#define CPPBATCH_HAS_SETTLEMENT 1
#endif

int main(int argc, char** argv) {
  cppbatch::JobRegistry registry;
#ifdef CPPBATCH_HAS_SETTLEMENT
  cppbatch::register_settlement_job(registry);
#endif
  return cppbatch::run_cli(argc, argv, registry);
}
