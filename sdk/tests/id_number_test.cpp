// GB 11643 check characters, with numbers whose check character is known.
#include <gtest/gtest.h>

#include <yizhan/sdk/support/id_number.hpp>

namespace {
using namespace yizhan::sdk::support;

TEST(SdkSupportIdNumber, CheckCharacterOfKnownNumbers) {
  EXPECT_EQ(id_number_check_char("11010519491231002"), 'X');  // the standard's own example
  EXPECT_EQ(id_number_check_char("14092919670428204"), '3');
  EXPECT_EQ(id_number_check_char("44052418800101001"), '4');
  EXPECT_EQ(id_number_check_char("11010119900307787"), '0');
  // Characters after the 17th do not count.
  EXPECT_EQ(id_number_check_char("140929196704282049"), '3');
}

TEST(SdkSupportIdNumber, CheckCharacterNeeds17Digits) {
  EXPECT_EQ(id_number_check_char("1409291967042820"), std::nullopt);
  EXPECT_EQ(id_number_check_char(""), std::nullopt);
  EXPECT_EQ(id_number_check_char("1409291967042820A"), std::nullopt);
  EXPECT_EQ(id_number_check_char("14092919670 28204"), std::nullopt);
}

TEST(SdkSupportIdNumber, ValidNumbers) {
  EXPECT_TRUE(valid_id_number("140929196704282043"));
  EXPECT_TRUE(valid_id_number("11010519491231002X"));
  EXPECT_TRUE(valid_id_number("11010519491231002x")) << "a lower-case x is accepted";
  EXPECT_TRUE(valid_id_number("110101199003077870"));
}

TEST(SdkSupportIdNumber, InvalidNumbers) {
  EXPECT_FALSE(valid_id_number("140929196704282044")) << "wrong check digit";
  EXPECT_FALSE(valid_id_number("140929196704282040"));
  EXPECT_FALSE(valid_id_number("110105194912310020")) << "0 where X is due";
  EXPECT_FALSE(valid_id_number("14092919670428204X")) << "X where 3 is due";
  EXPECT_FALSE(valid_id_number("14092919670428204")) << "17 characters";
  EXPECT_FALSE(valid_id_number("1409291967042820433")) << "19 characters";
  EXPECT_FALSE(valid_id_number("")) << "empty";
  EXPECT_FALSE(valid_id_number("14092919670428204３")) << "a full-width digit";
  EXPECT_FALSE(valid_id_number("1409291967042820x3")) << "x is only a check character";
  EXPECT_FALSE(valid_id_number("14092919670428204Y"));
}

TEST(SdkSupportIdNumber, NormalizedUpperCasesTheCheckCharacter) {
  EXPECT_EQ(normalized_id_number("11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(normalized_id_number("11010519491231002X"), "11010519491231002X");
  EXPECT_EQ(normalized_id_number("140929196704282043"), "140929196704282043");
  EXPECT_EQ(normalized_id_number(""), "");
}

}  // namespace
