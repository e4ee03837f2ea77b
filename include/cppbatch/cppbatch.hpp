// Convenience umbrella: everything a job author usually needs. Prefer the
// individual headers in library code.
#pragma once

#include "cppbatch/core/execution_context_promotion_listener.hpp"
#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/flow_step.hpp"
#include "cppbatch/core/dead_letter_reprocessing.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/job_registry.hpp"
#include "cppbatch/core/job_step.hpp"
#include "cppbatch/core/step_builder.hpp"
