// Hashing helpers used by the domain (job keys).
#pragma once

#include <string>
#include <string_view>

namespace cppbatch {

// Lower-case hex MD5 digest of the bytes of `data` (32 characters).
std::string md5_hex(std::string_view data);

}  // namespace cppbatch
