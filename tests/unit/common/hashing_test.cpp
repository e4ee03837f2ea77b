// md5_hex: RFC 1321 test vectors and the property the job key relies on
// (hex of the UTF-8 bytes, lower case, 32 characters).
#include "cppbatch/common/hashing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cppbatch {
namespace {

TEST(Md5HexTest, Rfc1321Vectors) {
  // Appendix A.5 of RFC 1321; cross-checked with `printf '%s' ... | md5sum`.
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
}

TEST(Md5HexTest, HashesUtf8BytesAsGiven) {
  // "café" in UTF-8 (Spring hashes getBytes("UTF-8")).
  EXPECT_EQ(md5_hex("caf\xc3\xa9"), "07117fe4a1ebd544965dc19573183da2");
}

TEST(Md5HexTest, EmbeddedNulBytesAreHashed) {
  std::string with_nul("a\0b", 3);
  EXPECT_NE(md5_hex(with_nul), md5_hex("a"));
  EXPECT_NE(md5_hex(with_nul), md5_hex("ab"));
}

TEST(Md5HexTest, IsLowerCaseHexOf32Characters) {
  std::string digest = md5_hex("cppbatch");
  ASSERT_EQ(digest.size(), 32u);
  for (char c : digest) {
    EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << "unexpected character '" << c << "'";
  }
}

TEST(Md5HexTest, LargeInput) {
  // One million 'a' characters: a classic extra vector.
  EXPECT_EQ(md5_hex(std::string(1'000'000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
}

}  // namespace
}  // namespace cppbatch
