#include "cppbatch/core/step_contribution.hpp"
